/**
 * 2-D pooling on NCHW tensors, PyTorch's semantics (floor mode): max pool with argmax indices, average
 * pool (count_include_pad = True by default), adaptive average pool and global average pool, each with its
 * backward, beside the plain TypeScript references the tests compare against. Kernels: `pool_wgsl.ts`.
 *
 * Tensors larger than one storage binding are processed in chunks of whole planes (n, c), each bound as a
 * window (`runtime/window.ts`).
 *
 * @module
 */

import type * as tf from "npm:@tensorflow/tfjs-core@4.22.0";
import type { Pair } from "./conv.ts";
import { POOL_PARAMS, type PoolKernel, poolWgsl } from "./pool_wgsl.ts";
import { grid1d } from "./prelude_wgsl.ts";
import { runtime } from "./runtime/runtime.ts";
import { bufferOf, emptyTensor } from "./runtime/tensor.ts";
import { ALIGN, bindingElements, windowBinding } from "./runtime/window.ts";

/** Options of max and average pooling. */
export interface PoolOptions {
  /** Window size. */
  kernel: Pair;
  /** Step between windows (default: the kernel size). */
  stride?: Pair;
  /** Implicit padding on each side, at most half the kernel (default 0); it never wins a max. */
  padding?: Pair;
  /** Largest binding in bytes (default: the device's); lowered by tests to exercise plane chunks. */
  maxBindingBytes?: number;
}

/** Options of average pooling. */
export interface AvgPoolOptions extends PoolOptions {
  /** Divide by the whole window, padding included (PyTorch's default, true) or by its in-input part. */
  countIncludePad?: boolean;
}

/** Every size of one pooling; the window fields are 0 for adaptive pooling. */
export interface PoolGeometry {
  N: number;
  C: number;
  H: number;
  W: number;
  Ho: number;
  Wo: number;
  kh: number;
  kw: number;
  sh: number;
  sw: number;
  ph: number;
  pw: number;
}

const pair = (v: Pair | undefined, d: number): [number, number] =>
  v === undefined ? [d, d] : typeof v === "number" ? [v, v] : [v[0], v[1]];

function planes(xShape: readonly number[], what: string): [number, number, number, number] {
  if (xShape.length !== 4 || !xShape.every((d) => Number.isInteger(d) && d >= 1)) {
    throw new RangeError(`${what}: input [${xShape}] should be [N, C, H, W]`);
  }
  return xShape as unknown as [number, number, number, number];
}

/**
 * The geometry of a max or average pool of an input of `xShape` [N, C, H, W].
 *
 * @example
 * ```ts
 * import { poolGeometry } from "./pool.ts";
 * const g = poolGeometry([2, 3, 7, 7], { kernel: 3, stride: 2, padding: 1 });
 * console.log(g.Ho, g.Wo); // 4 4
 * ```
 */
export function poolGeometry(xShape: readonly number[], options: PoolOptions): PoolGeometry {
  const what = `pool of [${xShape}] with kernel ${options.kernel}`;
  const [N, C, H, W] = planes(xShape, what);
  const [kh, kw] = pair(options.kernel, 1);
  const [sh, sw] = pair(options.stride, 0).map((s, i) => s || [kh, kw][i]!) as [number, number];
  const [ph, pw] = pair(options.padding, 0);
  if (![kh, kw, sh, sw].every((v) => Number.isInteger(v) && v >= 1)) {
    throw new RangeError(`${what}: kernel and stride must be positive integers`);
  }
  if (!(ph >= 0 && pw >= 0 && 2 * ph <= kh && 2 * pw <= kw)) {
    throw new RangeError(`${what}: padding (${ph}, ${pw}) must be at most half the kernel`);
  }
  const Ho = Math.floor((H + 2 * ph - kh) / sh) + 1, Wo = Math.floor((W + 2 * pw - kw) / sw) + 1;
  if (Ho < 1 || Wo < 1) throw new RangeError(`${what}: the window is larger than the padded input`);
  return { N, C, H, W, Ho, Wo, kh, kw, sh, sw, ph, pw };
}

/**
 * The geometry of an adaptive average pool of `xShape` [N, C, H, W] to `outSize`.
 *
 * @example
 * ```ts
 * import { adaptiveGeometry } from "./pool.ts";
 * console.log(adaptiveGeometry([1, 8, 5, 5], [3, 2]).Ho); // 3
 * ```
 */
