/**
 * Greedy maximisation of a set function, written once against a minimal objective interface
 * (DeepCore's `submodular_optimizer.py`, §3.4). Every optimiser returns the picks in pick order and
 * breaks ties toward the **lowest position**.
 *
 * Deviations from DeepCore:
 * - StochasticGreedy: ε defaults to 0.01, not 0.9 (§7.10: with 0.9 the sample is about 0.1·m/k, one
 *   candidate at f = 10 %, i.e. a random pick); sample size ⌈(m/k)·ln(1/ε)⌉ (DeepCore: round); ties
 *   inside the sample go to the lowest position (DeepCore: first in draw order); seeded Threefry stream
 *   (DeepCore: numpy's global RNG, not re-seeded).
 * - ApproximateLazyGreedy: accepts when g ≥ stale − (1−β)·|stale|, and always on a second evaluation in
 *   the same step, so it terminates for negative gains (DeepCore's g ≥ β·stale never accepts a negative
 *   gain and loops forever, §7.9).
 * - Budget 0 returns nothing (DeepCore raises "Illegal budget for optimizer.", §7.22).
 * - Picks in pick order (DeepCore returns positions ascending).
 *
 * @module
 */

import { type CounterRng, partialShuffle } from "./rng.ts";

/**
 * A set function f over the ground set 0..size−1, seen through its marginal gains.
 * `gain(i)` = f(S ∪ {i}) − f(S) for the current set S (i ∉ S); `add(i)` puts i into S.
 */
export interface GreedyObjective {
  /** Size m of the ground set. */
  readonly size: number;
  /** Marginal gain of adding position i to the current set. */
  gain(i: number): number;
  /** Adds position i to the current set. */
  add(i: number): void;
}

/** The optimiser names DeepCore accepts. */
export type GreedyName = "NaiveGreedy" | "LazyGreedy" | "StochasticGreedy" | "ApproximateLazyGreedy";

/** Settings of the randomised / approximate optimisers. */
export interface GreedySettings {
  /** Random stream of StochasticGreedy (required by it). */
  rng?: CounterRng;
  /** StochasticGreedy's ε in (0, 1); default 0.01. */
  epsilon?: number;
  /** ApproximateLazyGreedy's β in (0, 1]; default 0.9. */
  beta?: number;
}

/**
 * NaiveGreedy: each step evaluates every unpicked position and adds the argmax (lowest position on ties).
 * k·m gain evaluations.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { naiveGreedy } from "./greedy.ts";
 * // Modular f(S) = Σ w_i: greedy picks by weight, ties to the lower position.
 * const w = [1, 3, 2, 3];
 * const f = { size: 4, gain: (i: number) => w[i], add: (_: number) => {} };
 * assert.deepEqual([...naiveGreedy(f, 3)], [1, 3, 2]);
 * ```
 */
export function naiveGreedy(f: GreedyObjective, k: number): Int32Array {
  const m = checkBudget(f, k);
  const picked = new Uint8Array(m);
  const picks = new Int32Array(k);
  for (let t = 0; t < k; t++) {
    let best = -1;
    let bestGain = -Infinity;
    for (let i = 0; i < m; i++) {
      if (picked[i]) continue;
      const g = f.gain(i);
      if (best < 0 || g > bestGain) {
        best = i;
        bestGain = g;
      }
    }
    picks[t] = best;
    picked[best] = 1;
    f.add(best);
  }
  return picks;
}

/**
 * LazyGreedy (Minoux 1978): keeps every position's last evaluated gain as an upper bound; each step
 * re-evaluates the position with the largest bound (lowest position on ties) until that position's gain
 * is fresh (evaluated in this step), and adds it. For a submodular f (gains only shrink as S grows) it
 * picks exactly what `naiveGreedy` picks, ties included.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { lazyGreedy } from "./greedy.ts";
 * const w = [1, 3, 2, 3];
 * const f = { size: 4, gain: (i: number) => w[i], add: (_: number) => {} };
 * assert.deepEqual([...lazyGreedy(f, 3)], [1, 3, 2]);
 * ```
 */
export function lazyGreedy(f: GreedyObjective, k: number): Int32Array {
  return boundGreedy(f, k, () => false);
}

/**
 * StochasticGreedy (Mirzasoleiman et al. 2015): step t lists the unpicked positions in ascending order,
 * draws s = min(m − t, max(1, ⌈(m/k)·ln(1/ε)⌉)) of them with `partialShuffle(rng, …, s)`, evaluates those
 * and adds the argmax (lowest position on ties). Expected (1 − 1/e − ε)-approximation for monotone
 * submodular f.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { stochasticGreedy } from "./greedy.ts";
 * import { CounterRng } from "./rng.ts";
 * const w = [1, 3, 2, 3];
 * const f = { size: 4, gain: (i: number) => w[i], add: (_: number) => {} };
 * assert.equal(stochasticGreedy(f, 2, new CounterRng(0, 0)).length, 2);
 * ```
 */
