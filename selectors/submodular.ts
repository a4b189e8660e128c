/**
 * Submodular selection (DeepCore's `Submodular`; Iyer et al. 2021): greedily maximise Graph Cut, Facility
 * Location or Log-Determinant of the similarity s_ij = 0.5 + 0.5·cos(x_i, x_j) of the features, with
 * naive, lazy, stochastic or approximate-lazy greedy — all on the GPU (`kernels/submodular.ts`), never
 * holding an m × m matrix past a memory budget. Deviations from DeepCore (the real log-det gain, a
 * terminating approximate-lazy greedy, ε = 0.01 for stochastic greedy) are in docs/deviations.md.
 *
 * @module
 */

import { submodularGreedy, type SubmodularGreedyOptions } from "../kernels/submodular.ts";
import { countSamples, groupRows, requireOnGpu, selectGroupsOnGpu } from "./gpu_input.ts";
import type { SubmodularOptions } from "./reference/submodular.ts";
import { seedFromOptions } from "./reference/rng.ts";
import type { SelectionInput, SelectionResult } from "./types.ts";

export type { SubmodularOptions } from "./reference/submodular.ts";

/** Options of the GPU selector: the reference's, plus how similarities are held. */
export interface SubmodularGpuOptions extends SubmodularOptions {
  /** "dense", "onthefly" or `{ knn }` (see `kernels/submodular.ts`); default by memory budget. */
  similarity?: SubmodularGreedyOptions["similarity"];
  /** Bytes a dense similarity matrix may take (default 1 GiB). */
  memoryBudgetBytes?: number;
}

/**
 * Keeps k samples maximising `options.function` (default GraphCut) with `options.greedy` (default
 * LazyGreedy), per class under `balance`.
 *
 * - Needs: `features` (n × d); `labels` under `balance`.
 * - Order: pick order (greedy order); ties to the lowest index. No scores, no weights.
 * - Random only with StochasticGreedy, whose sample is drawn from `CounterRng(seed, group)`.
 *
 * @example
 * ```ts
 * import { ready } from "../kernels/runtime/runtime.ts";
 * import { submodular } from "./submodular.ts";
 * await ready();
 * const features = { data: Float32Array.from([1, 0, 1, 0.1, 0, 1]), rows: 3, cols: 2 };
 * const r = await submodular({ features }, { budget: 2, function: "LogDeterminant", greedy: "NaiveGreedy" });
 * console.log(r.indices); // Int32Array [0, 2]
 * ```
 */
export async function submodular(
  input: SelectionInput,
  options: SubmodularGpuOptions,
): Promise<SelectionResult> {
  const n = countSamples(input, "Submodular");
  const seed = seedFromOptions(options);
  return await selectGroupsOnGpu(n, input, options, ({ members, k, group }) => ({
    indices: submodularGreedy(groupRows(requireOnGpu(input, "features", "Submodular"), members), k, {
      fn: options.function ?? "GraphCut",
      greedy: options.greedy ?? "LazyGreedy",
      ...(options.lambda !== undefined && { lambda: options.lambda }),
      ...(options.ridge !== undefined && { ridge: options.ridge }),
      ...(options.epsilon !== undefined && { epsilon: options.epsilon }),
      ...(options.beta !== undefined && { beta: options.beta }),
      ...(options.similarity !== undefined && { similarity: options.similarity }),
      ...(options.memoryBudgetBytes !== undefined && { memoryBudgetBytes: options.memoryBudgetBytes }),
      seed,
      stream: group,
    }),
  }));
}

/** Graph Cut with the chosen greedy (`submodular` with `function: "GraphCut"`). */
export function graphCut(input: SelectionInput, options: SubmodularGpuOptions): Promise<SelectionResult> {
  return submodular(input, { ...options, function: "GraphCut" });
}

/** Facility Location with the chosen greedy (`submodular` with `function: "FacilityLocation"`). */
export function facilityLocation(
  input: SelectionInput,
  options: SubmodularGpuOptions,
): Promise<SelectionResult> {
  return submodular(input, { ...options, function: "FacilityLocation" });
}

/** Log-Determinant with the chosen greedy (`submodular` with `function: "LogDeterminant"`). */
export function logDeterminant(
  input: SelectionInput,
  options: SubmodularGpuOptions,
): Promise<SelectionResult> {
  return submodular(input, { ...options, function: "LogDeterminant" });
}
