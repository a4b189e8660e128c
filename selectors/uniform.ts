/**
 * Uniform: a seeded random subset, DeepCore's "Random" baseline. There is nothing to compute on a GPU, so
 * this is the plain TypeScript method itself (`reference/uniform.ts`, a partial Fisher–Yates shuffle driven
 * by the Threefry counter RNG).
 *
 * @module
 */

import { uniform as uniformOnCpu } from "./reference/uniform.ts";
import { countSamples } from "./gpu_input.ts";
import type { SelectionInput, SelectionOptions, SelectionResult } from "./types.ts";

/**
 * Keeps k samples drawn uniformly without replacement (per class under `balance`).
 *
 * - Needs: nothing but n (from any input field); `labels` under `balance`.
 * - Order: draw order. No scores, no weights. Same seed → same subset.
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
  return uniformOnCpu({ labels: input.labels ?? new Int32Array(n) }, options);
}
