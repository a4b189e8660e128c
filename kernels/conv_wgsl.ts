/**
 * Convolution kernels (NCHW activations, OIHW weights, float32) for the three passes — forward, gradient
 * w.r.t. the input ("input") and w.r.t. the weights ("filter") — in three families, plus two small sums.
 * `conv.ts` picks the family and block per call and states the measurements behind the choice.
 *
 * Every pass is a matrix product whose operand in activation space is the im2col matrix, never
 * materialised (an explicit im2col of a 64-channel 32×32 batch of 128 is 302 MB):
 *
 * | pass    | rows          | columns                      | k (loop nest)           | A       | B             |
 * |---------|---------------|------------------------------|-------------------------|---------|---------------|
 * | forward | co of a group | output pixels (n, oh, ow)    | ci, kh, kw              | weights | im2col(x)     |
 * | input   | ci of a group | input pixels (n, ih, iw)     | co, kh, kw              | weights | gather of dy  |
 * | filter  | co of a group | taps (ci, kh, kw)            | n of a split, oh, ow    | dy      | im2col(x)     |
 *
 * - "rows" (row segments; stride and dilation 1 along W, W and Wo multiples of 4): a column is a group of
 *   4 horizontally adjacent pixels. For each (channel, kh) an invocation loads the few *aligned vec4s* of
 *   the input (dy) row that cover all KW taps of its 4 pixels, and takes every tap's 4 values out of those
 *   registers — KW and the padding are baked into the shader so the swizzles are static. On llvmpipe a
 *   load with per-lane addresses is a scalar gather per lane, so one vec4 gather replacing ~4·KW/3 scalar
 *   ones is what made this family ~2× faster than the GEMM below. An aligned vec4 lies wholly inside or
 *   wholly outside a row, so padding costs one test per vec4. The filter pass uses the same segments with
 *   k advancing 4 output pixels at a time (dy as a vec4, each tap a dot product).
 * - "gemm" (any geometry): one column per pixel (filter: per tap), scalar im2col gathers with the
 *   padding test; the loop over k is written as the nest it really is, so per-column address and
 *   row-validity work is hoisted out of the innermost loop. The input pass runs once per class of input
 *   pixels (ih mod sh, iw mod sw): only taps kh ≡ ih + ph (mod sh) reach a class, so its loops step by the
 *   stride instead of testing divisibility — 3× faster for stride 2 than testing every tap. The stride is
 *   baked into that shader (one pipeline per stride); a strided axis needs dilation 1.
 * - "direct": one output element per invocation of a 1-D grid, looping over its window; the fallback for
 *   the filter pass of depthwise convolutions off the row path and for strided *and* dilated inputs.
 *
 * Common to the first two: no workgroup memory (it compiles for tens of seconds on llvmpipe's GL path and
 * was slower than registers in `matmul_wgsl.ts`), an invocation owns a block of rows × columns, and a
 * workgroup's 64 invocations take rows and columns interleaved (8 × 8, or 1 × 64 when a group has few
 * rows), so neighbouring lanes read neighbouring addresses. Grid z is the group; for the filter pass also
 * the split of the batch (z = group + groups·split): its reduction over n·oh·ow is long and its output
 * small, so each split writes a partial and `partialSumWgsl` adds them in a fixed order — deterministic,
 * no atomics. Padded taps are masked with `select` on both the index and the value, so they never read
 * out of bounds whatever the backend's robustness policy.
 *
 * @module
 */

import { MAIN_1D, PRELUDE } from "./prelude_wgsl.ts";

/** Which product a kernel computes. */
export type ConvPass = "forward" | "input" | "filter";

/** Invocations of a workgroup: WG × WG. */
export const WG = 8;

/** The block one invocation computes, and how a workgroup's lanes spread over blocks. */
export interface Tile {
  /** Rows. */
  tm: number;
  /** Columns (pixels or taps; 4 pixels per column group in the row kernels). */
  tn: number;
  /** Invocations of a workgroup along rows, WG or 1 (`lanes`); default WG. */
  ly?: number;
}

/** A row-segment variant; the kernel width and horizontal padding are baked into the shader. */
export interface RowVariant {
  /** Rows of the block. */
  tm: number;
  /** Columns of the block: groups of 4 pixels (forward, input) or (ci, kh) pairs (filter). */
  tq: number;
  /** Kernel width. */
  KW: number;
  /** Horizontal padding. */
  pw: number;
  /** Invocations of a workgroup along rows (`lanes`); default WG. */
  ly?: number;
}

