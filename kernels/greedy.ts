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
  type ColumnsOp,
  columnsWgsl,
  type FarthestMetric,
  fetchRowWgsl,
  herdingScoreWgsl,
  herdingTargetWgsl,
  KL_VEC4S,
  klCentreWgsl,
  klOrderKeysWgsl,
  klUpdateWgsl,
  markFirstWgsl,
  nearestUpdateWgsl,
  TAKEN,
  VEC4S,
} from "./greedy_wgsl.ts";
import { reduce } from "./reduce.ts";
import { argsortBits } from "./sort.ts";
import { grid1d } from "./prelude_wgsl.ts";
import { type Binding, f32, type PreparedDispatch } from "./runtime/recorder.ts";
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
  const m4 = 4 * Math.ceil(m / 4); // the update kernels read and write whole vec4s of rows
  const kl = options.metric === "symkl";
  const eps = options.eps ?? 1e-12;
  const columnOptions = { eps, maxBindingBytes: options.maxBindingBytes };
  // Contextual Diversity's rows in the order of their two most probable classes, when one window holds them
  const perm = kl && oneWindow(m, d, options.maxBindingBytes) ? klOrder(x) : null;
  const nearest = pool.acquire(4 * m4);
  const init = new Float32Array(m4).fill(-1).fill(Infinity, 0, m); // padding as if picked
  if (!perm) init[first] = -1;
  device.queue.writeBuffer(nearest, 0, init);
  if (perm) recorder.dispatch(markFirstWgsl, grid1d(m), [m, first], [bufferOf(perm), nearest]);
  const state = pool.acquire(4 * (k + 1));
  device.queue.writeBuffer(state, 0, Uint32Array.of(0, first));
  const row = pool.acquire(4 * d);

  const ops: ColumnsOp[] = kl ? ["clamp", "logClamp"] : ["copy"];
  const windows = columnWindows(x, ops, columnOptions, perm ? bufferOf(perm) : undefined);
  const { fetches, commitFetch } = rowFetch(windows, state, row, d);
  const argmax = argmaxStep(nearest, m, state, -1, commitFetch, perm ? bufferOf(perm) : undefined);
  for (const f of fetches) recorder.record(f); // the first pick's row
  // Contextual Diversity reads the centre as (class, clamped value, logarithm), most probable classes first.
  const centre = kl ? pool.acquire(16 * d) : null;
  const update = kl ? klUpdateWgsl : nearestUpdateWgsl;
  const updates = [
    ...(centre ? [recorder.prepare(klCentreWgsl, [1], [d, f32(eps)], [row, centre])] : []),
    ...windows.map((w) =>
      recorder.prepare(update, grid1d(w.stride / 4 / (kl ? KL_VEC4S : VEC4S)), [
        d,
        w.r0,
        w.rows,
        w.stride / 4,
      ], [
        ...w.columns,
        centre ?? row,
        nearest,
      ])
    ),
  ];
  const steps = [...(commitFetch ? [] : fetches), ...updates, ...argmax.dispatches];
  for (let t = 1; t < k; t++) for (const s of steps) recorder.record(s);

  recorder.copy(state, 4, bufferOf(picks), 0, 4 * k);
  recorder.release(...new Set([...fetches, ...steps]));
  const scratch = [nearest, state, row, ...(centre ? [centre] : []), ...argmax.buffers];
  for (const b of [...scratch, ...windows.flatMap((w) => w.buffers)]) pool.release(b);
  perm?.dispose();
  return picks;
}

/** Whether the rows of an [m, d] matrix make one window of `columnWindows` (and a sort of m keys fits). */
function oneWindow(m: number, d: number, maxBindingBytes?: number): boolean {
  const limit = bindingElements(maxBindingBytes);
  return windowRows(d, maxBindingBytes) >= m && 2 * 2 ** Math.ceil(Math.log2(Math.max(m, 1))) <= limit;
}

/** The permutation sorting the rows of `x` by (most probable class, second most probable), stable. */
function klOrder(x: tf.Tensor): tf.Tensor {
  const [m, d] = x.shape as [number, number];
  const keys = emptyTensor([m], "int32");
  runtime().recorder.dispatch(klOrderKeysWgsl, grid1d(m), [d, m], [bufferOf(x), bufferOf(keys)]);
  const perm = argsortBits(keys);
  keys.dispose();
  return perm;
}

