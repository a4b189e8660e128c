/**
 * Uniform: a seeded random subset, DeepCore's "Random" baseline. There is nothing to compute on a GPU: this
 * is the reference's method (`reference/uniform.ts`, a partial Fisher–Yates shuffle of each group's
 * positions driven by the Threefry counter RNG) with the same draws in k steps: only the positions a draw
 * moves are written, into a zeroed array, so no pass fills or shuffles all n.
 *
 * @module
 */

import { selectInGroups } from "./budget.ts";
import { countSamples } from "./gpu_input.ts";
import { CounterRng, seedFromOptions } from "./reference/rng.ts";
import type { SelectionInput, SelectionOptions, SelectionResult } from "./types.ts";

/**
 * Keeps k samples drawn uniformly without replacement (per class under `balance`).
 *
 * - Needs: nothing but n (from any input field); `labels` under `balance`.
 * - Order: draw order. No scores, no weights. Same seed → same subset, the reference's.
 *
 * @example
 * ```ts
 * import { uniform } from "./uniform.ts";
 * const { indices } = await uniform({ labels: new Int32Array(10) }, { budget: 3, seed: 1 });
 * console.log(indices.length); // 3
 * ```
 */
// deno-lint-ignore require-await -- async so that bad input rejects like every other selector
export async function uniform(input: SelectionInput, options: SelectionOptions): Promise<SelectionResult> {
  const n = countSamples(input, "Uniform");
  const seed = seedFromOptions(options);
  return selectInGroups(n, input.labels, options, (members, k, group) => ({
    indices: firstDraws(new CounterRng(seed, group), members.length, k),
  }));
}

/**
 * The first `k` entries of positions 0..m−1 after `partialShuffle(rng, positions, k)`: step t swaps
 * entries t and j = t + rng.nextInt(m − t), and entry t is never read again, so only the entries a swap
 * moved need remembering (`moved[j]` = entry + 1, 0 = still j: a zeroed array costs no pass over m).
 */
function firstDraws(rng: CounterRng, m: number, k: number): Int32Array {
  const moved = new Int32Array(m);
  const out = new Int32Array(k);
  for (let t = 0; t < k; t++) {
    const j = t + rng.nextInt(m - t);
    out[t] = moved[j] === 0 ? j : moved[j]! - 1;
    moved[j] = (moved[t] === 0 ? t : moved[t]! - 1) + 1;
  }
  return out;
}