/**
 * The parameters every conv shader reads, in order (all u32); `conv.ts` fills them from the geometry.
 * `n`: columns (GEMM, rows) or invocations (direct) of the dispatch; `nb`: samples of the bound chunk;
 * `per`: samples of one split (filter); `xoff`/`yoff`: where the chunk starts in the x-side / y-side
 * binding (buffers larger than one binding are bound a window at a time); `ca`, `cb`, `Hc`, `Wc`: the
 * pixel class of an input-pass GEMM dispatch and its size.
 *
 * @example
 * ```ts
 * import { PARAMS } from "./conv_wgsl.ts";
 * console.log(PARAMS.indexOf("xoff") > 0); // true
 * ```
 */
export const PARAMS = [
  ...["n", "nb", "per", "Cin", "H", "W", "Cout", "Cig", "Cog", "Ho", "Wo", "KH", "KW"],
  ...["sh", "sw", "ph", "pw", "dh", "dw", "groups", "xoff", "yoff", "hasBias", "ca", "cb", "Hc", "Wc"],
] as const;

const STRUCT = `struct Params { ${PARAMS.map((p) => `${p}: u32`).join(", ")} }
@group(0) @binding(0) var<uniform> p: Params;`;

const range = (n: number) => [...Array(n).keys()];

/**
 * How a workgroup's WG·WG invocations spread: `ly` along rows (WG, or 1 when a group has few rows), `lx`
 * along columns.
 *
 * @example
 * ```ts
 * import { lanes } from "./conv_wgsl.ts";
 * console.log(lanes(1)); // { lx: 64, ly: 1 }
 * ```
 */
export function lanes(ly: number = WG): { lx: number; ly: number } {
  return { lx: (WG * WG) / ly, ly };
}

/** Entry point, block origin and per-row / per-column code generators of a tm × tn block. */
function block(tm: number, tn: number, ly: number = WG) {
  const { lx } = lanes(ly);
  const rows = range(tm), cols = range(tn);
  return {
    main: `@compute @workgroup_size(${lx}, ${ly})
fn main(@builtin(workgroup_id) w: vec3<u32>, @builtin(local_invocation_id) l: vec3<u32>) {
  let g = w.z % p.groups;
  let m0 = w.y * ${tm * ly}u${ly > 1 ? " + l.y" : ""};
  let n0 = w.x * ${tn * lx}u + l.x;`,
    row: (i: number) => `(m0 + ${i * ly}u)`,
    col: (j: number) => `(n0 + ${j * lx}u)`,
    eachRow: (f: (i: number) => string, ind = "  ") => rows.map((i) => ind + f(i)).join("\n"),
    eachCol: (f: (j: number) => string, ind = "  ") => cols.map((j) => ind + f(j)).join("\n"),
    all: (f: (i: number, j: number) => string, ind = "  ") =>
      rows.flatMap((i) => cols.map((j) => ind + f(i, j))).join("\n"),
  };
}

const storage = (i: number, name: string, type = "f32", rw = false) =>
  `@group(0) @binding(${i}) var<storage, ${rw ? "read_write" : "read"}> ${name}: array<${type}>;`;

/** Bindings 1..n of a pass: x-side operand, weights (dy for the filter pass), [bias], output. */
function bindings(pass: ConvPass, vec = "f32"): string {
  if (pass === "forward") {
    return [storage(1, "X", vec), storage(2, "Wt"), storage(3, "bias"), storage(4, "Y", vec, true)].join(
      "\n",
    );
  }
  if (pass === "input") {
    return [storage(1, "DY", vec), storage(2, "Wt"), storage(3, "DX", vec, true)].join("\n");
  }
  return [storage(1, "X", vec), storage(2, "DY", vec), storage(3, "P", "f32", true)].join("\n");
}

/** `buf[index]` where `ok`, else 0, never reading out of bounds. */
const guarded = (buf: string, index: string, ok: string, zero = "0.0") =>
  `select(${zero}, ${buf}[select(0u, u32(${index}), ${ok})], ${ok})`;