/**
 * The two dispatches of one greedy pick over `values[0..n)`: argmax (ties → lowest index), appended to
 * `state`, its value then set to `taken` (and, with `fetch`, its row of x copied to `fetch.row`). With
 * `perm`, `values` are in a permuted row order: ties go to the lowest sample perm[position], and `state`
 * gets the sample. Returns the prepared dispatches and the scratch buffers to give back after the last
 * recording.
 */
export function argmaxStep(
  values: GPUBuffer,
  n: number,
  state: GPUBuffer,
  taken: number,
  fetch?: CommitFetch,
  perm?: GPUBuffer,
): { dispatches: PreparedDispatch[]; buffers: GPUBuffer[] } {
  const { recorder, pool } = runtime();
  // ~16 values per partial keeps the final single-invocation pass short; 1024 partials at most.
  const parts = Math.max(1, Math.min(1024, Math.ceil(n / 16)));
  const partVal = pool.acquire(4 * parts), partIdx = pool.acquire(4 * parts);
  const params = [parts, f32(taken), fetch?.d ?? 0, fetch?.skip ?? 0];
  const permuted = perm !== undefined;
  return {
    dispatches: [
      recorder.prepare(argmaxPartialWgsl(permuted), grid1d(parts), [n, parts], [
        values,
        partVal,
        partIdx,
        ...(perm ? [perm] : []),
      ]),
      recorder.prepare(argmaxCommitWgsl(!!fetch, permuted), [1], params, [
        partVal,
        partIdx,
        state,
        values,
        ...(fetch ? [fetch.x, fetch.row] : []),
        ...(perm ? [perm] : []),
      ]),
    ],
    buffers: [partVal, partIdx],
  };
}

/**
 * Herding on the GPU over the rows of `x` [m, d]: repeatedly keeps the row nearest to
 * (t+1)·mean − Σ kept rows, so that the mean of the kept rows tracks the mean of all (ties → lowest index).
 * Returns the k picks in pick order as an int32 tensor (recorded, not yet computed).
 *
 * @example
 * ```ts
 * import { ready } from "./runtime/runtime.ts";
 * import { readAll, upload } from "./runtime/tensor.ts";
 * import { herding } from "./greedy.ts";
 * await ready();
 * const x = upload(new Float32Array([0, 1, 5, 10]), [4, 1]);
 * console.log((await readAll([herding(x, 2)]))[0]); // Int32Array [2, 1]: mean 4 → 5; then 8 − 5 = 3 → 1
 * ```
 */
export function herding(x: tf.Tensor, k: number, options: { maxBindingBytes?: number } = {}): tf.Tensor {
  const [m, d] = x.shape as [number, number];
  if (x.rank !== 2) throw new RangeError(`herding: expected [m, d] features, got [${x.shape}]`);
  if (!Number.isInteger(k) || k < 0 || k > m) throw new RangeError(`herding: budget ${k} not in 0..${m}`);
  const picks = emptyTensor([k], "int32");
  if (k === 0) return picks;
  const { recorder, pool, device } = runtime();
  const mean = reduce("mean", x, 0, { maxBindingBytes: options.maxBindingBytes });
  const target = pool.acquire(4 * d);
  recorder.copy(bufferOf(mean), 0, target, 0, 4 * d);
  const values = pool.acquire(16 * Math.ceil(m / 4)); // whole vec4s, as for farthestFirst
  recorder.clear(values, 0, 16 * Math.ceil(m / 4));
  const state = pool.acquire(4 * (k + 1));
  device.queue.writeBuffer(state, 0, Uint32Array.of(0xffffffff)); // the first commit wraps to step 0
  const row = pool.acquire(4 * d);
  const windows = columnWindows(x, ["copy"], { maxBindingBytes: options.maxBindingBytes });
  const { fetches, commitFetch } = rowFetch(windows, state, row, d);
  const argmax = argmaxStep(values, m, state, TAKEN, commitFetch);
  const steps = [
    ...windows.map((w) =>
      recorder.prepare(herdingScoreWgsl, grid1d(w.stride / 4 / VEC4S), [d, w.r0, w.rows, w.stride / 4], [
        ...w.columns,
        target,
        values,
      ])
    ),
    ...argmax.dispatches,
    ...(commitFetch ? [] : fetches),
    recorder.prepare(herdingTargetWgsl, grid1d(d), [d], [bufferOf(mean), row, target]),
  ];
  for (let t = 0; t < k; t++) for (const s of steps) recorder.record(s);

  recorder.copy(state, 4, bufferOf(picks), 0, 4 * k);
  recorder.release(...new Set([...fetches, ...steps]));
  for (const b of [target, values, state, row, ...argmax.buffers, ...windows.flatMap((w) => w.buffers)]) {
    pool.release(b);
  }
  mean.dispose();
  return picks;
}

