/**
 * Turning a batch of uint8 images into the float32 tensor a network reads: upload the bytes packed four to
 * a u32, then convert, normalise and (for training) crop and flip on the GPU in one kernel — beside the
 * plain TypeScript reference of the same computation and the same random draws.
 *
 * @module
 */

import type * as tf from "npm:@tensorflow/tfjs-core@4.22.0";
import { AUGMENT_CROP, AUGMENT_FLIP, AUGMENT_REFLECT, augmentWgsl } from "./augment_wgsl.ts";
import { grid1d } from "./prelude_wgsl.ts";
import { seedKey, threefry2x32 } from "./rng.ts";
import { runtime } from "./runtime/runtime.ts";
import { bufferOf, emptyTensor, upload } from "./runtime/tensor.ts";
import { ALIGN, bindingElements, windowBinding } from "./runtime/window.ts";

/** DeepCore's training augmentation (CIFAR): a random crop of the padded image, then a random flip. */
export interface AugmentOptions {
  /** Seed of the draws, an integer in [0, 2^53]. */
  seed: number;
  /** Independent draws per stream, e.g. the epoch; an integer in [0, 2^32), default 0. */
  stream?: number;
  /** Random crop of the padded image back to H×W; default true. */
  crop?: boolean;
  /** Pixels of padding on every side before cropping; default 4. */
  pad?: number;
  /** How the padding is filled: "reflect" (DeepCore's, the default) or "zero". */
  padding?: "reflect" | "zero";
  /** Horizontal flip with probability ½; default true. */
  flip?: boolean;
}

/** Options of {@linkcode prepareBatch}. */
export interface PrepareOptions {
  /** Per-channel mean of the pixels scaled to [0, 1] (one value, or one per channel). */
  mean: readonly number[];
  /** Per-channel standard deviation, same length as `mean`. */
  std: readonly number[];
  /** Training augmentation; none when absent. */
  augment?: AugmentOptions;
  /** Largest binding in bytes (default: the device's); lowered by tests to exercise output windows. */
  maxBindingBytes?: number;
}

/** Shape of a batch: images, channels, height, width. */
export type BatchShape = readonly [number, number, number, number];

/** One sample's augmentation draws: crop offsets into the padded image and the flip. */
export interface AugmentDraw {
  /** Row of the padded image where the crop starts, 0..2·pad. */
  top: number;
  /** Column of the padded image where the crop starts, 0..2·pad. */
  left: number;
  /** Whether the crop is mirrored left–right. */
  flip: boolean;
}

/**
 * The draws of sample `id` (its index in the dataset) under `seed` and `stream`, exactly as the kernel
 * makes them: Threefry-2x32-20 at counter (id, stream), top from word x, left from word y (each
 * `((w >>> 8) · (2·pad + 1)) >>> 24`), flip from the low bit of word y.
 *
 * @example
 * ```ts
 * import { augmentDraw } from "./augment.ts";
 * const { top, left, flip } = augmentDraw(42, 0, 7, 4);
 * console.log(top >= 0 && top <= 8 && left >= 0 && left <= 8, typeof flip); // true "boolean"
 * ```
 */
export function augmentDraw(seed: number, stream: number, id: number, pad: number): AugmentDraw {
  const [k0, k1] = seedKey(seed);
  const [x, y] = threefry2x32(k0, k1, id >>> 0, stream >>> 0);
  const span = 2 * pad + 1;
  return {
    top: Math.floor(((x >>> 8) * span) / 2 ** 24),
    left: Math.floor(((y >>> 8) * span) / 2 ** 24),
    flip: (y & 1) === 1,
  };
}

/**
 * Normalised float32 [B, C, H, W] on the GPU from `bytes`, the batch's uint8 pixels in B×C×H×W order:
 * `(v / 255 − mean[c]) / std[c]`, after the crop and flip of `options.augment` when given. `ids` are the
 * samples' dataset indices (they key the random draws; any values when there is no augmentation).
 *
 * @example
 * ```ts
 * import { ready } from "./runtime/runtime.ts";
 * import { readAll } from "./runtime/tensor.ts";
 * import { prepareBatch } from "./augment.ts";
 * await ready();
 * const x = prepareBatch(new Uint8Array([0, 255, 51, 102]), [1, 1, 2, 2], [0], { mean: [0.2], std: [0.5] });
 * console.log((await readAll([x]))[0]); // ≈ [-0.4, 1.6, 0, 0.4]
 * ```
 */
export function prepareBatch(
  bytes: Uint8Array,
  shape: BatchShape,
  ids: ArrayLike<number>,
  options: PrepareOptions,
): tf.Tensor4D {
  const [B, C, H, W] = shape;
  const n = B * C * H * W;
  const { mode, pad, k0, k1, stream } = checkOptions(bytes, shape, ids, options);
  const out = emptyTensor<tf.Rank.R4>([B, C, H, W]);
  if (n === 0) return out;
  const words = new Uint32Array(Math.ceil(n / 4));
  new Uint8Array(words.buffer).set(bytes.subarray(0, n));
  const lim = Math.floor(bindingElements(options.maxBindingBytes) / ALIGN) * ALIGN;
  if (words.length > lim) {
    throw new RangeError(
      `prepareBatch: ${n} bytes of images exceed one storage binding; use smaller batches`,
    );
  }
  const src = upload(new Int32Array(words.buffer), [words.length], "int32");
  const idx = upload(Int32Array.from(ids), [B], "int32");
  const affine = upload(affineOf(options, C), [2 * C]);
  const { recorder } = runtime();
  for (let start = 0; start < n; start += lim) {
    const count = Math.min(lim, n - start);
    const w = windowBinding(bufferOf(out), start, start + count);
    const params = [count, start, w.base, C, H, W, pad, mode, k0, k1, stream];
    recorder.dispatch(augmentWgsl(), grid1d(count), params, [
      bufferOf(src),
      bufferOf(idx),
      bufferOf(affine),
      w.binding,
    ]);
  }
  src.dispose();
  idx.dispose();
  affine.dispose();
  return out;
}

