/**
 * Softmax and log-softmax along the last axis, and the softmax cross-entropy loss with its gradient, each
 * beside the plain TypeScript reference its test compares against.
 *
 * All are numerically stable (the row max is subtracted before exponentiating: logits of ±1e4 give exact
 * 0/1 probabilities, finite log-probabilities and losses). A row containing NaN or +∞, or made only of −∞,
 * gives NaN. Every row is handled by one invocation for its statistics (see `softmax_wgsl.ts`), so very long
 * rows (C ≫ 10^4) with few rows use the GPU poorly; class counts are far below that.
 *
 * @module
 */

import type * as tf from "npm:@tensorflow/tfjs-core@4.22.0";
import { grid1d } from "./prelude_wgsl.ts";
import { f32 } from "./runtime/recorder.ts";
import { runtime } from "./runtime/runtime.ts";
import { bufferOf, emptyTensor, upload } from "./runtime/tensor.ts";
import { ALIGN, bindingElements, windowBinding } from "./runtime/window.ts";
import {
  crossEntropyBackwardWgsl,
  crossEntropyWgsl,
  softmaxApplyWgsl,
  softmaxStatsWgsl,
} from "./softmax_wgsl.ts";

/** Options of the softmax kernels. */
export interface SoftmaxOptions {
  /** Bytes one storage binding may hold, below the device's limit (to test the windowed path). */
  maxBindingBytes?: number;
}

/** Class labels: an int32 tensor, or an Int32Array checked on the CPU before upload. */
export type Labels = tf.Tensor | Int32Array;
/** Per-sample weights: a float32 tensor or a Float32Array; absent means all 1. */
export type Weights = tf.Tensor | Float32Array | null | undefined;

/**
 * Softmax of `x` along its last axis.
 *
 * @example
 * ```ts
 * import { ready } from "./runtime/runtime.ts";
 * import { readAll, upload } from "./runtime/tensor.ts";
 * import { softmax } from "./softmax.ts";
 * await ready();
 * const [p] = await readAll([softmax(upload(new Float32Array([0, Math.log(3), 1e4, 1e4]), [2, 2]))]);
 * console.log(p); // ≈ Float32Array [0.25, 0.75, 0.5, 0.5]
 * ```
 */
export function softmax(x: tf.Tensor, options: SoftmaxOptions = {}): tf.Tensor {
  return applySoftmax(x, false, options);
}

/**
 * Log-softmax of `x` along its last axis: `x − max − log Σ exp(x − max)`.
 *
 * @example
 * ```ts
 * import { ready } from "./runtime/runtime.ts";
 * import { readAll, upload } from "./runtime/tensor.ts";
 * import { logSoftmax } from "./softmax.ts";
 * await ready();
 * const [y] = await readAll([logSoftmax(upload(new Float32Array([1e4, -1e4]), [2]))]);
 * console.log(y); // Float32Array [0, -20000]
 * ```
 */
export function logSoftmax(x: tf.Tensor, options: SoftmaxOptions = {}): tf.Tensor {
  return applySoftmax(x, true, options);
}

function applySoftmax(x: tf.Tensor, log: boolean, options: SoftmaxOptions): tf.Tensor {
  if (x.rank === 0) throw new RangeError("softmax needs a tensor with at least one axis, got a scalar");
  const y = emptyTensor(x.shape);
  const C = x.shape[x.rank - 1]!;
  const rows = C === 0 ? 0 : x.size / C;
  const { pool, recorder } = runtime();
  const stats = pool.acquire(8 * rows);
  for (const [row0, n] of rowWindows(rows, C, options)) {
    const xs = rowRange(bufferOf(x), row0, n, C);
    const st = rowRange(stats, row0, n, 2);
    const ys = rowRange(bufferOf(y), row0, n, C);
    recordStats(xs, st, C, row0, n);
    recorder.dispatch(
      softmaxApplyWgsl(),
      grid1d(n * C),
      [n * C, C, row0, xs.base, st.base / 2, ys.base, +log],
      [xs.binding, st.binding, ys.binding],
    );
  }
  pool.release(stats);
  return y;
}

/**
 * Per-sample softmax cross-entropy of `logits` [N, C] against integer `labels` [N]:
 * `loss[i] = −log softmax(logits[i])[labels[i]] · weights[i]`. Labels given as an Int32Array are checked
 * (a RangeError names the first one outside [0, C)); labels in a tensor are not read back: an out-of-range
 * label is never used as an index and gives a NaN loss.
 *
 * @example
 * ```ts
 * import { ready } from "./runtime/runtime.ts";
 * import { readAll, upload } from "./runtime/tensor.ts";
 * import { crossEntropy } from "./softmax.ts";
 * await ready();
 * const logits = upload(new Float32Array([0, 0, 5, -5]), [2, 2]);
 * const [loss] = await readAll([crossEntropy(logits, new Int32Array([1, 0]))]);
 * console.log(loss); // ≈ Float32Array [0.693, 0.0000454]
 * ```
 */
