import assert from "node:assert/strict";
import { CounterRng, partialShuffle } from "../../../selectors/reference/rng.ts";
import { uniform } from "../../../selectors/reference/uniform.ts";
import { labelsWithCounts } from "./helpers.ts";

Deno.test("uniform: the draw order of a partial Fisher–Yates on stream (seed, 0)", () => {
  const positions = Int32Array.from({ length: 10 }, (_, i) => i);
  partialShuffle(new CounterRng(11, 0), positions, 4);
  const r = uniform({ labels: new Int32Array(10) }, { budget: 4, seed: 11 });
  assert.deepEqual([...r.indices], [...positions.subarray(0, 4)]);
  assert.equal(r.scores, undefined);
});

Deno.test("uniform: f = 1 is a permutation; budget 0 is empty", () => {
  const r = uniform({ labels: new Int32Array(20) }, { fraction: 1, seed: 3 });
  assert.deepEqual([...r.indices].sort((a, b) => a - b), Array.from({ length: 20 }, (_, i) => i));
  assert.notDeepEqual([...r.indices], Array.from({ length: 20 }, (_, i) => i));
  assert.equal(uniform({ labels: new Int32Array(20) }, { budget: 0 }).indices.length, 0);
});

Deno.test("uniform: each sample is kept with probability k/n", () => {
  const n = 8, k = 3, trials = 4000;
  const hits = new Array(n).fill(0);
  for (let seed = 0; seed < trials; seed++) {
    for (const i of uniform({ labels: new Int32Array(n) }, { budget: k, seed }).indices) hits[i]++;
  }
  // Expected 1500 each, sd ≈ 31.
  for (const h of hits) assert.ok(Math.abs(h - (trials * k) / n) < 150, `hits ${hits}`);
});

Deno.test("uniform: balance draws class c from stream (seed, c), members in ascending order", () => {
  const labels = labelsWithCounts([4, 6]); // interleaved: 0 1 0 1 0 1 0 1 1 1
  const r = uniform({ labels }, { budget: 5, balance: true, seed: 2 });
  const members = [[0, 2, 4, 6], [1, 3, 5, 7, 8, 9]];
  const expected = [2, 3].flatMap((kc, c) => {
    const positions = Int32Array.from(members[c], (_, i) => i);
    partialShuffle(new CounterRng(2, c), positions, kc);
    return [...positions.subarray(0, kc)].map((p) => members[c][p]);
  });
  assert.deepEqual([...r.indices], expected);
});
