/**
 * Batch normalisation over N and the spatial dims per channel (BatchNorm2d on NCHW; BatchNorm1d on [N, C]
 * or [N, C, L]): training forward with batch statistics, evaluation forward with running statistics, and
 * the backward of both, each beside the plain TypeScript reference its test compares against.
 *
 * PyTorch's conventions (models.md §1.6): normalisation uses the biased batch variance, the running
 * variance is updated with the unbiased one, `running ← (1 − momentum)·running + momentum·batch`, defaults
 * eps 1e-5 and momentum 0.1 (MobileNet-v3 224 uses 1e-3 / 0.01). The training forward overwrites the
 * running-statistics tensors' buffers **in place** (deepcore's parameters and buffers are mutable GPU
 * buffers although `tf.Tensor` is nominally immutable), and returns the batch mean and 1/√(var + eps) that
 * the backward needs.
 *
 * Kernel design and summation accuracy: see `batchnorm_wgsl.ts`.
 *
 * @module
 */

import type * as tf from "npm:@tensorflow/tfjs-core@4.22.0";
import {
  bnChunkGradWgsl,
  bnChunkStatsWgsl,
  bnCombineGradWgsl,
  bnCombineStatsWgsl,
  bnDxWgsl,
  bnInvstdWgsl,
  bnNormalizeWgsl,
  CHUNK,
} from "./batchnorm_wgsl.ts";
import { grid1d } from "./prelude_wgsl.ts";
import { type Binding, f32, type Param } from "./runtime/recorder.ts";
import { runtime } from "./runtime/runtime.ts";
import { bufferOf, emptyTensor } from "./runtime/tensor.ts";
import { ALIGN, bindingElements, flatWindows as windowsOf, windowBinding } from "./runtime/window.ts";

/** The affine parameters and running statistics of a batch-norm layer, each of shape [C]. */
export interface BatchNormParams {
  /** Scale γ. */
  gamma: tf.Tensor;
  /** Shift β. */
  beta: tf.Tensor;
  /** Running mean (updated in place by `batchNormTrain`). */
  runningMean: tf.Tensor;
  /** Running variance (updated in place by `batchNormTrain`). */
  runningVar: tf.Tensor;
}

/** Options of the batch-norm kernels. */
export interface BatchNormOptions {
  /** Added to the variance; default 1e-5. */
  eps?: number;
  /** Weight of the batch statistic in the running update; default 0.1. */
  momentum?: number;
  /** Bytes one storage binding may hold, below the device's limit (to test the windowed path). */
  maxBindingBytes?: number;
}

/** What `batchNormTrain` returns: the output and the per-channel statistics the backward needs. */
export interface BatchNormTrainResult {
  /** Normalised, scaled and shifted output, of x's shape. */
  y: tf.Tensor;
  /** Batch mean per channel, [C]. */
  mean: tf.Tensor;
  /** 1/√(biased batch variance + eps) per channel, [C]. */
  invstd: tf.Tensor;
}

/** What `batchNormBackward` returns. */
export interface BatchNormGrads {
  /** Gradient of the input, of x's shape. */
  dx: tf.Tensor;
  /** Gradient of γ, [C]. */
  dgamma: tf.Tensor;
  /** Gradient of β, [C]. */
  dbeta: tf.Tensor;
}

/**
 * Training-mode batch norm: normalises with the batch's statistics and updates `runningMean` and
 * `runningVar` in place. Needs more than one value per channel (N·H·W > 1), as PyTorch does.
 *
 * @example
 * ```ts
 * import { ready } from "./runtime/runtime.ts";
 * import { readAll, upload } from "./runtime/tensor.ts";
 * import { batchNormTrain } from "./batchnorm.ts";
 * await ready();
 * const c = (v: number[]) => upload(new Float32Array(v), [1]);
 * const params = { gamma: c([1]), beta: c([0]), runningMean: c([0]), runningVar: c([1]) };
 * const { y, mean } = batchNormTrain(upload(new Float32Array([1, 3]), [2, 1]), params);
 * console.log(await readAll([y, mean, params.runningMean, params.runningVar]));
 * // [≈ [-1, 1], [2], [0.2], [1.1]]
 * ```
 */
