/**
 * Greedy-selection steps that run entirely on the GPU, so a whole greedy run is recorded into one pass:
 * the loop state (step counter and picks) lives in a storage buffer `state` = [step, pick_0, pick_1, …],
 * every step's dispatches are the same prepared bind groups, and nothing is read back until the end.
 *
 * - `argmaxPartialWgsl` / `argmaxCommitWgsl`: the pick of a step, argmax of a score vector (ties → lowest
 *   index) in two passes (per-chunk, then over chunks), committed by appending it to `state` and marking it
 *   taken (score −1 for distances, −∞ for gains) so it is never picked again.
 * - `fetchRowWgsl`: copies the newest pick's feature row into a small buffer, so that the update kernels can
 *   read it even when the features are bound window by window.
 * - `nearestUpdateWgsl`: farthest-first traversal's update, nearest[i] = min(nearest[i], dist(x_i, centre)).
 *
 * @module
 */

import { MAIN_1D, PRELUDE } from "./prelude_wgsl.ts";

/** Distances the farthest-first update knows. */
export type FarthestMetric = "sqeuclidean" | "symkl";

/** Per-chunk argmax of `values[0..n)`: partial value and index per invocation (ties → lowest index). */
export const argmaxPartialWgsl: string = /* wgsl */ `${PRELUDE}
struct Params { n: u32, chunk: u32, parts: u32 }
@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read> values: array<f32>;
@group(0) @binding(2) var<storage, read_write> partVal: array<f32>;
@group(0) @binding(3) var<storage, read_write> partIdx: array<u32>;
${MAIN_1D}
  if (i >= p.parts) { return; }
  let start = i * p.chunk;
  let end = min(start + p.chunk, p.n);
  var best = -3.4e38;
  var at = 0xffffffffu;
  for (var j = start; j < end; j++) {
    let v = values[j];
    if (v > best || at == 0xffffffffu) { best = v; at = j; }
  }
  partVal[i] = best;
  partIdx[i] = at;
}`;

/**
 * One invocation: the argmax over the partials (ties → lowest index, as partials are in index order),
 * appended to `state`, and its value set to `taken` so it is never picked again.
 */
export const argmaxCommitWgsl: string = /* wgsl */ `
struct Params { parts: u32, taken: f32 }
@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read> partVal: array<f32>;
@group(0) @binding(2) var<storage, read> partIdx: array<u32>;
@group(0) @binding(3) var<storage, read_write> state: array<u32>;
@group(0) @binding(4) var<storage, read_write> values: array<f32>;
@compute @workgroup_size(1)
fn main() {
  var best = partVal[0];
  var at = partIdx[0];
  for (var j = 1u; j < p.parts; j++) {
    if (partIdx[j] != 0xffffffffu && (partVal[j] > best || at == 0xffffffffu)) {
      best = partVal[j];
      at = partIdx[j];
    }
  }
  let step = state[0] + 1u;
  state[0] = step;
  state[1u + step] = at;
  values[at] = p.taken;
}`;

/** Copies row `state[1 + state[0]]` of the window of `rows` rows starting at row `base` into `row`. */
export const fetchRowWgsl: string = /* wgsl */ `${PRELUDE}
struct Params { d: u32, base: u32, rows: u32, skip: u32 }
@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read> x: array<f32>;
@group(0) @binding(2) var<storage, read> state: array<u32>;
@group(0) @binding(3) var<storage, read_write> row: array<f32>;
${MAIN_1D}
  let pick = state[1u + state[0]];
  if (i >= p.d || pick < p.base || pick >= p.base + p.rows) { return; }
  row[i] = x[p.skip + (pick - p.base) * p.d + i];
}`;

/**
 * For the window of `rows` rows starting at row `base`: nearest[base + i] = min(nearest, dist(x_i, row)),
 * skipping picked rows (nearest < 0). "symkl" is ½Σ(a−b)(ln a − ln b) with both clamped to ≥ eps. With
 * `vec4` (d % 4 == 0, `d` and `skip` then counted in vec4s) each lane loads 16 bytes at a time: the lanes of
 * one SIMD instruction read different rows, so on llvmpipe every load is a gather and fewer, wider ones
 * are faster.
 */
export function nearestUpdateWgsl(metric: FarthestMetric, vec4: boolean): string {
  const T = vec4 ? "vec4<f32>" : "f32";
  const term = metric === "sqeuclidean"
    ? (vec4 ? "let t = a - b; s += dot(t, t);" : "let t = a - b; s = fma(t, t, s);")
    : `let ca = max(a, ${T}(p.eps)); let cb = max(b, ${T}(p.eps)); s += ${
      vec4 ? "dot(ca - cb, log(ca) - log(cb))" : "(ca - cb) * (log(ca) - log(cb))"
    };`;
  const total = metric === "sqeuclidean" ? "s" : "0.5 * s";
  return /* wgsl */ `${PRELUDE}
struct Params { d: u32, base: u32, rows: u32, skip: u32, eps: f32 }
@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read> x: array<${T}>;
@group(0) @binding(2) var<storage, read> row: array<${T}>;
@group(0) @binding(3) var<storage, read_write> nearest: array<f32>;
${MAIN_1D}
  if (i >= p.rows) { return; }
  let g = p.base + i;
  let current = nearest[g];
  if (current < 0.0) { return; }
  var s = 0.0;
  let at = p.skip + i * p.d;
  for (var k = 0u; k < p.d; k++) {
    let a = x[at + k];
    let b = row[k];
    ${term}
  }
  nearest[g] = min(current, ${total});
}`;
}

/** The value that marks a taken candidate in a gain vector (below every real gain). */
export const TAKEN = -3.4e38;

/**
 * Herding's score for the window of `rows` rows at row `base`: values[g] = −‖x_i − goal‖² (so the argmax
 * is the nearest), leaving taken candidates (values ≤ TAKEN) alone. `vec4` as in `nearestUpdateWgsl`.
 */
export function herdingScoreWgsl(vec4: boolean): string {
  const T = vec4 ? "vec4<f32>" : "f32";
  return /* wgsl */ `${PRELUDE}
struct Params { d: u32, base: u32, rows: u32, skip: u32 }
@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read> x: array<${T}>;
@group(0) @binding(2) var<storage, read> goal: array<${T}>;
@group(0) @binding(3) var<storage, read_write> values: array<f32>;
${MAIN_1D}
  if (i >= p.rows) { return; }
  let g = p.base + i;
  if (values[g] <= ${TAKEN}) { return; }
  var s = 0.0;
  let at = p.skip + i * p.d;
  for (var k = 0u; k < p.d; k++) {
    let t = x[at + k] - goal[k];
    s += ${vec4 ? "dot(t, t)" : "t * t"};
  }
  values[g] = -s;
}`;
}

/** Herding's goal after a pick: goal += mean − row (target_t = (t+1)·mean − Σ kept rows). */
export const herdingTargetWgsl: string = /* wgsl */ `${PRELUDE}
struct Params { d: u32 }
@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read> mean: array<f32>;
@group(0) @binding(2) var<storage, read> row: array<f32>;
@group(0) @binding(3) var<storage, read_write> goal: array<f32>;
${MAIN_1D}
  if (i >= p.d) { return; }
  goal[i] += mean[i] - row[i];
}`;
