/**
 * Full: every sample (DeepCore's `Full`, §4.2) — the "100 %" baseline.
 *
 * @module
 */

import type { SelectionInput, SelectionOptions, SelectionResult } from "../types.ts";
import { sampleCount } from "./input.ts";

/**
 * Keeps all n samples, indices 0..n−1 in ascending order.
 *
 * - Needs: any of `features`, `probs`, `labels` (only n is read).
 * - Ignores `fraction`, `budget`, `balance` and `seed`, as DeepCore does. No scores.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { full } from "./full.ts";
 * assert.deepEqual([...full({ labels: new Int32Array(3) }).indices], [0, 1, 2]);
 * ```
 */
export function full(input: SelectionInput, _options: SelectionOptions = {}): SelectionResult {
  const n = sampleCount(input, "full");
  return { indices: Int32Array.from({ length: n }, (_, i) => i) };
}
