/**
 * Linear layer, y = x·Wᵀ + b, with W [out, in] as PyTorch stores it. Forward and backward side by side:
 *   dx = dy·W,  dW = dyᵀ·x,  db = Σ_batch dy.
 *
 * @module
 */

import type * as tf from "npm:@tensorflow/tfjs-core@4.22.0";
import { binary } from "../../kernels/elementwise.ts";
import { matmul } from "../../kernels/matmul.ts";
import { reduce } from "../../kernels/reduce.ts";
import { type InitSource, uniformInit } from "./init.ts";
import { type Layer, type Mode, type Param, saved, setGrad } from "./layer.ts";

/** See the module comment. */
export class Linear implements Layer {
  /** [weight, bias?]. */
  readonly params: Param[];
  #x: tf.Tensor | null = null;

  /**
   * A layer from `inFeatures` to `outFeatures`, initialised as PyTorch does: W and b ~ U(±1/√in).
   *
   * @example
   * ```ts
   * import { ready } from "../../kernels/runtime/runtime.ts";
   * import { upload } from "../../kernels/runtime/tensor.ts";
   * import { Linear } from "./linear.ts";
   * await ready();
   * const fc = new Linear("fc", 3, 2, { seed: 0, stream: 0 });
   * console.log(fc.forward(upload(new Float32Array(6), [2, 3]), "eval").shape); // [2, 2]
   * ```
   */
  constructor(
    name: string,
    readonly inFeatures: number,
    readonly outFeatures: number,
    init: InitSource,
    bias = true,
  ) {
    const bound = 1 / Math.sqrt(inFeatures);
    this.params = [{
      name: `${name}.weight`,
      value: uniformInit([outFeatures, inFeatures], bound, init),
      grad: null,
      decay: true,
    }];
    if (bias) {
      const source = { seed: init.seed, stream: init.stream + 1 };
      this.params.push({
        name: `${name}.bias`,
        value: uniformInit([outFeatures], bound, source),
        grad: null,
        decay: true,
      });
    }
  }

  /** The weight [out, in]. */
  get weight(): Param {
    return this.params[0]!;
  }

  /** The bias [out], if any. */
  get bias(): Param | undefined {
    return this.params[1];
  }

  /** x [B, in] → [B, out]. */
  forward(x: tf.Tensor, mode: Mode): tf.Tensor {
    this.#x = mode === "train" ? x : null;
    const y = matmul(x, this.weight.value, { transposeB: true });
    if (!this.bias) return y;
    const withBias = binary("add", y, this.bias.value);
    y.dispose();
    return withBias;
  }

  /** dy [B, out] → dx [B, in] (null when `inputGrad` is false); sets dW and db. */
  backward(dy: tf.Tensor, inputGrad = true): tf.Tensor | null {
    const x = saved(this.#x, "Linear");
    setGrad(this.weight, matmul(dy, x, { transposeA: true }));
    if (this.bias) setGrad(this.bias, reduce("sum", dy, 0));
    this.#x = null;
    return inputGrad ? matmul(dy, this.weight.value) : null;
  }
}
