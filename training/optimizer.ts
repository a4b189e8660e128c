/**
 * An optimizer over a model's parameters: SGD (momentum, dampening 0, Nesterov, L2 weight decay) or Adam,
 * exactly as PyTorch's (training.md §2), updating the parameters in place on the GPU. The learning rate
 * is given per step, so any schedule drives it.
 *
 * @module
 */

import type * as tf from "npm:@tensorflow/tfjs-core@4.22.0";
import { adamStep, sgdStep } from "../kernels/optimizer.ts";
import { emptyTensor, readAll, upload } from "../kernels/runtime/tensor.ts";
import type { Param } from "../models/layers/layer.ts";

/** Optimizer settings (DeepCore's defaults). */
export interface OptimizerOptions {
  /** "SGD" (default) or "Adam". */
  kind?: "SGD" | "Adam";
  /** SGD momentum μ (default 0.9). */
  momentum?: number;
  /** L2 weight decay (default 5e-4). */
  weightDecay?: number;
  /** Nesterov momentum (default true). */
  nesterov?: boolean;
}

/** Saved optimizer state: step count and per-parameter buffers, by parameter name. */
export interface OptimizerState {
  /** Steps taken. */
  step: number;
  /** Buffers per parameter name (momentum; or Adam's m then v). */
  buffers: Record<string, Float32Array[]>;
}

/** See the module comment. */
export class Optimizer {
  #buffers: Map<Param, tf.Tensor[]> = new Map();
  /** Steps taken so far. */
  step = 0;

  /**
   * An optimizer for `params`.
   *
   * @example
   * ```ts
   * import { ready } from "../kernels/runtime/runtime.ts";
   * import { upload } from "../kernels/runtime/tensor.ts";
   * import { Optimizer } from "./optimizer.ts";
   * await ready();
   * const p = { name: "w", value: upload(new Float32Array([1]), [1]), grad: upload(new Float32Array([1]), [1]), decay: true };
   * const opt = new Optimizer([p]);
   * opt.update(0.1);
   * console.log(await p.value.data()); // Float32Array [~0.81] (lr·(g + μ·g) with g = 1 + 5e-4)
   * ```
   */
  constructor(readonly params: Param[], readonly options: OptimizerOptions = {}) {}

  /** One step with learning rate `lr`: every parameter with a gradient is updated in place. */
  update(lr: number): void {
    this.step++;
    const { kind = "SGD", momentum = 0.9, weightDecay = 5e-4, nesterov = true } = this.options;
    for (const p of this.params) {
      if (!p.grad) continue;
      const wd = p.decay ? weightDecay : 0;
      const buffers = this.#buffersOf(p, kind === "Adam" ? 2 : momentum > 0 ? 1 : 0);
      if (kind === "Adam") {
        adamStep(p.value, p.grad, buffers[0]!, buffers[1]!, { lr, step: this.step, weightDecay: wd });
      } else {
        sgdStep(p.value, p.grad, buffers[0] ?? null, {
          lr,
          step: this.step,
          weightDecay: wd,
          momentum,
          nesterov,
        });
      }
    }
  }

  /** The state to checkpoint (one readback). */
  async state(): Promise<OptimizerState> {
    const entries = [...this.#buffers.entries()];
    const values = await readAll(entries.flatMap(([, b]) => b));
    const buffers: Record<string, Float32Array[]> = {};
    let at = 0;
    for (const [p, b] of entries) buffers[p.name] = b.map(() => values[at++] as Float32Array);
    return { step: this.step, buffers };
  }

  /** Restores a checkpointed state. */
  load(state: OptimizerState): void {
    this.step = state.step;
    for (const p of this.params) {
      const saved = state.buffers[p.name];
      if (!saved) continue;
      this.#buffers.get(p)?.forEach((t) => t.dispose());
      this.#buffers.set(p, saved.map((v) => upload(v, p.value.shape)));
    }
  }

  /** Frees the optimizer's buffers. */
  dispose(): void {
    for (const b of this.#buffers.values()) b.forEach((t) => t.dispose());
    this.#buffers.clear();
  }

  #buffersOf(p: Param, count: number): tf.Tensor[] {
    let b = this.#buffers.get(p);
    if (!b) {
      // Contents do not matter: both kernels initialise their state on step 1.
      b = Array.from({ length: count }, () => emptyTensor(p.value.shape));
      this.#buffers.set(p, b);
    }
    return b;
  }
}
