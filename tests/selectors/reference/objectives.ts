/**
 * Test-side statements of the submodular functions as plain set functions f(S), written independently
 * of `selectors/reference/submodular_functions.ts`, plus a cosine similarity computed from the rows.
 *
 * @module
 */

import type { Matrix } from "../../../selectors/types.ts";
import type { Similarity } from "../../../selectors/reference/submodular_functions.ts";
import type { GreedyObjective } from "../../../selectors/reference/greedy.ts";
import { row } from "./helpers.ts";

/** s_ij = 0.5 + 0.5 cos(x_i, x_j) as an explicit m × m table (tests only; m is tiny). */
export function cosineTable(x: Matrix): number[][] {
  const rows = Array.from({ length: x.rows }, (_, i) => row(x, i));
  const norm = (v: number[]) => Math.sqrt(v.reduce((s, a) => s + a * a, 0));
  return rows.map((a) =>
    rows.map((b) => {
      const n = norm(a) * norm(b);
      return n === 0 ? 0.5 : 0.5 + 0.5 * a.reduce((s, v, c) => s + v * b[c], 0) / n;
    })
  );
}

/** A `Similarity` reading an explicit table. */
export function tableSimilarity(s: number[][]): Similarity {
  return { size: s.length, sim: (i, j) => s[i][j] };
}

/** f(S) = Σ_{i∈V} max_{j∈S} s_ij. */
export function facilityLocationValue(s: number[][], set: number[]): number {
  return set.length === 0 ? 0 : s.reduce((sum, si) => sum + Math.max(...set.map((j) => si[j])), 0);
}

/** f(S) = λ Σ_{i∈V, j∈S} s_ij − Σ_{i≠j ∈ S} s_ij. */
export function graphCutValue(s: number[][], set: number[], lambda: number): number {
  let value = 0;
  for (const j of set) for (let i = 0; i < s.length; i++) value += lambda * s[i][j];
  for (const i of set) for (const j of set) if (i !== j) value -= s[i][j];
  return value;
}

/** f(S) = log det(K_S + δI), by Gaussian elimination with partial pivoting. */
export function logDetValue(s: number[][], set: number[], ridge: number): number {
  const a = set.map((i) => set.map((j) => s[i][j] + (i === j ? ridge : 0)));
  let logDet = 0;
  for (let c = 0; c < a.length; c++) {
    let p = c;
    for (let r = c + 1; r < a.length; r++) if (Math.abs(a[r][c]) > Math.abs(a[p][c])) p = r;
    [a[c], a[p]] = [a[p], a[c]];
    logDet += Math.log(Math.abs(a[c][c]));
    for (let r = c + 1; r < a.length; r++) {
      const factor = a[r][c] / a[c][c];
      for (let q = c; q < a.length; q++) a[r][q] -= factor * a[c][q];
    }
  }
  return logDet;
}

/** Wraps an objective to count its gain evaluations. */
export function counted(f: GreedyObjective): GreedyObjective & { evaluations: number } {
  const wrapped = {
    size: f.size,
    evaluations: 0,
    gain(i: number) {
      wrapped.evaluations++;
      return f.gain(i);
    },
    add(i: number) {
      f.add(i);
    },
  };
  return wrapped;
}
