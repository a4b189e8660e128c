/**
 * Pooling layers: max pool (its backward routes dy to the argmax), average pool (PyTorch's
 * count_include_pad default) and adaptive average pool (global average pooling when the output is 1×1).
 *
 * @module
 */

import type * as tf from "npm:@tensorflow/tfjs-core@4.22.0";
import {
  adaptiveAvgPool2d,
  adaptiveAvgPool2dBackward,
  avgPool2d,
  avgPool2dBackward,
  maxPool2d,
  maxPool2dBackward,
  type PoolOptions,
} from "../../kernels/pool.ts";
import { type Layer, type Mode, type Param, saved } from "./layer.ts";

/** Max pooling with a square window. */
export class MaxPool2d implements Layer {
  /** None. */
  readonly params: Param[] = [];
  #indices: tf.Tensor | null = null;
  #xShape: number[] = [];
  #options: PoolOptions;

  /**
   * A `kernel`×`kernel` max pool with `stride` (default `kernel`) and `padding` (default 0).
   *
   * @example
   * ```ts
   * import { ready } from "../../kernels/runtime/runtime.ts";
   * import { upload } from "../../kernels/runtime/tensor.ts";
   * import { MaxPool2d } from "./pool.ts";
   * await ready();
   * console.log(new MaxPool2d(2).forward(upload(new Float32Array(16), [1, 1, 4, 4]), "eval").shape); // [1, 1, 2, 2]
   * ```
   */
  constructor(kernel: number, stride = kernel, padding = 0) {
    this.#options = { kernel, stride, padding };
  }

  /** y = max over each window. */
  forward(x: tf.Tensor, mode: Mode): tf.Tensor {
    this.#indices?.dispose();
    const { y, indices } = maxPool2d(x, this.#options);
    if (mode === "train") {
      this.#indices = indices;
      this.#xShape = x.shape;
    } else {
      indices.dispose();
      this.#indices = null;
    }
    return y;
  }

  /** dy routed to each window's maximum. */
  backward(dy: tf.Tensor): tf.Tensor {
    const indices = saved(this.#indices, "MaxPool2d");
    const dx = maxPool2dBackward(dy, indices, this.#xShape, this.#options);
    indices.dispose();
    this.#indices = null;
    return dx;
  }
}

/** Average pooling with a square window (padding counted in the divisor, as PyTorch does). */
export class AvgPool2d implements Layer {
  /** None. */
  readonly params: Param[] = [];
  #xShape: number[] | null = null;
  #options: PoolOptions;

  /** A `kernel`×`kernel` average pool with `stride` (default `kernel`) and `padding` (default 0). */
  constructor(kernel: number, stride = kernel, padding = 0) {
    this.#options = { kernel, stride, padding };
  }

  /** y = mean over each window. */
  forward(x: tf.Tensor, mode: Mode): tf.Tensor {
    this.#xShape = mode === "train" ? x.shape : null;
    return avgPool2d(x, this.#options);
  }

  /** dy spread evenly over each window. */
  backward(dy: tf.Tensor): tf.Tensor {
    if (!this.#xShape) throw new Error("AvgPool2d: backward without a training-mode forward");
    return avgPool2dBackward(dy, this.#xShape, this.#options);
  }
}

/** Adaptive average pooling to a fixed output size (1 = global average pooling). */
export class AdaptiveAvgPool2d implements Layer {
  /** None. */
  readonly params: Param[] = [];
  #xShape: number[] | null = null;

  /** Pools every plane to `size`×`size`. */
  constructor(readonly size = 1) {}

  /** y = mean over PyTorch's adaptive windows. */
  forward(x: tf.Tensor, mode: Mode): tf.Tensor {
    this.#xShape = mode === "train" ? x.shape : null;
    return adaptiveAvgPool2d(x, this.size);
  }

  /** dy spread evenly over each window. */
  backward(dy: tf.Tensor): tf.Tensor {
    if (!this.#xShape) throw new Error("AdaptiveAvgPool2d: backward without a training-mode forward");
    return adaptiveAvgPool2dBackward(dy, this.#xShape);
  }
}
