import assert from "node:assert/strict";
import {
  approximateLazyGreedy,
  greedyMaximize,
  type GreedyObjective,
  lazyGreedy,
  naiveGreedy,
  stochasticGreedy,
} from "../../../selectors/reference/greedy.ts";
import { CounterRng } from "../../../selectors/reference/rng.ts";
import {
  FacilityLocation,
  GraphCut,
  LogDeterminant,
} from "../../../selectors/reference/submodular_functions.ts";
import type { Matrix } from "../../../selectors/types.ts";
import { randomMatrix, subsets } from "./helpers.ts";
import { cosineTable, counted, facilityLocationValue, graphCutValue, tableSimilarity } from "./objectives.ts";

type Make = (s: number[][]) => GreedyObjective;
const OBJECTIVES: [string, Make][] = [
  ["FacilityLocation", (s) => new FacilityLocation(tableSimilarity(s))],
  ["GraphCut λ=1", (s) => new GraphCut(tableSimilarity(s), 1)],
  ["GraphCut λ=2", (s) => new GraphCut(tableSimilarity(s), 2)],
  ["LogDeterminant", (s) => new LogDeterminant(tableSimilarity(s))],
];

/** Random features, and the same with duplicated rows (exact gain ties). */
function featureSets(seed: number): Matrix[] {
  const x = randomMatrix(12, 3, seed);
  const dup = new Float32Array(x.data);
  dup.copyWithin(3 * 5, 0, 3 * 3); // rows 5..7 copy rows 0..2
  dup.copyWithin(3 * 11, 3 * 4, 3 * 5); // row 11 copies row 4
  return [x, { ...x, data: dup }];
}

Deno.test("lazyGreedy picks exactly what naiveGreedy picks, ties included", () => {
  for (let seed = 0; seed < 4; seed++) {
    for (const x of featureSets(seed)) {
      const s = cosineTable(x);
      for (const [name, make] of OBJECTIVES) {
        for (const k of [0, 1, 5, 12]) {
          const naive = counted(make(s)), lazy = counted(make(s));
          assert.deepEqual(
            [...lazyGreedy(lazy, k)],
            [...naiveGreedy(naive, k)],
            `${name} seed ${seed} k ${k}`,
          );
          assert.ok(lazy.evaluations <= naive.evaluations + x.rows);
        }
      }
    }
  }
});

Deno.test("greedy on monotone submodular functions reaches ≥ (1 − 1/e) · OPT (brute force)", () => {
  const bound = 1 - 1 / Math.E;
  for (let seed = 0; seed < 4; seed++) {
    const s = cosineTable(randomMatrix(10, 2, seed));
    const functions: [string, Make, (set: number[]) => number][] = [
      ["FacilityLocation", OBJECTIVES[0][1], (set) => facilityLocationValue(s, set)],
      ["GraphCut λ=2", OBJECTIVES[2][1], (set) => graphCutValue(s, set, 2)],
    ];
    for (const [name, make, value] of functions) {
      for (const k of [1, 2, 3, 4]) {
        let optimum = -Infinity;
        for (const set of subsets(10, k)) optimum = Math.max(optimum, value(set));
        for (const optimiser of ["NaiveGreedy", "LazyGreedy", "ApproximateLazyGreedy"] as const) {
          const picks = [...greedyMaximize(optimiser, make(s), k)];
          assert.ok(value(picks) >= bound * optimum, `${name} ${optimiser} seed ${seed} k ${k}`);
        }
        let mean = 0;
        for (let r = 0; r < 10; r++) {
          mean += value([...stochasticGreedy(make(s), k, new CounterRng(r, 0), 0.1)]) / 10;
        }
        assert.ok(mean >= (bound - 0.1) * optimum, `${name} stochastic seed ${seed} k ${k}`);
      }
    }
  }
});

