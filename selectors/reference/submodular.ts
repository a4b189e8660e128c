/**
 * Submodular selection (Iyer et al. 2021; DeepCore's `Submodular`, §4.14): maximise GraphCut,
 * FacilityLocation or LogDeterminant over DeepCore's cosine similarity of the features, with one of the
 * four greedy optimisers of `greedy.ts`.
 *
 * Defaults are main.py's: function "GraphCut" (the class default is "LogDeterminant"), greedy
 * "LazyGreedy" (class default "ApproximateLazyGreedy"), λ = 1. Deviations from DeepCore (details in
 * `greedy.ts` and `submodular_functions.ts`):
 * - LogDeterminant maximises the real log-det gain (with ridge δ), not the redundancy term (§7.7);
 * - StochasticGreedy's ε defaults to 0.01 (§7.10); ApproximateLazyGreedy terminates on negative gains
 *   (§7.9); a class with budget 0 yields nothing instead of an error (§7.22);
 * - similarities are computed on demand, never held as an m × m matrix;
 * - indices in pick order (DeepCore returns them ascending); `types.ts` asks for selection order.
 *
 * @module
 */

import { selectInGroups } from "../budget.ts";
import type { SelectionInput, SelectionOptions, SelectionResult } from "../types.ts";
import { greedyMaximize, type GreedyName } from "./greedy.ts";
import { gatherRows, requireMatrix, sampleCount } from "./input.ts";
import { CounterRng, seedFromOptions } from "./rng.ts";
import { CosineSimilarity, FacilityLocation, GraphCut, LogDeterminant } from "./submodular_functions.ts";

/** The submodular functions DeepCore offers. */
export type SubmodularFunctionName = "GraphCut" | "FacilityLocation" | "LogDeterminant";

/** Options of `submodular`. */
export interface SubmodularOptions extends SelectionOptions {
  /** The function to maximise; default "GraphCut". */
  function?: SubmodularFunctionName;
  /** The optimiser; default "LazyGreedy". */
  greedy?: GreedyName;
  /** GraphCut's λ; default 1 (DeepCore's). */
  lambda?: number;
  /** LogDeterminant's ridge δ > 0; default 1e-6. */
  ridge?: number;
  /** StochasticGreedy's ε in (0, 1); default 0.01. */
  epsilon?: number;
  /** ApproximateLazyGreedy's β in (0, 1]; default 0.9. */
  beta?: number;
}

/**
 * Keeps k samples maximising a submodular function of the cosine similarity
 * s_ij = 0.5 + 0.5·cos(x_i, x_j) of `input.features`.
 *
 * - Needs: `features` (n × d, e.g. last-layer gradients); `labels` under `balance`.
 * - Rule, per group (the ground set is the group): greedy maximisation, ties to the lowest index;
 *   StochasticGreedy draws from `CounterRng(seed, group)` (the other optimisers ignore `seed`).
 * - Order: pick order. No scores.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { submodular } from "./submodular.ts";
 * // Two identical rows and one orthogonal: LogDeterminant takes row 0, then the diverse row 2.
 * const features = { data: Float32Array.from([1, 0, 1, 0, 0, 1]), rows: 3, cols: 2 };
 * const r = submodular({ features }, { budget: 2, function: "LogDeterminant" });
 * assert.deepEqual([...r.indices], [0, 2]);
 * ```
 */
export function submodular(input: SelectionInput, options: SubmodularOptions): SelectionResult {
  const n = sampleCount(input, "submodular");
  const features = requireMatrix(input, "features", "submodular");
  const seed = seedFromOptions(options);
  const name = options.function ?? "GraphCut";
  const greedy = options.greedy ?? "LazyGreedy";
  const lambda = options.lambda ?? 1;
  if (!Number.isFinite(lambda)) {
    throw new RangeError(`options.lambda: expected a finite number, got ${lambda}`);
  }
  return selectInGroups(n, input.labels, options, (members, k, group) => {
    const s = new CosineSimilarity(gatherRows(features, members));
    let f;
    switch (name) {
      case "GraphCut":
        f = new GraphCut(s, lambda);
        break;
      case "FacilityLocation":
        f = new FacilityLocation(s);
        break;
      case "LogDeterminant":
        f = new LogDeterminant(s, options.ridge);
        break;
      default:
        throw new RangeError(
          `options.function: unknown "${name}"; expected GraphCut, FacilityLocation or LogDeterminant`,
        );
    }
    const settings = { rng: new CounterRng(seed, group), epsilon: options.epsilon, beta: options.beta };
    return { indices: greedyMaximize(greedy, f, k, settings) };
  });
}
