/**
 * Parameter initialisation (PyTorch's defaults, models.md §1.5) from deepcore's seeded counter RNG, so
 * that a model built with the same seed has the same weights on every machine. Values are drawn with the
 * Threefry reference on the CPU — the same numbers the GPU generator gives — and uploaded once.
 *
 * @module
 */

import type * as tf from "npm:@tensorflow/tfjs-core@4.22.0";
import { normalReference, uniformReference } from "../../kernels/rng.ts";
import { upload } from "../../kernels/runtime/tensor.ts";

/** Where a parameter's random numbers come from: the model's seed and a stream per parameter. */
export interface InitSource {
  /** The model's seed. */
  seed: number;
  /** A stream number unique to the parameter within the model. */
  stream: number;
}

/**
 * U(−bound, bound) values of `shape`: PyTorch's default for linear and convolution weights and biases is
 * bound = 1/√fan_in (kaiming-uniform with a = √5 gives the same bound for weights).
 *
 * @example
 * ```ts
 * import { ready } from "../../kernels/runtime/runtime.ts";
 * import { uniformInit } from "./init.ts";
 * await ready();
 * const w = uniformInit([3, 4], 0.5, { seed: 1, stream: 0 });
 * console.log(w.shape); // [3, 4]
 * ```
 */
export function uniformInit(shape: number[], bound: number, source: InitSource): tf.Tensor {
  const n = shape.reduce((a, b) => a * b, 1);
  const u = uniformReference(n, source.seed, source.stream);
  return upload(u.map((v) => (2 * v - 1) * bound), shape);
}

/** N(0, std²) values of `shape` (kaiming-normal and N(0, 0.01) initialisations). */
export function normalInit(shape: number[], std: number, source: InitSource): tf.Tensor {
  const n = shape.reduce((a, b) => a * b, 1);
  return upload(normalReference(n, source.seed, { mean: 0, std, stream: source.stream }), shape);
}

/** A tensor of `shape` filled with `value` (batch-norm weights 1, biases 0). */
export function constantInit(shape: number[], value: number): tf.Tensor {
  return upload(new Float32Array(shape.reduce((a, b) => a * b, 1)).fill(value), shape);
}
