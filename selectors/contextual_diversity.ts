/**
 * Contextual Diversity (Agarwal et al. 2020; DeepCore's `ContextualDiversity`): k-center greedy on the
 * class-probability vectors with the symmetric KL divergence as the distance, run on the GPU
 * (`kernels/greedy.ts`). Deviations as in `reference/contextual_diversity.ts` (probabilities clamped at ε).
 *
 * @module
 */

import { farthestFirst } from "../kernels/greedy.ts";
import { countSamples, groupRows, requireOnGpu, selectGroupsOnGpu } from "./gpu_input.ts";
import type { ContextualDiversityOptions } from "./reference/contextual_diversity.ts";
import { CounterRng, seedFromOptions } from "./reference/rng.ts";
import type { SelectionInput, SelectionResult } from "./types.ts";

export type { ContextualDiversityOptions } from "./reference/contextual_diversity.ts";

/**
 * Keeps k samples by farthest-first traversal of `input.probs` under ½Σ(a−b)(ln a − ln b), every
 * probability clamped to ≥ `epsilon` (default 1e-12).
 *
 * - Needs: `probs` (n × C); `labels` under `balance`.
 * - Rule: as `kCenterGreedy` (random first centre from `CounterRng(seed, group)`, ties to the lowest index).
 * - Order: pick order. No scores, no weights.
 *
 * @example
 * ```ts
 * import { ready } from "../kernels/runtime/runtime.ts";
 * import { contextualDiversity } from "./contextual_diversity.ts";
 * await ready();
 * const probs = { data: Float32Array.from([0.9, 0.1, 0.5, 0.5, 0.1, 0.9]), rows: 3, cols: 2 };
 * console.log((await contextualDiversity({ probs }, { budget: 2 })).indices.length); // 2
 * ```
 */
export async function contextualDiversity(
  input: SelectionInput,
  options: ContextualDiversityOptions,
): Promise<SelectionResult> {
  const n = countSamples(input, "ContextualDiversity");
  const seed = seedFromOptions(options);
  const eps = options.epsilon ?? 1e-12;
  if (!(eps > 0)) throw new RangeError(`options.epsilon: expected a number > 0, got ${eps}`);
  return await selectGroupsOnGpu(n, input, options, ({ members, k, group }) => {
    const p = groupRows(requireOnGpu(input, "probs", "ContextualDiversity"), members);
    const first = new CounterRng(seed, group).nextInt(members.length);
    return { indices: farthestFirst(p, k, first, { metric: "symkl", eps }) };
  });
}
