/**
 * DeepCore's selection stage ("EarlyTrain", methods.md §2): pre-train a fresh network on the whole
 * training set — every sample once per epoch in a seeded random order, no augmentation, a constant
 * learning rate — then read out, in batches on the GPU, what the selection methods need: the embedding
 * (input of the last layer) and the class probabilities of every training sample.
 *
 * @module
 */

import * as tf from "npm:@tensorflow/tfjs-core@4.22.0";
import { concatRows } from "../kernels/runtime/tensor.ts";
import { runtime } from "../kernels/runtime/runtime.ts";
import { softmax } from "../kernels/softmax.ts";
import type { Classifier } from "../models/classifier.ts";
import type { LabeledImages } from "../training/data.ts";
import { Optimizer, type OptimizerOptions } from "../training/optimizer.ts";
import { Progress } from "../training/progress.ts";
import { type EpochStats, trainEpoch } from "../training/train.ts";
import { reduce } from "../kernels/reduce.ts";
import { readAll } from "../kernels/runtime/tensor.ts";

/** Settings of the pre-training (DeepCore's `--selection_*` options). */
export interface PretrainOptions extends OptimizerOptions {
  /** Epochs (0: the freshly initialised network). */
  epochs: number;
  /** Constant learning rate. */
  lr: number;
  /** Batch size. */
  batchSize: number;
  /** Seed of the shuffles. */
  seed: number;
  /** Called after every epoch with its number and training loss/accuracy. */
  onEpoch?: (epoch: number, loss: number, accuracy: number) => void | Promise<void>;
  /** No progress output. */
  quiet?: boolean;
  /** Aborts between batches. */
  signal?: AbortSignal;
}

/**
 * Trains `model` in place on every sample of `train` for `options.epochs` epochs at a constant rate;
 * returns each epoch's training loss and accuracy.
 *
 * @example
 * ```ts
 * import { ready } from "../kernels/runtime/runtime.ts";
 * import { upload } from "../kernels/runtime/tensor.ts";
 * import { createModel } from "../models/registry.ts";
 * import { pretrain } from "./selection_stage.ts";
 * await ready();
 * const data = { count: 4, labels: Int32Array.of(0, 1, 0, 1),
 *   images: (idx: ArrayLike<number>) => upload(new Float32Array(idx.length), [idx.length, 1, 1, 1]) };
 * const model = createModel("MLP", { channels: 1, imageSize: [1, 1], numClasses: 2, seed: 0 });
 * await pretrain(model, data, { epochs: 1, lr: 0.1, batchSize: 2, seed: 0, quiet: true });
 * ```
 */
export async function pretrain(
  model: Classifier,
  train: LabeledImages,
  options: PretrainOptions,
): Promise<EpochStats[]> {
  const optimizer = new Optimizer(model.params, options);
  const perEpoch = Math.ceil(train.count / options.batchSize);
  const history: EpochStats[] = [];
  try {
    for (let epoch = 0; epoch < options.epochs; epoch++) {
      const stats = await trainEpoch(model, train, optimizer, {
        batchSize: options.batchSize,
        lr: () => options.lr,
        iteration: epoch * perEpoch,
        seed: options.seed,
        epoch,
        progress: `selection epoch ${epoch + 1}/${options.epochs}`,
        quiet: options.quiet,
        signal: options.signal,
      });
      history.push(stats);
      await options.onEpoch?.(epoch, stats.loss, stats.accuracy);
    }
    return history;
  } finally {
    optimizer.dispose();
  }
}

/** What the selection methods read, for every training sample, on the GPU. */
export interface SelectionFeatures {
  /** [N, D] embeddings. */
  embeddings: tf.Tensor;
  /** [N, C] class probabilities (softmax of the logits). */
  probs: tf.Tensor;
}

/**
 * Embeddings and probabilities of every sample of `split`, in evaluation mode, in batches of `batchSize`
 * (the batches' outputs are copied into two N-row matrices on the GPU; nothing is read back).
 */
export async function extractFeatures(
  model: Classifier,
  split: LabeledImages,
  batchSize: number,
  options: { quiet?: boolean } = {},
): Promise<SelectionFeatures> {
  const embeddings: tf.Tensor[] = [], probs: tf.Tensor[] = [];
  const batches = Math.ceil(split.count / batchSize);
  const progress = new Progress("features", batches, "batch", { quiet: options.quiet });
  try {
    for (let b = 0; b < batches; b++) {
      const indices = Int32Array.from(
        { length: Math.min(batchSize, split.count - b * batchSize) },
        (_, i) => b * batchSize + i,
      );
      const x = await split.images(indices);
      const { logits, embedding } = model.forward(x, "eval", true);
      embeddings.push(embedding!);
      probs.push(softmax(logits));
      tf.dispose([x, logits]);
      runtime().recorder.flush();
      progress.update(b + 1);
    }
    progress.done();
    return { embeddings: concatRows(embeddings), probs: concatRows(probs) };
  } finally {
    tf.dispose([...embeddings, ...probs]);
  }
}

/** What tells a selection model that learned from one that collapsed (see `collapseCheck`). */
export interface CollapseCheck {
  /** Largest spread (max − min over samples) of any embedding coordinate. */
  embeddingSpread: number;
  /** Largest spread of any class probability. */
  probsSpread: number;
  /**
   * Every sample gets the same embedding (typically all ReLUs dead) or the same probabilities: the
   * model carries no information about the samples, and every method that reads its features
   * only breaks ties.
   */
  collapsed: boolean;
}

/** Spreads below this count as "every sample the same" (float32 noise of a constant network). */
export const COLLAPSE_SPREAD = 1e-6;

/**
 * Checks whether a selection model collapsed: with DeepCore's constant selection learning rate 0.1,
 * LeNet (no batch norm) sometimes ends its first epochs with every ReLU dead, every sample mapped to one
 * embedding and one probability vector. Two column-wise reductions on the GPU, 2·(D + C) numbers read back.
 *
 * @example
 * ```ts
 * import { ready } from "../kernels/runtime/runtime.ts";
 * import { upload } from "../kernels/runtime/tensor.ts";
 * import { collapseCheck } from "./selection_stage.ts";
 * await ready();
 * const dead = { embeddings: upload(new Float32Array(6), [3, 2]), probs: upload(new Float32Array(6).fill(0.5), [3, 2]) };
 * console.log((await collapseCheck(dead)).collapsed); // true
 * ```
 */
export async function collapseCheck(features: SelectionFeatures): Promise<CollapseCheck> {
  const bounds = [features.embeddings, features.probs].flatMap((
    x,
  ) => [reduce("max", x, 0), reduce("min", x, 0)]);
  try {
    const [eHi, eLo, pHi, pLo] = await readAll(bounds);
    const spread = (hi: ArrayLike<number>, lo: ArrayLike<number>) => {
      let widest = 0;
      for (let j = 0; j < hi.length; j++) widest = Math.max(widest, hi[j]! - lo[j]!);
      return widest;
    };
    const embeddingSpread = spread(eHi!, eLo!), probsSpread = spread(pHi!, pLo!);
    return {
      embeddingSpread,
      probsSpread,
      collapsed: !(embeddingSpread > COLLAPSE_SPREAD) || !(probsSpread > COLLAPSE_SPREAD),
    };
  } finally {
    tf.dispose(bounds);
  }
}