/**
 * The WGSL of an implicit-GEMM pass with blocks of `tile`. `stride` is baked into the input pass (the
 * others read it from the params).
 *
 * @example
 * ```ts
 * import { convGemmWgsl } from "./conv_wgsl.ts";
 * console.log(convGemmWgsl("input", { tm: 2, tn: 2 }, [2, 2]).includes("kh += 2u")); // true
 * ```
 */
export function convGemmWgsl(pass: ConvPass, tile: Tile, stride: readonly [number, number] = [1, 1]): string {
  const { tm, tn } = tile;
  const B = block(tm, tn, tile.ly);
  const { row, col, eachRow, eachCol, all } = B;
  const fmas = (ind: string) => all((i, j) => `acc${i}_${j} = fma(a${i}, b${j}, acc${i}_${j});`, ind);
  const head = `${STRUCT}
${bindings(pass)}
${B.main}
  let M = ${pass === "input" ? "p.Cig" : "p.Cog"};
  let N = ${pass === "filter" ? "p.Cig * p.KH * p.KW" : "p.n"};
  if (m0 >= M || n0 >= N) { return; }
  let HW = p.H * p.W;
  let HoWo = p.Ho * p.Wo;
  let Kg = p.Cig * p.KH * p.KW;
  let KK = p.KH * p.KW;
${eachRow((i) => `let rr${i} = min(${row(i)}, M - 1u);`)}
${eachCol((j) => `let cc${j} = min(${col(j)}, N - 1u);`)}
${all((i, j) => `var acc${i}_${j} = 0.0;`)}`;
  const store = (target: (i: number, j: number) => string, value: (i: number, j: number) => string) =>
    all((i, j) => `if (${row(i)} < M && ${col(j)} < N) { ${target(i, j)} = ${value(i, j)}; }`);

  if (pass === "forward") {
    return `${head}
${eachRow((i) => `let r${i} = (g * p.Cog + rr${i}) * Kg;`)}
${eachCol((j) => `let q${j} = cc${j} % HoWo;`)}
${eachCol((j) => `let nn${j} = cc${j} / HoWo;`)}
${eachCol((j) => `let ih${j} = i32((q${j} / p.Wo) * p.sh) - i32(p.ph);`)}
${eachCol((j) => `let iw${j} = i32((q${j} % p.Wo) * p.sw) - i32(p.pw);`)}
${
      eachCol((j) =>
        `let xb${j} = i32(p.xoff + (nn${j} * p.Cin + g * p.Cig) * HW) + ih${j} * i32(p.W) + iw${j};`
      )
    }
  var k = 0u;
  var xc = 0i;
  for (var ci = 0u; ci < p.Cig; ci++) {
    for (var kh = 0u; kh < p.KH; kh++) {
      let dh = i32(kh * p.dh);
${eachCol((j) => `let hv${j} = u32(ih${j} + dh) < p.H;`, "      ")}
${eachCol((j) => `let rb${j} = xb${j} + xc + dh * i32(p.W);`, "      ")}
      for (var kw = 0u; kw < p.KW; kw++) {
        let dw = i32(kw * p.dw);
${eachRow((i) => `let a${i} = Wt[r${i} + k];`, "        ")}
${
      eachCol(
        (j) => `let b${j} = ${guarded("X", `rb${j} + dw`, `hv${j} && u32(iw${j} + dw) < p.W`)};`,
        "        ",
      )
    }
${fmas("        ")}
        k++;
      }
    }
    xc += i32(HW);
  }
${eachRow((i) => `let bias${i} = select(0.0, bias[g * p.Cog + rr${i}], p.hasBias != 0u);`)}
${
      store(
        (i, j) => `Y[p.yoff + (nn${j} * p.Cout + g * p.Cog + rr${i}) * HoWo + q${j}]`,
        (i, j) => `acc${i}_${j} + bias${i}`,
      )
    }
}`;
  }

  if (pass === "input") {
    // columns: the Hc × Wc input pixels of class (ca, cb); taps kh ≡ ca + ph, kw ≡ cb + pw (mod stride)
    const [SH, SW] = stride;
    return `const SH = ${SH}i;
const SW = ${SW}i;
${head}
  let HcWc = p.Hc * p.Wc;
  let kh0 = (p.ca + p.ph) % ${SH}u;
  let kw0 = (p.cb + p.pw) % ${SW}u;
${eachRow((i) => `let r${i} = g * p.Cog * Kg + rr${i} * KK;`)}
${eachCol((j) => `let q${j} = cc${j} % HcWc;`)}
${eachCol((j) => `let nn${j} = cc${j} / HcWc;`)}
${eachCol((j) => `let ih${j} = p.ca + (q${j} / p.Wc) * ${SH}u;`)}
${eachCol((j) => `let iw${j} = p.cb + (q${j} % p.Wc) * ${SW}u;`)}
${eachCol((j) => `let th${j} = i32(ih${j} + p.ph);`)}
${eachCol((j) => `let tw${j} = i32(iw${j} + p.pw);`)}
${eachCol((j) => `let yb${j} = i32(p.yoff + (nn${j} * p.Cout + g * p.Cog) * HoWo);`)}
  var kc = 0u;
  var yc = 0i;
  for (var co = 0u; co < p.Cog; co++) {
    for (var kh = kh0; kh < p.KH; kh += ${SH}u) {
      let kk = kc + kh * p.KW;
${eachCol((j) => `let h${j} = th${j} - i32(kh * p.dh);`, "      ")}
${eachCol((j) => `let hv${j} = h${j} >= 0 && h${j} / SH < i32(p.Ho);`, "      ")}
${eachCol((j) => `let rb${j} = yb${j} + yc + (h${j} / SH) * i32(p.Wo);`, "      ")}
      for (var kw = kw0; kw < p.KW; kw += ${SW}u) {
        let dw = i32(kw * p.dw);
${eachRow((i) => `let a${i} = Wt[r${i} + kk + kw];`, "        ")}
${eachCol((j) => `let v${j} = tw${j} - dw;`, "        ")}
${
      eachCol(
        (j) =>
          `let b${j} = ${
            guarded("DY", `rb${j} + v${j} / SW`, `hv${j} && v${j} >= 0 && v${j} / SW < i32(p.Wo)`)
          };`,
        "        ",
      )
    }
${fmas("        ")}
      }
    }
    kc += Kg;
    yc += i32(HoWo);
  }
${
      store(
        (i, j) => `DX[p.xoff + (nn${j} * p.Cin + g * p.Cig + rr${i}) * HW + ih${j} * p.W + iw${j}]`,
        (i, j) => `acc${i}_${j}`,
      )
    }
}`;
  }

  // filter: columns are taps (ci, kh, kw); k runs over the samples of split s, then oh, ow
  return `${head}
  let s = w.z / p.groups;
  let n1 = min(p.nb, (s + 1u) * p.per);
${eachRow((i) => `let r${i} = p.yoff + (g * p.Cog + rr${i}) * HoWo;`)}
${eachCol((j) => `let xb${j} = i32(p.xoff + (g * p.Cig + cc${j} / KK) * HW);`)}
${eachCol((j) => `let ho${j} = i32(((cc${j} % KK) / p.KW) * p.dh) - i32(p.ph);`)}
${eachCol((j) => `let wo${j} = i32((cc${j} % p.KW) * p.dw) - i32(p.pw);`)}
  for (var nn = s * p.per; nn < n1; nn++) {
    let xn = i32(nn * p.Cin * HW);
    let yn = nn * p.Cout * HoWo;
    for (var oh = 0u; oh < p.Ho; oh++) {
      let ky = yn + oh * p.Wo;
${eachCol((j) => `let h${j} = i32(oh * p.sh) + ho${j};`, "      ")}
${eachCol((j) => `let hv${j} = u32(h${j}) < p.H;`, "      ")}
${eachCol((j) => `let rb${j} = xb${j} + xn + h${j} * i32(p.W);`, "      ")}
      for (var ow = 0u; ow < p.Wo; ow++) {
        let iw = i32(ow * p.sw);
${eachRow((i) => `let a${i} = DY[r${i} + ky + ow];`, "        ")}
${
    eachCol(
      (j) => `let b${j} = ${guarded("X", `rb${j} + iw + wo${j}`, `hv${j} && u32(iw + wo${j}) < p.W`)};`,
      "        ",
    )
  }
${fmas("        ")}
      }
    }
  }
${store((i, j) => `P[(s * p.Cout + g * p.Cog + rr${i}) * Kg + cc${j}]`, (i, j) => `acc${i}_${j}`)}
}`;
}

