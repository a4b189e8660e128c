/**
 * Gather and scatter kernels. Elements are moved as u32 words, so one shader serves float32, int32 and bool
 * tensors and every bit pattern (NaN payloads included) is copied unchanged.
 *
 * Gather: one invocation per output element of [outer, K, inner]. Scatter is made deterministic without
 * atomics: the (index, k) pairs are sorted by a bitonic network (one compare-exchange step per dispatch,
 * registers only: workgroup memory compiles for tens of seconds on llvmpipe), then one invocation per
 * target element binary-searches its row's run of pairs and takes the last value (replace) or adds them
 * in increasing k (add) — the same result on every adapter and every run.
 *
 * Inputs larger than one storage binding are bound a window at a time: `w0`/`w1` (gather) and `vw0`/`vw1`
 * (scatter) bound the source window; an invocation whose source element lies outside it writes nothing in
 * that dispatch (the dispatch of the window that holds it does). `u0` is the first output element of the
 * bound output window.
 *
 * @module
 */

import { MAIN_1D, PRELUDE } from "./prelude_wgsl.ts";

/**
 * `ys[e] = xs[(o·A + idx[k])·inner + j]` for e = (o·K + k)·inner + j; an index outside [0, A) gives 0
 * (written by the dispatch with `zero` = 1).
 *
 * @example
 * ```ts
 * import { gatherWgsl } from "./gather_wgsl.ts";
 * console.log(gatherWgsl().includes("var<storage, read> idx: array<i32>")); // true
 * ```
 */
export function gatherWgsl(): string {
  return /* wgsl */ `${PRELUDE}
struct Params { n: u32, u0: u32, A: u32, K: u32, inner: u32, w0: u32, w1: u32, zero: u32 }
@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read> xs: array<u32>;
@group(0) @binding(2) var<storage, read> idx: array<i32>;
@group(0) @binding(3) var<storage, read_write> ys: array<u32>;
${MAIN_1D}
  if (i >= p.n) { return; }
  let e = p.u0 + i;
  let j = e % p.inner;
  let t = e / p.inner;
  let a = idx[t % p.K];
  if (a >= 0 && u32(a) < p.A) {
    let src = ((t / p.K) * p.A + u32(a)) * p.inner + j;
    if (src >= p.w0 && src < p.w1) { ys[i] = xs[src - p.w0]; }
  } else if (p.zero != 0u) {
    ys[i] = 0u;
  }
}`;
}

/**
 * The pairs to sort: `keys[q] = (idx[q], q)` for q < K with idx[q] in [0, N), else `(0xffffffff, q)` —
 * sorted after every real pair, so out-of-range indices and the padding up to P = 2^p are ignored.
 *
 * @example
 * ```ts
 * import { scatterKeysWgsl } from "./gather_wgsl.ts";
 * console.log(scatterKeysWgsl().includes("0xffffffffu")); // true
 * ```
 */
export function scatterKeysWgsl(): string {
  return /* wgsl */ `${PRELUDE}
struct Params { P: u32, K: u32, N: u32 }
@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read> idx: array<i32>;
@group(0) @binding(2) var<storage, read_write> keys: array<vec2<u32>>;
${MAIN_1D}
  if (i >= p.P) { return; }
  var key = 0xffffffffu;
  if (i < p.K) {
    let a = idx[i];
    if (a >= 0 && u32(a) < p.N) { key = u32(a); }
  }
  keys[i] = vec2<u32>(key, i);
}`;
}

/**
 * One step (stage `k`, stride `j`) of the bitonic network over P pairs, one invocation per compared pair;
 * pairs order as (key, position), all distinct, so the sorted order is fully determined.
 *
 * @example
 * ```ts
 * import { bitonicStepWgsl } from "./gather_wgsl.ts";
 * console.log(bitonicStepWgsl().includes("fn less")); // true
 * ```
 */
export function bitonicStepWgsl(): string {
  return /* wgsl */ `${PRELUDE}
struct Params { half: u32, j: u32, k: u32 }
@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read_write> keys: array<vec2<u32>>;
fn less(a: vec2<u32>, b: vec2<u32>) -> bool { return a.x < b.x || (a.x == b.x && a.y < b.y); }
${MAIN_1D}
  if (i >= p.half) { return; }
  let lo = 2u * p.j * (i / p.j) + i % p.j;
  let hi = lo + p.j;
  let a = keys[lo];
  let b = keys[hi];
  if (less(b, a) == ((lo & p.k) == 0u)) {
    keys[lo] = b;
    keys[hi] = a;
  }
}`;
}

/**
 * Per target element (row, c): the run [lo, hi) of sorted pairs whose key is `row`, found by binary search;
 * `mode` 0 writes the value of the last pair (largest k), 1 adds the values as f32 in increasing k, 2 as
 * i32. `out` already holds the target (or the sum so far, for a later values window).
 *
 * @example
 * ```ts
 * import { scatterApplyWgsl } from "./gather_wgsl.ts";
 * console.log(scatterApplyWgsl().includes("fn lower_bound")); // true
 * ```
 */
export function scatterApplyWgsl(): string {
  return /* wgsl */ `${PRELUDE}
struct Params { n: u32, u0: u32, D: u32, P: u32, vw0: u32, vw1: u32, mode: u32 }
@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read> keys: array<vec2<u32>>;
@group(0) @binding(2) var<storage, read> vals: array<u32>;
@group(0) @binding(3) var<storage, read_write> out: array<u32>;
fn lower_bound(v: u32) -> u32 {
  var lo = 0u;
  var hi = p.P;
  while (lo < hi) {
    let mid = (lo + hi) / 2u;
    if (keys[mid].x < v) { lo = mid + 1u; } else { hi = mid; }
  }
  return lo;
}
${MAIN_1D}
  if (i >= p.n) { return; }
  let e = p.u0 + i;
  let row = e / p.D;
  let c = e % p.D;
  let lo = lower_bound(row);
  let hi = lower_bound(row + 1u);
  if (hi == lo) { return; }
  if (p.mode == 0u) {
    let src = keys[hi - 1u].y * p.D + c;
    if (src >= p.vw0 && src < p.vw1) { out[i] = vals[src - p.vw0]; }
    return;
  }
  var f = bitcast<f32>(out[i]);
  var n = bitcast<i32>(out[i]);
  for (var q = lo; q < hi; q++) {
    let src = keys[q].y * p.D + c;
    if (src >= p.vw0 && src < p.vw1) {
      f += bitcast<f32>(vals[src - p.vw0]);
      n += bitcast<i32>(vals[src - p.vw0]);
    }
  }
  out[i] = select(bitcast<u32>(n), bitcast<u32>(f), p.mode == 1u);
}`;
}
