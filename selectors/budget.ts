/**
 * Budgets: how many samples a selection keeps, how a budget is split over classes, and the one helper
 * every selector uses to honour `balance`.
 *
 * - The global budget is k = round-half-to-even(n · fraction), as DeepCore (Python's `round` on a
 *   binary64 product), or `budget` itself.
 * - Under `balance`, k is split over classes by largest-remainder (Hamilton) apportionment, so the class
 *   budgets always sum to k. DeepCore instead rounds f · n_c per class, whose sum can differ from k
 *   (MNIST at f = 0.1: 5999 instead of 6000); see `classBudgets`.
 *
 * @module
 */

import type { SelectionOptions, SelectionResult } from "./types.ts";

/**
 * Rounds to the nearest integer, halves to the even neighbour (Python's `round`, "banker's rounding").
 * `Math.round` rounds halves up and gives different budgets.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { roundHalfEven } from "./budget.ts";
 * assert.deepEqual([0.5, 1.5, 2.5, 12.5, 0.1 * 6265].map(roundHalfEven), [0, 2, 2, 12, 626]);
 * ```
 */
export function roundHalfEven(x: number): number {
  const floor = Math.floor(x);
  const rest = x - floor; // exact for binary64
  if (rest > 0.5) return floor + 1;
  if (rest < 0.5) return floor;
  return floor % 2 === 0 ? floor : floor + 1;
}

/**
 * The global budget k for n samples: exactly one of `options.fraction` (0 ≤ fraction ≤ 1, giving
 * k = round-half-to-even(n · fraction)) and `options.budget` (an integer 0 ≤ budget ≤ n) must be given.
 * Throws a `RangeError` naming the option and its valid range otherwise.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { budgetFromOptions } from "./budget.ts";
 * assert.equal(budgetFromOptions(1300, { fraction: 0.005 }), 6); // 6.5 rounds to even
 * assert.equal(budgetFromOptions(10, { budget: 3 }), 3);
 * assert.throws(() => budgetFromOptions(10, { budget: 11 }), /options\.budget/);
 * ```
 */
export function budgetFromOptions(n: number, options: SelectionOptions): number {
  if (!Number.isInteger(n) || n < 0) {
    throw new RangeError(`budgetFromOptions: expected a sample count n ≥ 0, got ${n}`);
  }
  const { fraction, budget } = options;
  if ((fraction === undefined) === (budget === undefined)) {
    throw new RangeError(
      `options: give exactly one of fraction (0 ≤ fraction ≤ 1) and budget (an integer 0 ≤ budget ≤ ${n}); ` +
        (fraction === undefined ? "got neither" : `got both (fraction ${fraction}, budget ${budget})`),
    );
  }
  if (fraction !== undefined) {
    if (typeof fraction !== "number" || !(fraction >= 0 && fraction <= 1)) {
      throw new RangeError(`options.fraction: expected a number 0 ≤ fraction ≤ 1, got ${fraction}`);
    }
    return roundHalfEven(n * fraction);
  }
  if (typeof budget !== "number" || !Number.isInteger(budget) || budget < 0 || budget > n) {
    throw new RangeError(`options.budget: expected an integer 0 ≤ budget ≤ n = ${n}, got ${budget}`);
  }
  return budget;
}

/**
 * The members of each class 0..numClasses−1, each in ascending sample index order.
 * Throws if a label is outside 0..numClasses−1.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { classMembers } from "./budget.ts";
 * const members = classMembers(Int32Array.from([1, 0, 1, 1]), 3);
 * assert.deepEqual(members.map((m) => [...m]), [[1], [0, 2, 3], []]);
 * ```
 */
export function classMembers(labels: Int32Array, numClasses: number): Int32Array[] {
  const counts = classCounts(labels, numClasses);
  const members = Array.from(counts, (count) => new Int32Array(count));
  const filled = new Int32Array(numClasses);
  for (let i = 0; i < labels.length; i++) {
    const c = labels[i];
    members[c][filled[c]++] = i;
  }
  return members;
}

