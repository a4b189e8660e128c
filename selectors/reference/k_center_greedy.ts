/**
 * k-Center Greedy (Sener & Savarese 2018; DeepCore's `kCenterGreedy`, §4.7): cover the feature space,
 * by farthest-first traversal from a random first centre.
 *
 * Deviations from DeepCore:
 * - budget 0 returns nothing and budget 1 returns just the random first centre (DeepCore crashes on
 *   both, §7.14);
 * - the first centre comes from the Threefry stream `CounterRng(seed, group)` (DeepCore: numpy's RNG,
 *   re-seeded with the same seed for every class, so equal-sized classes start at the same position);
 * - only a length-m nearest-distance vector is kept (DeepCore allocates a (k−1) × m matrix);
 * - distances are squared Euclidean without DeepCore's 1e-12 clamp; √ is monotone, so the picks are those
 *   of the Euclidean distance (barring candidates whose distances differ only below 1e-6);
 * - indices in pick order (DeepCore returns them ascending); `types.ts` asks for selection order.
 * - `already_selected` (not passed by DeepCore's main.py) is not supported.
 *
 * Arithmetic: features read as float32, distances accumulated in float64.
 *
 * @module
 */

import { selectInGroups } from "../budget.ts";
import type { SelectionInput, SelectionOptions, SelectionResult } from "../types.ts";
import { farthestFirst } from "./farthest_first.ts";
import { gatherRows, requireMatrix, sampleCount } from "./input.ts";
import { CounterRng, seedFromOptions } from "./rng.ts";

/**
 * Keeps k samples by k-center greedy on `input.features`.
 *
 * - Needs: `features` (n × d); `labels` under `balance`.
 * - Rule, per group of m rows: the first centre is position `CounterRng(seed, group).nextInt(m)`; then
 *   repeatedly the sample farthest (squared Euclidean) from its nearest centre, ties to the lowest index.
 * - Order: pick order (the random first centre first). No scores. Cost O(k·m·d), O(m) extra memory.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { kCenterGreedy } from "./k_center_greedy.ts";
 * const features = { data: Float32Array.from([0, 1, 5, 9]), rows: 4, cols: 1 };
 * const { indices } = kCenterGreedy({ features }, { budget: 2, seed: 3 });
 * assert.equal(indices.length, 2);
 * ```
 */
export function kCenterGreedy(input: SelectionInput, options: SelectionOptions): SelectionResult {
  const n = sampleCount(input, "kCenterGreedy");
  const features = requireMatrix(input, "features", "kCenterGreedy");
  const seed = seedFromOptions(options);
  return selectInGroups(n, input.labels, options, (members, k, group) => {
    const { data: x, rows: m, cols: d } = gatherRows(features, members);
    const squaredDistance = (a: number, b: number) => {
      let sum = 0;
      for (let c = 0; c < d; c++) sum += (x[a * d + c] - x[b * d + c]) ** 2;
      return sum;
    };
    const first = new CounterRng(seed, group).nextInt(m);
    return { indices: farthestFirst(m, k, first, squaredDistance) };
  });
}
