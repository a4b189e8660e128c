/**
 * Activations and dropout, forward and backward side by side, each beside the plain TypeScript reference its
 * test compares against.
 *
 * What each backward needs (`ACTIVATION_WGSL[kind].saves`): ReLU, ReLU6, Hardswish and Hardsigmoid take the
 * forward's *input* x; Sigmoid and Tanh take its *output* y (σ' = y(1 − y), tanh' = 1 − y²). For ReLU and
 * ReLU6 passing the output instead gives the same gradient (y > 0 ⇔ x > 0, 0 < y < 6 ⇔ 0 < x < 6).
 *
 * Dropout is inverted dropout (survivors scaled by 1/(1 − p)) whose mask is a pure function of
 * (seed, stream, element index) through the counter-based Threefry generator: nothing is stored, and
 * `dropoutBackward` with the same options recomputes the very same mask. Use one stream per training step
 * (and distinct seeds or streams per dropout layer) so that steps and layers draw independent masks.
 *
 * @module
 */

import type * as tf from "npm:@tensorflow/tfjs-core@4.22.0";
import { type Activation, ACTIVATION_WGSL, dropoutWgsl } from "./activation_wgsl.ts";
import { binaryWgsl, unaryWgsl } from "./elementwise_wgsl.ts";
import { seedKey, uniformReference } from "./rng.ts";
import { f32 } from "./runtime/recorder.ts";
import { bufferOf, emptyTensor } from "./runtime/tensor.ts";
import { dispatchFlat } from "./runtime/window.ts";

export type { Activation } from "./activation_wgsl.ts";

/** Options of the activation kernels. */
export interface ActivationOptions {
  /** Bytes one storage binding may hold, below the device's limit (to test the windowed path). */
  maxBindingBytes?: number;
}

/** Options of `dropout` and `dropoutBackward`: the same options give the same mask. */
export interface DropoutOptions extends ActivationOptions {
  /** Probability of zeroing an element, in [0, 1]. */
  p: number;
  /** Seed of the mask, an integer in [0, 2^53]. */
  seed: number;
  /** Independent stream of that seed, an integer in [0, 2^32) (e.g. the training step); default 0. */
  stream?: number;
  /**
   * Consecutive elements sharing one keep/drop draw: 1 (default) for Dropout; H·W for Dropout2d on an
   * NCHW tensor (whole channels dropped).
   */
  block?: number;
}

/** TypeScript forward and derivative (as a function of the saved tensor) of each activation. */
const REFERENCE: Record<Activation, { f: (x: number) => number; df: (saved: number) => number }> = {
  relu: { f: (x) => Math.max(x, 0), df: (x) => (x > 0 ? 1 : 0) },
  relu6: { f: (x) => Math.min(Math.max(x, 0), 6), df: (x) => (x > 0 && x < 6 ? 1 : 0) },
  hardswish: {
    f: (x) => (x * Math.min(Math.max(x + 3, 0), 6)) / 6,
    df: (x) => (x < -3 ? 0 : x > 3 ? 1 : x / 3 + 0.5),
  },
  hardsigmoid: { f: (x) => Math.min(Math.max(x + 3, 0), 6) / 6, df: (x) => (x > -3 && x < 3 ? 1 / 6 : 0) },
  sigmoid: { f: (x) => 1 / (1 + Math.exp(-x)), df: (y) => y * (1 - y) },
  tanh: { f: Math.tanh, df: (y) => 1 - y * y },
};

/**
 * `kind(x)` elementwise (PyTorch's definitions: ReLU6 = clamp(x, 0, 6), Hardsigmoid = ReLU6(x + 3)/6,
 * Hardswish = x·Hardsigmoid(x)).
 *
 * @example
 * ```ts
 * import { ready } from "./runtime/runtime.ts";
 * import { readAll, upload } from "./runtime/tensor.ts";
 * import { activation } from "./activation.ts";
 * await ready();
 * const [y] = await readAll([activation("hardswish", upload(new Float32Array([-4, 0, 1.5, 4]), [4]))]);
 * console.log(y); // Float32Array [-0, 0, 1.125, 4]
 * ```
 */
export function activation(kind: Activation, x: tf.Tensor, options: ActivationOptions = {}): tf.Tensor {
  const y = emptyTensor(x.shape);
  dispatchFlat(
    unaryWgsl(ACTIVATION_WGSL[kind].forward),
    x.size,
    [x, y].map(bufferOf),
    () => [],
    options.maxBindingBytes,
  );
  return y;
}

/**
 * The gradient of `activation(kind, x)` given the gradient `dy` of its output: `dy · kind'(x)`. `saved` is
 * the forward's input x for relu, relu6, hardswish and hardsigmoid, its output y for sigmoid and tanh
 * (see the module comment).
 *
 * @example
 * ```ts
 * import { ready } from "./runtime/runtime.ts";
 * import { readAll, upload } from "./runtime/tensor.ts";
 * import { activationBackward } from "./activation.ts";
 * await ready();
 * const dy = upload(new Float32Array([1, 1, 1]), [3]);
 * const [dx] = await readAll([activationBackward("relu6", dy, upload(new Float32Array([-1, 3, 7]), [3]))]);
 * console.log(dx); // Float32Array [0, 1, 0]
 * ```
 */