export function batchNormTrain(
  x: tf.Tensor,
  params: BatchNormParams,
  options: BatchNormOptions = {},
): BatchNormTrainResult {
  const { eps = 1e-5, momentum = 0.1 } = options;
  const { N, C, S } = view(x.shape, params);
  const M = N * S;
  if (M <= 1) {
    throw new RangeError(
      `batch norm in training mode needs more than 1 value per channel, got input [${x.shape}]`,
    );
  }
  const { recorder, pool } = runtime();
  const [mean, invstd] = [emptyTensor([C]), emptyTensor([C])];
  const { parts, B } = chunkPass(bnChunkStatsWgsl(), [x], [], 3, { N, C, S }, options);
  const stats = [params.runningMean, params.runningVar].map(bufferOf);
  recorder.dispatch(bnCombineStatsWgsl(), grid1d(C), [C, B, f32(M), f32(eps), f32(momentum), 1], [
    parts,
    bufferOf(mean),
    bufferOf(invstd),
    ...stats,
  ]);
  pool.release(parts);
  return { y: normalize(x, C, S, mean, invstd, params, options), mean, invstd };
}

/**
 * Evaluation-mode batch norm: `(x − runningMean)/√(runningVar + eps)·γ + β`.
 *
 * @example
 * ```ts
 * import { ready } from "./runtime/runtime.ts";
 * import { readAll, upload } from "./runtime/tensor.ts";
 * import { batchNormEval } from "./batchnorm.ts";
 * await ready();
 * const c = (v: number) => upload(new Float32Array([v]), [1]);
 * const params = { gamma: c(2), beta: c(1), runningMean: c(1), runningVar: c(4 - 1e-5) };
 * console.log((await readAll([batchNormEval(upload(new Float32Array([3, 5]), [2, 1]), params)]))[0]); // ≈ [3, 5]
 * ```
 */
export function batchNormEval(
  x: tf.Tensor,
  params: BatchNormParams,
  options: BatchNormOptions = {},
): tf.Tensor {
  const { C, S } = view(x.shape, params);
  const invstd = batchNormInvstd(params.runningVar, options);
  const y = normalize(x, C, S, params.runningMean, invstd, params, options);
  invstd.dispose();
  return y;
}

/**
 * `1/√(variance + eps)` per channel: with the running variance, the `invstd` to pass to
 * `batchNormBackward` (with `runningMean` as the mean) for the backward of evaluation mode.
 *
 * @example
 * ```ts
 * import { ready } from "./runtime/runtime.ts";
 * import { readAll, upload } from "./runtime/tensor.ts";
 * import { batchNormInvstd } from "./batchnorm.ts";
 * await ready();
 * console.log((await readAll([batchNormInvstd(upload(new Float32Array([4, 0.25]), [2]), { eps: 0 })]))[0]);
 * // Float32Array [0.5, 2]
 * ```
 */
export function batchNormInvstd(variance: tf.Tensor, options: { eps?: number } = {}): tf.Tensor {
  const invstd = emptyTensor([variance.size]);
  runtime().recorder.dispatch(bnInvstdWgsl(), grid1d(variance.size), [
    variance.size,
    f32(options.eps ?? 1e-5),
  ], [
    bufferOf(variance),
    bufferOf(invstd),
  ]);
  return invstd;
}

