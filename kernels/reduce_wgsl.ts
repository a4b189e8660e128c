/**
 * Reduction kernels over an input viewed as [outer, R, inner]. One shader does every pass: an invocation
 * owns one output slot (o, s, j) and walks its share of the reduced axis sequentially — r = r0 + s,
 * r0 + s + S, … (strided, so that neighbouring invocations read neighbouring addresses on a GPU) — with no
 * workgroup memory (it compiles for tens of seconds on llvmpipe). S = 1 gives one result per (o, j); S > 1
 * writes S partial results per (o, j) that a further pass of the same family combines.
 *
 * Params (one dispatch covers outputs o ∈ [o0, o0+no), j ∈ [j0, j0+nj), reads rows r ∈ [r0, r0+rlen)):
 * `n` = no·S·nj invocations; `xbase`/`obase` are the first elements of the bound input/output windows (a
 * binding holds at most maxStorageBufferBindingSize bytes, so large inputs are bound a window at a time);
 * `accumulate` = 1 starts from the value already in the output (a window continuing a previous one);
 * `div` divides the result (the mean's R, else 1); `init` is the op's identity (±inf passed as a param:
 * a non-finite constant is a shader-creation error in WGSL).
 *
 * NaN: sum/mean propagate it arithmetically; max/min/argmax/argmin treat NaN as beating every number, so
 * the result is NaN (or the index of the first NaN), like numpy. NaN is detected by its bits, never by
 * `v != v`, which some shader compilers fold to false.
 *
 * @module
 */

import { MAIN_1D, PRELUDE } from "./prelude_wgsl.ts";

/** The shader families: `sum` also serves the mean (via `div`). */
export type ReduceKind = "sum" | "max" | "min" | "argmax" | "argmin";

/**
 * The reduction shader of `kind`. `input` is the element type of the values read (`i32` for int32/bool
 * tensors, converted to f32). For arg kinds, `combine` reads (value, index) partials — bindings 1 and 2 —
 * instead of taking the index from the position; they write values and indices (bindings k, k+1).
 *
 * @example
 * ```ts
 * import { reduceWgsl } from "./reduce_wgsl.ts";
 * console.log(reduceWgsl("argmax", "f32", true).includes("var<storage, read> xi")); // true
 * ```
 */
export function reduceWgsl(kind: ReduceKind, input: "f32" | "i32" = "f32", combine = false): string {
  const arg = kind === "argmax" || kind === "argmin";
  const cmp = kind === "max" || kind === "argmax" ? ">" : "<";
  const out = arg && combine ? 3 : 2;
  const load = input === "i32" ? "f32(xs[at])" : "xs[at]";
  const step = kind === "sum" ? "acc += v;" : arg
    ? `let ri = ${combine ? "bitcast<u32>(xi[at])" : "r"};
    if (better(v, acc) || (same(v, acc) && ri < best)) { acc = v; best = ri; }`
    : "if (better(v, acc)) { acc = v; }";
  return /* wgsl */ `${PRELUDE}
struct Params { n: u32, R: u32, inner: u32, S: u32, o0: u32, r0: u32, rlen: u32, xbase: u32,
  obase: u32, j0: u32, nj: u32, accumulate: u32, div: f32, init: f32 }
@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read> xs: array<${input}>;
${arg && combine ? "@group(0) @binding(2) var<storage, read> xi: array<i32>;" : ""}
@group(0) @binding(${out}) var<storage, read_write> ys: array<f32>;
${arg ? `@group(0) @binding(${out + 1}) var<storage, read_write> yi: array<i32>;` : ""}
fn is_nan(v: f32) -> bool { return (bitcast<u32>(v) & 0x7fffffffu) > 0x7f800000u; }
fn better(v: f32, b: f32) -> bool { return !is_nan(b) && (is_nan(v) || v ${cmp} b); }
fn same(v: f32, b: f32) -> bool {
  return (is_nan(v) && is_nan(b)) || (!is_nan(v) && !is_nan(b) && v == b);
}
${MAIN_1D}
  if (i >= p.n) { return; }
  let j = p.j0 + i % p.nj;
  let t = i / p.nj;
  let s = t % p.S;
  let o = p.o0 + t / p.S;
  let slot = (o * p.S + s) * p.inner + j - p.obase;
  var acc = p.init;
  var best = 0xffffffffu;
  if (p.accumulate != 0u) {
    acc = ys[slot];${arg ? "\n    best = bitcast<u32>(yi[slot]);" : ""}
  }
  let end = p.r0 + p.rlen;
  for (var r = p.r0 + s; r < end; r += p.S) {
    let at = (o * p.R + r) * p.inner + j - p.xbase;
    let v = ${load};
    ${step}
  }
  ys[slot] = acc / p.div;${arg ? "\n  yi[slot] = bitcast<i32>(best);" : ""}
}`;
}
