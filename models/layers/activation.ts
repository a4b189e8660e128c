/**
 * Activation layers (ReLU, ReLU6, Hardswish, Hardsigmoid, Sigmoid, Tanh): y = f(x), dx = dy·f′. ReLU-like
 * derivatives are taken from the input, Sigmoid's and Tanh's from the output (kernels/activation.ts).
 *
 * @module
 */

import type * as tf from "npm:@tensorflow/tfjs-core@4.22.0";
import { type Activation, activation, activationBackward } from "../../kernels/activation.ts";
import { type Layer, type Mode, type Param, saved } from "./layer.ts";

const FROM_OUTPUT: ReadonlySet<Activation> = new Set(["sigmoid", "tanh"]);

/** See the module comment. */
export class ActivationLayer implements Layer {
  /** None. */
  readonly params: Param[] = [];
  #saved: tf.Tensor | null = null;
  #ownsSaved = false;

  /**
   * An activation of the given kind.
   *
   * @example
   * ```ts
   * import { ready } from "../../kernels/runtime/runtime.ts";
   * import { readAll, upload } from "../../kernels/runtime/tensor.ts";
   * import { ActivationLayer } from "./activation.ts";
   * await ready();
   * const relu = new ActivationLayer("relu");
   * console.log((await readAll([relu.forward(upload(new Float32Array([-1, 2]), [2]), "eval")]))[0]); // [0, 2]
   * ```
   */
  constructor(readonly kind: Activation) {}

  /** y = f(x). */
  forward(x: tf.Tensor, mode: Mode): tf.Tensor {
    this.#release();
    const y = activation(this.kind, x);
    if (mode === "train") {
      // Sigmoid/Tanh differentiate from y, which the caller may dispose: keep our own reference.
      this.#saved = FROM_OUTPUT.has(this.kind) ? y.clone() : x;
      this.#ownsSaved = FROM_OUTPUT.has(this.kind);
    }
    return y;
  }

  /** dx = dy·f′. */
  backward(dy: tf.Tensor): tf.Tensor {
    const dx = activationBackward(this.kind, dy, saved(this.#saved, this.kind));
    this.#release();
    return dx;
  }

  #release(): void {
    if (this.#ownsSaved) this.#saved?.dispose();
    this.#saved = null;
    this.#ownsSaved = false;
  }
}