/**
 * The aligned vec4s of a row segment. The values a group of 4 pixels needs lie at offsets lo … lo+KW+2
 * from its first pixel (forward: lo = −pw; input pass: lo = pw − (KW − 1)); they are loaded as `nv` vec4s
 * starting `v0` vec4s from the group, and tap kw's 4 values start `first(kw)` elements into them.
 */
function segment(KW: number, lo: number, first: (kw: number) => number) {
  const v0 = Math.floor(lo / 4), nv = Math.floor((lo + KW + 2) / 4) - v0 + 1;
  return {
    v0,
    /** `let sJ_E = …` for every vec4 E of column J's segment: `base` its first vec4, `c` its column. */
    loads: (j: number, buf: string, base: string, c: string, rowOk: string, R4: string, ind: string) =>
      range(nv).map((e) =>
        `${ind}let ok${j}_${e} = ${rowOk} && u32(${c} + ${e}) < ${R4};
${ind}let s${j}_${e} = ${guarded(buf, `${base} + ${e}`, `ok${j}_${e}`, "vec4<f32>()")};`
      ).join("\n"),
    /** Tap kw's 4 values for column j, as a vec4 expression (static swizzles). */
    tap: (j: number, kw: number) => {
      const e = first(kw) - 4 * v0;
      if (e % 4 === 0) return `s${j}_${e >> 2}`;
      return `vec4<f32>(${range(4).map((t) => `s${j}_${(e + t) >> 2}[${(e + t) & 3}]`).join(", ")})`;
    },
  };
}