export function adaptiveGeometry(xShape: readonly number[], outSize: Pair): PoolGeometry {
  const [N, C, H, W] = planes(xShape, "adaptive average pool");
  const [Ho, Wo] = pair(outSize, 1);
  if (!(Number.isInteger(Ho) && Number.isInteger(Wo) && Ho >= 1 && Wo >= 1)) {
    throw new RangeError(`adaptive average pool of [${xShape}]: output size ${outSize} must be positive`);
  }
  return { N, C, H, W, Ho, Wo, kh: 0, kw: 0, sh: 0, sw: 0, ph: 0, pw: 0 };
}

/**
 * Records `kernel` over all planes, in chunks of planes that fit one binding. `buffers` are the storage
 * bindings in order, each marked as input-sized ("x") or output-sized ("y").
 */
function record(
  kernel: PoolKernel,
  g: PoolGeometry,
  flag: number,
  buffers: [GPUBuffer, "x" | "y"][],
  maxBindingBytes: number | undefined,
): void {
  const limit = bindingElements(maxBindingBytes);
  const perX = g.H * g.W, perY = g.Ho * g.Wo, total = g.N * g.C;
  const chunk = Math.min(total, Math.floor((limit - ALIGN - 4) / Math.max(perX, perY)));
  if (chunk < 1) throw new RangeError(`pooling: one ${g.H}×${g.W} plane exceeds one storage binding`);
  const code = poolWgsl(kernel);
  const perInvocation = kernel.endsWith("Backward") ? perX : perY;
  for (let p0 = 0; p0 < total; p0 += chunk) {
    const count = Math.min(chunk, total - p0);
    const x = { start: p0 * perX, end: (p0 + count) * perX };
    const y = { start: p0 * perY, end: (p0 + count) * perY };
    const windows = buffers.map(([b, side]) => {
      const r = side === "x" ? x : y;
      return { side, ...windowBinding(b, r.start, r.end) };
    });
    // windows of the same element range share their base, which depends only on the range's start
    const xoff = x.start - windows.find((w) => w.side === "x")!.base;
    const yoff = y.start - windows.find((w) => w.side === "y")!.base;
    const values: Record<string, number> = { ...g, n: count * perInvocation, flag, xoff, yoff };
    runtime().recorder.dispatch(
      code,
      grid1d(count * perInvocation),
      POOL_PARAMS.map((k) => values[k]!),
      windows.map((w) => w.binding),
    );
  }
}

/**
 * Max pool of x [N, C, H, W] → `y` [N, C, Ho, Wo] and `indices` (int32, ih·W + iw within the input plane,
 * of the first maximum of each window; a NaN wins, as in PyTorch).
 *
 * @example
 * ```ts
 * import { ready } from "./runtime/runtime.ts";
 * import { readAll, upload } from "./runtime/tensor.ts";
 * import { maxPool2d } from "./pool.ts";
 * await ready();
 * const x = upload(new Float32Array([1, 5, 2, 3, 4, 0, 9, 8, 7]), [1, 1, 3, 3]);
 * const { y, indices } = maxPool2d(x, { kernel: 2, stride: 1 });
 * console.log(await readAll([y, indices])); // [Float32Array [5, 5, 9, 8], Int32Array [1, 1, 6, 7]]
 * ```
 */
export function maxPool2d(x: tf.Tensor, options: PoolOptions): { y: tf.Tensor; indices: tf.Tensor } {
  const g = poolGeometry(x.shape, options);
  const y = emptyTensor([g.N, g.C, g.Ho, g.Wo]);
  const indices = emptyTensor([g.N, g.C, g.Ho, g.Wo], "int32");
  record(
    "maxForward",
    g,
    0,
    [[bufferOf(x), "x"], [bufferOf(y), "y"], [bufferOf(indices), "y"]],
    options.maxBindingBytes,
  );
  return { y, indices };
}

/**
 * dL/dx of `maxPool2d` from dy and the indices it returned: each input element sums the dy of the windows
 * whose maximum it was (deterministically, in window order). `xShape` is the input's shape.
 *
 * @example
 * ```ts
 * import { ready } from "./runtime/runtime.ts";
 * import { readAll, upload } from "./runtime/tensor.ts";
 * import { maxPool2dBackward } from "./pool.ts";
 * await ready();
 * const dy = upload(new Float32Array([1, 2, 3, 4]), [1, 1, 2, 2]);
 * const indices = upload(new Int32Array([1, 1, 6, 7]), [1, 1, 2, 2]);
 * const dx = maxPool2dBackward(dy, indices, [1, 1, 3, 3], { kernel: 2, stride: 1 });
 * console.log((await readAll([dx]))[0]); // Float32Array [0, 3, 0, 0, 0, 0, 3, 4, 0]
 * ```
 */