/**
 * Backward of batch norm given the output gradient `dy`, the forward's input `x`, γ, and the statistics
 * the forward normalised with. Training mode (`training` true, the default): `mean`/`invstd` as returned by
 * `batchNormTrain`, and the gradient flows through the batch statistics:
 * `dx = γ·invstd·(dy − mean(dy) − x̂·mean(dy·x̂))`. Evaluation mode: `runningMean` and
 * `batchNormInvstd(runningVar)`, constants, so `dx = γ·invstd·dy`. Both give `dγ = Σ dy·x̂`, `dβ = Σ dy`
 * (sums over N, H, W; new tensors — add them to accumulated gradients yourself).
 *
 * @example
 * ```ts
 * import { ready } from "./runtime/runtime.ts";
 * import { readAll, upload } from "./runtime/tensor.ts";
 * import { batchNormBackward } from "./batchnorm.ts";
 * await ready();
 * const [x, dy] = [upload(new Float32Array([1, 3]), [2, 1]), upload(new Float32Array([1, 1]), [2, 1])];
 * const c = (v: number) => upload(new Float32Array([v]), [1]);
 * const { dx, dgamma, dbeta } = batchNormBackward(dy, x, c(1), c(2), c(1));
 * console.log(await readAll([dx, dgamma, dbeta])); // [[0, 0], [0], [2]]
 * ```
 */
export function batchNormBackward(
  dy: tf.Tensor,
  x: tf.Tensor,
  gamma: tf.Tensor,
  mean: tf.Tensor,
  invstd: tf.Tensor,
  options: { training?: boolean; maxBindingBytes?: number } = {},
): BatchNormGrads {
  const training = options.training ?? true;
  const { N, C, S } = view(x.shape, { gamma, mean, invstd });
  if (dy.size !== x.size) {
    throw new RangeError(`batch norm backward: dy [${dy.shape}] does not match x [${x.shape}]`);
  }
  const { recorder, pool } = runtime();
  const [dgamma, dbeta] = [emptyTensor([C]), emptyTensor([C])];
  const { parts, B } = chunkPass(bnChunkGradWgsl(), [x, dy], [bufferOf(mean)], 2, { N, C, S }, options);
  const combined = [parts, ...[invstd, dgamma, dbeta].map(bufferOf)];
  recorder.dispatch(bnCombineGradWgsl(), grid1d(C), [C, B], combined);
  pool.release(parts);
  const dx = emptyTensor(x.shape);
  flatWindows(x.size, options, (start, count, bind) => {
    const bindings = training
      ? [bind(x), bind(dy), ...[mean, invstd, gamma, dgamma, dbeta].map(bufferOf), bind(dx)]
      : [bind(dy), ...[invstd, gamma].map(bufferOf), bind(dx)];
    recorder.dispatch(bnDxWgsl(training), grid1d(count), [count, start, C, S, f32(1 / (N * S))], bindings);
  });
  return { dx, dgamma, dbeta };
}

/**
 * Records a chunk pass of `code` over `tensors` (all of x's shape, bound window by window) and the whole
 * buffers `extra`, into a fresh partials buffer of `width` floats per (channel, chunk); returns it (to
 * release once its combine pass is recorded) and B, the chunks per channel.
 */
function chunkPass(
  code: string,
  tensors: tf.Tensor[],
  extra: GPUBuffer[],
  width: number,
  { N, C, S }: { N: number; C: number; S: number },
  options: { maxBindingBytes?: number },
): { parts: GPUBuffer; B: number } {
  const windows = sampleWindows(N, C, S, options);
  const B = windows.reduce((sum, w) => sum + w.Bw, 0);
  const parts = runtime().pool.acquire(4 * width * C * B);
  for (const w of windows) {
    const bound = tensors.map((t) => windowBinding(bufferOf(t), w.start, w.end));
    const params = [C * w.Bw, C, S, w.nb * S, w.Bw, B, w.P, w.start - bound[0]!.base];
    runtime().recorder.dispatch(code, grid1d(C * w.Bw), params, [
      ...bound.map((b) => b.binding),
      ...extra,
      parts,
    ]);
  }
  return { parts, B };
}

/** `(x − mean)·invstd·γ + β` per channel, a window at a time. */
function normalize(
  x: tf.Tensor,
  C: number,
  S: number,
  mean: tf.Tensor,
  invstd: tf.Tensor,
  params: BatchNormParams,
  options: BatchNormOptions,
): tf.Tensor {
  const y = emptyTensor(x.shape);
  const perChannel = [mean, invstd, params.gamma, params.beta].map(bufferOf);
  flatWindows(x.size, options, (start, count, bind) => {
    const p: Param[] = [count, start, C, S];
    runtime().recorder.dispatch(bnNormalizeWgsl(), grid1d(count), p, [bind(x), ...perChannel, bind(y)]);
  });
  return y;
}

