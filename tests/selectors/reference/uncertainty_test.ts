import assert from "node:assert/strict";
import { entropy, leastConfidence, margin } from "../../../selectors/reference/uncertainty.ts";
import type { SelectionResult } from "../../../selectors/types.ts";
import { labelsWithCounts, randomProbs, row } from "./helpers.ts";

const probs = {
  data: Float32Array.from([
    ...[0.7, 0.2, 0.1],
    ...[0.4, 0.4, 0.2],
    ...[1, 0, 0],
    ...[0.5, 0.3, 0.2],
    ...[1 / 3, 1 / 3, 1 / 3],
  ]),
  rows: 5,
  cols: 3,
};
const f = Math.fround;
const p = (i: number) => row(probs, i);

function assertScores(r: SelectionResult, indices: number[], scores: number[]) {
  assert.deepEqual([...r.indices], indices);
  assert.equal(r.scores!.length, scores.length);
  scores.forEach((s, t) =>
    assert.ok(Math.abs(r.scores![t] - s) < 1e-6, `score ${t}: ${r.scores![t]} vs ${s}`)
  );
}

Deno.test("leastConfidence: hand-computed max-probability scores, lowest kept first", () => {
  const r = leastConfidence({ probs }, { budget: 5 });
  assertScores(r, [4, 1, 3, 0, 2], [1 / 3, 0.4, 0.5, 0.7, 1]);
  assert.deepEqual([...r.scores!], [f(1 / 3), f(0.4), 0.5, f(0.7), 1]);
});

Deno.test("entropy: hand-computed Σ p ln(p + 1e-6), highest entropy kept first", () => {
  const score = (q: number[]) => q.reduce((s, v) => s + v * Math.log(v + 1e-6), 0);
  const r = entropy({ probs }, { budget: 5 });
  const expected = [4, 1, 3, 0, 2];
  assertScores(r, expected, expected.map((i) => score(p(i))));
  assert.ok(Math.abs(r.scores![0] + Math.log(3)) < 1e-5); // uniform over 3 classes: −ln 3
  assert.ok(Math.abs(r.scores![4] - Math.log(1 + 1e-6)) < 1e-9); // one-hot: 1 · ln(1 + ε)
  const exact = entropy({ probs }, { budget: 1, epsilon: 0 });
  assert.deepEqual([...exact.indices], [4]);
  assert.throws(() => entropy({ probs }, { budget: 1, epsilon: -1 }), /options\.epsilon/);
});

Deno.test("margin: hand-computed top-two gaps, ties to the lower index", () => {
  const r = margin({ probs }, { budget: 5 });
  // Margins: 0.5, 0, 1, 0.2, 0 → rows 1 and 4 tie at 0 (exactly, in float32).
  assertScores(r, [1, 4, 3, 0, 2], [0, 0, f(0.5) - f(0.3), f(0.7) - f(0.2), 1]);
  const oneClass = { data: Float32Array.from([1, 1]), rows: 2, cols: 1 };
  assert.throws(() => margin({ probs: oneClass }, { budget: 1 }), /at least 2 classes/);
});

Deno.test("uncertainty: the kept set is the k lowest scores, with and without balance (DeepCore bug fixed)", () => {
  const probs = randomProbs(40, 4, 3);
  const labels = labelsWithCounts([15, 25]);
  for (const method of [leastConfidence, entropy, margin]) {
    const all = method({ probs }, { fraction: 1 });
    const sorted = [...all.scores!];
    assert.deepEqual(sorted, [...sorted].sort((a, b) => a - b));
    const top = method({ probs }, { budget: 10 });
    assert.deepEqual([...top.indices], [...all.indices.subarray(0, 10)]);
    assert.deepEqual([...top.scores!], [...all.scores!.subarray(0, 10)]);
    // Balanced: class by class, each class's most uncertain first.
    const balanced = method({ probs, labels }, { budget: 10, balance: true });
    const perClass = [4, 6]; // classBudgets([15, 25], 10)
    let at = 0;
    perClass.forEach((kc, c) => {
      const mine = [...all.indices].filter((i) => labels[i] === c).slice(0, kc);
      assert.deepEqual([...balanced.indices.subarray(at, at + kc)], mine);
      at += kc;
    });
  }
});

Deno.test("uncertainty: budget 0 gives empty indices and scores", () => {
  const r = entropy({ probs }, { budget: 0 });
  assert.deepEqual([...r.indices], []);
  assert.deepEqual([...r.scores!], []);
});
