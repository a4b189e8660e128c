import assert from "node:assert/strict";
import {
  CosineSimilarity,
  FacilityLocation,
  GraphCut,
  LogDeterminant,
} from "../../../selectors/reference/submodular_functions.ts";
import type { GreedyObjective } from "../../../selectors/reference/greedy.ts";
import { CounterRng } from "../../../selectors/reference/rng.ts";
import { randomMatrix } from "./helpers.ts";
import {
  cosineTable,
  facilityLocationValue,
  graphCutValue,
  logDetValue,
  tableSimilarity,
} from "./objectives.ts";

Deno.test("CosineSimilarity: 0.5 + 0.5 cos, zero vectors give 0.5", () => {
  const x = { data: Float32Array.from([3, 4, -3, -4, 0, 0, 4, -3]), rows: 4, cols: 2 };
  const s = new CosineSimilarity(x);
  assert.equal(s.size, 4);
  assert.equal(s.sim(0, 0), 1);
  assert.equal(s.sim(0, 1), 0);
  assert.equal(s.sim(0, 3), 0.5);
  assert.equal(s.sim(2, 0), 0.5);
  assert.equal(s.sim(2, 2), 0.5);
  const features = randomMatrix(7, 5, 1);
  const table = cosineTable(features);
  const cos = new CosineSimilarity(features);
  for (let i = 0; i < 7; i++) {
    for (let j = 0; j < 7; j++) assert.ok(Math.abs(cos.sim(i, j) - table[i][j]) < 1e-12);
  }
  // x·x / (√(x·x))² rounds to 1 − 2⁻⁵³ for some rows; a non-zero vector's self-similarity is exactly 1
  const many = new CosineSimilarity(randomMatrix(500, 13, 2));
  for (let i = 0; i < 500; i++) assert.equal(many.sim(i, i), 1, `row ${i}`);
});

/** Adds a random order of positions; before each add, every gain must equal f(S ∪ {j}) − f(S). */
function checkGains(f: GreedyObjective, value: (set: number[]) => number, seed: number, tolerance: number) {
  const rng = new CounterRng(seed, 5);
  const set: number[] = [];
  for (let t = 0; t < f.size; t++) {
    for (let j = 0; j < f.size; j++) {
      if (set.includes(j)) continue;
      const want = value([...set, j]) - value(set);
      assert.ok(Math.abs(f.gain(j) - want) <= tolerance, `|S| = ${t}, j = ${j}: ${f.gain(j)} vs ${want}`);
    }
    let next;
    do next = rng.nextInt(f.size); while (set.includes(next));
    f.add(next);
    set.push(next);
  }
}

Deno.test("FacilityLocation: gains are exact marginals of Σ_i max_{j∈S} s_ij", () => {
  for (let seed = 0; seed < 4; seed++) {
    const s = cosineTable(randomMatrix(8, 3, seed));
    checkGains(new FacilityLocation(tableSimilarity(s)), (set) => facilityLocationValue(s, set), seed, 1e-12);
  }
});

Deno.test("GraphCut: gains are exact marginals of λ Σ_{V×S} s − Σ_{i≠j∈S} s, λ = 1 and 2", () => {
  for (let seed = 0; seed < 4; seed++) {
    const s = cosineTable(randomMatrix(8, 3, seed));
    for (const lambda of [1, 2]) {
      checkGains(
        new GraphCut(tableSimilarity(s), lambda),
        (set) => graphCutValue(s, set, lambda),
        seed,
        1e-12,
      );
    }
  }
});

Deno.test("LogDeterminant: gains are exact marginals of log det(K_S + δI)", () => {
  for (let seed = 0; seed < 4; seed++) {
    // d = 6 ≥ m = 6 keeps K well-conditioned; δ = 1e-6 and δ = 0.1.
    const s = cosineTable(randomMatrix(6, 6, seed));
    for (const ridge of [1e-6, 0.1]) {
      checkGains(
        new LogDeterminant(tableSimilarity(s), ridge),
        (set) => logDetValue(s, set, ridge),
        seed,
        1e-7,
      );
    }
  }
  assert.throws(() => new LogDeterminant(tableSimilarity([[1]]), 0), /ridge > 0/);
});

Deno.test("LogDeterminant: a duplicate of a picked point gains log((2δ + δ²)/(1 + δ)); first gains tie", () => {
  const x = { data: Float32Array.from([1, 0, 1, 0, 0, 1]), rows: 3, cols: 2 };
  const f = new LogDeterminant(new CosineSimilarity(x), 1e-6);
  assert.equal(f.gain(0), f.gain(1));
  assert.equal(f.gain(0), f.gain(2));
  f.add(0);
  const d = 1e-6;
  assert.ok(Math.abs(f.gain(1) - Math.log((2 * d + d * d) / (1 + d))) < 1e-8);
  assert.ok(f.gain(2) > f.gain(1));
});
