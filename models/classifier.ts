/**
 * The shape every deepcore network has: a feature extractor whose output is the **embedding** (the input
 * of the last linear layer, models.md §3) and that last linear layer, the **head**, producing the logits.
 * Selection methods read the embedding and the head's gradients; training runs forward and backward.
 *
 * @module
 */

import * as tf from "npm:@tensorflow/tfjs-core@4.22.0";
import { binary } from "../kernels/elementwise.ts";
import { crossEntropyBackward } from "../kernels/softmax.ts";
import type { Buffer, Layer, Mode, Param } from "./layers/layer.ts";
import type { Linear } from "./layers/linear.ts";

/** What a forward pass returns. */
export interface ForwardResult {
  /** [B, C] logits. */
  logits: tf.Tensor;
  /** [B, D] embedding, when asked for; the caller disposes it. */
  embedding?: tf.Tensor;
}

/** See the module comment. */
export class Classifier {
  #embedding: tf.Tensor | null = null;

  /**
   * A network from its feature extractor and head.
   *
   * @example
   * ```ts
   * import { ready } from "../kernels/runtime/runtime.ts";
   * import { upload } from "../kernels/runtime/tensor.ts";
   * import { createModel } from "./registry.ts";
   * await ready();
   * const net = createModel("MLP", { channels: 1, imageSize: [28, 28], numClasses: 10, seed: 0 });
   * const { logits, embedding } = net.forward(upload(new Float32Array(2 * 784), [2, 1, 28, 28]), "eval", true);
   * console.log(logits.shape, embedding!.shape); // [2, 10] [2, 128]
   * ```
   */
  constructor(readonly name: string, readonly features: Layer, readonly head: Linear) {}

  /** Every parameter, features first. */
  get params(): Param[] {
    return [...this.features.params, ...this.head.params];
  }

  /** Every checkpointed tensor: parameters, then buffers (batch-norm running statistics). */
  get state(): (Param | Buffer)[] {
    return [...this.params, ...(this.features.buffers ?? [])];
  }

  /** Embedding size D. */
  get embeddingDim(): number {
    return this.head.inFeatures;
  }

  /** Number of classes C. */
  get numClasses(): number {
    return this.head.outFeatures;
  }

  /** Number of trainable values. */
  get parameterCount(): number {
    return this.params.reduce((sum, p) => sum + p.value.size, 0);
  }

  /** Logits of a batch [B, C, H, W] (and its embedding when `withEmbedding`). */
  forward(x: tf.Tensor, mode: Mode, withEmbedding = false): ForwardResult {
    this.#embedding?.dispose();
    this.#embedding = null;
    const embedding = this.features.forward(x, mode);
    const logits = this.head.forward(embedding, mode);
    if (withEmbedding) return { logits, embedding: mode === "train" ? embedding.clone() : embedding };
    if (mode === "train") this.#embedding = embedding;
    else embedding.dispose();
    return { logits };
  }

  /**
   * Last-layer gradient features of a batch (what GraNd, Craig, GradMatch and Glister read), per sample
   * and not scaled by the batch size: `logitGrads` [B, C] = ∂ℓᵢ/∂zᵢ = softmax(zᵢ) − onehot(yᵢ) (the bias
   * gradient), `weightGrads` [B, C, D] = its outer product with the embedding eᵢ (the weight gradient), and
   * the embedding and logits themselves. Evaluation mode; the caller disposes every tensor.
   *
   * @example
   * ```ts
   * import { ready } from "../kernels/runtime/runtime.ts";
   * import { upload } from "../kernels/runtime/tensor.ts";
   * import { createModel } from "./registry.ts";
   * await ready();
   * const net = createModel("MLP", { channels: 1, imageSize: [2, 2], numClasses: 3, seed: 0 });
   * const g = net.lastLayerGradients(upload(new Float32Array(8), [2, 1, 2, 2]), Int32Array.of(0, 2));
   * console.log(g.logitGrads.shape, g.weightGrads.shape); // [2, 3] [2, 3, 128]
   * ```
   */
  lastLayerGradients(x: tf.Tensor, labels: Int32Array | tf.Tensor): {
    logits: tf.Tensor;
    embedding: tf.Tensor;
    logitGrads: tf.Tensor;
    weightGrads: tf.Tensor;
  } {
    const { logits, embedding } = this.forward(x, "eval", true);
    const logitGrads = crossEntropyBackward(logits, labels, null, 1);
    const [b, c] = logitGrads.shape as [number, number];
    const weightGrads = tf.tidy(() =>
      binary("mul", tf.reshape(logitGrads, [b, c, 1]), tf.reshape(embedding!, [b, 1, this.embeddingDim]))
    );
    return { logits, embedding: embedding!, logitGrads, weightGrads };
  }

  /** Backward from ∂L/∂logits: fills every parameter's gradient. */
  backward(dlogits: tf.Tensor): void {
    const dEmbedding = this.head.backward(dlogits)!;
    this.features.backward(dEmbedding, false);
    dEmbedding.dispose();
    this.#embedding?.dispose();
    this.#embedding = null;
  }
}
