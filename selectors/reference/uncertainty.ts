/**
 * Uncertainty sampling (Coleman et al. 2020; DeepCore's `Uncertainty`, §4.3): keep the samples whose
 * predicted class probabilities are the least certain. Three scores, each on DeepCore's scale, where a
 * **lower score means more uncertain** and the lowest scores are kept:
 *
 * - LeastConfidence: s = max_c p_c;
 * - Entropy: s = Σ_c p_c · ln(p_c + ε) (minus the entropy; ε = 1e-6 as DeepCore);
 * - Margin: s = p₍₁₎ − p₍₂₎, the largest probability minus the largest of the others.
 *
 * Deviations from DeepCore:
 * - ascending (most uncertain first) with and without `balance`; DeepCore's unbalanced branch sorts
 *   descending and keeps the most *confident* samples (§7.1);
 * - LeastConfidence scores the largest probability, not the largest raw logit (§7.2): the input carries
 *   probabilities, and the paper defines it on probabilities;
 * - ties go to the lower sample index (DeepCore: numpy's unstable argsort, §0.3);
 * - `scores` are those of the kept samples, aligned with `indices` (DeepCore returns all scores).
 *
 * Deterministic: `seed` is not used.
 *
 * Arithmetic: scores are computed in float64 from the float32 probabilities, rounded once to float32,
 * and ranked on those float32 values (so equal returned scores are exactly the ties).
 *
 * @module
 */

import { selectInGroups } from "../budget.ts";
import type { Matrix, SelectionInput, SelectionOptions, SelectionResult } from "../types.ts";
import { requireMatrix, sampleCount } from "./input.ts";

/** Options of `entropy`. */
export interface EntropyOptions extends SelectionOptions {
  /** Added to p before the logarithm, ≥ 0; default 1e-6 (DeepCore's). */
  epsilon?: number;
}

/**
 * Keeps the k samples with the lowest top probability max_c p_c (least confident first).
 *
 * - Needs: `probs` (n × C); `labels` under `balance`.
 * - Order: ascending score, ties to the lower index; `scores[i]` is the score of `indices[i]`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { leastConfidence } from "./uncertainty.ts";
 * const probs = { data: Float32Array.from([0.9, 0.1, 0.6, 0.4, 0.5, 0.5]), rows: 3, cols: 2 };
 * const r = leastConfidence({ probs }, { budget: 2 });
 * assert.deepEqual([...r.indices], [2, 1]);
 * assert.deepEqual([...r.scores!], [0.5, Math.fround(0.6)]);
 * ```
 */
export function leastConfidence(input: SelectionInput, options: SelectionOptions): SelectionResult {
  return rankAscending(input, options, "leastConfidence", (p) => Math.max(...p));
}

/**
 * Keeps the k samples with the lowest Σ_c p_c · ln(p_c + ε) (highest entropy first); terms with p_c = 0
 * count 0.
 *
 * - Needs: `probs` (n × C); `labels` under `balance`.
 * - Order: ascending score, ties to the lower index; `scores[i]` is the score of `indices[i]`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { entropy } from "./uncertainty.ts";
 * const probs = { data: Float32Array.from([1, 0, 0.5, 0.5]), rows: 2, cols: 2 };
 * const r = entropy({ probs }, { budget: 1 });
 * assert.deepEqual([...r.indices], [1]);
 * assert.ok(Math.abs(r.scores![0] - Math.log(0.5)) < 1e-5);
 * ```
 */
export function entropy(input: SelectionInput, options: EntropyOptions): SelectionResult {
  const epsilon = options.epsilon ?? 1e-6;
  if (!(epsilon >= 0)) throw new RangeError(`options.epsilon: expected a number ≥ 0, got ${epsilon}`);
  return rankAscending(
    input,
    options,
    "entropy",
    // A zero probability contributes 0 (the limit of p ln p), also when ε = 0.
    (p) => p.reduce((s, pc) => pc > 0 ? s + pc * Math.log(pc + epsilon) : s, 0),
  );
}

/**
 * Keeps the k samples with the smallest margin p₍₁₎ − p₍₂₎ between the two most probable classes.
 *
 * - Needs: `probs` (n × C, C ≥ 2); `labels` under `balance`.
 * - Order: ascending score, ties to the lower index; `scores[i]` is the score of `indices[i]`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { margin } from "./uncertainty.ts";
 * const probs = { data: Float32Array.from([0.5, 0.25, 0.25, 0.25, 0.5, 0.25]), rows: 2, cols: 3 };
 * assert.deepEqual([...margin({ probs }, { budget: 2 }).scores!], [0.25, 0.25]);
 * ```
 */
export function margin(input: SelectionInput, options: SelectionOptions): SelectionResult {
  return rankAscending(input, options, "margin", (p) => {
    if (p.length < 2) throw new RangeError("margin: needs input.probs with at least 2 classes");
    let first = -Infinity;
    let second = -Infinity;
    for (const pc of p) {
      if (pc > first) [first, second] = [pc, first];
      else if (pc > second) second = pc;
    }
    return first - second;
  });
}

/** Scores every sample of each group, keeps the k lowest (float32) scores, ties to the lower index. */
function rankAscending(
  input: SelectionInput,
  options: SelectionOptions,
  method: string,
  score: (p: Float32Array) => number,
): SelectionResult {
  const n = sampleCount(input, method);
  const probs: Matrix = requireMatrix(input, "probs", method);
  const c = probs.cols;
  return selectInGroups(n, input.labels, options, (members, k) => {
    const scores = Float32Array.from(members, (i) => score(probs.data.subarray(i * c, (i + 1) * c)));
    const order = Int32Array.from(members, (_, local) => local).sort((a, b) =>
      scores[a] - scores[b] || a - b
    );
    const indices = order.slice(0, k);
    return { indices, scores: Float32Array.from(indices, (local) => scores[local]) };
  }, { scores: true });
}