/**
 * Splits the global budget k over classes in proportion to their sizes n_c (N = Σ n_c = labels.length):
 *
 * 1. each class gets ⌊k · n_c / N⌋ (exact integer arithmetic);
 * 2. the remaining seats go one each to the classes with the largest remainders (k · n_c mod N), ties to
 *    the lower class index (largest-remainder / Hamilton apportionment);
 * 3. a class never gets more than n_c: a seat that would overflow goes to the next class in that order.
 *    (With quotas proportional to size this cannot happen, since k ≤ N; the rule is stated for safety.)
 *
 * The budgets therefore always sum to k, and each is ⌊quota⌋ or ⌈quota⌉. This deviates from DeepCore,
 * which uses round(f · n_c) per class (its sum may differ from round(f · N)).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { classBudgets } from "./budget.ts";
 * // Sizes 5, 3, 2; k = 5: quotas 2.5, 1.5, 1 → floors 2, 1, 1; one seat left, remainders tie → class 0.
 * const labels = Int32Array.from([0, 0, 0, 0, 0, 1, 1, 1, 2, 2]);
 * assert.deepEqual([...classBudgets(labels, 3, 5)], [3, 1, 1]);
 * ```
 */
export function classBudgets(labels: Int32Array, numClasses: number, k: number): Int32Array {
  const counts = classCounts(labels, numClasses);
  const total = labels.length;
  if (!Number.isInteger(k) || k < 0 || k > total) {
    throw new RangeError(`classBudgets: expected an integer budget 0 ≤ k ≤ ${total}, got ${k}`);
  }
  const budgets = new Int32Array(numClasses);
  if (k === 0) return budgets;
  const remainders = new Array<number>(numClasses);
  let left = k;
  for (let c = 0; c < numClasses; c++) {
    // BigInt keeps k · n_c exact beyond 2^53.
    const product = BigInt(k) * BigInt(counts[c]);
    budgets[c] = Number(product / BigInt(total));
    remainders[c] = Number(product % BigInt(total));
    left -= budgets[c];
  }
  const order = Array.from({ length: numClasses }, (_, c) => c)
    .sort((a, b) => remainders[b] - remainders[a] || a - b);
  while (left > 0) {
    for (const c of order) {
      if (left === 0) break;
      if (budgets[c] < counts[c]) {
        budgets[c]++;
        left--;
      }
    }
  }
  return budgets;
}

/**
 * Selects k of `members.length` samples of one group. `members` holds the group's sample indices in
 * ascending order; the result's `indices` are **local** positions 0..members.length−1. `group` is the
 * class under `balance` and 0 otherwise; random methods key their stream with it.
 */
export type GroupSelector = (members: Int32Array, k: number, group: number) => SelectionResult;

/** Which optional arrays a method returns (each then present, possibly empty, in every result). */
export interface ResultFields {
  /** The method returns `scores`. */
  scores?: boolean;
  /** The method returns `weights`. */
  weights?: boolean;
}

/** One group of a selection: its members (ascending sample positions), its budget and its number. */
export interface Group {
  /** Sample positions of the group's members, ascending. */
  members: Int32Array;
  /** How many of them to keep. */
  k: number;
  /** Group number: the class under `balance`, else 0. */
  group: number;
}

/**
 * The groups a selection runs on and their budgets: one group of all n samples, or under `balance` one
 * group per class (C = max label + 1) with budgets from `classBudgets`. Groups with budget 0 are left out.
 */
export function planGroups(n: number, labels: Int32Array | undefined, options: SelectionOptions): Group[] {
  const k = budgetFromOptions(n, options);
  if (!options.balance) {
    return k === 0 ? [] : [{ members: iota(n), k, group: 0 }];
  }
  if (labels === undefined) {
    throw new Error("options.balance: needs input.labels (one class per sample) to split the budget");
  }
  if (labels.length !== n) {
    throw new RangeError(`input.labels: expected ${n} labels (one per sample), got ${labels.length}`);
  }
  const numClasses = labels.reduce((max, y) => Math.max(max, y + 1), 0);
  const budgets = classBudgets(labels, numClasses, k);
  return classMembers(labels, numClasses)
    .map((members, group) => ({ members, k: budgets[group]!, group }))
    .filter((g) => g.k > 0);
}

