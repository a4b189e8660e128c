/**
 * Training and evaluation loops (training.md §4, §6): seeded shuffles, mini-batches with the last partial
 * batch kept, optional per-sample weights (weighted coresets: loss = Σwℓ/Σw per batch), a learning rate
 * per iteration, and one readback per epoch — per-batch losses and predictions stay on the GPU until the
 * epoch ends.
 *
 * @module
 */

import * as tf from "npm:@tensorflow/tfjs-core@4.22.0";
import { reduce } from "../kernels/reduce.ts";
import { permutationReference } from "../kernels/rng.ts";
import { readAll, upload } from "../kernels/runtime/tensor.ts";
import { runtime } from "../kernels/runtime/runtime.ts";
import { crossEntropy, crossEntropyBackward } from "../kernels/softmax.ts";
import type { Classifier } from "../models/classifier.ts";
import type { LabeledImages } from "./data.ts";
import type { Optimizer } from "./optimizer.ts";
import { Progress } from "./progress.ts";

/** Loss and accuracy of one pass over data. */
export interface EpochStats {
  /** Mean cross-entropy (unweighted mean over samples). */
  loss: number;
  /** Fraction of samples whose highest logit is their label. */
  accuracy: number;
  /** Samples seen. */
  samples: number;
  /** Wall seconds. */
  seconds: number;
}

/** Options of one training epoch. */
export interface EpochOptions {
  /** Which samples to train on (default: all), e.g. a coreset. */
  indices?: Int32Array;
  /** Per-sample weights aligned with `indices` (weighted coresets). */
  weights?: Float32Array;
  /** Batch size (last partial batch kept). */
  batchSize: number;
  /** Learning rate of iteration t (0-based, counted over the whole run). */
  lr: (iteration: number) => number;
  /** First iteration number of this epoch. */
  iteration: number;
  /** Seed of the shuffle and augmentation. */
  seed: number;
  /** Epoch number (the shuffle's stream). */
  epoch: number;
  /** Apply the dataset's training augmentation. */
  augment?: boolean;
  /** Shuffle (default true). */
  shuffle?: boolean;
  /** Called after each batch is recorded (e.g. a selection method's per-batch hook). */
  onBatch?: (batch: Int32Array, logits: tf.Tensor) => void;
  /** Progress label, or null for none. */
  progress?: string | null;
  /** No progress output. */
  quiet?: boolean;
  /** Aborts between batches (Ctrl-C): the epoch throws the signal's reason. */
  signal?: AbortSignal;
}

/**
 * One epoch of training. Returns the epoch's statistics (read back once at its end).
 *
 * @example
 * ```ts
 * import { ready } from "../kernels/runtime/runtime.ts";
 * import { upload } from "../kernels/runtime/tensor.ts";
 * import { createModel } from "../models/registry.ts";
 * import { Optimizer } from "./optimizer.ts";
 * import { trainEpoch } from "./train.ts";
 * await ready();
 * const data = { count: 8, labels: Int32Array.from({ length: 8 }, (_, i) => i % 2),
 *   images: (idx: ArrayLike<number>) => upload(new Float32Array(idx.length * 4).fill(0.5), [idx.length, 1, 2, 2]) };
 * const model = createModel("MLP", { channels: 1, imageSize: [2, 2], numClasses: 2, seed: 0 });
 * const stats = await trainEpoch(model, data, new Optimizer(model.params), { batchSize: 4, lr: () => 0.1, iteration: 0, seed: 0, epoch: 0, quiet: true });
 * console.log(stats.samples); // 8
 * ```
 */