/** N, C, S = H·W… of an input, checking the per-channel tensors. */
function view(shape: readonly number[], perChannel: object): { N: number; C: number; S: number } {
  if (shape.length < 2) {
    throw new RangeError(`batch norm needs an input of rank ≥ 2 ([N, C, …]), got [${shape}]`);
  }
  const [N, C] = [shape[0]!, shape[1]!];
  const S = shape.slice(2).reduce((a, b) => a * b, 1);
  for (const [name, t] of Object.entries(perChannel) as [string, tf.Tensor][]) {
    if (t.size !== C) throw new RangeError(`batch norm: ${name} has ${t.size} values for ${C} channels`);
  }
  return { N, C, S };
}

/** A run of whole samples [n0, n0 + nb) bound at once, its flat range and its chunks' place in the partials. */
interface SampleWindow {
  nb: number;
  start: number;
  end: number;
  Bw: number;
  P: number;
}

/**
 * Splits the batch into runs of whole samples that fit one binding (with room for the window's alignment
 * slack before its first element).
 */
function sampleWindows(
  N: number,
  C: number,
  S: number,
  options: { maxBindingBytes?: number },
): SampleWindow[] {
  const E = bindingElements(options.maxBindingBytes);
  const sample = C * S;
  const perWindow = N * sample <= E ? N : Math.floor((E - ALIGN - 4) / sample);
  if (perWindow < 1) {
    throw new RangeError(
      `batch norm: one sample of ${sample} values exceeds one storage binding (${E} values)`,
    );
  }
  const windows: SampleWindow[] = [];
  let P = 0;
  for (let n0 = 0; n0 < N; n0 += perWindow) {
    const nb = Math.min(perWindow, N - n0);
    const Bw = Math.ceil((nb * S) / CHUNK);
    windows.push({ nb, start: n0 * sample, end: (n0 + nb) * sample, Bw, P });
    P += Bw;
  }
  return windows;
}

/** Calls `fn` for each binding-sized window of n elements; `bind(t)` binds tensor t's part of the window. */
function flatWindows(
  n: number,
  options: { maxBindingBytes?: number },
  fn: (start: number, count: number, bind: (t: tf.Tensor) => Binding) => void,
): void {
  for (const { start, count } of windowsOf(n, options.maxBindingBytes)) {
    fn(start, count, (t) => windowBinding(bufferOf(t), start, start + count).binding);
  }
}

/** Per-channel statistics of a row-major [N, C, S…] array, in double precision. */
function channelStats(x: Float32Array, shape: readonly number[]) {
  const [N, C] = [shape[0]!, shape[1]!];
  const S = shape.slice(2).reduce((a, b) => a * b, 1);
  const mean = new Float64Array(C), m2 = new Float64Array(C);
  const each = (fn: (c: number, v: number, at: number) => void) => {
    for (let n = 0; n < N; n++) {
      for (let c = 0; c < C; c++) {
        for (let s = 0; s < S; s++) fn(c, x[(n * C + c) * S + s]!, (n * C + c) * S + s);
      }
    }
  };
  each((c, v) => (mean[c]! += v));
  for (let c = 0; c < C; c++) mean[c]! /= N * S;
  each((c, v) => (m2[c]! += (v - mean[c]!) ** 2));
  return { N, C, S, M: N * S, mean, m2, each };
}

/**
 * TypeScript reference of `batchNormTrain` in double precision: y, the batch mean and invstd, and the
 * running statistics after the update (new arrays; the inputs are not modified).
 *
 * @example
 * ```ts
 * import { batchNormTrainReference } from "./batchnorm.ts";
 * const one = new Float32Array([1]), zero = new Float32Array([0]);
 * const r = batchNormTrainReference(new Float32Array([1, 3]), [2, 1], one, zero, zero, one);
 * console.log(r.y, r.runningVar); // ≈ [-1, 1], [1.1]
 * ```
 */
