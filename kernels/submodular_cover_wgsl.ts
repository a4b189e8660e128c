/**
 * The WGSL of facility location over the dense cosines with every gain kept exact from step to step
 * (`submodular.ts`, "coverage deltas"). A gain g(c) = Σ_i max(0, s(i, c) − cur_i) changes after a pick p
 * only through the rows whose coverage p raised (s(i, p) > cur_i), each by
 *
 *   − max(0, min(s(i, c), new_i) − old_i),
 *
 * so a step reads |raised| rows of the matrix, not the m rows per evaluated candidate a lazy step reads.
 * Raised rows are few once a few picks are in (each row is raised when the new pick is its most similar one
 * so far: ~m/t rows at step t on spread-out data, ~m·ln k over a run).
 *
 * Gains are sums of many terms, kept as unevaluated pairs (G, E) — the float32 sum and its rounding error
 * (TwoSum) — so that the running subtraction of deltas stays as accurate as one fresh float32 sum.
 *
 * The raised rows of a step are listed in chunks of `COVER_CHUNK` rows: chunk q's entries (row, old, new;
 * the floats as bits) at raised[q·L …] (L ≤ `COVER_CHUNK`), their number in count[q]; rows and their order are fixed by the data, so the
 * run is deterministic.
 *
 * @module
 */

import { bindings, COMMON, LAST_PICK } from "./submodular_common_wgsl.ts";
import { MAIN_1D } from "./prelude_wgsl.ts";
import type { CheapGain } from "./submodular_wgsl.ts";

/**
 * The gain kept by `coverGainsWgsl`, for the cheap-gain kernels: G[c] + E[c].
 *
 * @example
 * ```ts
 * import { COVER_FACILITY } from "./submodular_cover_wgsl.ts";
 * console.log(COVER_FACILITY.body); // return G[c] + E[c];
 * ```
 */
export const COVER_FACILITY: CheapGain = {
  params: "",
  buffers: [["G", "f32"], ["E", "f32"]],
  body: "return G[c] + E[c];",
};

/**
 * Most rows per chunk of the raised-rows list (and of the first gains' partial sums); the chunk actually
 * used, `p.L`, also divides every dense window's row count.
 *
 * @example
 * ```ts
 * import { COVER_CHUNK } from "./submodular_cover_wgsl.ts";
 * console.log(COVER_CHUNK); // 64
 * ```
 */
export const COVER_CHUNK = 64;

/** Candidates per invocation of `coverGainsWgsl`. */
export const COVER_CANDIDATES = 16;

/**
 * After a pick: from the dense window of rows [r0, r0 + rows), if it holds the pick's row, invocation q
 * raises cur_i to s(i, pick) where that is larger for the rows of chunk q, listing (row, old, new) in order.
 *
 * @example
 * ```ts
 * import { coverRaiseWgsl } from "./submodular_cover_wgsl.ts";
 * console.log(coverRaiseWgsl.includes("count[i] = n")); // true
 * ```
 */
export const coverRaiseWgsl: string = /* wgsl */ `${COMMON}
struct Params { m: u32, r0: u32, rows: u32, chunks: u32, L: u32 }
@group(0) @binding(0) var<uniform> p: Params;
${
  bindings([["S", "f32"], ["state", "u32"], ["cur", "f32", true], ["raised", "vec4<u32>", true], [
    "count",
    "u32",
    true,
  ]])
}
${LAST_PICK}
${MAIN_1D}
  let c = lastPick();
  if (i >= p.chunks || c < p.r0 || c >= p.r0 + p.rows) { return; }
  let base = (c - p.r0) * p.m;
  let start = i * p.L;
  let end = min(start + p.L, p.m);
  var n = 0u;
  for (var row = start; row < end; row++) {
    let v = fma(0.5, S[base + row], 0.5);
    let old = cur[row];
    if (v > old) {
      raised[start + n] = vec4(row, bitcast<u32>(old), bitcast<u32>(v), 0u);
      cur[row] = v;
      n++;
    }
  }
  count[i] = n;
}`;

/**
 * After `coverRaiseWgsl`: invocation q moves chunk q's entries to flat[offsets[q] …], offsets[q] = the
 * entries of the chunks before it (offsets[chunks] = all of them), so that the gains loop over one list.
 *
 * @example
 * ```ts
 * import { coverCompactWgsl } from "./submodular_cover_wgsl.ts";
 * console.log(coverCompactWgsl.includes("offsets[q + 1u]")); // true
 * ```
 */