export function maxPool2dBackward(
  dy: tf.Tensor,
  indices: tf.Tensor,
  xShape: readonly number[],
  options: PoolOptions,
): tf.Tensor {
  const g = poolGeometry(xShape, options);
  checkDy(dy, g, "maxPool2dBackward");
  checkDy(indices, g, "maxPool2dBackward (indices)");
  const dx = emptyTensor([...xShape]);
  const tiles = g.kh === g.sh && g.kw === g.sw && g.ph === 0 && g.pw === 0 && g.H === g.Ho * g.kh &&
    g.W === g.Wo * g.kw;
  record(
    tiles ? "maxBackwardTiles" : "maxBackward",
    g,
    0,
    [[bufferOf(dy), "y"], [bufferOf(indices), "y"], [bufferOf(dx), "x"]],
    options.maxBindingBytes,
  );
  return dx;
}

/**
 * Average pool of x [N, C, H, W] → [N, C, Ho, Wo].
 *
 * @example
 * ```ts
 * import { ready } from "./runtime/runtime.ts";
 * import { readAll, upload } from "./runtime/tensor.ts";
 * import { avgPool2d } from "./pool.ts";
 * await ready();
 * const x = upload(new Float32Array([1, 2, 3, 4]), [1, 1, 2, 2]);
 * console.log((await readAll([avgPool2d(x, { kernel: 2, padding: 1 })]))[0]); // Float32Array [0.25, 0.5, 0.75, 1]
 * ```
 */
export function avgPool2d(x: tf.Tensor, options: AvgPoolOptions): tf.Tensor {
  const g = poolGeometry(x.shape, options);
  const y = emptyTensor([g.N, g.C, g.Ho, g.Wo]);
  const flag = options.countIncludePad === false ? 0 : 1;
  record("avgForward", g, flag, [[bufferOf(x), "x"], [bufferOf(y), "y"]], options.maxBindingBytes);
  return y;
}

/**
 * dL/dx of `avgPool2d` given dy [N, C, Ho, Wo]; `xShape` is the input's shape.
 *
 * @example
 * ```ts
 * import { ready } from "./runtime/runtime.ts";
 * import { readAll, upload } from "./runtime/tensor.ts";
 * import { avgPool2dBackward } from "./pool.ts";
 * await ready();
 * const dy = upload(new Float32Array([4]), [1, 1, 1, 1]);
 * console.log((await readAll([avgPool2dBackward(dy, [1, 1, 2, 2], { kernel: 2 })]))[0]); // Float32Array [1, 1, 1, 1]
 * ```
 */
export function avgPool2dBackward(
  dy: tf.Tensor,
  xShape: readonly number[],
  options: AvgPoolOptions,
): tf.Tensor {
  const g = poolGeometry(xShape, options);
  checkDy(dy, g, "avgPool2dBackward");
  const dx = emptyTensor([...xShape]);
  const flag = options.countIncludePad === false ? 0 : 1;
  record("avgBackward", g, flag, [[bufferOf(dy), "y"], [bufferOf(dx), "x"]], options.maxBindingBytes);
  return dx;
}

/** Options of adaptive and global pooling. */
export interface AdaptiveOptions {
  /** Largest binding in bytes (default: the device's); lowered by tests to exercise plane chunks. */
  maxBindingBytes?: number;
}

/**
 * Adaptive average pool of x [N, C, H, W] to [N, C, Ho, Wo]: output (oh, ow) averages rows
 * [⌊oh·H/Ho⌋, ⌈(oh+1)·H/Ho⌉) and the same columns rule (PyTorch's).
 *
 * @example
 * ```ts
 * import { ready } from "./runtime/runtime.ts";
 * import { readAll, upload } from "./runtime/tensor.ts";
 * import { adaptiveAvgPool2d } from "./pool.ts";
 * await ready();
 * const x = upload(new Float32Array([1, 2, 3, 4, 5]), [1, 1, 1, 5]);
 * console.log((await readAll([adaptiveAvgPool2d(x, [1, 3])]))[0]); // Float32Array [1.5, 3, 4.5]
 * ```
 */
export function adaptiveAvgPool2d(x: tf.Tensor, outSize: Pair, options: AdaptiveOptions = {}): tf.Tensor {
  const g = adaptiveGeometry(x.shape, outSize);
  const y = emptyTensor([g.N, g.C, g.Ho, g.Wo]);
  record("adaptiveForward", g, 0, [[bufferOf(x), "x"], [bufferOf(y), "y"]], options.maxBindingBytes);
  return y;
}

