import assert from "node:assert/strict";
import { herding } from "../../../selectors/reference/herding.ts";
import { labelsWithCounts, randomMatrix, row } from "./helpers.ts";
import type { Matrix } from "../../../selectors/types.ts";

/** Brute force: each step recomputes every candidate's new mean from scratch and keeps the nearest. */
function bruteHerding(x: Matrix, k: number): number[] {
  const rows = Array.from({ length: x.rows }, (_, i) => row(x, i));
  const mean = rows[0].map((_, c) => rows.reduce((s, r) => s + r[c], 0) / x.rows);
  const kept: number[] = [];
  for (let t = 0; t < k; t++) {
    let best = -1, bestDistance = Infinity;
    for (let i = 0; i < x.rows; i++) {
      if (kept.includes(i)) continue;
      const set = [...kept, i];
      const distance = mean.reduce(
        (s, m, c) => s + (set.reduce((a, j) => a + rows[j][c], 0) / set.length - m) ** 2,
        0,
      );
      if (distance < bestDistance - 1e-12) [best, bestDistance] = [i, distance];
    }
    kept.push(best);
  }
  return kept;
}

Deno.test("herding: hand case keeps the point nearest the mean first (DeepCore's bug would keep 10)", () => {
  const features = { data: Float32Array.from([0, 1, 2, 10]), rows: 4, cols: 1 };
  assert.deepEqual([...herding({ features }, { budget: 4 }).indices], [2, 1, 3, 0]);
  assert.deepEqual([...herding({ features }, { budget: 1 }).indices], [2]);
});

Deno.test("herding: matches the brute-force running-mean rule on random features", () => {
  for (let seed = 0; seed < 10; seed++) {
    const features = randomMatrix(12, 3, seed);
    assert.deepEqual([...herding({ features }, { budget: 12 }).indices], bruteHerding(features, 12));
  }
});

Deno.test("herding: ties go to the lowest index", () => {
  // Rows 1 and 3 are equidistant from the mean 0 (±1) and so are 0 and 2 (±2).
  const features = { data: Float32Array.from([-2, 1, 2, -1]), rows: 4, cols: 1 };
  assert.deepEqual([...herding({ features }, { budget: 2 }).indices], [1, 3]);
});

Deno.test("herding: balance herds each class toward its own mean", () => {
  const labels = labelsWithCounts([3, 3]); // 0 1 0 1 0 1
  const features = { data: Float32Array.from([0, 100, 1, 104, 5, 101]), rows: 6, cols: 1 };
  // Class 0 = {0, 1, 5} (mean 2) → 1; class 1 = {100, 104, 101} (mean 101.67) → 101.
  assert.deepEqual([...herding({ features, labels }, { budget: 2, balance: true }).indices], [2, 5]);
  assert.throws(() => herding({ labels }, { budget: 2 }), /herding: needs input\.features/);
});
