import assert from "node:assert/strict";
import {
  budgetFromOptions,
  classBudgets,
  classMembers,
  roundHalfEven,
  selectInGroups,
} from "../../selectors/budget.ts";
import { CounterRng } from "../../selectors/reference/rng.ts";
import { labelsWithCounts } from "./reference/helpers.ts";

const MNIST_COUNTS = [5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949];

Deno.test("roundHalfEven rounds halves to even, like Python's round", () => {
  const cases: [number, number][] = [
    [0, 0],
    [0.5, 0],
    [1.5, 2],
    [2.5, 2],
    [3.5, 4],
    [12.5, 12],
    [0.49999999999999994, 0],
    [2.5000000000000004, 3],
    [7.2, 7],
    [7.8, 8],
    [-2.5, -2],
    [-1.5, -2],
  ];
  for (const [x, want] of cases) assert.equal(roundHalfEven(x), want, `round(${x})`);
  // The binary64 products of §0.1: 0.005 × 1300 = 6.5 → 6 and 0.1 × 6265 = 626.5 → 626.
  assert.equal(roundHalfEven(0.005 * 1300), 6);
  assert.equal(roundHalfEven(0.1 * 6265), 626);
  assert.equal(roundHalfEven(0.25 * 50), 12);
});

Deno.test("budgetFromOptions: fraction rounds half to even, budget passes through", () => {
  assert.equal(budgetFromOptions(60000, { fraction: 0.1 }), 6000);
  assert.equal(budgetFromOptions(500, { fraction: 0.001 }), 0); // 0.5 → 0
  assert.equal(budgetFromOptions(500, { fraction: 0.005 }), 2); // 2.5 → 2
  assert.equal(budgetFromOptions(10, { fraction: 0 }), 0);
  assert.equal(budgetFromOptions(10, { fraction: 1 }), 10);
  assert.equal(budgetFromOptions(0, { fraction: 1 }), 0);
  assert.equal(budgetFromOptions(10, { budget: 0 }), 0);
  assert.equal(budgetFromOptions(10, { budget: 10 }), 10);
});

Deno.test("budgetFromOptions: errors name the option and its valid range", () => {
  const bad: [object, RegExp][] = [
    [{}, /exactly one of fraction .* and budget .*got neither/],
    [{ fraction: 0.5, budget: 3 }, /exactly one .*got both/],
    [{ fraction: -0.1 }, /options\.fraction: expected a number 0 ≤ fraction ≤ 1, got -0\.1/],
    [{ fraction: 1.5 }, /options\.fraction.*got 1\.5/],
    [{ fraction: NaN }, /options\.fraction.*got NaN/],
    [{ budget: 2.5 }, /options\.budget: expected an integer 0 ≤ budget ≤ n = 10, got 2\.5/],
    [{ budget: -1 }, /options\.budget.*got -1/],
    [{ budget: 11 }, /options\.budget.*n = 10, got 11/],
  ];
  for (const [options, message] of bad) assert.throws(() => budgetFromOptions(10, options), message);
});

Deno.test("classMembers: ascending members per class, labels checked", () => {
  const members = classMembers(Int32Array.from([2, 0, 2, 1, 0, 2]), 4);
  assert.deepEqual(members.map((m) => [...m]), [[1, 4], [3], [0, 2, 5], []]);
  assert.throws(
    () => classMembers(Int32Array.from([0, 3]), 3),
    /labels\[1\] = 3: expected a class in 0\.\.2/,
  );
  assert.throws(() => classMembers(Int32Array.from([-1]), 3), /labels\[0\] = -1/);
});

Deno.test("classBudgets: MNIST at f = 0.1 sums to exactly 6000 (DeepCore: 5999)", () => {
  const labels = labelsWithCounts(MNIST_COUNTS);
  const k = budgetFromOptions(labels.length, { fraction: 0.1 });
  assert.equal(k, 6000);
  const budgets = classBudgets(labels, 10, k);
  // Floors 592.3→592 … sum 5996; the 4 seats left go to remainders .9 (class 9), .8 (2), .8 (6), .5 (7).
  assert.deepEqual([...budgets], [592, 674, 596, 613, 584, 542, 592, 627, 585, 595]);
  assert.equal(budgets.reduce((a, b) => a + b, 0), 6000);
});

