/**
 * Full: every sample, in order — the upper baseline a coreset is compared against.
 *
 * @module
 */

import { iota } from "./budget.ts";
import { countSamples } from "./gpu_input.ts";
import type { SelectionInput, SelectionOptions, SelectionResult } from "./types.ts";

/**
 * Keeps all n samples in index order; `fraction`, `budget` and `balance` are ignored, as in DeepCore.
 *
 * @example
 * ```ts
 * import { full } from "./full.ts";
 * console.log((await full({ labels: new Int32Array(3) }, {})).indices); // Int32Array [0, 1, 2]
 * ```
 */
// deno-lint-ignore require-await -- async so that bad input rejects like every other selector
export async function full(input: SelectionInput, _options: SelectionOptions = {}): Promise<SelectionResult> {
  const n = countSamples(input, "Full");
  return { indices: iota(n) };
}