/**
 * The WGSL of a row-segment forward or input pass (see the module comment): columns are groups of 4
 * pixels of an output (forward) or input (input pass) row. Needs W and Wo multiples of 4, and stride
 * and dilation 1 along W (the input pass also stride 1 along H).
 *
 * @example
 * ```ts
 * import { convRowWgsl } from "./conv_wgsl.ts";
 * console.log(convRowWgsl("forward", { tm: 1, tq: 1, KW: 3, pw: 1 }).includes("array<vec4<f32>>")); // true
 * ```
 */
export function convRowWgsl(pass: "forward" | "input", v: RowVariant): string {
  const { tm, tq, KW, pw } = v;
  const fwd = pass === "forward";
  const seg = segment(KW, fwd ? -pw : pw - (KW - 1), (kw) => (fwd ? kw - pw : pw - kw));
  const B = block(tm, tq, v.ly);
  const { row, col, eachRow, eachCol, all } = B;
  // forward: reads rows of x (length W), writes Ho × Wo planes; input pass: rows of dy, H × W planes
  const [R, outPlane, outRow] = fwd ? ["p.W", "HoWo", "p.Wo"] : ["p.Wo", "HW", "p.W"];
  const taps = range(KW).map((kw) =>
    [
      eachRow((i) => `let a${i}_${kw} = Wt[r${i} + k + ${kw}u];`, "      "),
      eachCol((j) => `let t${j}_${kw} = ${seg.tap(j, kw)};`, "      "),
      all((i, j) => `acc${i}_${j} = fma(vec4<f32>(a${i}_${kw}), t${j}_${kw}, acc${i}_${j});`, "      "),
    ].join("\n")
  );
  return `${STRUCT}
${bindings(pass, "vec4<f32>")}
${B.main}
  let M = ${fwd ? "p.Cog" : "p.Cig"};
  if (m0 >= M || n0 >= p.n) { return; }
  let HW = p.H * p.W;
  let HoWo = p.Ho * p.Wo;
  let Kg = p.Cig * p.KH * p.KW;
  let KK = p.KH * p.KW;
  let R4 = ${R} / 4u;
${eachRow((i) => `let rr${i} = min(${row(i)}, M - 1u);`)}
${
    eachRow((i) =>
      fwd ? `let r${i} = (g * p.Cog + rr${i}) * Kg;` : `let r${i} = g * p.Cog * Kg + rr${i} * KK;`
    )
  }
${eachCol((j) => `let q${j} = (4u * min(${col(j)}, p.n - 1u)) % ${outPlane};`)}
${eachCol((j) => `let nn${j} = (4u * min(${col(j)}, p.n - 1u)) / ${outPlane};`)}
${eachCol((j) => `let c${j} = i32((q${j} % ${outRow}) / 4u) + ${seg.v0}i;`)}
${
    eachCol((j) =>
      fwd ? `let h${j} = i32((q${j} / p.Wo) * p.sh) - i32(p.ph);` : `let h${j} = i32(q${j} / p.W + p.ph);`
    )
  }
${
    eachCol((j) =>
      fwd
        ? `let b${j} = i32((p.xoff + (nn${j} * p.Cin + g * p.Cig) * HW) / 4u) + c${j};`
        : `let b${j} = i32((p.yoff + (nn${j} * p.Cout + g * p.Cog) * HoWo) / 4u) + c${j};`
    )
  }
${all((i, j) => `var acc${i}_${j} = vec4<f32>();`)}
  var k = 0u;
  var rc = 0i;
  for (var c = 0u; c < ${fwd ? "p.Cig" : "p.Cog"}; c++) {
    for (var kh = 0u; kh < p.KH; kh++) {
      let dh = i32(kh * p.dh);
${eachCol((j) => `let hh${j} = h${j} ${fwd ? "+" : "-"} dh;`, "      ")}
${eachCol((j) => `let rb${j} = b${j} + rc + hh${j} * i32(R4);`, "      ")}
${
    eachCol(
      (j) =>
        seg.loads(
          j,
          fwd ? "X" : "DY",
          `rb${j}`,
          `c${j}`,
          `u32(hh${j}) < ${fwd ? "p.H" : "p.Ho"}`,
          "R4",
          "      ",
        ),
      "",
    )
  }
${taps.join("\n")}
      k += ${KW}u;
    }
    ${fwd ? "rc += i32(HW / 4u);" : "k += Kg - KK;\n    rc += i32(HoWo / 4u);"}
  }
${fwd ? eachRow((i) => `let bias${i} = select(0.0, bias[g * p.Cog + rr${i}], p.hasBias != 0u);`) : ""}
${
    all((i, j) =>
      `if (${row(i)} < M && ${col(j)} < p.n) { ${
        fwd
          ? `Y[(p.yoff + (nn${j} * p.Cout + g * p.Cog + rr${i}) * HoWo + q${j}) / 4u] = acc${i}_${j} + bias${i};`
          : `DX[(p.xoff + (nn${j} * p.Cin + g * p.Cig + rr${i}) * HW + q${j}) / 4u] = acc${i}_${j};`
      } }`
    )
  }
}`;
}