Deno.test("classBudgets: hand cases, ties to the lower class index", () => {
  const budgets = (
    counts: number[],
    k: number,
  ) => [...classBudgets(labelsWithCounts(counts), counts.length, k)];
  assert.deepEqual(budgets([5, 3, 2], 5), [3, 1, 1]);
  assert.deepEqual(budgets([1, 1, 1], 2), [1, 1, 0]);
  assert.deepEqual(budgets([1, 1, 1], 1), [1, 0, 0]);
  assert.deepEqual(budgets([4, 0, 4], 3), [2, 0, 1]);
  assert.deepEqual(budgets([5000, 5000], 1), [1, 0]);
  assert.deepEqual(budgets([3, 7], 0), [0, 0]);
  assert.deepEqual(budgets([3, 7], 10), [3, 7]);
  assert.deepEqual(budgets([], 0), []);
  assert.throws(() => budgets([3, 7], 11), /0 ≤ k ≤ 10/);
});

Deno.test("classBudgets: largest-remainder properties on random class sizes", () => {
  const rng = new CounterRng(5, 0);
  for (let trial = 0; trial < 300; trial++) {
    const numClasses = 1 + rng.nextInt(8);
    const counts = Array.from({ length: numClasses }, () => rng.nextInt(30));
    const total = counts.reduce((a, b) => a + b, 0);
    const k = rng.nextInt(total + 1);
    const budgets = classBudgets(labelsWithCounts(counts), numClasses, k);
    assert.equal(budgets.reduce((a, b) => a + b, 0), k);
    if (total === 0) continue;
    const remainder = (c: number) => (k * counts[c]) % total;
    for (let c = 0; c < numClasses; c++) {
      assert.ok(budgets[c] <= counts[c]);
      const floor = Math.floor((k * counts[c]) / total);
      assert.ok(budgets[c] === floor || (budgets[c] === floor + 1 && remainder(c) > 0));
    }
    // A class rounded up never has a smaller remainder (or, equal, a higher index) than one rounded down.
    for (let a = 0; a < numClasses; a++) {
      for (let b = 0; b < numClasses; b++) {
        const upA = budgets[a] > Math.floor((k * counts[a]) / total);
        const upB = budgets[b] > Math.floor((k * counts[b]) / total);
        if (upA && !upB) assert.ok(remainder(a) > remainder(b) || (remainder(a) === remainder(b) && a < b));
      }
    }
  }
});

Deno.test("selectInGroups: one group without balance, per-class groups mapped back with balance", () => {
  const labels = Int32Array.from([1, 0, 1, 0, 1, 2]);
  const calls: [number[], number, number][] = [];
  const firstK = (members: Int32Array, k: number, group: number) => {
    calls.push([[...members], k, group]);
    return {
      indices: Int32Array.from({ length: k }, (_, t) => members.length - 1 - t),
      scores: new Float32Array(k),
    };
  };
  const plain = selectInGroups(6, labels, { budget: 2 }, firstK, { scores: true });
  assert.deepEqual([...plain.indices], [5, 4]);
  assert.deepEqual(calls, [[[0, 1, 2, 3, 4, 5], 2, 0]]);
  calls.length = 0;
  const balanced = selectInGroups(6, labels, { budget: 3, balance: true }, firstK, { scores: true });
  // Budgets for sizes 2, 3, 1 at k = 3: quotas 1, 1.5, 0.5 → 1, 1 + (tie, lower class) 1, 0 → [1, 2, 0].
  assert.deepEqual(calls, [[[1, 3], 1, 0], [[0, 2, 4], 2, 1]]);
  assert.deepEqual([...balanced.indices], [3, 4, 2]);
  assert.equal(balanced.scores!.length, 3);
  assert.equal(balanced.weights, undefined);
  const empty = selectInGroups(6, labels, { budget: 0 }, firstK, { scores: true });
  assert.deepEqual([...empty.indices], []);
  assert.deepEqual([...empty.scores!], []);
});

Deno.test("selectInGroups: bad labels, missing labels and bad group results are reported", () => {
  const noop = (_m: Int32Array, k: number) => ({ indices: Int32Array.from({ length: k }, (_, i) => i) });
  assert.throws(
    () => selectInGroups(3, undefined, { budget: 1, balance: true }, noop),
    /needs input\.labels/,
  );
  assert.throws(
    () => selectInGroups(3, new Int32Array(2), { budget: 1, balance: true }, noop),
    /expected 3 labels/,
  );
  assert.throws(() =>
    selectInGroups(3, undefined, { budget: 2 }, () => ({ indices: Int32Array.from([1, 1]) }))
  );
  assert.throws(() => selectInGroups(3, undefined, { budget: 1 }, noop, { scores: true }), /no scores/);
});
