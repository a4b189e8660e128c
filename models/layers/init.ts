/**
 * Parameter initialisation (PyTorch's defaults, models.md §1.5) from deepcore's seeded counter RNG, so
 * that a model built with the same seed has the same weights on every machine: the values are drawn on
 * the GPU by the Threefry kernels (uniform draws are bit-identical on every adapter; normal ones agree to
 * ~1e-6) and scaled there.
 *
 * @module
 */

import * as tf from "npm:@tensorflow/tfjs-core@4.22.0";
import { binary } from "../../kernels/elementwise.ts";
import { randomNormal, randomUniform } from "../../kernels/rng.ts";
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
  return tf.tidy(() => {
    const u = randomUniform(shape, source.seed, { stream: source.stream });
    // (2u − 1)·bound = u·2b − b
    const scaled = binary("mul", u, upload(Float32Array.of(2 * bound), [1]));
    return binary("sub", scaled, upload(Float32Array.of(bound), [1]));
  });
}

/** N(0, std²) values of `shape` (kaiming-normal and N(0, 0.01) initialisations). */
export function normalInit(shape: number[], std: number, source: InitSource): tf.Tensor {
  return randomNormal(shape, source.seed, { mean: 0, std, stream: source.stream });
}

/** A tensor of `shape` filled with `value` (batch-norm weights 1, biases 0). */
export function constantInit(shape: number[], value: number): tf.Tensor {
  return upload(new Float32Array(shape.reduce((a, b) => a * b, 1)).fill(value), shape);
}