export function activationBackward(
  kind: Activation,
  dy: tf.Tensor,
  saved: tf.Tensor,
  options: ActivationOptions = {},
): tf.Tensor {
  checkSameSize(dy, saved, `${kind} backward`);
  const dx = emptyTensor(dy.shape);
  dispatchFlat(
    binaryWgsl(ACTIVATION_WGSL[kind].backward, false),
    dy.size,
    [dy, saved, dx].map(bufferOf),
    () => [],
    options.maxBindingBytes,
  );
  return dx;
}

/**
 * Inverted dropout in training mode: each element (or block of `block` elements) is zeroed with probability
 * `p` and otherwise scaled by 1/(1 − p). The mask is determined by (seed, stream, element index) alone: the
 * kept elements are those whose `uniformReference(·, seed, stream)` draw is ≥ p. In evaluation mode
 * dropout is the identity: do not call this.
 *
 * @example
 * ```ts
 * import { ready } from "./runtime/runtime.ts";
 * import { readAll, upload } from "./runtime/tensor.ts";
 * import { dropout } from "./activation.ts";
 * await ready();
 * const [y] = await readAll([dropout(upload(new Float32Array(8).fill(1), [8]), { p: 0.5, seed: 1, stream: 0 })]);
 * console.log(y); // Float32Array [2, 2, 0, 0, 0, 2, 2, 2]: each element 0 or 2
 * ```
 */
export function dropout(x: tf.Tensor, options: DropoutOptions): tf.Tensor {
  const { k0, k1, stream, block, rate, scale } = dropoutParams(options);
  const y = emptyTensor(x.shape);
  const params = (start: number) => [start, block, k0, k1, stream, f32(rate), f32(scale)];
  dispatchFlat(dropoutWgsl(), x.size, [x, y].map(bufferOf), params, options.maxBindingBytes);
  return y;
}

/**
 * The gradient of `dropout(x, options)`: `dy` masked and scaled by the same mask, recomputed from the same
 * seed, stream and block (so the options must be those of the forward).
 *
 * @example
 * ```ts
 * import { ready } from "./runtime/runtime.ts";
 * import { readAll, upload } from "./runtime/tensor.ts";
 * import { dropout, dropoutBackward } from "./activation.ts";
 * await ready();
 * const ones = upload(new Float32Array(8).fill(1), [8]);
 * const options = { p: 0.5, seed: 1, stream: 0 };
 * const [y, dx] = await readAll([dropout(ones, options), dropoutBackward(ones, options)]);
 * console.log(y, dx); // identical: Float32Array [2, 2, 0, 0, 0, 2, 2, 2] twice
 * ```
 */
export function dropoutBackward(dy: tf.Tensor, options: DropoutOptions): tf.Tensor {
  return dropout(dy, options);
}

/**
 * TypeScript reference of `activation`.
 *
 * @example
 * ```ts
 * import { activationReference } from "./activation.ts";
 * console.log(activationReference("relu6", new Float32Array([-1, 2, 9]))); // Float32Array [0, 2, 6]
 * ```
 */
export function activationReference(kind: Activation, x: Float32Array): Float32Array {
  return x.map(REFERENCE[kind].f);
}

/**
 * TypeScript reference of `activationBackward` (`saved` as there).
 *
 * @example
 * ```ts
 * import { activationBackwardReference } from "./activation.ts";
 * const dy = new Float32Array([1, 1]);
 * console.log(activationBackwardReference("tanh", dy, new Float32Array([0, 0.5]))); // Float32Array [1, 0.75]
 * ```
 */
export function activationBackwardReference(
  kind: Activation,
  dy: Float32Array,
  saved: Float32Array,
): Float32Array {
  return dy.map((g, i) => g * REFERENCE[kind].df(saved[i]!));
}

/**
 * TypeScript reference of `dropout` (and of `dropoutBackward`, applied to dy), equal bit for bit: the
 * keep/drop decisions are exact integer arithmetic and the scaling one f32 multiplication.
 *
 * @example
 * ```ts
 * import { dropoutReference } from "./activation.ts";
 * console.log(dropoutReference(new Float32Array(4).fill(1), { p: 0.5, seed: 1 })); // each 0 or 2
 * ```
 */
export function dropoutReference(x: Float32Array, options: DropoutOptions): Float32Array {
  const { stream, block, rate, scale } = dropoutParams(options);
  const u = uniformReference(Math.ceil(x.length / block), options.seed, stream);
  const s = Math.fround(scale);
  return x.map((v, i) => (u[Math.floor(i / block)]! >= rate ? Math.fround(v * s) : 0));
}

function dropoutParams({ p, seed, stream = 0, block = 1 }: DropoutOptions) {
  if (!(p >= 0 && p <= 1)) throw new RangeError(`dropout probability ${p} is not in [0, 1]`);
  if (!Number.isInteger(stream) || stream < 0 || stream > 0xffffffff) {
    throw new RangeError(`dropout stream ${stream} is not an integer in [0, 2^32)`);
  }
  if (!Number.isInteger(block) || block < 1) {
    throw new RangeError(`dropout block ${block} is not a positive integer`);
  }
  const [k0, k1] = seedKey(seed);
  // p = 1 drops everything (u < 1 always); a zero scale keeps the parameter finite
  return { k0, k1, stream, block, rate: Math.fround(p), scale: p === 1 ? 0 : 1 / (1 - p) };
}

function checkSameSize(a: tf.Tensor, b: tf.Tensor, what: string): void {
  if (a.size !== b.size) throw new RangeError(`${what}: shapes [${a.shape}] and [${b.shape}] differ in size`);
}
