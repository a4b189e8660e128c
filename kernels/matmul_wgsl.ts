/**
 * Register-tiled matrix multiply, C[b] = op(A[b]) · op(B[b]), and the same loop with a distance epilogue.
 *
 * Each invocation computes a block of C with one load per block row and column per step of k, and no
 * workgroup memory: on llvmpipe this ran faster than workgroup-memory tiling (which also compiles for tens
 * of seconds on GL), and on a real GPU the block still gives register reuse. The invocations of a
 * workgroup take *interleaved* rows and columns (stride 8), so that neighbouring invocations — which
 * llvmpipe runs as the lanes of one SIMD instruction — read neighbouring addresses. Rows and columns past
 * the edge are clamped for loads (so the inner loop has no branches) and skipped for stores.
 *
 * Three load layouts (measured on llvmpipe at 1024³, ~2 busy cores):
 * - "vec4n": B not transposed and N % 4 == 0: B and C read/written as vec4 along n; 8 × 16 block (~5–6.5
 *   GFLOP/s).
 * - "vec4k": A not transposed, B transposed, K % 4 == 0: rows of both read as vec4 along k, dot products;
 *   8 × 8 block (~4.8 GFLOP/s). This is the pairwise-distance layout (X · Yᵀ).
 * - "scalar": anything else (odd sizes, Aᵀ with Bᵀ); 8 × 16 block (~4.5 GFLOP/s).
 *
 * Epilogues ("sqdist", "cosine", layouts vec4k and scalar with Bᵀ) turn X·Yᵀ into pairwise squared
 * euclidean distances or cosine similarities; the row norms accumulate in the same loop.
 *
 * @module
 */

/** How the loop loads its operands; see the module comment. */
export type MatmulLayout = "vec4n" | "vec4k" | "scalar";

/** What a variant computes; each distinct variant is one pipeline. */
export interface MatmulVariant {
  /** Operand layout. */
  layout: MatmulLayout;
  /** A is stored K × M (use Aᵀ). */
  transA: boolean;
  /** B is stored N × K (use Bᵀ). */
  transB: boolean;
  /** "none": C = A·B; "sqdist": ‖a_i‖² + ‖b_j‖² − 2a_i·b_j (≥ 0); "cosine": a_i·b_j / (‖a_i‖‖b_j‖). */
  epilogue: "none" | "sqdist" | "cosine";
}

/** Workgroup is WG × WG invocations. */
export const WG = 8;

/** Block of C per invocation, in rows and in columns (vec4 columns count 4). */
export function blockOf(layout: MatmulLayout): { tm: number; tn: number } {
  return layout === "vec4k" ? { tm: 8, tn: 8 } : { tm: 8, tn: 16 };
}

const range = (n: number) => [...Array(n).keys()];

/**
 * The WGSL of one variant. Params: M, N, K; batch stride of A and of B (elements; 0 broadcasts); offset of
 * A, B and C within their bindings (elements; lets a caller bind a 256-byte-aligned window of a buffer).
 */