/** Where the commit copies its pick's row from, when it does. */
interface CommitFetch {
  x: Binding;
  skip: number;
  d: number;
  row: GPUBuffer;
}

/**
 * How a step gets its pick's row into `row`: one fetch dispatch per window (prepared, for the caller to
 * record and release), and, when the features fit one window, the commit does it instead (`commitFetch`),
 * saving every step a dispatch.
 */
function rowFetch(
  windows: RowWindow[],
  state: GPUBuffer,
  row: GPUBuffer,
  d: number,
): { fetches: PreparedDispatch[]; commitFetch?: CommitFetch } {
  const { recorder } = runtime();
  const fetches = windows.map((w) =>
    recorder.prepare(fetchRowWgsl, grid1d(d), [d, w.r0, w.rows, w.skip], [w.binding, state, row])
  );
  const single = windows.length === 1 ? windows[0]! : null;
  return { fetches, ...(single && { commitFetch: { x: single.binding, skip: single.skip, d, row } }) };
}

/**
 * A row window of a [m, d] matrix: rows [r0, r0 + rows), its binding and the element offset within it,
 * and the same rows as columns (`columnsWgsl`, one binding per requested op), `stride` (a multiple of
 * 4·VEC4S) elements per column.
 */
interface RowWindow {
  r0: number;
  rows: number;
  binding: Binding;
  skip: number;
  columns: Binding[];
  buffers: GPUBuffer[];
  stride: number;
}

/** Rows of a window of `columnWindows`: whole invocations' rows, so that their columns fit a binding too. */
function windowRows(d: number, maxBindingBytes?: number): number {
  const step = 4 * VEC4S;
  return Math.max(
    step,
    Math.floor((bindingElements(maxBindingBytes) - ALIGN) / Math.max(d, 1) / step) * step,
  );
}

/**
 * Splits the rows of `x` into windows whose rows and columns each fit one binding, and records the copies
 * of each as columns (the caller releases `buffers` after their last use); with `perm` (one window only),
 * column position r holds row perm[r].
 */
function columnWindows(
  x: tf.Tensor,
  ops: ColumnsOp[],
  options: { eps?: number; maxBindingBytes?: number },
  perm?: GPUBuffer,
): RowWindow[] {
  const [m, d] = x.shape as [number, number];
  const X = bufferOf(x);
  const { recorder, pool } = runtime();
  const step = 4 * VEC4S;
  const perWindow = windowRows(d, options.maxBindingBytes);
  if (perm && perWindow < m) throw new RangeError("columnWindows: a row order needs the rows in one window");
  const windows: RowWindow[] = [];
  for (let r0 = 0; r0 < m; r0 += perWindow) {
    const rows = Math.min(perWindow, m - r0);
    const stride = step * Math.ceil(rows / step);
    const w = windowBinding(X, r0 * d, (r0 + rows) * d);
    const skip = r0 * d - w.base;
    const buffers = ops.map(() => pool.acquire(4 * d * stride));
    const columns = buffers.map((buffer) => ({ buffer, offset: 0, size: 4 * d * stride })); // pools round up
    ops.forEach((op, c) =>
      recorder.dispatch(
        columnsWgsl(op, perm !== undefined),
        grid1d(d * stride),
        [d, rows, stride, skip, f32(options.eps ?? 0)],
        [w.binding, columns[c]!, ...(perm ? [perm] : [])],
      )
    );
    windows.push({ r0, rows, binding: w.binding, skip, columns, buffers, stride });
  }
  return windows;
}
