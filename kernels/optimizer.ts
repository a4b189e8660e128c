/**
 * Optimizer steps that update parameters **in place**: `sgdStep` and `adamStep` write the new values into the
 * GPU buffers of the parameter tensor and of its state tensors (momentum buffer; Adam's m and v) that the
 * caller passes in, and return nothing. deepcore's parameters are mutable GPU buffers even though `tf.Tensor`
 * is nominally immutable: every tensor sharing a parameter's buffer (a `tf.reshape` or `tf.clone` of it)
 * sees the update, and work recorded earlier in the same submit reads the old values (dispatches run in
 * recording order). Beside each, a plain TypeScript reference of PyTorch's update rule (training.md §2).
 *
 * The learning rate (and every other hyper-parameter) is a per-call uniform: schedules change it each step
 * without compiling anything.
 *
 * @module
 */

import type * as tf from "npm:@tensorflow/tfjs-core@4.22.0";
import { adamWgsl, sgdWgsl } from "./optimizer_wgsl.ts";
import { f32 } from "./runtime/recorder.ts";
import { bufferOf } from "./runtime/tensor.ts";
import { dispatchFlat } from "./runtime/window.ts";

/** Options common to both optimizers. */
export interface StepOptions {
  /** Learning rate of this step. */
  lr: number;
  /** 1 on a parameter's first step, then 2, 3, …: SGD initialises its momentum buffer at step 1, Adam's bias
   * correction uses t = step. */
  step: number;
  /** L2 weight decay added to the gradient (`g = ∇ + wd·θ`); default 0. */
  weightDecay?: number;
  /** Bytes one storage binding may hold, below the device's limit (to test the windowed path). */
  maxBindingBytes?: number;
}

/** Options of `sgdStep` (torch.optim.SGD). */
export interface SgdOptions extends StepOptions {
  /** Momentum μ; default 0 (then no momentum buffer is used). */
  momentum?: number;
  /** Dampening; default 0. */
  dampening?: number;
  /** Nesterov momentum (needs μ > 0 and dampening 0); default false. */
  nesterov?: boolean;
}

/** Options of `adamStep` (torch.optim.Adam, L2 weight decay, no AMSGrad). */
export interface AdamOptions extends StepOptions {
  /** β₁; default 0.9. */
  beta1?: number;
  /** β₂; default 0.999. */
  beta2?: number;
  /** Added to the denominator; default 1e-8. */
  eps?: number;
}

/**
 * One SGD step, in place (see the module comment): `param` and `momentumBuffer` are overwritten. The
 * momentum buffer (same size as the parameter; `null` when momentum is 0) is set to the gradient on step 1,
 * so its contents before that step do not matter (an `emptyTensor` will do).
 *
 * @example
 * ```ts
 * import { ready } from "./runtime/runtime.ts";
 * import { readAll, upload } from "./runtime/tensor.ts";
 * import { sgdStep } from "./optimizer.ts";
 * await ready();
 * const w = upload(new Float32Array([1, 2]), [2]), buf = upload(new Float32Array(2), [2]);
 * sgdStep(w, upload(new Float32Array([0.5, -1]), [2]), buf, { lr: 0.1, step: 1, momentum: 0.9, nesterov: true });
 * console.log((await readAll([w]))[0]); // Float32Array [0.905, 2.19]
 * ```
 */
export function sgdStep(
  param: tf.Tensor,
  grad: tf.Tensor,
  momentumBuffer: tf.Tensor | null,
  options: SgdOptions,
): void {
  const { lr, step, weightDecay = 0, momentum = 0, dampening = 0, nesterov = false } = options;
  checkStep(step);
  if (nesterov && (momentum <= 0 || dampening !== 0)) {
    throw new RangeError("SGD: Nesterov momentum requires a momentum > 0 and zero dampening");
  }
  const tensors = [grad, param];
  if (momentum !== 0) {
    if (!momentumBuffer) throw new TypeError("SGD with momentum needs a momentum buffer tensor");
    tensors.push(momentumBuffer);
  }
  checkSizes(param, tensors, "sgdStep");
  const params = [
    step === 1 ? 1 : 0,
    nesterov ? 1 : 0,
    ...[lr, weightDecay, momentum, 1 - dampening].map(f32),
  ];
  dispatchFlat(
    sgdWgsl(momentum !== 0),
    param.size,
    tensors.map(bufferOf),
    () => params,
    options.maxBindingBytes,
  );
}