/**
 * TypeScript reference of {@linkcode prepareBatch}: the same draws and the same f32 arithmetic.
 *
 * @example
 * ```ts
 * import { prepareBatchReference } from "./augment.ts";
 * const x = prepareBatchReference(new Uint8Array([0, 255]), [1, 1, 1, 2], [0], { mean: [0], std: [1] });
 * console.log(x); // Float32Array [0, 1]
 * ```
 */
export function prepareBatchReference(
  bytes: Uint8Array,
  shape: BatchShape,
  ids: ArrayLike<number>,
  options: PrepareOptions,
): Float32Array {
  const [B, C, H, W] = shape;
  const { mode, pad } = checkOptions(bytes, shape, ids, options);
  const affine = affineOf(options, C);
  const out = new Float32Array(B * C * H * W);
  const reflect = (v: number, size: number) => (v < 0 ? -v : v >= size ? 2 * (size - 1) - v : v);
  for (let b = 0; b < B; b++) {
    const a = options.augment;
    const d = a && mode !== 0 ? augmentDraw(a.seed, a.stream ?? 0, ids[b]!, pad) : undefined;
    for (let c = 0; c < C; c++) {
      for (let y = 0; y < H; y++) {
        for (let x = 0; x < W; x++) {
          let sy = y, sx = x;
          if (d && mode & AUGMENT_FLIP && d.flip) sx = W - 1 - x;
          if (d && mode & AUGMENT_CROP) {
            sy += d.top - pad;
            sx += d.left - pad;
          }
          if (mode & AUGMENT_REFLECT) {
            sy = reflect(sy, H);
            sx = reflect(sx, W);
          }
          const inside = sy >= 0 && sy < H && sx >= 0 && sx < W;
          const v = inside ? bytes[((b * C + c) * H + sy) * W + sx]! : 0;
          out[((b * C + c) * H + y) * W + x] = Math.fround(
            Math.fround(v * affine[2 * c]!) + affine[2 * c + 1]!,
          );
        }
      }
    }
  }
  return out;
}

/** Per channel [1/(255·std), −mean/std] in f32. */
function affineOf({ mean, std }: PrepareOptions, channels: number): Float32Array {
  const out = new Float32Array(2 * channels);
  for (let c = 0; c < channels; c++) {
    const m = mean.length === 1 ? mean[0]! : mean[c]!;
    const s = std.length === 1 ? std[0]! : std[c]!;
    out[2 * c] = 1 / (255 * s);
    out[2 * c + 1] = -m / s;
  }
  return out;
}

function checkOptions(bytes: Uint8Array, shape: BatchShape, ids: ArrayLike<number>, options: PrepareOptions) {
  const [B, C, H, W] = shape;
  if (![B, C, H, W].every((d) => Number.isInteger(d) && d >= 0)) {
    throw new RangeError(`prepareBatch: shape [${shape}] is not four non-negative integers`);
  }
  if (bytes.length < B * C * H * W) {
    throw new RangeError(`prepareBatch: ${bytes.length} bytes do not fill shape [${shape}]`);
  }
  if (ids.length !== B) throw new RangeError(`prepareBatch: ${ids.length} ids for ${B} images`);
  for (const [name, v] of [["mean", options.mean], ["std", options.std]] as const) {
    if (v.length !== 1 && v.length !== C) {
      throw new RangeError(`prepareBatch: ${name} has ${v.length} values for ${C} channels`);
    }
  }
  if (options.std.some((s) => !(s > 0))) throw new RangeError("prepareBatch: std must be positive");
  const a = options.augment;
  if (!a) return { mode: 0, pad: 0, k0: 0, k1: 0, stream: 0 };
  const crop = a.crop ?? true;
  const pad = crop ? a.pad ?? 4 : 0;
  const reflect = (a.padding ?? "reflect") === "reflect";
  if (!Number.isInteger(pad) || pad < 0 || (reflect && pad >= Math.min(H, W)) || pad > 1 << 16) {
    throw new RangeError(
      `prepareBatch: pad ${pad} must be an integer in [0, ${reflect ? "H, W)" : "65536]"}`,
    );
  }
  const stream = a.stream ?? 0;
  if (!Number.isInteger(stream) || stream < 0 || stream > 0xffffffff) {
    throw new RangeError(`prepareBatch: stream ${stream} is not an integer in [0, 2^32)`);
  }
  const [k0, k1] = seedKey(a.seed);
  const mode = (crop ? AUGMENT_CROP : 0) | ((a.flip ?? true) ? AUGMENT_FLIP : 0) |
    (crop && reflect ? AUGMENT_REFLECT : 0);
  return { mode, pad, k0, k1, stream };
}