export async function trainEpoch(
  model: Classifier,
  data: LabeledImages,
  optimizer: Optimizer,
  options: EpochOptions,
): Promise<EpochStats> {
  const start = performance.now();
  const subset = options.indices ?? Int32Array.from({ length: data.count }, (_, i) => i);
  const n = subset.length;
  const order = options.shuffle === false
    ? Int32Array.from({ length: n }, (_, i) => i)
    : permutationReference(
      n,
      options.seed,
      options.epoch,
    );
  const batches = Math.ceil(n / options.batchSize);
  const progress = options.progress === null
    ? null
    : new Progress(options.progress ?? `epoch ${options.epoch + 1}`, batches, "batch", {
      quiet: options.quiet,
    });
  const losses: tf.Tensor[] = [], predictions: tf.Tensor[] = [], labelsSeen: Int32Array[] = [];
  for (let b = 0; b < batches; b++) {
    options.signal?.throwIfAborted();
    const positions = order.subarray(b * options.batchSize, Math.min(n, (b + 1) * options.batchSize));
    const indices = Int32Array.from(positions, (p) => subset[p]!);
    const labels = Int32Array.from(indices, (i) => data.labels[i]!);
    const weights = options.weights ? Float32Array.from(positions, (p) => options.weights![p]!) : null;
    const iteration = options.iteration + b;
    const x = await data.images(
      indices,
      options.augment ? { augment: { seed: options.seed, stream: iteration } } : {},
    );
    const { logits } = model.forward(x, "train");
    options.onBatch?.(indices, logits);
    const weightSum = weights ? weights.reduce((s, w) => s + w, 0) : indices.length;
    const weightTensor = weights ? upload(weights, [weights.length]) : null;
    const dlogits = crossEntropyBackward(logits, labels, weightTensor, 1 / weightSum);
    model.backward(dlogits);
    optimizer.update(options.lr(iteration));
    losses.push(crossEntropy(logits, labels));
    predictions.push(reduce("argmax", logits, 1));
    labelsSeen.push(labels);
    tf.dispose([x, logits, dlogits, ...(weightTensor ? [weightTensor] : [])]);
    runtime().recorder.flush(); // let the GPU work on this batch while the next one is recorded
    progress?.update(b + 1);
  }
  const stats = await summarise(losses, predictions, labelsSeen, start);
  progress?.done(`loss ${stats.loss.toFixed(4)} acc ${(100 * stats.accuracy).toFixed(2)}%`);
  return stats;
}

/**
 * Loss and accuracy of `model` on `data` in evaluation mode, in batches of `batchSize`.
 *
 * @example
 * ```ts
 * import { ready } from "../kernels/runtime/runtime.ts";
 * import { upload } from "../kernels/runtime/tensor.ts";
 * import { createModel } from "../models/registry.ts";
 * import { evaluate } from "./train.ts";
 * await ready();
 * const data = { count: 3, labels: Int32Array.of(0, 1, 0),
 *   images: (idx: ArrayLike<number>) => upload(new Float32Array(idx.length), [idx.length, 1, 1, 1]) };
 * const model = createModel("MLP", { channels: 1, imageSize: [1, 1], numClasses: 2, seed: 0 });
 * console.log((await evaluate(model, data, 2)).samples); // 3
 * ```
 */
export async function evaluate(
  model: Classifier,
  data: LabeledImages,
  batchSize: number,
  options: { progress?: string | null; quiet?: boolean } = {},
): Promise<EpochStats> {
  const start = performance.now();
  const batches = Math.ceil(data.count / batchSize);
  const progress = options.progress === null || options.progress === undefined
    ? null
    : new Progress(options.progress, batches, "batch", { quiet: options.quiet });
  const losses: tf.Tensor[] = [], predictions: tf.Tensor[] = [], labelsSeen: Int32Array[] = [];
  for (let b = 0; b < batches; b++) {
    const indices = Int32Array.from(
      { length: Math.min(batchSize, data.count - b * batchSize) },
      (_, i) => b * batchSize + i,
    );
    const labels = data.labels.subarray(b * batchSize, b * batchSize + indices.length);
    const x = await data.images(indices);
    const { logits } = model.forward(x, "eval");
    losses.push(crossEntropy(logits, labels));
    predictions.push(reduce("argmax", logits, 1));
    labelsSeen.push(labels);
    tf.dispose([x, logits]);
    runtime().recorder.flush();
    progress?.update(b + 1);
  }
  const stats = await summarise(losses, predictions, labelsSeen, start);
  progress?.done(`acc ${(100 * stats.accuracy).toFixed(2)}%`);
  return stats;
}

async function summarise(
  losses: tf.Tensor[],
  predictions: tf.Tensor[],
  labels: Int32Array[],
  start: number,
): Promise<EpochStats> {
  const values = await readAll([...losses, ...predictions]);
  tf.dispose([...losses, ...predictions]);
  let lossSum = 0, correct = 0, samples = 0;
  labels.forEach((y, b) => {
    const l = values[b]!, p = values[labels.length + b]!;
    for (let i = 0; i < y.length; i++) {
      lossSum += l[i]!;
      if (p[i] === y[i]) correct++;
    }
    samples += y.length;
  });
  return {
    loss: lossSum / Math.max(samples, 1),
    accuracy: correct / Math.max(samples, 1),
    samples,
    seconds: (performance.now() - start) / 1000,
  };
}