/**
 * dL/dx of `adaptiveAvgPool2d` given dy [N, C, Ho, Wo]; `xShape` is the input's shape.
 *
 * @example
 * ```ts
 * import { ready } from "./runtime/runtime.ts";
 * import { readAll, upload } from "./runtime/tensor.ts";
 * import { adaptiveAvgPool2dBackward } from "./pool.ts";
 * await ready();
 * const dy = upload(new Float32Array([2, 3, 4]), [1, 1, 1, 3]);
 * console.log((await readAll([adaptiveAvgPool2dBackward(dy, [1, 1, 1, 5])]))[0]); // Float32Array [1, 2, 1, 3, 2]
 * ```
 */
export function adaptiveAvgPool2dBackward(
  dy: tf.Tensor,
  xShape: readonly number[],
  options: AdaptiveOptions = {},
): tf.Tensor {
  const g = adaptiveGeometry(xShape, [dy.shape[2] ?? 0, dy.shape[3] ?? 0]);
  checkDy(dy, g, "adaptiveAvgPool2dBackward");
  const dx = emptyTensor([...xShape]);
  record("adaptiveBackward", g, 0, [[bufferOf(dy), "y"], [bufferOf(dx), "x"]], options.maxBindingBytes);
  return dx;
}

/**
 * Global average pool: the mean of each plane of x [N, C, H, W] → [N, C, 1, 1] (adaptive pool to 1 × 1).
 *
 * @example
 * ```ts
 * import { ready } from "./runtime/runtime.ts";
 * import { readAll, upload } from "./runtime/tensor.ts";
 * import { globalAvgPool2d } from "./pool.ts";
 * await ready();
 * const x = upload(new Float32Array([1, 2, 3, 6]), [1, 1, 2, 2]);
 * console.log((await readAll([globalAvgPool2d(x)]))[0]); // Float32Array [3]
 * ```
 */
export function globalAvgPool2d(x: tf.Tensor, options: AdaptiveOptions = {}): tf.Tensor {
  return adaptiveAvgPool2d(x, 1, options);
}

/**
 * dL/dx of `globalAvgPool2d`: dy [N, C, 1, 1] spread evenly over each plane of `xShape`.
 *
 * @example
 * ```ts
 * import { ready } from "./runtime/runtime.ts";
 * import { readAll, upload } from "./runtime/tensor.ts";
 * import { globalAvgPool2dBackward } from "./pool.ts";
 * await ready();
 * const dy = upload(new Float32Array([8]), [1, 1, 1, 1]);
 * console.log((await readAll([globalAvgPool2dBackward(dy, [1, 1, 2, 2])]))[0]); // Float32Array [2, 2, 2, 2]
 * ```
 */
export function globalAvgPool2dBackward(
  dy: tf.Tensor,
  xShape: readonly number[],
  options: AdaptiveOptions = {},
): tf.Tensor {
  return adaptiveAvgPool2dBackward(dy, xShape, options);
}

function checkDy(dy: tf.Tensor, g: PoolGeometry, what: string): void {
  const want = [g.N, g.C, g.Ho, g.Wo];
  if (dy.rank !== 4 || dy.shape.some((d, i) => d !== want[i])) {
    throw new RangeError(`${what}: [${dy.shape}] should be [${want}]`);
  }
}

// ---------------------------------------------------------------------------------------------------------
// TypeScript references: forwards as the definition, backwards as the adjoint (scatter) of the forward —
// not the gather the kernels use.

/** Calls f(plane, oh, ow, [hs, he, ws, we]) for every output of a max/average pool, its window clamped. */
function forEachWindow(
  g: PoolGeometry,
  f: (plane: number, o: number, window: [number, number, number, number]) => void,
  adaptive = false,
): void {
  for (let plane = 0; plane < g.N * g.C; plane++) {
    for (let oh = 0; oh < g.Ho; oh++) {
      for (let ow = 0; ow < g.Wo; ow++) {
        const window: [number, number, number, number] = adaptive
          ? [
            Math.floor((oh * g.H) / g.Ho),
            Math.ceil(((oh + 1) * g.H) / g.Ho),
            Math.floor((ow * g.W) / g.Wo),
            Math.ceil(((ow + 1) * g.W) / g.Wo),
          ]
          : [
            Math.max(oh * g.sh - g.ph, 0),
            Math.min(oh * g.sh - g.ph + g.kh, g.H),
            Math.max(ow * g.sw - g.pw, 0),
            Math.min(ow * g.sw - g.pw + g.kw, g.W),
          ];
        f(plane, (plane * g.Ho + oh) * g.Wo + ow, window);
      }
    }
  }
}

