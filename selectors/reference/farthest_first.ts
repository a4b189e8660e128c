/**
 * Farthest-first traversal (Gonzalez 1985), the greedy 2-approximation of k-center: the loop shared by
 * `kCenterGreedy` (Euclidean features) and `contextualDiversity` (symmetric KL on probabilities).
 *
 * @module
 */

/**
 * Picks k of m points: `first`, then repeatedly the point whose distance to its nearest picked point is
 * largest (ties to the lowest index). Only a length-m vector of those nearest distances is kept, never a
 * distance matrix (DeepCore allocates a (k−1) × m one, §4.7). `distance(a, b)` must be ≥ 0 and symmetric;
 * it is called as `distance(newest pick, candidate)`.
 *
 * Returns the picks in pick order. Cost: (k−1)·(m−1) distance evaluations at most.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { farthestFirst } from "./farthest_first.ts";
 * const x = [0, 1, 5, 9];
 * const picks = farthestFirst(4, 3, 1, (a, b) => Math.abs(x[a] - x[b]));
 * assert.deepEqual([...picks], [1, 3, 2]); // from 1: 9 is farthest; then 5 (distance 4 to both)
 * ```
 */
export function farthestFirst(
  m: number,
  k: number,
  first: number,
  distance: (a: number, b: number) => number,
): Int32Array {
  if (!Number.isInteger(k) || k < 0 || k > m) {
    throw new RangeError(`farthestFirst: expected an integer budget 0 ≤ k ≤ ${m}, got ${k}`);
  }
  const picks = new Int32Array(k);
  if (k === 0) return picks;
  if (!Number.isInteger(first) || first < 0 || first >= m) {
    throw new RangeError(`farthestFirst: expected a first point in 0..${m - 1}, got ${first}`);
  }
  // nearest[i]: distance from i to its nearest pick; picked points hold −1, below every distance.
  const nearest = new Float64Array(m).fill(Infinity);
  let pick = first;
  for (let t = 0;; t++) {
    picks[t] = pick;
    nearest[pick] = -1;
    if (t === k - 1) return picks;
    let next = -1;
    for (let i = 0; i < m; i++) {
      if (nearest[i] < 0) continue;
      const d = distance(pick, i);
      if (d < nearest[i]) nearest[i] = d;
      if (next < 0 || nearest[i] > nearest[next]) next = i; // strict: ties keep the lower index
    }
    pick = next;
  }
}
