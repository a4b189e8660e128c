/**
 * Uniform: a uniformly random subset, drawn without replacement (DeepCore's `Uniform`, §4.1).
 *
 * Deviation from DeepCore: draws come from the counter-based Threefry stream of `rng.ts` keyed by
 * (seed, group) and a partial Fisher–Yates, not numpy's MT19937 and full backward permutation, so the
 * subsets are not DeepCore's bit for bit (they are equally uniform, and reproducible on the GPU).
 *
 * @module
 */

import { selectInGroups } from "../budget.ts";
import type { SelectionInput, SelectionOptions, SelectionResult } from "../types.ts";
import { sampleCount } from "./input.ts";
import { CounterRng, partialShuffle, seedFromOptions } from "./rng.ts";

/**
 * Keeps k samples drawn uniformly at random without replacement.
 *
 * - Needs: any of `features`, `probs`, `labels` (only n is read); `labels` under `balance`.
 * - Rule: per group (the class under `balance`, else everything), positions 0..m−1 are partially
 *   shuffled (`partialShuffle`) with the stream `CounterRng(seed, group)`; the first k are kept.
 * - Order: draw order. No scores.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { uniform } from "./uniform.ts";
 * const r = uniform({ labels: new Int32Array(10) }, { fraction: 0.3, seed: 1 });
 * assert.equal(r.indices.length, 3);
 * ```
 */
export function uniform(input: SelectionInput, options: SelectionOptions): SelectionResult {
  const n = sampleCount(input, "uniform");
  const seed = seedFromOptions(options);
  return selectInGroups(n, input.labels, options, (members, k, group) => {
    const positions = Int32Array.from({ length: members.length }, (_, i) => i);
    partialShuffle(new CounterRng(seed, group), positions, k);
    return { indices: positions.slice(0, k) };
  });
}
