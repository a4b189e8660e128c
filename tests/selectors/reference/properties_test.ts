/**
 * The properties every reference selector must have, run against all of them: exact budgets, unique
 * in-range indices, determinism under a seed, seeds that matter only for random methods, and balance
 * giving each class exactly its `classBudgets` share.
 */
import assert from "node:assert/strict";
import { budgetFromOptions, classBudgets } from "../../../selectors/budget.ts";
import { contextualDiversity } from "../../../selectors/reference/contextual_diversity.ts";
import { herding } from "../../../selectors/reference/herding.ts";
import { kCenterGreedy } from "../../../selectors/reference/k_center_greedy.ts";
import { submodular } from "../../../selectors/reference/submodular.ts";
import { entropy, leastConfidence, margin } from "../../../selectors/reference/uncertainty.ts";
import { uniform } from "../../../selectors/reference/uniform.ts";
import type { SelectionInput, SelectionOptions, SelectionResult } from "../../../selectors/types.ts";
import { assertValidIndices, randomLabels, randomMatrix, randomProbs } from "./helpers.ts";

type Selector = (input: SelectionInput, options: SelectionOptions) => SelectionResult;
interface Case {
  name: string;
  select: Selector;
  random: boolean;
  scores: boolean;
}

const CASES: Case[] = [
  { name: "uniform", select: uniform, random: true, scores: false },
  { name: "herding", select: herding, random: false, scores: false },
  { name: "kCenterGreedy", select: kCenterGreedy, random: true, scores: false },
  { name: "contextualDiversity", select: contextualDiversity, random: true, scores: false },
  { name: "leastConfidence", select: leastConfidence, random: false, scores: true },
  { name: "entropy", select: entropy, random: false, scores: true },
  { name: "margin", select: margin, random: false, scores: true },
  ...(["GraphCut", "FacilityLocation", "LogDeterminant"] as const).flatMap((fn) =>
    (["NaiveGreedy", "LazyGreedy", "StochasticGreedy", "ApproximateLazyGreedy"] as const).map((greedy) => ({
      name: `submodular ${fn} ${greedy}`,
      select: (input: SelectionInput, options: SelectionOptions) =>
        submodular(input, { ...options, function: fn, greedy, epsilon: 0.3 }),
      random: greedy === "StochasticGreedy",
      scores: false,
    }))
  ),
];

const n = 31;
const input: SelectionInput = {
  features: randomMatrix(n, 4, 1),
  probs: randomProbs(n, 3, 2),
  labels: randomLabels(n, 3, 3),
};

function check(c: Case, options: SelectionOptions): SelectionResult {
  const r = c.select(input, options);
  const k = budgetFromOptions(n, options);
  assert.equal(r.indices.length, k, `${c.name} ${JSON.stringify(options)}`);
  assertValidIndices(r.indices, n);
  assert.equal(r.scores !== undefined, c.scores, `${c.name}: scores`);
  if (r.scores) assert.equal(r.scores.length, k);
  assert.equal(r.weights, undefined);
  if (options.balance) {
    const counts = new Array(3).fill(0);
    for (const i of r.indices) counts[input.labels![i]]++;
    assert.deepEqual(counts, [...classBudgets(input.labels!, 3, k)], `${c.name}: per-class counts`);
    // Concatenated class by class.
    const classes = [...r.indices].map((i) => input.labels![i]);
    assert.deepEqual(classes, [...classes].sort());
  }
  return r;
}

for (const c of CASES) {
  Deno.test(`properties: ${c.name}`, () => {
    for (const balance of [false, true]) {
      for (
        const sizing of [{ budget: 0 }, { budget: 1 }, { budget: n }, { fraction: 0.3 }, { fraction: 1 }]
      ) {
        const options = { ...sizing, balance, seed: 5 };
        const r = check(c, options);
        assert.deepEqual(c.select(input, options).indices, r.indices, `${c.name}: same seed`);
      }
      const runs = [0, 1, 2, 3].map((seed) => [...check(c, { fraction: 0.3, balance, seed }).indices].join());
      if (c.random) assert.ok(new Set(runs).size > 1, `${c.name}: seeds should matter`);
      else assert.equal(new Set(runs).size, 1, `${c.name}: seeds should not matter`);
    }
    assert.throws(() => c.select(input, { budget: n + 1 }), /options\.budget/);
    if (c.random) assert.throws(() => c.select(input, { fraction: 0.5, seed: -1 }), /options\.seed/);
  });
}