export function batchNormTrainReference(
  x: Float32Array,
  shape: readonly number[],
  gamma: Float32Array,
  beta: Float32Array,
  runningMean: Float32Array,
  runningVar: Float32Array,
  { eps = 1e-5, momentum = 0.1 }: BatchNormOptions = {},
): {
  y: Float64Array;
  mean: Float64Array;
  invstd: Float64Array;
  runningMean: Float64Array;
  runningVar: Float64Array;
} {
  const { C, M, mean, m2, each } = channelStats(x, shape);
  const invstd = m2.map((v) => 1 / Math.sqrt(v / M + eps));
  const y = new Float64Array(x.length);
  each((c, v, at) => (y[at] = (v - mean[c]!) * invstd[c]! * gamma[c]! + beta[c]!));
  const rm = Float64Array.from(
    { length: C },
    (_, c) => momentum * mean[c]! + (1 - momentum) * runningMean[c]!,
  );
  const rv = Float64Array.from(
    { length: C },
    (_, c) => momentum * (m2[c]! / (M - 1)) + (1 - momentum) * runningVar[c]!,
  );
  return { y, mean, invstd, runningMean: rm, runningVar: rv };
}

/**
 * TypeScript reference of `batchNormEval` in double precision.
 *
 * @example
 * ```ts
 * import { batchNormEvalReference } from "./batchnorm.ts";
 * const f = (v: number) => new Float32Array([v]);
 * console.log(batchNormEvalReference(f(3), [1, 1], f(2), f(1), f(1), f(4), { eps: 0 })); // Float64Array [3]
 * ```
 */
export function batchNormEvalReference(
  x: Float32Array,
  shape: readonly number[],
  gamma: Float32Array,
  beta: Float32Array,
  runningMean: Float32Array,
  runningVar: Float32Array,
  { eps = 1e-5 }: BatchNormOptions = {},
): Float64Array {
  const C = shape[1]!, S = shape.slice(2).reduce((a, b) => a * b, 1);
  return Float64Array.from(x, (v, i) => {
    const c = Math.floor(i / S) % C;
    return ((v - runningMean[c]!) / Math.sqrt(runningVar[c]! + eps)) * gamma[c]! + beta[c]!;
  });
}

/**
 * TypeScript reference of `batchNormBackward` in double precision (`mean`/`invstd` as there).
 *
 * @example
 * ```ts
 * import { batchNormBackwardReference } from "./batchnorm.ts";
 * const f = (...v: number[]) => new Float32Array(v);
 * const g = batchNormBackwardReference(f(1, 0), f(1, 3), [2, 1], f(1), f(2), f(1), true);
 * console.log(g.dx, g.dgamma, g.dbeta); // [0, 0], [-1], [1]
 * ```
 */
export function batchNormBackwardReference(
  dy: Float32Array,
  x: Float32Array,
  shape: readonly number[],
  gamma: ArrayLike<number>,
  mean: ArrayLike<number>,
  invstd: ArrayLike<number>,
  training = true,
): { dx: Float64Array; dgamma: Float64Array; dbeta: Float64Array } {
  const C = shape[1]!, S = shape.slice(2).reduce((a, b) => a * b, 1), M = shape[0]! * S;
  const chan = (i: number) => Math.floor(i / S) % C;
  const xhat = (i: number) => (x[i]! - mean[chan(i)]!) * invstd[chan(i)]!;
  const dgamma = new Float64Array(C), dbeta = new Float64Array(C);
  dy.forEach((g, i) => {
    dgamma[chan(i)]! += g * xhat(i);
    dbeta[chan(i)]! += g;
  });
  const dx = Float64Array.from(dy, (g, i) => {
    const c = chan(i);
    const inner = training ? g - dbeta[c]! / M - (xhat(i) * dgamma[c]!) / M : g;
    return inner * invstd[c]! * gamma[c]!;
  });
  return { dx, dgamma, dbeta };
}
