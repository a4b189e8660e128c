/**
 * Greedy selection loops recorded whole on the GPU (see `greedy_wgsl.ts` for the state layout): a run of
 * k picks is ~3k dispatches in one pass, with one readback at the end instead of one per step.
 *
 * @module
 */

import type * as tf from "npm:@tensorflow/tfjs-core@4.22.0";
import {
  argmaxCommitWgsl,
  argmaxPartialWgsl,
  type FarthestMetric,
  fetchRowWgsl,
  nearestUpdateWgsl,
} from "./greedy_wgsl.ts";
import { grid1d } from "./prelude_wgsl.ts";
import { f32, type PreparedDispatch } from "./runtime/recorder.ts";
import { runtime } from "./runtime/runtime.ts";
import { bufferOf, emptyTensor } from "./runtime/tensor.ts";
import { ALIGN, bindingElements, windowBinding } from "./runtime/window.ts";

/** Options of `farthestFirst`. */
export interface FarthestOptions {
  /** "sqeuclidean" (default) or "symkl": ½Σ(a−b)(ln a − ln b) on probability rows, clamped at `eps`. */
  metric?: FarthestMetric;
  /** Clamp for "symkl" (default 1e-12). */
  eps?: number;
  /** Largest binding in bytes (default: the device's); lowered by tests to exercise windows. */
  maxBindingBytes?: number;
}

/**
 * Farthest-first traversal of the rows of `x` [m, d] on the GPU: `first`, then repeatedly the row farthest
 * from its nearest pick (ties → lowest index). Keeps only a length-m nearest-distance vector. Returns the
 * k picks, in pick order, as an int32 tensor (recorded, not yet computed).
 *
 * @example
 * ```ts
 * import { ready } from "./runtime/runtime.ts";
 * import { readAll, upload } from "./runtime/tensor.ts";
 * import { farthestFirst } from "./greedy.ts";
 * await ready();
 * const x = upload(new Float32Array([0, 1, 5, 9]), [4, 1]);
 * console.log((await readAll([farthestFirst(x, 3, 1)]))[0]); // Int32Array [1, 3, 2]
 * ```
 */
export function farthestFirst(
  x: tf.Tensor,
  k: number,
  first: number,
  options: FarthestOptions = {},
): tf.Tensor {
  const [m, d] = x.shape as [number, number];
  if (x.rank !== 2) throw new RangeError(`farthestFirst: expected [m, d] features, got [${x.shape}]`);
  if (!Number.isInteger(k) || k < 0 || k > m) {
    throw new RangeError(`farthestFirst: budget ${k} not in 0..${m}`);
  }
  const picks = emptyTensor([k], "int32");
  if (k === 0) return picks;
  if (!Number.isInteger(first) || first < 0 || first >= m) {
    throw new RangeError(`farthestFirst: first pick ${first} not in 0..${m - 1}`);
  }
  const { recorder, pool, device } = runtime();
  const nearest = pool.acquire(4 * m);
  const init = new Float32Array(m).fill(Infinity);
  init[first] = -1;
  device.queue.writeBuffer(nearest, 0, init);
  const state = pool.acquire(4 * (k + 1));
  device.queue.writeBuffer(state, 0, Uint32Array.of(0, first));
  const row = pool.acquire(4 * d);
  const argmax = argmaxStep(nearest, m, state, -1);

  const X = bufferOf(x);
  const rowsPerWindow = Math.max(
    1,
    Math.floor((bindingElements(options.maxBindingBytes) - ALIGN) / Math.max(d, 1)),
  );
  const steps: PreparedDispatch[] = [];
  const updates: PreparedDispatch[] = [];
  const v = d % 4 === 0 ? 4 : 1; // vec4 loads when rows are whole vec4s
  const update = nearestUpdateWgsl(options.metric ?? "sqeuclidean", v === 4);
  for (let r0 = 0; r0 < m; r0 += rowsPerWindow) {
    const rows = Math.min(rowsPerWindow, m - r0);
    const w = windowBinding(X, r0 * d, (r0 + rows) * d);
    const skip = r0 * d - w.base;
    steps.push(recorder.prepare(fetchRowWgsl, grid1d(d), [d, r0, rows, skip], [w.binding, state, row]));
    const params = [d / v, r0, rows, skip / v, f32(options.eps ?? 1e-12)];
    updates.push(recorder.prepare(update, grid1d(rows), params, [w.binding, row, nearest]));
  }
  steps.push(...updates, ...argmax.dispatches);
  for (let t = 1; t < k; t++) for (const s of steps) recorder.record(s);

  recorder.copy(state, 4, bufferOf(picks), 0, 4 * k);
  recorder.release(...steps);
  for (const b of [nearest, state, row, ...argmax.buffers]) pool.release(b);
  return picks;
}

/**
 * The two dispatches of one greedy pick over `values[0..n)`: argmax (ties → lowest index), appended to
 * `state`, its value then set to `taken`. Returns the prepared dispatches and the scratch buffers to give
 * back after the last recording.
 */
export function argmaxStep(
  values: GPUBuffer,
  n: number,
  state: GPUBuffer,
  taken: number,
): { dispatches: PreparedDispatch[]; buffers: GPUBuffer[] } {
  const { recorder, pool } = runtime();
  // ~16 values per partial keeps the final single-invocation pass short; 1024 partials at most.
  const parts = Math.max(1, Math.min(1024, Math.ceil(n / 16)));
  const chunk = Math.ceil(n / parts);
  const partVal = pool.acquire(4 * parts), partIdx = pool.acquire(4 * parts);
  return {
    dispatches: [
      recorder.prepare(argmaxPartialWgsl, grid1d(parts), [n, chunk, parts], [values, partVal, partIdx]),
      recorder.prepare(argmaxCommitWgsl, [1], [parts, f32(taken)], [partVal, partIdx, state, values]),
    ],
    buffers: [partVal, partIdx],
  };
}