/**
 * TypeScript reference of `maxPool2d`.
 *
 * @example
 * ```ts
 * import { maxPool2dReference, poolGeometry } from "./pool.ts";
 * const { y, indices } = maxPool2dReference([1, 3, 2, 0], poolGeometry([1, 1, 2, 2], { kernel: 2 }));
 * console.log(y, indices); // Float32Array [3] Int32Array [1]
 * ```
 */
export function maxPool2dReference(
  x: ArrayLike<number>,
  g: PoolGeometry,
): { y: Float32Array; indices: Int32Array } {
  const y = new Float32Array(g.N * g.C * g.Ho * g.Wo), indices = new Int32Array(y.length);
  forEachWindow(g, (plane, o, [hs, he, ws, we]) => {
    let best = -Infinity, idx = hs * g.W + ws;
    for (let h = hs; h < he; h++) {
      for (let w = ws; w < we; w++) {
        const v = x[plane * g.H * g.W + h * g.W + w]!;
        if (v > best || Number.isNaN(v)) [best, idx] = [v, h * g.W + w];
      }
    }
    [y[o], indices[o]] = [best, idx];
  });
  return { y, indices };
}

/**
 * TypeScript reference of `maxPool2dBackward`.
 *
 * @example
 * ```ts
 * import { maxPool2dBackwardReference, poolGeometry } from "./pool.ts";
 * console.log(maxPool2dBackwardReference([5], [1], poolGeometry([1, 1, 2, 2], { kernel: 2 }))); // Float64Array [0, 5, 0, 0]
 * ```
 */
export function maxPool2dBackwardReference(
  dy: ArrayLike<number>,
  indices: ArrayLike<number>,
  g: PoolGeometry,
): Float64Array {
  const dx = new Float64Array(g.N * g.C * g.H * g.W);
  forEachWindow(g, (plane, o) => (dx[plane * g.H * g.W + indices[o]!] += dy[o]!));
  return dx;
}

const divisor = (g: PoolGeometry, [hs, he, ws, we]: number[], countIncludePad: boolean) =>
  countIncludePad ? g.kh * g.kw : (he! - hs!) * (we! - ws!);

/**
 * TypeScript reference of `avgPool2d` (and of `adaptiveAvgPool2d` with `adaptive`).
 *
 * @example
 * ```ts
 * import { adaptiveGeometry, avgPool2dReference } from "./pool.ts";
 * console.log(avgPool2dReference([1, 2, 3], adaptiveGeometry([1, 1, 1, 3], [1, 2]), { adaptive: true })); // Float64Array [1.5, 2.5]
 * ```
 */
export function avgPool2dReference(
  x: ArrayLike<number>,
  g: PoolGeometry,
  { countIncludePad = true, adaptive = false } = {},
): Float64Array {
  const y = new Float64Array(g.N * g.C * g.Ho * g.Wo);
  forEachWindow(g, (plane, o, win) => {
    const [hs, he, ws, we] = win;
    let s = 0;
    for (let h = hs; h < he; h++) for (let w = ws; w < we; w++) s += x[plane * g.H * g.W + h * g.W + w]!;
    y[o] = s / divisor(g, win, countIncludePad && !adaptive);
  }, adaptive);
  return y;
}

/**
 * TypeScript reference of `avgPool2dBackward` (and of `adaptiveAvgPool2dBackward` with `adaptive`).
 *
 * @example
 * ```ts
 * import { avgPool2dBackwardReference, poolGeometry } from "./pool.ts";
 * console.log(avgPool2dBackwardReference([4], poolGeometry([1, 1, 2, 2], { kernel: 2 }))); // Float64Array [1, 1, 1, 1]
 * ```
 */
export function avgPool2dBackwardReference(
  dy: ArrayLike<number>,
  g: PoolGeometry,
  { countIncludePad = true, adaptive = false } = {},
): Float64Array {
  const dx = new Float64Array(g.N * g.C * g.H * g.W);
  forEachWindow(g, (plane, o, win) => {
    const [hs, he, ws, we] = win;
    const share = dy[o]! / divisor(g, win, countIncludePad && !adaptive);
    for (let h = hs; h < he; h++) for (let w = ws; w < we; w++) dx[plane * g.H * g.W + h * g.W + w] += share;
  }, adaptive);
  return dx;
}
