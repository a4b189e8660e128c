/**
 * Contextual Diversity (Agarwal et al. 2020, as simplified by DeepCore's `ContextualDiversity`, §4.8):
 * k-center greedy on the predicted class probabilities, with half the symmetric KL divergence
 * (Jeffreys) as the distance.
 *
 * Deviations from DeepCore:
 * - probabilities are clamped to ≥ ε (default 1e-12) before the logarithm, so an exact zero (float32
 *   softmax underflow) gives a finite distance instead of NaN/∞ (§7.17); clamped rows are not
 *   renormalised;
 * - budget 0/1, the first centre's random stream, the O(m) memory and pick order: as `kCenterGreedy`.
 *
 * Arithmetic: probabilities read as float32, logarithms and sums in float64.
 *
 * @module
 */

import { selectInGroups } from "../budget.ts";
import type { SelectionInput, SelectionOptions, SelectionResult } from "../types.ts";
import { farthestFirst } from "./farthest_first.ts";
import { gatherRows, requireMatrix, sampleCount } from "./input.ts";
import { CounterRng, seedFromOptions } from "./rng.ts";

/** Options of `contextualDiversity`. */
export interface ContextualDiversityOptions extends SelectionOptions {
  /** Lower clamp of the probabilities before taking logarithms, > 0; default 1e-12. */
  epsilon?: number;
}

/**
 * Keeps k samples by k-center greedy on `input.probs` with the distance
 * d(a, b) = ½ Σ_c [a_c ln(a_c/b_c) + b_c ln(b_c/a_c)] = ½ Σ_c (a_c − b_c)(ln a_c − ln b_c),
 * every probability first clamped to ≥ ε.
 *
 * - Needs: `probs` (n × C); `labels` under `balance`.
 * - Rule, per group of m rows: first centre `CounterRng(seed, group).nextInt(m)`, then farthest-first
 *   (`farthestFirst`), ties to the lowest index.
 * - Order: pick order (the random first centre first). No scores. Cost O(k·m·C), O(m·C) extra memory
 *   (the clamped logarithms).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { contextualDiversity } from "./contextual_diversity.ts";
 * const probs = { data: Float32Array.from([1, 0, 0.9, 0.1, 0.5, 0.5]), rows: 3, cols: 2 };
 * assert.equal(contextualDiversity({ probs }, { budget: 2, seed: 0 }).indices.length, 2);
 * ```
 */
export function contextualDiversity(
  input: SelectionInput,
  options: ContextualDiversityOptions,
): SelectionResult {
  const n = sampleCount(input, "contextualDiversity");
  const probs = requireMatrix(input, "probs", "contextualDiversity");
  const seed = seedFromOptions(options);
  const epsilon = options.epsilon ?? 1e-12;
  if (!(epsilon > 0)) {
    throw new RangeError(`options.epsilon: expected a number > 0, got ${epsilon}`);
  }
  return selectInGroups(n, input.labels, options, (members, k, group) => {
    const { data, rows: m, cols: c } = gatherRows(probs, members);
    const p = Float64Array.from(data, (v) => Math.max(v, epsilon));
    const logP = p.map(Math.log);
    const distance = (a: number, b: number) => {
      let sum = 0;
      for (let j = 0; j < c; j++) sum += (p[a * c + j] - p[b * c + j]) * (logP[a * c + j] - logP[b * c + j]);
      return 0.5 * sum;
    };
    const first = new CounterRng(seed, group).nextInt(m);
    return { indices: farthestFirst(m, k, first, distance) };
  });
}