export function matmulWgsl(v: MatmulVariant): string {
  const { tm, tn } = blockOf(v.layout);
  const vec4n = v.layout === "vec4n";
  const vec4k = v.layout === "vec4k";
  const cols = range(vec4n ? tn / 4 : tn);
  const rows = range(tm);
  const norms = v.epilogue !== "none";
  const scalarT = vec4n ? "vec4<f32>" : "f32";
  const kEnd = vec4k ? "p.K / 4u" : "p.K";
  const nCols = vec4n ? "p.N / 4u" : "p.N";
  const row = (i: number) => `(m0 + ${i * WG}u)`;
  const col = (j: number) => `(n0 + ${j * WG}u)`;

  // Where row i of A and column j of B start, and how step k reads them.
  const rowSetup = rows.map((i) =>
    v.transA
      ? `  let r${i} = aBase + min(${row(i)}, p.M - 1u);`
      : `  let r${i} = aBase + min(${row(i)}, p.M - 1u) * ${vec4k ? "(p.K / 4u)" : "p.K"};`
  );
  const colSetup = cols.map((j) =>
    v.transB
      ? `  let c${j} = bBase + min(${col(j)}, nCols - 1u) * ${vec4k ? "(p.K / 4u)" : "p.K"};`
      : `  let c${j} = bBase + min(${col(j)}, nCols - 1u);`
  );
  const aLoad = (i: number) => (v.transA ? `A[r${i} + k * p.M]` : `A[r${i} + k]`);
  const bLoad = (j: number) => (v.transB ? `B[c${j} + k]` : `B[c${j} + k * nCols]`);
  const product = (i: number, j: number) =>
    vec4k
      ? `acc${i}_${j} += dot(a${i}, b${j});`
      : vec4n
      ? `acc${i}_${j} = fma(vec4<f32>(a${i}), b${j}, acc${i}_${j});`
      : `acc${i}_${j} = fma(a${i}, b${j}, acc${i}_${j});`;
  const square = (x: string) => (vec4k ? `dot(${x}, ${x})` : `${x} * ${x}`);

  const value = (i: number, j: number) => {
    if (v.epilogue === "sqdist") return `max(na${i} + nb${j} - 2.0 * acc${i}_${j}, 0.0)`;
    if (v.epilogue === "cosine") return `acc${i}_${j} / max(sqrt(na${i} * nb${j}), 1e-12)`;
    return `acc${i}_${j}`;
  };
  const aType = vec4k ? "vec4<f32>" : "f32";
  const bType = vec4k || vec4n ? "vec4<f32>" : "f32";
  return /* wgsl */ `
struct Params { M: u32, N: u32, K: u32, strideA: u32, strideB: u32, offA: u32, offB: u32, offC: u32, ldc: u32 }
@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read> A: array<${aType}>;
@group(0) @binding(2) var<storage, read> B: array<${bType}>;
@group(0) @binding(3) var<storage, read_write> C: array<${scalarT}>;
@compute @workgroup_size(${WG}, ${WG})
fn main(@builtin(workgroup_id) w: vec3<u32>, @builtin(local_invocation_id) l: vec3<u32>) {
  let nCols = ${nCols};
  let m0 = w.y * ${tm * WG}u + l.y;
  let n0 = w.x * ${cols.length * WG}u + l.x;
  if (m0 >= p.M || n0 >= nCols) { return; }
  let aBase = (p.offA + w.z * p.strideA) / ${vec4k ? 4 : 1}u;
  let bBase = (p.offB + w.z * p.strideB) / ${vec4k || vec4n ? 4 : 1}u;
  let cBase = p.offC / ${vec4n ? 4 : 1}u + w.z * p.M * nCols;
${rowSetup.join("\n")}
${colSetup.join("\n")}
${rows.flatMap((i) => cols.map((j) => `  var acc${i}_${j} = ${scalarT}();`)).join("\n")}
${
    norms
      ? [...rows.map((i) => `  var na${i} = 0.0;`), ...cols.map((j) => `  var nb${j} = 0.0;`)].join("\n")
      : ""
  }
  for (var k = 0u; k < ${kEnd}; k++) {
${rows.map((i) => `    let a${i} = ${aLoad(i)};`).join("\n")}
${cols.map((j) => `    let b${j} = ${bLoad(j)};`).join("\n")}
${rows.flatMap((i) => cols.map((j) => `    ${product(i, j)}`)).join("\n")}
${
    norms
      ? [
        ...rows.map((i) => `    na${i} += ${square(`a${i}`)};`),
        ...cols.map((j) => `    nb${j} += ${square(`b${j}`)};`),
      ].join("\n")
      : ""
  }
  }
${
    rows.flatMap((i) =>
      cols.map((j) =>
        `  if (${row(i)} < p.M && ${col(j)} < nCols) { C[cBase + ${row(i)} * p.ldc + ${col(j)}] = ${
          value(i, j)
        }; }`
      )
    ).join("\n")
  }
}`;
}
