import assert from "node:assert/strict";
import { kCenterGreedy } from "../../../selectors/reference/k_center_greedy.ts";
import { CounterRng } from "../../../selectors/reference/rng.ts";
import type { Matrix } from "../../../selectors/types.ts";
import { labelsWithCounts, randomMatrix, row, subsets } from "./helpers.ts";

function euclidean(x: Matrix, a: number, b: number): number {
  const ra = row(x, a), rb = row(x, b);
  return Math.sqrt(ra.reduce((s, v, c) => s + (v - rb[c]) ** 2, 0));
}

/** Covering radius of a set of centres: the largest distance from a point to its nearest centre. */
function radius(x: Matrix, centres: number[]): number {
  let r = 0;
  for (let i = 0; i < x.rows; i++) r = Math.max(r, Math.min(...centres.map((c) => euclidean(x, i, c))));
  return r;
}

Deno.test("kCenterGreedy: radius ≤ 2 × the optimal radius (brute force over all k-subsets)", () => {
  for (let seed = 0; seed < 6; seed++) {
    const features = randomMatrix(9, 2, seed);
    for (const k of [1, 2, 3, 4]) {
      const picks = [...kCenterGreedy({ features }, { budget: k, seed }).indices];
      let optimal = Infinity;
      for (const s of subsets(9, k)) optimal = Math.min(optimal, radius(features, s));
      assert.ok(radius(features, picks) <= 2 * optimal + 1e-9, `seed ${seed} k ${k}`);
    }
  }
});

Deno.test("kCenterGreedy: random first centre from stream (seed, 0), then the farthest rule", () => {
  const features = randomMatrix(15, 3, 7);
  const picks = [...kCenterGreedy({ features }, { budget: 6, seed: 21 }).indices];
  assert.equal(picks[0], new CounterRng(21, 0).nextInt(15));
  for (let t = 1; t < picks.length; t++) {
    const nearest = (i: number) => Math.min(...picks.slice(0, t).map((c) => euclidean(features, i, c)));
    const candidates = [...Array(15).keys()].filter((i) => !picks.slice(0, t).includes(i));
    const farthest = Math.max(...candidates.map(nearest));
    assert.ok(Math.abs(nearest(picks[t]) - farthest) < 1e-6);
  }
});

Deno.test("kCenterGreedy: budget 1 is the random centre, duplicates come last, lowest index first", () => {
  const features = { data: Float32Array.from([0, 0, 0, 5]), rows: 4, cols: 1 };
  const first = new CounterRng(0, 0).nextInt(4);
  assert.deepEqual([...kCenterGreedy({ features }, { budget: 1, seed: 0 }).indices], [first]);
  const all = [...kCenterGreedy({ features }, { budget: 4, seed: 0 }).indices];
  assert.deepEqual([...all].sort(), [0, 1, 2, 3]);
  // After both distinct values are covered, the remaining duplicates tie at 0 → ascending.
  const rest = all.slice(2);
  assert.deepEqual(rest, [...rest].sort());
});

Deno.test("kCenterGreedy: seeds change the first centre; classes use their own streams", () => {
  const features = randomMatrix(40, 2, 1);
  const firsts = new Set(
    [...Array(10).keys()].map((seed) => kCenterGreedy({ features }, { budget: 3, seed }).indices[0]),
  );
  assert.ok(firsts.size > 1);
  const labels = labelsWithCounts([20, 20]);
  const r = kCenterGreedy({ features, labels }, { budget: 2, balance: true, seed: 4 });
  const members = (c: number) => [...labels.keys()].filter((i) => labels[i] === c);
  assert.deepEqual([...r.indices], [
    members(0)[new CounterRng(4, 0).nextInt(20)],
    members(1)[new CounterRng(4, 1).nextInt(20)],
  ]);
});