/**
 * The WGSL of the row-segment filter pass: rows are output channels, a column is one (ci, kh) with all
 * KW taps, and k advances 4 output pixels of a row at a time — dy as one vec4, x as the segment those 4
 * pixels' taps read (as in the forward), each tap a dot product. Same conditions as the forward; writes
 * partials per split like the GEMM filter pass.
 *
 * @example
 * ```ts
 * import { convRowFilterWgsl } from "./conv_wgsl.ts";
 * console.log(convRowFilterWgsl({ tm: 1, tq: 1, KW: 3, pw: 1 }).includes("dot(a0, t0_2)")); // true
 * ```
 */
export function convRowFilterWgsl(v: RowVariant): string {
  const { tm, tq, KW, pw } = v;
  const seg = segment(KW, -pw, (kw) => kw - pw);
  const B = block(tm, tq, v.ly);
  const { row, col, eachRow, eachCol, all } = B;
  const allTaps = (f: (i: number, j: number, kw: number) => string, ind: string) =>
    all((i, j) => range(KW).map((kw) => f(i, j, kw)).join(`\n${ind}`), ind);
  return `${STRUCT}
${bindings("filter", "vec4<f32>")}
${B.main}
  let s = w.z / p.groups;
  let NC = p.Cig * p.KH;
  if (m0 >= p.Cog || n0 >= NC) { return; }
  let HW = p.H * p.W;
  let HoWo = p.Ho * p.Wo;
  let Kg = p.Cig * p.KH * p.KW;
  let W4 = p.W / 4u;
  let Wo4 = p.Wo / 4u;
  let n1 = min(p.nb, (s + 1u) * p.per);
${eachRow((i) => `let rr${i} = min(${row(i)}, p.Cog - 1u);`)}
${eachRow((i) => `let r${i} = (p.yoff + (g * p.Cog + rr${i}) * HoWo) / 4u;`)}
${eachCol((j) => `let cc${j} = min(${col(j)}, NC - 1u);`)}
${eachCol((j) => `let xb${j} = i32((p.xoff + (g * p.Cig + cc${j} / p.KH) * HW) / 4u);`)}
${eachCol((j) => `let ho${j} = i32((cc${j} % p.KH) * p.dh) - i32(p.ph);`)}
${allTaps((i, j, kw) => `var acc${i}_${j}_${kw} = 0.0;`, "  ")}
  for (var nn = s * p.per; nn < n1; nn++) {
    let xn = i32(nn * p.Cin * (HW / 4u));
    let yn = nn * p.Cout * (HoWo / 4u);
    for (var oh = 0u; oh < p.Ho; oh++) {
      let ky = yn + oh * Wo4;
${eachCol((j) => `let h${j} = i32(oh * p.sh) + ho${j};`, "      ")}
${eachCol((j) => `let rb${j} = xb${j} + xn + h${j} * i32(W4);`, "      ")}
      for (var q = 0u; q < Wo4; q++) {
        let c = i32(q) + ${seg.v0}i;
${eachRow((i) => `let a${i} = DY[r${i} + ky + q];`, "        ")}
${eachCol((j) => seg.loads(j, "X", `rb${j} + c`, "c", `u32(h${j}) < p.H`, "W4", "        "), "")}
${
    eachCol(
      (j) => range(KW).map((kw) => `let t${j}_${kw} = ${seg.tap(j, kw)};`).join("\n        "),
      "        ",
    )
  }
${allTaps((i, j, kw) => `acc${i}_${j}_${kw} += dot(a${i}, t${j}_${kw});`, "        ")}
      }
    }
  }
${
    allTaps(
      (i, j, kw) =>
        `if (${row(i)} < p.Cog && ${col(j)} < NC) { ` +
        `P[(s * p.Cout + g * p.Cog + rr${i}) * Kg + cc${j} * ${KW}u + ${kw}u] = acc${i}_${j}_${kw}; }`,
      "  ",
    )
  }
}`;
}