export function crossEntropy(
  logits: tf.Tensor,
  labels: Labels,
  weights: Weights = null,
  options: SoftmaxOptions = {},
): tf.Tensor {
  const { N, C, lab, w, temps } = lossInputs("crossEntropy", logits, labels, weights);
  const losses = emptyTensor([N]);
  for (const [row0, n] of rowWindows(N, C, options)) {
    const xs = rowRange(bufferOf(logits), row0, n, C);
    const ls = rowRange(bufferOf(lab), row0, n, 1);
    const ws = w ? rowRange(bufferOf(w), row0, n, 1) : ls; // a dummy when unweighted: never read
    const out = rowRange(bufferOf(losses), row0, n, 1);
    runtime().recorder.dispatch(
      crossEntropyWgsl(),
      grid1d(n),
      [n, C, row0, xs.base, ls.base, +(w !== null), f32(NaN)],
      [xs.binding, ls.binding, ws.binding, out.binding],
    );
  }
  temps.forEach((t) => t.dispose());
  return losses;
}

/**
 * Gradient of `crossEntropy` with respect to the logits, times `scale`:
 * `(softmax(logits[i]) − onehot(labels[i])) · weights[i] · scale`. Use `scale = 1 / N` for the gradient of
 * the batch mean, `scale = 1` for per-sample gradients. Rows whose label is out of range are NaN (see
 * `crossEntropy` for how labels are checked).
 *
 * @example
 * ```ts
 * import { ready } from "./runtime/runtime.ts";
 * import { readAll, upload } from "./runtime/tensor.ts";
 * import { crossEntropyBackward } from "./softmax.ts";
 * await ready();
 * const logits = upload(new Float32Array([0, 0, 5, -5]), [2, 2]);
 * const [g] = await readAll([crossEntropyBackward(logits, new Int32Array([1, 0]), null, 0.5)]);
 * console.log(g); // ≈ Float32Array [0.25, -0.25, -0.0000227, 0.0000227]
 * ```
 */
export function crossEntropyBackward(
  logits: tf.Tensor,
  labels: Labels,
  weights: Weights = null,
  scale = 1,
  options: SoftmaxOptions = {},
): tf.Tensor {
  const { N, C, lab, w, temps } = lossInputs("crossEntropyBackward", logits, labels, weights);
  const grads = emptyTensor([N, C]);
  const { pool, recorder } = runtime();
  const stats = pool.acquire(8 * N);
  for (const [row0, n] of rowWindows(N, C, options)) {
    const xs = rowRange(bufferOf(logits), row0, n, C);
    const st = rowRange(stats, row0, n, 2);
    const ls = rowRange(bufferOf(lab), row0, n, 1);
    const ws = w ? rowRange(bufferOf(w), row0, n, 1) : ls; // a dummy when unweighted: never read
    const out = rowRange(bufferOf(grads), row0, n, C);
    recordStats(xs, st, C, row0, n);
    recorder.dispatch(
      crossEntropyBackwardWgsl(),
      grid1d(n * C),
      [n * C, C, row0, xs.base, st.base / 2, ls.base, out.base, +(w !== null), f32(scale), f32(NaN)],
      [xs.binding, st.binding, ls.binding, ws.binding, out.binding],
    );
  }
  pool.release(stats);
  temps.forEach((t) => t.dispose());
  return grads;
}

type Range = ReturnType<typeof windowBinding>;

function recordStats(xs: Range, st: Range, C: number, row0: number, n: number): void {
  runtime().recorder.dispatch(softmaxStatsWgsl(), grid1d(n), [n, C, row0, xs.base, st.base / 2], [
    xs.binding,
    st.binding,
  ]);
}

/** Rows [row0, row0 + n) of a row-major buffer of `width` 4-byte elements per row. */
function rowRange(buffer: GPUBuffer, row0: number, n: number, width: number): Range {
  return windowBinding(buffer, row0 * width, (row0 + n) * width);
}

/** [row0, n] of consecutive row windows of `C` elements each that fit one storage binding. */
function* rowWindows(rows: number, C: number, options: SoftmaxOptions): Generator<[number, number]> {
  if (rows === 0 || C === 0) return;
  const room = bindingElements(options.maxBindingBytes) - ALIGN; // a window start rounds down ≤ ALIGN - 1
  if (C > room) throw new RangeError(`softmax rows of ${C} elements exceed one storage binding (${room})`);
  const per = Math.floor(room / C);
  for (let row0 = 0; row0 < rows; row0 += per) yield [row0, Math.min(per, rows - row0)];
}