/**
 * 0, 1, …, n − 1 (a plain loop: `Int32Array.from` with a callback took ~5 ms at n = 60 000).
 *
 * @example
 * ```ts
 * import { iota } from "./budget.ts";
 * console.log(iota(3)); // Int32Array [0, 1, 2]
 * ```
 */
export function iota(n: number): Int32Array {
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) out[i] = i;
  return out;
}

/**
 * Concatenates per-group results (positions local to each group) into one result of sample positions,
 * checking each: exact length, unique and in range, declared fields present.
 */
export function assembleGroups(
  groups: Group[],
  results: SelectionResult[],
  fields: ResultFields = {},
): SelectionResult {
  const k = groups.reduce((sum, g) => sum + g.k, 0);
  const indices = new Int32Array(k);
  const scores = fields.scores ? new Float32Array(k) : undefined;
  const weights = fields.weights ? new Float32Array(k) : undefined;
  let at = 0;
  groups.forEach(({ members, k: kc, group }, g) => {
    const result = results[g]!;
    checkGroupResult(result, members.length, kc, group, fields);
    for (let t = 0; t < kc; t++) indices[at + t] = members[result.indices[t]!]!;
    scores?.set(result.scores!, at);
    weights?.set(result.weights!, at);
    at += kc;
  });
  return { indices, ...(scores && { scores }), ...(weights && { weights }) };
}

/**
 * Runs a selection with the budget from `options`, honouring `balance` — the one path every selector
 * takes:
 *
 * - without `balance`: one group, all samples 0..n−1 (group 0), budget k = `budgetFromOptions(n, …)`;
 * - with `balance`: one group per class c = 0..C−1 (C = max label + 1; classes are `classMembers`,
 *   budgets `classBudgets(labels, C, k)`), results concatenated in class order, local positions mapped
 *   back to sample indices.
 *
 * A group with budget 0 is skipped. Each group's result is checked: exactly k distinct positions in
 * range, and the declared `fields` present with one value per index.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { selectInGroups } from "./budget.ts";
 * // Keep the last member of each group.
 * const labels = Int32Array.from([0, 1, 0, 1]);
 * const last = (members: Int32Array, k: number) => ({ indices: Int32Array.from([members.length - 1]) });
 * assert.deepEqual([...selectInGroups(4, labels, { budget: 2, balance: true }, last).indices], [2, 3]);
 * ```
 */
export function selectInGroups(
  n: number,
  labels: Int32Array | undefined,
  options: SelectionOptions,
  selectGroup: GroupSelector,
  fields: ResultFields = {},
): SelectionResult {
  const groups = planGroups(n, labels, options);
  return assembleGroups(
    groups,
    groups.map(({ members, k, group }) => selectGroup(members, k, group)),
    fields,
  );
}

function classCounts(labels: Int32Array, numClasses: number): Int32Array {
  if (!Number.isInteger(numClasses) || numClasses < 0) {
    throw new RangeError(`numClasses: expected an integer ≥ 0, got ${numClasses}`);
  }
  const counts = new Int32Array(numClasses);
  for (let i = 0; i < labels.length; i++) {
    const c = labels[i];
    if (c < 0 || c >= numClasses) {
      throw new RangeError(`labels[${i}] = ${c}: expected a class in 0..${numClasses - 1}`);
    }
    counts[c]++;
  }
  return counts;
}

function checkGroupResult(
  result: SelectionResult,
  size: number,
  k: number,
  group: number,
  fields: ResultFields,
): void {
  const where = `group ${group} (${size} samples, budget ${k})`;
  if (result.indices.length !== k) {
    throw new Error(`internal: ${where} returned ${result.indices.length} indices`);
  }
  const seen = new Uint8Array(size);
  for (const i of result.indices) {
    if (!(i >= 0 && i < size) || seen[i]) throw new Error(`internal: ${where} returned bad index ${i}`);
    seen[i] = 1;
  }
  for (const field of ["scores", "weights"] as const) {
    if (fields[field] && result[field]?.length !== k) {
      throw new Error(`internal: ${where} returned no ${field} or a wrong number of them`);
    }
  }
}
