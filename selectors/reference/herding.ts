/**
 * Herding (Welling 2009; DeepCore's `Herding`, §4.6): greedily keep the sample that brings the mean of
 * the kept features closest to the mean of all features.
 *
 * Deviations from DeepCore:
 * - argmin, not argmax (DeepCore bug §7.3: it picks the candidate farthest from the target, so its first
 *   pick is the sample farthest from the mean). Ours is classic herding.
 * - Indices in pick order (DeepCore returns them ascending); `types.ts` asks for selection order.
 * - Squared distances without DeepCore's 1e-12 clamp (same argmin except among candidates within 1e-6).
 *
 * Arithmetic: features are read as float32 and everything is accumulated in float64.
 *
 * @module
 */

import { selectInGroups } from "../budget.ts";
import type { SelectionInput, SelectionOptions, SelectionResult } from "../types.ts";
import { gatherRows, requireMatrix, sampleCount } from "./input.ts";

/**
 * Keeps k samples by herding on `input.features`.
 *
 * - Needs: `features` (n × d); `labels` under `balance`.
 * - Rule, per group of m rows x_i with mean μ: with S the t samples kept so far, keep the unkept i that
 *   minimises ‖(Σ_{j∈S} x_j + x_i)/(t+1) − μ‖, i.e. ‖x_i − ((t+1)μ − Σ_{j∈S} x_j)‖; ties go to the lowest
 *   sample index.
 * - Order: pick order. No scores. Deterministic (`seed` unused). Cost O(k·m·d) time, O(d) extra memory.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { herding } from "./herding.ts";
 * // 1-D points 0, 1, 2, 10 (mean 3.25): point 2 first (nearest the mean), then 1, 10 and 0.
 * const features = { data: Float32Array.from([0, 1, 2, 10]), rows: 4, cols: 1 };
 * assert.deepEqual([...herding({ features }, { budget: 4 }).indices], [2, 1, 3, 0]);
 * ```
 */
export function herding(input: SelectionInput, options: SelectionOptions): SelectionResult {
  const n = sampleCount(input, "herding");
  const features = requireMatrix(input, "features", "herding");
  return selectInGroups(n, input.labels, options, (members, k) => {
    const { data: x, rows: m, cols: d } = gatherRows(features, members);
    const mean = new Float64Array(d);
    for (let i = 0; i < m; i++) for (let c = 0; c < d; c++) mean[c] += x[i * d + c];
    for (let c = 0; c < d; c++) mean[c] /= m;
    const keptSum = new Float64Array(d);
    const target = new Float64Array(d);
    const kept = new Uint8Array(m);
    const picks = new Int32Array(k);
    for (let t = 0; t < k; t++) {
      for (let c = 0; c < d; c++) target[c] = (t + 1) * mean[c] - keptSum[c];
      let best = -1;
      let bestDistance = Infinity;
      for (let i = 0; i < m; i++) {
        if (kept[i]) continue;
        let distance = 0;
        for (let c = 0; c < d; c++) distance += (x[i * d + c] - target[c]) ** 2;
        if (best < 0 || distance < bestDistance) { // strict: ties keep the lower index
          best = i;
          bestDistance = distance;
        }
      }
      kept[best] = 1;
      picks[t] = best;
      for (let c = 0; c < d; c++) keptSum[c] += x[best * d + c];
    }
    return { indices: picks };
  });
}
