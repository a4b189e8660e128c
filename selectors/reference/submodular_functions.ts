/**
 * The submodular functions of DeepCore's `Submodular` method (§3.3) as `GreedyObjective`s over a
 * similarity s_ij ≥ 0 computed on demand — never an m × m matrix (DeepCore materialises one).
 *
 * Deviations from DeepCore:
 * - LogDeterminant maximises the real log-det gain log det(K_{S∪j} + δI) − log det(K_S + δI) with a
 *   ridge δ (default 1e-6); DeepCore maximises the redundancy term s_jS · pinv(S_S) · s_Sj and so picks
 *   the samples most similar to those already picked (§3.3, §7.7). DeepCore has no ridge (it uses a
 *   pseudo-inverse); ours keeps K_S + δI positive definite, so every gain is finite and ≥ log δ.
 * - A zero feature vector has cosine 0 with everything, itself included (similarity 0.5); DeepCore gets
 *   NaN (0/0).
 *
 * Arithmetic: similarities and all state in float64.
 *
 * @module
 */

import type { Matrix } from "../types.ts";
import type { GreedyObjective } from "./greedy.ts";

/** A symmetric similarity over the ground set 0..size−1. */
export interface Similarity {
  /** Size m of the ground set. */
  readonly size: number;
  /** s(i, j). */
  sim(i: number, j: number): number;
}

/**
 * DeepCore's cosine similarity (§3.2): s(i, j) = 0.5 + 0.5 · x_i·x_j / (‖x_i‖ ‖x_j‖), in [0, 1]
 * (0.5 + 0.5 · 0 when either vector is zero). Row norms are precomputed; each s(i, j) costs O(d).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { CosineSimilarity } from "./submodular_functions.ts";
 * const s = new CosineSimilarity({ data: Float32Array.from([1, 0, 0, 2, -3, 0]), rows: 3, cols: 2 });
 * assert.deepEqual([s.sim(0, 0), s.sim(0, 1), s.sim(0, 2)], [1, 0.5, 0]);
 * ```
 */
export class CosineSimilarity implements Similarity {
  readonly size: number;
  readonly #x: Float32Array;
  readonly #d: number;
  readonly #norms: Float64Array;

  /** Similarity of the rows of `features`. */
  constructor(features: Matrix) {
    this.size = features.rows;
    this.#x = features.data;
    this.#d = features.cols;
    this.#norms = Float64Array.from({ length: this.size }, (_, i) => Math.sqrt(this.#dot(i, i)));
  }

  sim(i: number, j: number): number {
    const norms = this.#norms[i] * this.#norms[j];
    if (norms === 0) return 0.5;
    // x·x / (√(x·x))² can round to 1 − 2⁻⁵³: a vector's similarity with itself is exactly 1
    return i === j ? 1 : 0.5 + 0.5 * this.#dot(i, j) / norms;
  }

  #dot(i: number, j: number): number {
    const x = this.#x, d = this.#d;
    let sum = 0;
    for (let c = 0; c < d; c++) sum += x[i * d + c] * x[j * d + c];
    return sum;
  }
}

/**
 * Facility location f(S) = Σ_{i∈V} max_{j∈S} s_ij (max over ∅ = 0): monotone submodular for s ≥ 0.
 * State: best_i = max_{j∈S} s_ij. gain(j) = Σ_i max(0, s_ij − best_i), O(m) similarities; add likewise.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { FacilityLocation } from "./submodular_functions.ts";
 * const s = [[1, 0.5], [0.5, 1]];
 * const f = new FacilityLocation({ size: 2, sim: (i, j) => s[i][j] });
 * assert.equal(f.gain(0), 1.5);
 * f.add(0);
 * assert.equal(f.gain(1), 0.5);
 * ```
 */
export class FacilityLocation implements GreedyObjective {
  readonly size: number;
  readonly #s: Similarity;
  readonly #best: Float64Array;

  /** f over the similarity `s`, starting from S = ∅. */
  constructor(s: Similarity) {
    this.#s = s;
    this.size = s.size;
    this.#best = new Float64Array(s.size);
  }