export const coverCompactWgsl: string = /* wgsl */ `${COMMON}
struct Params { chunks: u32, L: u32 }
@group(0) @binding(0) var<uniform> p: Params;
${
  bindings([["raised", "vec4<u32>"], ["count", "u32"], ["flat", "vec4<u32>", true], ["offsets", "u32", true]])
}
${MAIN_1D}
  let q = i;
  if (q >= p.chunks) { return; }
  var off = 0u;
  for (var j = 0u; j < q; j++) { off += count[j]; }
  let n = count[q];
  offsets[q] = off;
  if (q + 1u == p.chunks) { offsets[q + 1u] = off + n; }
  for (var k = 0u; k < n; k++) { flat[off + k] = raised[q * p.L + k]; }
}`;

/**
 * Gains of `COVER_CANDIDATES` consecutive candidates per invocation (as vec4s when m % 4 = 0) from the
 * dense window of rows [r0, r0 + rows), read along rows (the matrix is symmetric). `init`: the first gains
 * Σ_i s(i, c) (the first window sets G, E, later ones add); else G, E −= the deltas of the raised rows
 * flat[offsets[q0] … offsets[q1]) (the window's chunks). Every term is added exactly into a TwoSum pair,
 * so gains that are equal in real arithmetic come out as equal floats. Loads past the last candidate are
 * clamped to it (no branch in the loop), stores skipped.
 *
 * @example
 * ```ts
 * import { coverGainsWgsl } from "./submodular_cover_wgsl.ts";
 * console.log(coverGainsWgsl(true, false).includes("two_sum")); // true
 * ```
 */
export function coverGainsWgsl(vec4: boolean, init: boolean): string {
  const T = vec4 ? "vec4<f32>" : "f32";
  const W = vec4 ? 4 : 1, groups = COVER_CANDIDATES / W;
  const all = (body: (g: number) => string) =>
    Array.from({ length: groups }, (_, g) => body(g)).join("\n    ");
  const sim = (g: number) => `fma(${T}(0.5), S[at + c${g}], ${T}(0.5))`;
  const loop = init
    ? `for (var row = p.r0; row < p.r0 + p.rows; row++) {
      let at = (row - p.r0) * cols;
      ${all((g) => `a${g} = two_sum(a${g}, ${sim(g)}, &b${g});`)}
    }
    ${all((g) => `g${g} = two_sum(g${g}, a${g}, &e${g}); e${g} += b${g};`)}`
    : `for (var k = offsets[p.q0]; k < offsets[p.q1]; k++) {
      let u = flat[k];
      let at = (u.x - p.r0) * cols;
      let old = ${T}(bitcast<f32>(u.y));
      let raisedTo = ${T}(bitcast<f32>(u.z));
      ${all((g) => `a${g} = drop(a${g}, ${sim(g)}, raisedTo, old, &b${g});`)}
    }
    ${all((g) => `g${g} = two_sum(g${g}, -a${g}, &e${g}); e${g} -= b${g};`)}`;
  const list: [string, string, boolean?][] = init ? [] : [["flat", "vec4<u32>"], ["offsets", "u32"]];
  return /* wgsl */ `${COMMON}
struct Params { m: u32, r0: u32, rows: u32, q0: u32, q1: u32, first: u32, one: f32 }
@group(0) @binding(0) var<uniform> p: Params;
${bindings([["S", T], ...list, ["G", T, true], ["E", T, true]])}
// Knuth's TwoSum: a + b = s + e exactly. The products with p.one (= 1) keep shader compilers, which may
// treat float arithmetic as associative, from simplifying the error term to 0.
fn two_sum(a: ${T}, b: ${T}, e: ptr<function, ${T}>) -> ${T} {
  let s = (a + b) * p.one;
  let bb = (s - a) * p.one;
  *e += (a - (s - bb)) + (b - bb);
  return s;
}
// a + max(0, min(s, raisedTo) − old), the difference itself exact as a TwoSum pair (e gets its error).
fn drop(a: ${T}, s: ${T}, raisedTo: ${T}, old: ${T}, e: ptr<function, ${T}>) -> ${T} {
  let hi = min(s, raisedTo);
  var lo = ${T}(0.0);
  let d = two_sum(hi, -old, &lo);
  let keep = d > ${T}(0.0);
  *e += select(${T}(0.0), lo, keep);
  return two_sum(a, select(${T}(0.0), d, keep), e);
}
${MAIN_1D}
  let cols = p.m / ${W}u;
  let first = i * ${groups}u;
  if (first >= cols) { return; }
  ${all((g) => `let c${g} = min(first + ${g}u, cols - 1u);`)}
  ${all((g) => `var g${g} = ${T}(0.0); var e${g} = ${T}(0.0); var a${g} = ${T}(0.0); var b${g} = ${T}(0.0);`)}
  if (p.first == 0u) {
    ${all((g) => `g${g} = G[c${g}]; e${g} = E[c${g}];`)}
  }
  ${loop}
  ${all((g) => `if (first + ${g}u < cols) { G[c${g}] = g${g}; E[c${g}] = e${g}; }`)}
}`;
}
