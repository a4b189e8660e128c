/**
 * What every layer is: parameters with gradients, a forward pass that remembers what its backward pass
 * needs (in training mode only), and a backward pass that fills the parameter gradients and returns the
 * gradient with respect to its input. Layers only record GPU work.
 *
 * Ownership: a layer keeps a *reference* to its input between forward and backward; the caller (a
 * `Sequential`, a model) owns every tensor it passes in and disposes it after the backward pass.
 *
 * @module
 */

import type * as tf from "npm:@tensorflow/tfjs-core@4.22.0";

/** A trainable tensor and its gradient from the last backward pass. */
export interface Param {
  /** Dotted name, unique within a model (e.g. "fc1.weight"). */
  name: string;
  /** The value, updated in place by the optimizer. */
  value: tf.Tensor;
  /** ∂loss/∂value from the last backward pass (null before the first). */
  grad: tf.Tensor | null;
  /** Whether weight decay applies (it does to every parameter in DeepCore). */
  decay: boolean;
}

/** Training or evaluation (dropout, batch-norm statistics). */
export type Mode = "train" | "eval";

/** A non-trainable tensor a layer keeps and checkpoints (batch norm's running statistics). */
export interface Buffer {
  /** Dotted name, unique within a model (e.g. "bn1.running_mean"). */
  name: string;
  /** The value, updated in place by the layer. */
  value: tf.Tensor;
}

/** A layer: forward, backward, parameters. */
export interface Layer {
  /** Parameters (empty for parameter-free layers). */
  readonly params: Param[];
  /** Non-trainable state saved with the weights (none for most layers). */
  readonly buffers?: Buffer[];
  /** y = f(x). In "train" mode the layer keeps what `backward` needs. */
  forward(x: tf.Tensor, mode: Mode): tf.Tensor;
  /**
   * Given ∂L/∂y of the last training forward, sets the parameter gradients and returns ∂L/∂x — or null
   * when `inputGrad` is false and the layer can skip computing it (the network's first layer: nobody
   * needs the gradient with respect to the images).
   */
  backward(dy: tf.Tensor, inputGrad?: boolean): tf.Tensor | null;
}

/** Replaces `param.grad` by `grad`, disposing the previous one. */
export function setGrad(param: Param, grad: tf.Tensor): void {
  param.grad?.dispose();
  param.grad = grad;
}

/** The input a layer kept for its backward pass, or a clear error when there was no training forward. */
export function saved(x: tf.Tensor | null, layer: string): tf.Tensor {
  if (!x) throw new Error(`${layer}: backward without a training-mode forward`);
  return x;
}