/** Checks the shapes and dtypes of a loss's inputs and uploads typed-array labels and weights. */
function lossInputs(name: string, logits: tf.Tensor, labels: Labels, weights: Weights) {
  if (logits.rank !== 2 || logits.dtype !== "float32") {
    throw new TypeError(
      `${name}: logits must be a float32 [N, C] tensor, got ${logits.dtype} [${logits.shape}]`,
    );
  }
  const [N, C] = logits.shape as [number, number];
  const temps: tf.Tensor[] = [];
  if (labels instanceof Int32Array) {
    if (labels.length !== N) throw new RangeError(`${name}: ${labels.length} labels for ${N} rows of logits`);
    const bad = labels.findIndex((l) => l < 0 || l >= C);
    if (bad >= 0) throw new RangeError(`${name}: labels[${bad}] = ${labels[bad]} is outside [0, ${C})`);
    labels = upload(labels, [N]);
    temps.push(labels);
  } else if (labels.dtype !== "int32" || labels.size !== N) {
    throw new TypeError(
      `${name}: labels must be an int32 tensor of ${N} values, got ${labels.dtype} [${labels.shape}]`,
    );
  }
  if (weights instanceof Float32Array) {
    if (weights.length !== N) {
      throw new RangeError(`${name}: ${weights.length} weights for ${N} rows of logits`);
    }
    weights = upload(weights, [N]);
    temps.push(weights);
  } else if (weights && (weights.dtype !== "float32" || weights.size !== N)) {
    throw new TypeError(
      `${name}: weights must be a float32 tensor of ${N} values, got ${weights.dtype} [${weights.shape}]`,
    );
  }
  return { N, C, lab: labels, w: weights ?? null, temps };
}

/**
 * TypeScript reference of `softmax` (float64, rounded to float32) on rows of `C` values.
 *
 * @example
 * ```ts
 * import { softmaxReference } from "./softmax.ts";
 * console.log(softmaxReference([0, 0, 1, 1], 2)); // Float32Array [0.5, 0.5, 0.5, 0.5]
 * ```
 */
export function softmaxReference(x: ArrayLike<number>, C: number): Float32Array {
  return mapRows(x, C, (row) => {
    const m = Math.max(...row);
    const s = row.reduce((a, v) => a + Math.exp(v - m), 0);
    return row.map((v) => Math.exp(v - m) / s);
  });
}

/**
 * TypeScript reference of `logSoftmax` (float64, rounded to float32) on rows of `C` values.
 *
 * @example
 * ```ts
 * import { logSoftmaxReference } from "./softmax.ts";
 * console.log(logSoftmaxReference([5, 5], 2)); // Float32Array [-0.6931..., -0.6931...]
 * ```
 */
export function logSoftmaxReference(x: ArrayLike<number>, C: number): Float32Array {
  return mapRows(x, C, (row) => {
    const m = Math.max(...row);
    const lse = Math.log(row.reduce((a, v) => a + Math.exp(v - m), 0));
    return row.map((v) => v - m - lse);
  });
}

/**
 * TypeScript reference of `crossEntropy` on row-major logits with `C` columns; out-of-range labels give NaN.
 *
 * @example
 * ```ts
 * import { crossEntropyReference } from "./softmax.ts";
 * console.log(crossEntropyReference([0, 0], 2, [1])); // Float32Array [0.6931...]
 * ```
 */
export function crossEntropyReference(
  logits: ArrayLike<number>,
  C: number,
  labels: ArrayLike<number>,
  weights?: ArrayLike<number> | null,
): Float32Array {
  const logp = logSoftmaxReference(logits, C);
  return Float32Array.from(labels, (l, i) => {
    const loss = l >= 0 && l < C ? -logp[i * C + l]! : NaN;
    return loss * (weights ? weights[i]! : 1);
  });
}

/**
 * TypeScript reference of `crossEntropyBackward`; rows with out-of-range labels are NaN.
 *
 * @example
 * ```ts
 * import { crossEntropyBackwardReference } from "./softmax.ts";
 * console.log(crossEntropyBackwardReference([0, 0], 2, [1], null, 1)); // Float32Array [0.5, -0.5]
 * ```
 */
export function crossEntropyBackwardReference(
  logits: ArrayLike<number>,
  C: number,
  labels: ArrayLike<number>,
  weights: ArrayLike<number> | null | undefined,
  scale: number,
): Float32Array {
  const p = softmaxReference(logits, C);
  return p.map((v, e) => {
    const i = Math.floor(e / C), l = labels[i]!;
    const g = l >= 0 && l < C ? v - (e % C === l ? 1 : 0) : NaN;
    return g * (weights ? weights[i]! : 1) * scale;
  });
}

function mapRows(x: ArrayLike<number>, C: number, f: (row: number[]) => number[]): Float32Array {
  const out = new Float32Array(x.length);
  for (let r = 0; r * C < x.length; r++) {
    out.set(f(Array.from({ length: C }, (_, c) => x[r * C + c]!)), r * C);
  }
  return out;
}
