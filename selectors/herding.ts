/**
 * Herding (Welling 2009; DeepCore's `Herding`): greedily keep the sample that brings the mean of the kept
 * features closest to the mean of all features. Runs on the GPU (`kernels/greedy.ts`). Fixes DeepCore's
 * argmax bug (it kept the *farthest* candidate); see docs/deviations.md.
 *
 * @module
 */

import { herding as herdingOnGpu } from "../kernels/greedy.ts";
import { countSamples, groupRows, requireOnGpu, selectGroupsOnGpu } from "./gpu_input.ts";
import type { SelectionInput, SelectionOptions, SelectionResult } from "./types.ts";

/**
 * Keeps k samples by herding on `input.features`.
 *
 * - Needs: `features` (n × d); `labels` under `balance`.
 * - Rule, per group with mean μ: with S the t samples kept so far, keep the unkept i minimising
 *   ‖x_i − ((t+1)μ − Σ_{j∈S} x_j)‖ (float32), ties to the lowest index.
 * - Order: pick order. No scores, no weights. Deterministic (`seed` unused).
 *
 * @example
 * ```ts
 * import { ready } from "../kernels/runtime/runtime.ts";
 * import { herding } from "./herding.ts";
 * await ready();
 * const features = { data: Float32Array.from([0, 1, 5, 10]), rows: 4, cols: 1 };
 * console.log((await herding({ features }, { budget: 2 })).indices); // Int32Array [2, 1]
 * ```
 */
export async function herding(input: SelectionInput, options: SelectionOptions): Promise<SelectionResult> {
  const n = countSamples(input, "Herding");
  return await selectGroupsOnGpu(n, input, options, ({ members, k }) => ({
    indices: herdingOnGpu(groupRows(requireOnGpu(input, "features", "Herding"), members), k),
  }));
}
