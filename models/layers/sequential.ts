/**
 * Layers applied in order; backward in reverse. The sequence owns the intermediate tensors between its
 * layers and disposes them once they are no longer needed (after the backward pass in training mode,
 * immediately in evaluation mode).
 *
 * @module
 */

import type * as tf from "npm:@tensorflow/tfjs-core@4.22.0";
import type { Buffer, Layer, Mode, Param } from "./layer.ts";

/** See the module comment. */
export class Sequential implements Layer {
  #intermediates: tf.Tensor[] = [];

  /**
   * The layers, in order.
   *
   * @example
   * ```ts
   * import { ready } from "../../kernels/runtime/runtime.ts";
   * import { upload } from "../../kernels/runtime/tensor.ts";
   * import { ActivationLayer } from "./activation.ts";
   * import { Linear } from "./linear.ts";
   * import { Sequential } from "./sequential.ts";
   * await ready();
   * const net = new Sequential([new Linear("fc", 4, 3, { seed: 0, stream: 0 }), new ActivationLayer("relu")]);
   * console.log(net.forward(upload(new Float32Array(8), [2, 4]), "eval").shape); // [2, 3]
   * ```
   */
  constructor(readonly layers: Layer[]) {}

  /** Every layer's parameters, in order. */
  get params(): Param[] {
    return this.layers.flatMap((l) => l.params);
  }

  /** Every layer's buffers, in order. */
  get buffers(): Buffer[] {
    return this.layers.flatMap((l) => l.buffers ?? []);
  }

  /** The layers applied in order. */
  forward(x: tf.Tensor, mode: Mode): tf.Tensor {
    this.#dispose();
    let h = x;
    this.layers.forEach((layer, i) => {
      const next = layer.forward(h, mode);
      if (i > 0) {
        if (mode === "train") this.#intermediates.push(h);
        else h.dispose();
      }
      h = next;
    });
    return h;
  }

  /**
   * The layers' backward passes in reverse order. Without `inputGrad`, the pass stops at the first layer
   * with parameters: the layers before it have no gradients to fill, and that layer skips its ∂L/∂x.
   */
  backward(dy: tf.Tensor, inputGrad = true): tf.Tensor | null {
    const first = inputGrad ? 0 : this.layers.findIndex((l) => l.params.length > 0);
    let g: tf.Tensor | null = dy;
    for (let i = this.layers.length - 1; i >= Math.max(first, 0) && g; i--) {
      const next: tf.Tensor | null = this.layers[i]!.backward(g, inputGrad || i > first);
      if (g !== dy) g.dispose();
      g = next;
    }
    this.#dispose();
    if (!inputGrad) {
      if (g !== dy) g?.dispose();
      return null;
    }
    return g;
  }

  #dispose(): void {
    for (const t of this.#intermediates) t.dispose();
    this.#intermediates = [];
  }
}