/**
 * One Adam step, in place (see the module comment): `param`, `m` (first moment) and `v` (second moment) are
 * overwritten. On step 1 the old m and v are taken as zero, so their contents do not matter.
 *
 * @example
 * ```ts
 * import { ready } from "./runtime/runtime.ts";
 * import { readAll, upload } from "./runtime/tensor.ts";
 * import { adamStep } from "./optimizer.ts";
 * await ready();
 * const w = upload(new Float32Array([1, 2]), [2]);
 * const [m, v] = [upload(new Float32Array(2), [2]), upload(new Float32Array(2), [2])];
 * adamStep(w, upload(new Float32Array([0.5, -1]), [2]), m, v, { lr: 0.01, step: 1 });
 * console.log((await readAll([w]))[0]); // ≈ Float32Array [0.99, 2.01]: the first step moves lr·sign(g)
 * ```
 */
export function adamStep(
  param: tf.Tensor,
  grad: tf.Tensor,
  m: tf.Tensor,
  v: tf.Tensor,
  options: AdamOptions,
): void {
  const { lr, step, weightDecay = 0, beta1 = 0.9, beta2 = 0.999, eps = 1e-8 } = options;
  checkStep(step);
  const tensors = [grad, param, m, v];
  checkSizes(param, tensors, "adamStep");
  const { stepSize, bc2sqrt } = adamCorrection(lr, beta1, beta2, step);
  const hyper = [weightDecay, beta1, beta2, 1 - beta1, 1 - beta2, stepSize, bc2sqrt, eps];
  dispatchFlat(
    adamWgsl(),
    param.size,
    tensors.map(bufferOf),
    () => [step === 1 ? 1 : 0, ...hyper.map(f32)],
    options.maxBindingBytes,
  );
}

/**
 * TypeScript reference of `sgdStep` on the CPU, in place on Float32Arrays (so state is rounded to f32 after
 * each step as on the GPU), doing PyTorch's operations in its order.
 *
 * @example
 * ```ts
 * import { sgdReference } from "./optimizer.ts";
 * const w = new Float32Array([1]);
 * sgdReference(w, new Float32Array([2]), null, { lr: 0.5, step: 1, weightDecay: 0.1 });
 * console.log(w); // Float32Array [-0.05]
 * ```
 */
export function sgdReference(
  param: Float32Array,
  grad: Float32Array,
  momentumBuffer: Float32Array | null,
  options: SgdOptions,
): void {
  const { lr, step, weightDecay = 0, momentum = 0, dampening = 0, nesterov = false } = options;
  for (let i = 0; i < param.length; i++) {
    const g = grad[i]! + weightDecay * param[i]!;
    let d = g;
    if (momentum !== 0) {
      const b = step === 1 ? g : momentum * momentumBuffer![i]! + (1 - dampening) * g;
      momentumBuffer![i] = b;
      d = nesterov ? g + momentum * b : b;
    }
    param[i] = param[i]! - lr * d;
  }
}

/**
 * TypeScript reference of `adamStep` on the CPU, in place on Float32Arrays, in PyTorch's order of operations.
 *
 * @example
 * ```ts
 * import { adamReference } from "./optimizer.ts";
 * const [w, m, v] = [new Float32Array([1]), new Float32Array(1), new Float32Array(1)];
 * adamReference(w, new Float32Array([3]), m, v, { lr: 0.1, step: 1 });
 * console.log(w, m, v); // ≈ [0.9], [0.3], [0.009]
 * ```
 */
export function adamReference(
  param: Float32Array,
  grad: Float32Array,
  m: Float32Array,
  v: Float32Array,
  options: AdamOptions,
): void {
  const { lr, step, weightDecay = 0, beta1 = 0.9, beta2 = 0.999, eps = 1e-8 } = options;
  const { stepSize, bc2sqrt } = adamCorrection(lr, beta1, beta2, step);
  for (let i = 0; i < param.length; i++) {
    const g = grad[i]! + weightDecay * param[i]!;
    m[i] = (step === 1 ? 0 : beta1 * m[i]!) + (1 - beta1) * g;
    v[i] = (step === 1 ? 0 : beta2 * v[i]!) + (1 - beta2) * g * g;
    param[i] = param[i]! - stepSize * (m[i]! / (Math.sqrt(v[i]!) / bc2sqrt + eps));
  }
}

/** Adam's bias corrections, in double precision as torch computes them on the host. */
function adamCorrection(lr: number, beta1: number, beta2: number, step: number) {
  return { stepSize: lr / (1 - beta1 ** step), bc2sqrt: Math.sqrt(1 - beta2 ** step) };
}

function checkStep(step: number): void {
  if (!Number.isInteger(step) || step < 1) {
    throw new RangeError(`optimizer step ${step} is not an integer ≥ 1`);
  }
}

function checkSizes(param: tf.Tensor, tensors: tf.Tensor[], what: string): void {
  for (const t of tensors) {
    if (t.size !== param.size) {
      throw new RangeError(
        `${what}: tensor of shape [${t.shape}] does not match the parameter's [${param.shape}]`,
      );
    }
  }
}