/**
 * The WGSL of a direct pass: one output element per invocation of a 1-D grid. Forward: outputs of the
 * chunk in NCHW order; input: input elements of the chunk (`stride` baked in); filter: (split, weight
 * element) with the weight element fastest, writing partials like the GEMM filter pass.
 *
 * @example
 * ```ts
 * import { convDirectWgsl } from "./conv_wgsl.ts";
 * console.log(convDirectWgsl("filter").includes("P[i] = acc;")); // true
 * ```
 */
export function convDirectWgsl(pass: ConvPass, stride: readonly [number, number] = [1, 1]): string {
  const head = `${PRELUDE}
${STRUCT}
${bindings(pass)}
${MAIN_1D}
  if (i >= p.n) { return; }
  let HW = p.H * p.W;
  let HoWo = p.Ho * p.Wo;
  let Kg = p.Cig * p.KH * p.KW;
  var acc = 0.0;`;
  if (pass === "forward") {
    return `${head}
  let q = i % HoWo;
  let co = (i / HoWo) % p.Cout;
  let nn = i / (HoWo * p.Cout);
  let g = co / p.Cog;
  let ih0 = i32((q / p.Wo) * p.sh) - i32(p.ph);
  let iw0 = i32((q % p.Wo) * p.sw) - i32(p.pw);
  var xb = i32(p.xoff + (nn * p.Cin + g * p.Cig) * HW);
  var k = co * Kg;
  for (var ci = 0u; ci < p.Cig; ci++) {
    for (var kh = 0u; kh < p.KH; kh++) {
      let ih = ih0 + i32(kh * p.dh);
      let hv = u32(ih) < p.H;
      for (var kw = 0u; kw < p.KW; kw++) {
        let iw = iw0 + i32(kw * p.dw);
        acc = fma(Wt[k], ${guarded("X", "xb + ih * i32(p.W) + iw", "hv && u32(iw) < p.W")}, acc);
        k++;
      }
    }
    xb += i32(HW);
  }
  Y[p.yoff + i] = acc + select(0.0, bias[co], p.hasBias != 0u);
}`;
  }
  if (pass === "input") {
    return `const SH = ${stride[0]}i;
const SW = ${stride[1]}i;
${head}
  let q = i % HW;
  let c = (i / HW) % p.Cin;
  let nn = i / (HW * p.Cin);
  let g = c / p.Cig;
  let th = i32(q / p.W + p.ph);
  let tw = i32(q % p.W + p.pw);
  let KK = p.KH * p.KW;
  var yb = i32(p.yoff + (nn * p.Cout + g * p.Cog) * HoWo);
  var k = g * p.Cog * Kg + (c % p.Cig) * KK;
  for (var co = 0u; co < p.Cog; co++) {
    for (var kh = 0u; kh < p.KH; kh++) {
      let h = th - i32(kh * p.dh);
      let hv = h >= 0 && h % SH == 0 && h / SH < i32(p.Ho);
      for (var kw = 0u; kw < p.KW; kw++) {
        let v = tw - i32(kw * p.dw);
        let ok = hv && v >= 0 && v % SW == 0 && v / SW < i32(p.Wo);
        acc = fma(Wt[k + kh * p.KW + kw], ${guarded("DY", "yb + (h / SH) * i32(p.Wo) + v / SW", "ok")}, acc);
      }
    }
    yb += i32(HoWo);
    k += Kg;
  }
  DX[p.xoff + i] = acc;
}`;
  }
  return `${head}
  let E = p.Cout * Kg;
  let e = i % E;
  let s = i / E;
  let co = e / Kg;
  let ci = (e % Kg) / (p.KH * p.KW);
  let kh = (e % (p.KH * p.KW)) / p.KW;
  let kw = e % p.KW;
  let g = co / p.Cog;
  let ho = i32(kh * p.dh) - i32(p.ph);
  let wo = i32(kw * p.dw) - i32(p.pw);
  let n1 = min(p.nb, (s + 1u) * p.per);
  for (var nn = s * p.per; nn < n1; nn++) {
    let xb = i32(p.xoff + (nn * p.Cin + g * p.Cig + ci) * HW);
    let yb = p.yoff + (nn * p.Cout + co) * HoWo;
    for (var oh = 0u; oh < p.Ho; oh++) {
      let h = i32(oh * p.sh) + ho;
      if (u32(h) >= p.H) { continue; }
      for (var ow = 0u; ow < p.Wo; ow++) {
        let v = i32(ow * p.sw) + wo;
        acc = fma(DY[yb + oh * p.Wo + ow], ${guarded("X", "xb + h * i32(p.W) + v", "u32(v) < p.W")}, acc);
      }
    }
  }
  P[i] = acc;
}`;
}

