/**
 * Softmax kernels along the last axis of an input viewed as [rows, C]: per-row statistics, then
 * elementwise outputs. Rows are short in practice (C = classes), so each row's statistics take one
 * invocation and one pass over the row with the online softmax recurrence (Milakov & Gimelshein 2018):
 * the running max m and the sum s of exp(x − m), rescaled when m grows — numerically stable, one read. The
 * outputs then take one invocation per element, which keeps the big pass fully parallel and coalesced.
 *
 * Every kernel works on a window of rows [row0, row0 + n) of inputs bound by byte ranges (one binding
 * holds at most 128 MiB); `xbase`, `sbase`, `rbase`, `obase` are the first elements of the bound windows of
 * the logits, the statistics (vec2), the per-row arrays (labels, weights, losses) and the output.
 *
 * @module
 */

import { MAIN_1D, PRELUDE } from "./prelude_wgsl.ts";

/** `row_stats(start)`: (max, Σ exp(x − max)) of xs[start .. start + p.C). NaN anywhere makes s NaN. */
const ROW_STATS = /* wgsl */ `
fn row_stats(start: u32) -> vec2<f32> {
  var m = xs[start];
  var s = 1.0;
  for (var c = 1u; c < p.C; c++) {
    let v = xs[start + c];
    if (v > m) {
      s = s * exp(m - v) + 1.0;
      m = v;
    } else {
      s += exp(v - m);
    }
  }
  return vec2<f32>(m, s);
}`;

/**
 * `stats[row] = (max, Σ exp(x − max))` for each row of the window.
 *
 * @example
 * ```ts
 * import { softmaxStatsWgsl } from "./softmax_wgsl.ts";
 * console.log(softmaxStatsWgsl().includes("fn row_stats")); // true
 * ```
 */
export function softmaxStatsWgsl(): string {
  return /* wgsl */ `${PRELUDE}
struct Params { n: u32, C: u32, row0: u32, xbase: u32, sbase: u32 }
@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read> xs: array<f32>;
@group(0) @binding(2) var<storage, read_write> stats: array<vec2<f32>>;
${ROW_STATS}
${MAIN_1D}
  if (i >= p.n) { return; }
  let row = p.row0 + i;
  stats[row - p.sbase] = row_stats(row * p.C - p.xbase);
}`;
}

/**
 * `y = exp(x − m) / s` (softmax) or `y = (x − m) − log s` (log-softmax, `p.log` = 1) per element of the
 * window; `x − m` first, so that a large common offset cancels exactly before anything is rounded.
 *
 * @example
 * ```ts
 * import { softmaxApplyWgsl } from "./softmax_wgsl.ts";
 * console.log(softmaxApplyWgsl().includes("log(st.y)")); // true
 * ```
 */
export function softmaxApplyWgsl(): string {
  return /* wgsl */ `${PRELUDE}
struct Params { n: u32, C: u32, row0: u32, xbase: u32, sbase: u32, obase: u32, log: u32 }
@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read> xs: array<f32>;
@group(0) @binding(2) var<storage, read> stats: array<vec2<f32>>;
@group(0) @binding(3) var<storage, read_write> ys: array<f32>;
${MAIN_1D}
  if (i >= p.n) { return; }
  let e = p.row0 * p.C + i;
  let st = stats[e / p.C - p.sbase];
  let d = xs[e - p.xbase] - st.x;
  if (p.log != 0u) {
    ys[e - p.obase] = d - log(st.y);
  } else {
    ys[e - p.obase] = exp(d) / st.y;
  }
}`;
}

/**
 * Per-row cross-entropy `loss = (log s − (x[label] − m)) · w`, one invocation per row; a label outside
 * [0, C) is never read and gives `p.nan`. Without weights (`has_w` = 0) the weights binding is a dummy.
 *
 * @example
 * ```ts
 * import { crossEntropyWgsl } from "./softmax_wgsl.ts";
 * console.log(crossEntropyWgsl().includes("var<storage, read> labels")); // true
 * ```
 */
export function crossEntropyWgsl(): string {
  return /* wgsl */ `${PRELUDE}
struct Params { n: u32, C: u32, row0: u32, xbase: u32, rbase: u32, has_w: u32, nan: f32 }
@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read> xs: array<f32>;
@group(0) @binding(2) var<storage, read> labels: array<i32>;
@group(0) @binding(3) var<storage, read> weights: array<f32>;
@group(0) @binding(4) var<storage, read_write> losses: array<f32>;
${ROW_STATS}
${MAIN_1D}
  if (i >= p.n) { return; }
  let row = p.row0 + i;
  let label = labels[row - p.rbase];
  var loss = p.nan;
  if (label >= 0 && u32(label) < p.C) {
    let start = row * p.C - p.xbase;
    let st = row_stats(start);
    loss = log(st.y) - (xs[start + u32(label)] - st.x);
  }
  if (p.has_w != 0u) { loss *= weights[row - p.rbase]; }
  losses[row - p.rbase] = loss;
}`;
}

/**
 * `dL/dx = (exp(x − m) / s − [c = label]) · w · scale` per element of the window; rows whose label is
 * outside [0, C) get `p.nan`.
 *
 * @example
 * ```ts
 * import { crossEntropyBackwardWgsl } from "./softmax_wgsl.ts";
 * console.log(crossEntropyBackwardWgsl().includes("p.scale")); // true
 * ```
 */
export function crossEntropyBackwardWgsl(): string {
  return /* wgsl */ `${PRELUDE}
struct Params { n: u32, C: u32, row0: u32, xbase: u32, sbase: u32, rbase: u32, obase: u32, has_w: u32,
  scale: f32, nan: f32 }
@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read> xs: array<f32>;
@group(0) @binding(2) var<storage, read> stats: array<vec2<f32>>;
@group(0) @binding(3) var<storage, read> labels: array<i32>;
@group(0) @binding(4) var<storage, read> weights: array<f32>;
@group(0) @binding(5) var<storage, read_write> grads: array<f32>;
${MAIN_1D}
  if (i >= p.n) { return; }
  let e = p.row0 * p.C + i;
  let row = e / p.C;
  let c = e % p.C;
  let label = labels[row - p.rbase];
  let st = stats[row - p.sbase];
  var g = exp(xs[e - p.xbase] - st.x) / st.y - select(0.0, 1.0, i32(c) == label);
  if (label < 0 || u32(label) >= p.C) { g = p.nan; }
  var k = p.scale;
  if (p.has_w != 0u) { k *= weights[row - p.rbase]; }
  grads[e - p.obase] = g * k;
}`;
}
