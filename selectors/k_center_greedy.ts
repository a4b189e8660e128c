/**
 * k-Center Greedy (Sener & Savarese 2018; DeepCore's `kCenterGreedy`): cover the feature space by
 * farthest-first traversal from a random first centre. The traversal runs on the GPU
 * (`kernels/greedy.ts`), keeping one length-m vector of nearest-centre distances (DeepCore allocates
 * (k−1) × m), with every step recorded into one submission.
 *
 * Deviations from DeepCore are those of `reference/k_center_greedy.ts` (budgets 0 and 1 work, the first
 * centre's stream, pick order); see docs/deviations.md.
 *
 * @module
 */

import { farthestFirst } from "../kernels/greedy.ts";
import { countSamples, groupRows, requireOnGpu, selectGroupsOnGpu } from "./gpu_input.ts";
import { CounterRng, seedFromOptions } from "./reference/rng.ts";
import type { SelectionInput, SelectionOptions, SelectionResult } from "./types.ts";

/**
 * Keeps k samples by k-center greedy on `input.features`.
 *
 * - Needs: `features` (n × d); `labels` under `balance`.
 * - Rule, per group of m rows: the first centre is `CounterRng(seed, group).nextInt(m)`; then repeatedly
 *   the sample farthest (squared euclidean, float32) from its nearest centre, ties to the lowest index.
 * - Order: pick order. No scores, no weights.
 *
 * @example
 * ```ts
 * import { ready } from "../kernels/runtime/runtime.ts";
 * import { kCenterGreedy } from "./k_center_greedy.ts";
 * await ready();
 * const features = { data: Float32Array.from([0, 1, 5, 9]), rows: 4, cols: 1 };
 * console.log((await kCenterGreedy({ features }, { budget: 2, seed: 3 })).indices.length); // 2
 * ```
 */
export async function kCenterGreedy(
  input: SelectionInput,
  options: SelectionOptions,
): Promise<SelectionResult> {
  const n = countSamples(input, "kCenterGreedy");
  const seed = seedFromOptions(options);
  return await selectGroupsOnGpu(n, input, options, ({ members, k, group }) => {
    const x = groupRows(requireOnGpu(input, "features", "kCenterGreedy"), members);
    return { indices: farthestFirst(x, k, new CounterRng(seed, group).nextInt(members.length)) };
  });
}
