/**
 * What training and evaluation read: labelled images that can be turned into normalised GPU batches.
 * Every dataset in `datasets/` provides this; so can a user's own data.
 *
 * @module
 */

import type * as tf from "npm:@tensorflow/tfjs-core@4.22.0";

/** Where a batch's random augmentation draws come from. */
export interface AugmentDraw {
  /** The run's seed. */
  seed: number;
  /** A stream unique to this batch (e.g. the global step). */
  stream: number;
}

/** Labelled images, batched on demand. */
export interface LabeledImages {
  /** Number of samples. */
  readonly size: number;
  /** Label of every sample, 0..C−1. */
  readonly labels: Int32Array;
  /** [C, H, W] of one image. */
  readonly imageShape: readonly [number, number, number];
  /** Number of classes C. */
  readonly numClasses: number;
  /**
   * The samples `indices` as a normalised float32 [B, C, H, W] tensor on the GPU, with the dataset's
   * training augmentation when `augment` is given (and the dataset has one).
   */
  batch(indices: Int32Array, augment?: AugmentDraw): tf.Tensor;
}
