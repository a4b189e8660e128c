/**
 * A residual block: y = ReLU(main(x) + shortcut(x)), the shortcut being the identity or a projection.
 * Backward: dsum = ReLU′·dy; dx = main′(dsum) + shortcut′(dsum) (dsum itself for the identity).
 *
 * @module
 */

import * as tf from "npm:@tensorflow/tfjs-core@4.22.0";
import { binary } from "../../kernels/elementwise.ts";
import type { Activation } from "../../kernels/activation.ts";
import { ActivationLayer } from "./activation.ts";
import type { Buffer, Layer, Mode, Param } from "./layer.ts";

/** See the module comment. */
export class Residual implements Layer {
  #relu: ActivationLayer;
  #sum: tf.Tensor | null = null;

  /**
   * A block from its main path and its shortcut (null: identity); the activation after the sum is ReLU
   * unless given (gradient checks use a smooth one).
   *
   * @example
   * ```ts
   * import { ready } from "../../kernels/runtime/runtime.ts";
   * import { upload } from "../../kernels/runtime/tensor.ts";
   * import { Conv2d } from "./conv2d.ts";
   * import { Residual } from "./residual.ts";
   * await ready();
   * const block = new Residual(new Conv2d("c", { inChannels: 2, outChannels: 2, kernel: 3, padding: 1 }, { seed: 0, stream: 0 }), null);
   * console.log(block.forward(upload(new Float32Array(2 * 16), [1, 2, 4, 4]), "eval").shape); // [1, 2, 4, 4]
   * ```
   */
  constructor(readonly main: Layer, readonly shortcut: Layer | null, activation: Activation = "relu") {
    this.#relu = new ActivationLayer(activation);
  }

  /** Both paths' parameters. */
  get params(): Param[] {
    return [...this.main.params, ...(this.shortcut?.params ?? [])];
  }

  /** Both paths' buffers. */
  get buffers(): Buffer[] {
    return [...(this.main.buffers ?? []), ...(this.shortcut?.buffers ?? [])];
  }

  /** y = ReLU(main(x) + shortcut(x)). */
  forward(x: tf.Tensor, mode: Mode): tf.Tensor {
    this.#sum?.dispose();
    this.#sum = null;
    const a = this.main.forward(x, mode);
    const s = this.shortcut ? this.shortcut.forward(x, mode) : x;
    const sum = binary("add", a, s);
    a.dispose();
    if (this.shortcut) s.dispose();
    const y = this.#relu.forward(sum, mode);
    if (mode === "train") this.#sum = sum; // the ReLU's backward reads it
    else sum.dispose();
    return y;
  }

  /** dx through both paths. */
  backward(dy: tf.Tensor): tf.Tensor {
    const dsum = this.#relu.backward(dy)!;
    this.#sum?.dispose();
    this.#sum = null;
    const dMain = this.main.backward(dsum)!;
    const dShort = this.shortcut ? this.shortcut.backward(dsum)! : dsum;
    const dx = binary("add", dMain, dShort);
    tf.dispose(this.shortcut ? [dMain, dShort, dsum] : [dMain, dsum]);
    return dx;
  }
}