Deno.test("approximateLazyGreedy: β = 1 is lazy greedy; each pick's gain ≥ β · the best gain", () => {
  for (let seed = 0; seed < 4; seed++) {
    const s = cosineTable(randomMatrix(14, 3, seed));
    for (const [name, make] of OBJECTIVES) {
      assert.deepEqual([...approximateLazyGreedy(make(s), 14, 1)], [...lazyGreedy(make(s), 14)], name);
    }
    // Replay the β = 0.5 picks of FacilityLocation (gains ≥ 0) and check the guarantee step by step.
    const picks = approximateLazyGreedy(OBJECTIVES[0][1](s), 8, 0.5);
    const f = OBJECTIVES[0][1](s);
    const taken = new Set<number>();
    for (const pick of picks) {
      const best = Math.max(...[...Array(14).keys()].filter((i) => !taken.has(i)).map((i) => f.gain(i)));
      assert.ok(f.gain(pick) >= 0.5 * best - 1e-12);
      f.add(pick);
      taken.add(pick);
    }
  }
});

Deno.test("approximateLazyGreedy terminates on negative gains (DeepCore loops forever)", () => {
  // GraphCut with λ = 1 on 30 points, budget 30: gains turn negative around |S| ≈ 15.
  const s = cosineTable(randomMatrix(30, 2, 3));
  const f = counted(new GraphCut(tableSimilarity(s), 1));
  const picks = approximateLazyGreedy(f, 30, 0.9);
  assert.deepEqual([...picks].sort((a, b) => a - b), [...Array(30).keys()]);
  assert.ok(f.evaluations <= 30 + 2 * 30 * 30);
  const negative = { size: 3, gain: (i: number) => [-1, -3, -2][i], add: () => {} };
  assert.deepEqual([...approximateLazyGreedy(negative, 3)], [0, 2, 1]);
});

Deno.test("stochasticGreedy: tiny ε samples everything (= naive); seeded; seeds differ", () => {
  const s = cosineTable(randomMatrix(30, 3, 8));
  const make = OBJECTIVES[0][1];
  for (const k of [1, 5, 30]) {
    assert.deepEqual([...stochasticGreedy(make(s), k, new CounterRng(1, 0), 1e-12)], [
      ...naiveGreedy(make(s), k),
    ]);
  }
  const run = (seed: number) => [...stochasticGreedy(make(s), 10, new CounterRng(seed, 0), 0.5)];
  assert.deepEqual(run(3), run(3));
  assert.ok(new Set([0, 1, 2, 3, 4].map((seed) => run(seed).join())).size > 1);
  // Sample size ⌈(m/k)·ln(1/ε)⌉ = ⌈3 · 0.693⌉ = 3 → 10 steps × 3 evaluations.
  const f = counted(make(s));
  stochasticGreedy(f, 10, new CounterRng(0, 0), 0.5);
  assert.equal(f.evaluations, 30);
  assert.throws(() => stochasticGreedy(make(s), 2, new CounterRng(0, 0), 1), /epsilon in \(0, 1\)/);
});

Deno.test("optimisers: ties go to the lowest position; budgets are checked; names are checked", () => {
  const flat = () => ({ size: 4, gain: () => 1, add: () => {} });
  for (const name of ["NaiveGreedy", "LazyGreedy", "ApproximateLazyGreedy"] as const) {
    assert.deepEqual([...greedyMaximize(name, flat(), 4)], [0, 1, 2, 3], name);
  }
  // StochasticGreedy: inside the sample, ties go to the lowest position, not the first drawn.
  const sample = stochasticGreedy(flat(), 1, new CounterRng(0, 0), 0.5); // s = ⌈4 · 0.69⌉ = 3
  const pool = Int32Array.from([0, 1, 2, 3]);
  const rng = new CounterRng(0, 0);
  for (let t = 0; t < 3; t++) {
    const j = t + rng.nextInt(4 - t);
    [pool[t], pool[j]] = [pool[j], pool[t]];
  }
  assert.deepEqual([...sample], [Math.min(...pool.subarray(0, 3))]);
  assert.throws(() => naiveGreedy(flat(), 5), /0 ≤ k ≤ 4/);
  assert.throws(() => lazyGreedy(flat(), -1), /0 ≤ k ≤ 4/);
  assert.throws(() => greedyMaximize("StochasticGreedy", flat(), 1), /needs a random stream/);
  assert.throws(() => greedyMaximize("Greedy" as never, flat(), 1), /unknown optimiser "Greedy"/);
  assert.throws(() => approximateLazyGreedy(flat(), 1, 0), /beta in \(0, 1\]/);
});
