/**
 * Uncertainty sampling (DeepCore's `Uncertainty`): LeastConfidence, Entropy and Margin scores of the class
 * probabilities, computed and ranked on the GPU (`kernels/scores.ts`, top-k in `kernels/sort.ts`). Lower scores are
 * more uncertain and are kept first — with and without `balance` (DeepCore kept the most *confident*
 * samples without balance); see docs/deviations.md.
 *
 * @module
 */

import { type UncertaintyKind, uncertaintyScores } from "../kernels/scores.ts";
import { topk } from "../kernels/sort.ts";
import { countSamples, groupRows, requireOnGpu, selectGroupsOnGpu } from "./gpu_input.ts";
import type { SelectionInput, SelectionOptions, SelectionResult } from "./types.ts";

/** Options of the entropy score. */
export interface EntropyOptions extends SelectionOptions {
  /** Added inside the logarithm, ≥ 0 (default 1e-6, DeepCore's). */
  epsilon?: number;
}

async function rankByUncertainty(
  kind: UncertaintyKind,
  input: SelectionInput,
  options: SelectionOptions,
  eps = 1e-6,
): Promise<SelectionResult> {
  const n = countSamples(input, kind);
  return await selectGroupsOnGpu(n, input, options, ({ members, k }) => {
    const scores = uncertaintyScores(groupRows(requireOnGpu(input, "probs", kind), members), kind, eps);
    // the k lowest, ascending, ties to the lower index: only they are sorted and read back
    const { values, indices } = topk(scores, k, { largest: false });
    scores.dispose();
    return { indices, scores: values };
  }, { scores: true });
}

/**
 * Keeps the k samples whose most probable class is least probable (lowest max p).
 *
 * - Needs: `probs` (n × C); `labels` under `balance`.
 * - Order: ascending score, ties to the lower index; `scores[i]` = max p of sample `indices[i]`.
 *
 * @example
 * ```ts
 * import { ready } from "../kernels/runtime/runtime.ts";
 * import { leastConfidence } from "./uncertainty.ts";
 * await ready();
 * const probs = { data: Float32Array.from([0.9, 0.1, 0.6, 0.4]), rows: 2, cols: 2 };
 * console.log((await leastConfidence({ probs }, { budget: 1 })).indices); // Int32Array [1]
 * ```
 */
export async function leastConfidence(
  input: SelectionInput,
  options: SelectionOptions,
): Promise<SelectionResult> {
  return await rankByUncertainty("LeastConfidence", input, options);
}

/**
 * Keeps the k samples of highest entropy: lowest Σ p·ln(p + ε) (terms with p = 0 count 0).
 *
 * - Needs: `probs` (n × C); `labels` under `balance`.
 * - Order: ascending score (highest entropy first), ties to the lower index; `scores` are Σ p·ln(p + ε).
 *
 * @example
 * ```ts
 * import { ready } from "../kernels/runtime/runtime.ts";
 * import { entropy } from "./uncertainty.ts";
 * await ready();
 * const probs = { data: Float32Array.from([1, 0, 0.5, 0.5]), rows: 2, cols: 2 };
 * console.log((await entropy({ probs }, { budget: 1 })).indices); // Int32Array [1]
 * ```
 */
export async function entropy(input: SelectionInput, options: EntropyOptions): Promise<SelectionResult> {
  const eps = options.epsilon ?? 1e-6;
  if (!(eps >= 0)) throw new RangeError(`options.epsilon: expected a number ≥ 0, got ${eps}`);
  return await rankByUncertainty("Entropy", input, options, eps);
}

/**
 * Keeps the k samples with the smallest margin p₍₁₎ − p₍₂₎ between the two most probable classes.
 *
 * - Needs: `probs` (n × C, C ≥ 2); `labels` under `balance`.
 * - Order: ascending margin, ties to the lower index; `scores` are the margins.
 *
 * @example
 * ```ts
 * import { ready } from "../kernels/runtime/runtime.ts";
 * import { margin } from "./uncertainty.ts";
 * await ready();
 * const probs = { data: Float32Array.from([0.5, 0.3, 0.2, 0.4, 0.35, 0.25]), rows: 2, cols: 3 };
 * console.log((await margin({ probs }, { budget: 1 })).indices); // Int32Array [1]
 * ```
 */
export async function margin(input: SelectionInput, options: SelectionOptions): Promise<SelectionResult> {
  return await rankByUncertainty("Margin", input, options);
}
