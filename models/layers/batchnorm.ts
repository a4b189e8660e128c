/**
 * Batch normalisation over (N, H, W) per channel (BatchNorm2d; BatchNorm1d for [N, C] inputs):
 * training normalises with the batch statistics and updates the running ones (momentum 0.1, unbiased
 * variance, as PyTorch); evaluation uses the running statistics. Backward gives dx, dγ, dβ.
 *
 * @module
 */

import * as tf from "npm:@tensorflow/tfjs-core@4.22.0";
import { batchNormBackward, batchNormEval, batchNormTrain } from "../../kernels/batchnorm.ts";
import { constantInit } from "./init.ts";
import { type Buffer, type Layer, type Mode, type Param, saved, setGrad } from "./layer.ts";

/** See the module comment. */
export class BatchNorm implements Layer {
  /** [weight γ, bias β]. */
  readonly params: Param[];
  /** [running_mean, running_var, num_batches_tracked]-like state (the last is not kept). */
  readonly buffers: Buffer[];
  #saved: { x: tf.Tensor; mean: tf.Tensor; invstd: tf.Tensor } | null = null;

  /**
   * Batch norm of `channels` channels named `name` (PyTorch's state-dict names).
   *
   * @example
   * ```ts
   * import { ready } from "../../kernels/runtime/runtime.ts";
   * import { upload } from "../../kernels/runtime/tensor.ts";
   * import { BatchNorm } from "./batchnorm.ts";
   * await ready();
   * const bn = new BatchNorm("bn1", 3);
   * console.log(bn.forward(upload(new Float32Array(2 * 3 * 4), [2, 3, 2, 2]), "train").shape); // [2, 3, 2, 2]
   * ```
   */
  constructor(name: string, channels: number, readonly eps = 1e-5, readonly momentum = 0.1) {
    this.params = [
      { name: `${name}.weight`, value: constantInit([channels], 1), grad: null, decay: true },
      { name: `${name}.bias`, value: constantInit([channels], 0), grad: null, decay: true },
    ];
    this.buffers = [
      { name: `${name}.running_mean`, value: constantInit([channels], 0) },
      { name: `${name}.running_var`, value: constantInit([channels], 1) },
    ];
  }

  /** Normalise; in training also update the running statistics. */
  forward(x: tf.Tensor, mode: Mode): tf.Tensor {
    this.#release();
    const params = {
      gamma: this.params[0]!.value,
      beta: this.params[1]!.value,
      runningMean: this.buffers[0]!.value,
      runningVar: this.buffers[1]!.value,
    };
    if (mode === "eval") return batchNormEval(x, params, { eps: this.eps });
    const { y, mean, invstd } = batchNormTrain(x, params, { eps: this.eps, momentum: this.momentum });
    this.#saved = { x, mean, invstd };
    return y;
  }

  /** dx, and dγ, dβ into the parameters' gradients. */
  backward(dy: tf.Tensor): tf.Tensor {
    const { x, mean, invstd } = saved(this.#saved?.x ?? null, "BatchNorm") && this.#saved!;
    const { dx, dgamma, dbeta } = batchNormBackward(dy, x, this.params[0]!.value, mean, invstd);
    setGrad(this.params[0]!, dgamma);
    setGrad(this.params[1]!, dbeta);
    this.#release();
    return dx;
  }

  #release(): void {
    if (this.#saved) tf.dispose([this.#saved.mean, this.#saved.invstd]);
    this.#saved = null;
  }
}
