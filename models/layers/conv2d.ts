/**
 * 2-D convolution (NCHW activations, OIHW weights as PyTorch stores them), forward and backward side by
 * side: y = conv(x, W) + b;  dx = conv2dBackwardInput(dy, W);  dW = conv2dBackwardFilter(x, dy);  db = Σ dy.
 *
 * @module
 */

import type * as tf from "npm:@tensorflow/tfjs-core@4.22.0";
import {
  conv2d,
  conv2dBackwardBias,
  conv2dBackwardFilter,
  conv2dBackwardInput,
  type ConvOptions,
} from "../../kernels/conv.ts";
import { constantInit, type InitSource, normalInit, uniformInit } from "./init.ts";
import { type Layer, type Mode, type Param, saved, setGrad } from "./layer.ts";

/** Shape and initialisation of a convolution. */
export interface Conv2dSpec {
  /** Input channels. */
  inChannels: number;
  /** Output channels. */
  outChannels: number;
  /** Square kernel size. */
  kernel: number;
  /** Stride (default 1). */
  stride?: number;
  /** Zero padding (default 0). */
  padding?: number;
  /** Groups (default 1; inChannels for depthwise). */
  groups?: number;
  /** Whether there is a bias (default true). */
  bias?: boolean;
  /**
   * "default": PyTorch's U(±1/√fan_in) for weight and bias; "kaiming-fan-out": N(0, 2/fan_out) weights
   * and zero bias (torchvision ResNets, WRN, MobileNet).
   */
  init?: "default" | "kaiming-fan-out";
}

/** See the module comment. */
export class Conv2d implements Layer {
  /** [weight, bias?]. */
  readonly params: Param[];
  #x: tf.Tensor | null = null;
  #options: ConvOptions;

  /**
   * A convolution named `name` (parameter names `name.weight`, `name.bias`).
   *
   * @example
   * ```ts
   * import { ready } from "../../kernels/runtime/runtime.ts";
   * import { upload } from "../../kernels/runtime/tensor.ts";
   * import { Conv2d } from "./conv2d.ts";
   * await ready();
   * const conv = new Conv2d("conv1", { inChannels: 1, outChannels: 6, kernel: 5, padding: 2 }, { seed: 0, stream: 0 });
   * console.log(conv.forward(upload(new Float32Array(2 * 28 * 28), [2, 1, 28, 28]), "eval").shape); // [2, 6, 28, 28]
   * ```
   */
  constructor(name: string, readonly spec: Conv2dSpec, init: InitSource) {
    const { inChannels, outChannels, kernel, groups = 1 } = spec;
    const shape = [outChannels, inChannels / groups, kernel, kernel];
    const fanIn = (inChannels / groups) * kernel * kernel;
    const weight = spec.init === "kaiming-fan-out"
      ? normalInit(shape, Math.sqrt(2 / (outChannels * kernel * kernel)), init)
      : uniformInit(shape, 1 / Math.sqrt(fanIn), init);
    this.params = [{ name: `${name}.weight`, value: weight, grad: null, decay: true }];
    if (spec.bias ?? true) {
      const source = { seed: init.seed, stream: init.stream + 1 };
      const bias = spec.init === "kaiming-fan-out"
        ? constantInit([outChannels], 0)
        : uniformInit([outChannels], 1 / Math.sqrt(fanIn), source);
      this.params.push({ name: `${name}.bias`, value: bias, grad: null, decay: true });
    }
    this.#options = { stride: spec.stride ?? 1, padding: spec.padding ?? 0, groups };
  }

  /** x [N, Cin, H, W] → [N, Cout, Ho, Wo]. */
  forward(x: tf.Tensor, mode: Mode): tf.Tensor {
    this.#x = mode === "train" ? x : null;
    return conv2d(x, this.params[0]!.value, this.params[1]?.value ?? null, this.#options);
  }

  /** dy → dx (null when `inputGrad` is false); sets dW and db. */
  backward(dy: tf.Tensor, inputGrad = true): tf.Tensor | null {
    const x = saved(this.#x, "Conv2d");
    const [weight, bias] = this.params;
    setGrad(weight!, conv2dBackwardFilter(x, dy, weight!.value.shape, this.#options));
    if (bias) setGrad(bias, conv2dBackwardBias(dy));
    this.#x = null;
    return inputGrad ? conv2dBackwardInput(dy, weight!.value, x.shape, this.#options) : null;
  }
}
