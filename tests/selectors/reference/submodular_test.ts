import assert from "node:assert/strict";
import { greedyMaximize } from "../../../selectors/reference/greedy.ts";
import { gatherRows } from "../../../selectors/reference/input.ts";
import { CounterRng } from "../../../selectors/reference/rng.ts";
import { submodular } from "../../../selectors/reference/submodular.ts";
import {
  CosineSimilarity,
  FacilityLocation,
  GraphCut,
  LogDeterminant,
} from "../../../selectors/reference/submodular_functions.ts";
import { labelsWithCounts, randomMatrix } from "./helpers.ts";

const FUNCTIONS = ["GraphCut", "FacilityLocation", "LogDeterminant"] as const;
const GREEDIES = ["NaiveGreedy", "LazyGreedy", "StochasticGreedy", "ApproximateLazyGreedy"] as const;

Deno.test("submodular: defaults are main.py's GraphCut with LazyGreedy", () => {
  const features = randomMatrix(20, 3, 2);
  const r = submodular({ features }, { budget: 6 });
  const expected = greedyMaximize("LazyGreedy", new GraphCut(new CosineSimilarity(features), 1), 6);
  assert.deepEqual([...r.indices], [...expected]);
  assert.equal(r.scores, undefined);
});

Deno.test("submodular: each function × optimiser is the optimiser run on that function", () => {
  const features = randomMatrix(16, 3, 5);
  const s = new CosineSimilarity(features);
  const make = {
    GraphCut: () => new GraphCut(s, 1.5),
    FacilityLocation: () => new FacilityLocation(s),
    LogDeterminant: () => new LogDeterminant(s, 1e-3),
  };
  for (const fn of FUNCTIONS) {
    for (const greedy of GREEDIES) {
      const options = {
        budget: 7,
        function: fn,
        greedy,
        seed: 9,
        lambda: 1.5,
        ridge: 1e-3,
        epsilon: 0.2,
        beta: 0.8,
      };
      const settings = { rng: new CounterRng(9, 0), epsilon: 0.2, beta: 0.8 };
      const expected = greedyMaximize(greedy, make[fn](), 7, settings);
      assert.deepEqual([...submodular({ features }, options).indices], [...expected], `${fn} ${greedy}`);
    }
  }
});

Deno.test("submodular: LogDeterminant prefers diverse samples (DeepCore picked redundant ones)", () => {
  // Rows 0, 1 identical, row 2 orthogonal, row 3 opposite to 0: after 0, DeepCore's redundancy gain
  // would take the duplicate 1; the log-det gain takes 3 (s = 0), then 2, and the duplicate last.
  const features = { data: Float32Array.from([1, 0, 1, 0, 0, 1, -1, 0]), rows: 4, cols: 2 };
  for (const greedy of ["NaiveGreedy", "LazyGreedy", "ApproximateLazyGreedy"] as const) {
    const r = submodular({ features }, { budget: 4, function: "LogDeterminant", greedy });
    assert.deepEqual([...r.indices], [0, 3, 2, 1], greedy);
  }
});

Deno.test("submodular: balance runs each class on its own ground set", () => {
  const features = randomMatrix(24, 3, 6);
  const labels = labelsWithCounts([10, 14]);
  const r = submodular({ features, labels }, { fraction: 0.25, balance: true, function: "FacilityLocation" });
  // k = 6 over sizes 10, 14: quotas 2.5, 3.5 → 2, 3 and the tied seat to class 0 → 3, 3.
  const expected = [0, 1].flatMap((c) => {
    const members = Int32Array.from([...labels.keys()].filter((i) => labels[i] === c));
    const f = new FacilityLocation(new CosineSimilarity(gatherRows(features, members)));
    return [...greedyMaximize("LazyGreedy", f, [3, 3][c])].map((p) => members[p]);
  });
  assert.deepEqual([...r.indices], expected);
});

Deno.test("submodular: option errors name the option", () => {
  const features = randomMatrix(5, 2, 1);
  assert.throws(() => submodular({ features }, { budget: 2, function: "Cut" as never }), /options\.function/);
  assert.throws(() => submodular({ features }, { budget: 2, greedy: "Fast" as never }), /unknown optimiser/);
  assert.throws(() => submodular({ features }, { budget: 2, lambda: NaN }), /options\.lambda/);
  assert.throws(() => submodular({ features }, { budget: 2, function: "LogDeterminant", ridge: 0 }), /ridge/);
  assert.throws(() => submodular({ probs: features }, { budget: 2 }), /needs input\.features/);
});