export function stochasticGreedy(f: GreedyObjective, k: number, rng: CounterRng, epsilon = 0.01): Int32Array {
  const m = checkBudget(f, k);
  if (!(epsilon > 0 && epsilon < 1)) {
    throw new RangeError(`StochasticGreedy: expected epsilon in (0, 1), got ${epsilon}`);
  }
  const sampleSize = Math.max(1, Math.ceil((m / k) * Math.log(1 / epsilon)));
  const picked = new Uint8Array(m);
  const picks = new Int32Array(k);
  for (let t = 0; t < k; t++) {
    const pool = new Int32Array(m - t);
    for (let i = 0, at = 0; i < m; i++) if (!picked[i]) pool[at++] = i;
    const s = Math.min(sampleSize, pool.length);
    partialShuffle(rng, pool, s);
    let best = -1;
    let bestGain = -Infinity;
    for (const i of pool.subarray(0, s)) {
      const g = f.gain(i);
      if (best < 0 || g > bestGain || (g === bestGain && i < best)) {
        best = i;
        bestGain = g;
      }
    }
    picks[t] = best;
    picked[best] = 1;
    f.add(best);
  }
  return picks;
}

/**
 * ApproximateLazyGreedy: like `lazyGreedy`, but the position with the largest bound is added as soon as
 * its re-evaluated gain g satisfies g ≥ stale − (1−β)·|stale| (β·stale for stale ≥ 0), or when it was
 * already re-evaluated in this step. Each position is evaluated at most twice per step, so it always
 * terminates. β = 1 gives `lazyGreedy`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { approximateLazyGreedy } from "./greedy.ts";
 * // All gains negative: DeepCore's rule would never accept; this one terminates.
 * const w = [-1, -3, -2];
 * const f = { size: 3, gain: (i: number) => w[i], add: (_: number) => {} };
 * assert.deepEqual([...approximateLazyGreedy(f, 3)], [0, 2, 1]);
 * ```
 */
export function approximateLazyGreedy(f: GreedyObjective, k: number, beta = 0.9): Int32Array {
  if (!(beta > 0 && beta <= 1)) {
    throw new RangeError(`ApproximateLazyGreedy: expected beta in (0, 1], got ${beta}`);
  }
  return boundGreedy(f, k, (gain, stale) => gain >= stale - (1 - beta) * Math.abs(stale));
}

/**
 * Runs the named optimiser; `settings.rng` is required for StochasticGreedy.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { greedyMaximize } from "./greedy.ts";
 * const w = [1, 3, 2];
 * const f = { size: 3, gain: (i: number) => w[i], add: (_: number) => {} };
 * assert.deepEqual([...greedyMaximize("LazyGreedy", f, 1)], [1]);
 * ```
 */
export function greedyMaximize(
  name: GreedyName,
  f: GreedyObjective,
  k: number,
  settings: GreedySettings = {},
): Int32Array {
  switch (name) {
    case "NaiveGreedy":
      return naiveGreedy(f, k);
    case "LazyGreedy":
      return lazyGreedy(f, k);
    case "StochasticGreedy":
      if (!settings.rng) throw new Error("StochasticGreedy: needs a random stream (settings.rng)");
      return stochasticGreedy(f, k, settings.rng, settings.epsilon);
    case "ApproximateLazyGreedy":
      return approximateLazyGreedy(f, k, settings.beta);
    default:
      throw new RangeError(
        `greedy: unknown optimiser "${name}"; expected NaiveGreedy, LazyGreedy, StochasticGreedy or ` +
          "ApproximateLazyGreedy",
      );
  }
}

/**
 * Lazy evaluation with stale upper bounds. Each step t: take the unpicked position with the largest
 * bound (lowest on ties); if its bound was computed in step t, add it; otherwise re-evaluate it and add
 * it if `acceptStale(fresh gain, old bound)`, else store the fresh gain and repeat. The initial gains
 * count as computed in step 0.
 */
function boundGreedy(
  f: GreedyObjective,
  k: number,
  acceptStale: (gain: number, stale: number) => boolean,
): Int32Array {
  const m = checkBudget(f, k);
  const picks = new Int32Array(k);
  if (k === 0) return picks;
  const bound = new Float64Array(m);
  const evaluatedAt = new Int32Array(m); // the step in which bound[i] was computed
  const picked = new Uint8Array(m);
  for (let i = 0; i < m; i++) bound[i] = f.gain(i);
  for (let t = 0; t < k; t++) {
    for (;;) {
      let top = -1;
      for (let i = 0; i < m; i++) {
        if (!picked[i] && (top < 0 || bound[i] > bound[top])) top = i;
      }
      let accept = evaluatedAt[top] === t;
      if (!accept) {
        const g = f.gain(top);
        accept = acceptStale(g, bound[top]);
        bound[top] = g;
        evaluatedAt[top] = t;
      }
      if (accept) {
        picks[t] = top;
        picked[top] = 1;
        f.add(top);
        break;
      }
    }
  }
  return picks;
}

function checkBudget(f: GreedyObjective, k: number): number {
  const m = f.size;
  if (!Number.isInteger(k) || k < 0 || k > m) {
    throw new RangeError(`greedy: expected an integer budget 0 ≤ k ≤ ${m} (the ground set), got ${k}`);
  }
  return m;
}
