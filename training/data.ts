/**
 * What training and evaluation read: labelled images that can be turned into normalised GPU batches.
 * Every dataset split in `datasets/` (`Split`) is one; so can a user's own data be.
 *
 * @module
 */

import type * as tf from "npm:@tensorflow/tfjs-core@4.22.0";
import type { AugmentOptions } from "../kernels/augment.ts";

/** Labelled images, batched on demand. */
export interface LabeledImages {
  /** Number of samples. */
  readonly count: number;
  /** Label of every sample, 0..C−1. */
  readonly labels: Int32Array;
  /**
   * The samples `indices` as a normalised float32 [B, C, H, W] tensor on the GPU, with the dataset's
   * training augmentation drawn from `options.augment` when given.
   */
  images(indices: ArrayLike<number>, options?: { augment?: AugmentOptions }): Promise<tf.Tensor> | tf.Tensor;
}