  gain(j: number): number {
    let sum = 0;
    for (let i = 0; i < this.size; i++) sum += Math.max(0, this.#s.sim(i, j) - this.#best[i]);
    return sum;
  }

  add(j: number): void {
    for (let i = 0; i < this.size; i++) this.#best[i] = Math.max(this.#best[i], this.#s.sim(i, j));
  }
}

/**
 * Graph cut f(S) = λ Σ_{i∈V, j∈S} s_ij − Σ_{i,j∈S, i≠j} s_ij, whose marginal gain is DeepCore's
 * gain(j) = λ Σ_{i∈V} s_ij − 2 Σ_{i∈S} s_ij (the self term s_jj omitted, §3.3). Submodular; monotone for
 * λ ≥ 2; DeepCore's λ is 1 (gains turn negative once S is large). State: column sums (computed once, m²
 * similarities) and Σ_{i∈S} s_ij (m similarities per add); gain is O(1).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { GraphCut } from "./submodular_functions.ts";
 * const s = [[1, 0.5], [0.5, 1]];
 * const f = new GraphCut({ size: 2, sim: (i, j) => s[i][j] });
 * assert.equal(f.gain(1), 1.5);
 * f.add(0);
 * assert.equal(f.gain(1), 0.5); // 1.5 − 2 · 0.5
 * ```
 */
export class GraphCut implements GreedyObjective {
  readonly size: number;
  readonly #s: Similarity;
  readonly #lambda: number;
  readonly #columnSums: Float64Array;
  readonly #selectedSums: Float64Array;

  /** f over the similarity `s` with weight λ (default 1, DeepCore's), starting from S = ∅. */
  constructor(s: Similarity, lambda = 1) {
    this.#s = s;
    this.size = s.size;
    this.#lambda = lambda;
    this.#columnSums = new Float64Array(s.size);
    for (let j = 0; j < s.size; j++) {
      for (let i = 0; i < s.size; i++) this.#columnSums[j] += s.sim(i, j);
    }
    this.#selectedSums = new Float64Array(s.size);
  }

  gain(j: number): number {
    return this.#lambda * this.#columnSums[j] - 2 * this.#selectedSums[j];
  }

  add(j: number): void {
    for (let i = 0; i < this.size; i++) this.#selectedSums[i] += this.#s.sim(j, i);
  }
}

/**
 * Log-determinant f(S) = log det(K_S + δI) with K the similarity kernel (positive semi-definite for the
 * cosine similarity) and ridge δ > 0. gain(j) = log r_j with the Schur complement
 * r_j = s_jj + δ − k_jᵀ (K_S + δI)⁻¹ k_j ≥ δ (clamped to ≥ δ against rounding), computed through a
 * Cholesky factor of K_S + δI grown by one row per add: O(|S|·similarity + |S|²) per gain. Submodular,
 * not monotone (gains are negative when r_j < 1). With a unit diagonal all first gains tie, so the first
 * pick is position 0.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { LogDeterminant } from "./submodular_functions.ts";
 * const s = [[1, 0.5], [0.5, 1]];
 * const f = new LogDeterminant({ size: 2, sim: (i, j) => s[i][j] });
 * f.add(0);
 * assert.ok(Math.abs(f.gain(1) - Math.log(0.75)) < 1e-5); // det [[1, .5], [.5, 1]] = 0.75
 * ```
 */
export class LogDeterminant implements GreedyObjective {
  readonly size: number;
  readonly #s: Similarity;
  readonly #ridge: number;
  readonly #selected: number[] = [];
  /** Rows of the lower Cholesky factor L of K_S + δI (row t has t + 1 entries). */
  readonly #rows: Float64Array[] = [];

  /** f over the similarity kernel `s` with ridge δ > 0 (default 1e-6), starting from S = ∅. */
  constructor(s: Similarity, ridge = 1e-6) {
    if (!(ridge > 0)) throw new RangeError(`LogDeterminant: expected a ridge > 0, got ${ridge}`);
    this.#s = s;
    this.size = s.size;
    this.#ridge = ridge;
  }

  gain(j: number): number {
    return Math.log(this.#schur(j).r);
  }

  add(j: number): void {
    const { y, r } = this.#schur(j);
    const row = new Float64Array(y.length + 1);
    row.set(y);
    row[y.length] = Math.sqrt(r);
    this.#rows.push(row);
    this.#selected.push(j);
  }

  /** y = L⁻¹ k_j (forward substitution) and r = s_jj + δ − ‖y‖², clamped to ≥ δ. */
  #schur(j: number): { y: Float64Array; r: number } {
    const t = this.#selected.length;
    const y = new Float64Array(t);
    let r = this.#s.sim(j, j) + this.#ridge;
    for (let a = 0; a < t; a++) {
      const row = this.#rows[a];
      let v = this.#s.sim(this.#selected[a], j);
      for (let b = 0; b < a; b++) v -= row[b] * y[b];
      y[a] = v / row[a];
      r -= y[a] * y[a];
    }
    return { y, r: Math.max(r, this.#ridge) };
  }
}