/**
 * `out[e] = (accumulate ? out[e] : 0) + Σ_{s < S} P[s·E + e]` for e < E, summed in order s = 0, 1, …:
 * combines the partials of the filter pass and of the bias gradient. Params: E, S, accumulate.
 *
 * @example
 * ```ts
 * import { partialSumWgsl } from "./conv_wgsl.ts";
 * console.log(partialSumWgsl().includes("P[s * p.E + i]")); // true
 * ```
 */
export function partialSumWgsl(): string {
  return `${PRELUDE}
struct Params { E: u32, S: u32, accumulate: u32 }
@group(0) @binding(0) var<uniform> p: Params;
${storage(1, "P")}
${storage(2, "out", "f32", true)}
${MAIN_1D}
  if (i >= p.E) { return; }
  var acc = select(0.0, out[i], p.accumulate != 0u);
  for (var s = 0u; s < p.S; s++) { acc += P[s * p.E + i]; }
  out[i] = acc;
}`;
}

/**
 * `P[r] = Σ_{q < L} x[off + r·L + q]` for r < R: the sum over each plane of dy (per sample and channel),
 * the first step of the bias gradient. Params: R, L, off.
 *
 * @example
 * ```ts
 * import { rowSumWgsl } from "./conv_wgsl.ts";
 * console.log(rowSumWgsl().includes("p.off + i * p.L")); // true
 * ```
 */
export function rowSumWgsl(): string {
  return `${PRELUDE}
struct Params { R: u32, L: u32, off: u32 }
@group(0) @binding(0) var<uniform> p: Params;
${storage(1, "x")}
${storage(2, "P", "f32", true)}
${MAIN_1D}
  if (i >= p.R) { return; }
  var acc = 0.0;
  let b = p.off + i * p.L;
  for (var q = 0u; q < p.L; q++) { acc += x[b + q]; }
  P[i] = acc;
}`;
}
