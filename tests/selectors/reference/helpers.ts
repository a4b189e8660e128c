/**
 * Test helpers: seeded random inputs and brute-force enumeration.
 *
 * @module
 */

import { CounterRng } from "../../../selectors/reference/rng.ts";
import type { Matrix } from "../../../selectors/types.ts";

/** An n × d matrix of uniform values in [−1, 1), from stream (seed, 99). */
export function randomMatrix(rows: number, cols: number, seed: number): Matrix {
  const rng = new CounterRng(seed, 99);
  return { data: Float32Array.from({ length: rows * cols }, () => 2 * rng.nextFloat() - 1), rows, cols };
}

/** An n × C matrix of softmax probabilities of random logits in [−3, 3). */
export function randomProbs(rows: number, cols: number, seed: number): Matrix {
  const logits = randomMatrix(rows, cols, seed).data;
  const data = new Float32Array(rows * cols);
  for (let i = 0; i < rows; i++) {
    const z = Array.from(logits.subarray(i * cols, (i + 1) * cols), (v) => Math.exp(3 * v));
    const sum = z.reduce((a, b) => a + b, 0);
    z.forEach((v, c) => data[i * cols + c] = v / sum);
  }
  return { data, rows, cols };
}

/** n labels in 0..C−1, uneven class sizes, every class present (n ≥ C). */
export function randomLabels(n: number, numClasses: number, seed: number): Int32Array {
  const rng = new CounterRng(seed, 98);
  return Int32Array.from({ length: n }, (_, i) => i < numClasses ? i : rng.nextInt(numClasses));
}

/** Labels with the given class sizes, classes interleaved (not sorted) to exercise index mapping. */
export function labelsWithCounts(counts: number[]): Int32Array {
  const labels: number[] = [];
  const left = [...counts];
  while (left.some((c) => c > 0)) {
    left.forEach((c, y) => {
      if (c > 0) {
        labels.push(y);
        left[y]--;
      }
    });
  }
  return Int32Array.from(labels);
}

/** Every k-subset of 0..m−1, as ascending arrays. */
export function* subsets(m: number, k: number, start = 0, prefix: number[] = []): Generator<number[]> {
  if (prefix.length === k) {
    yield [...prefix];
    return;
  }
  for (let i = start; i <= m - (k - prefix.length); i++) {
    prefix.push(i);
    yield* subsets(m, k, i + 1, prefix);
    prefix.pop();
  }
}

/** Row i of a matrix as numbers. */
export function row(m: Matrix, i: number): number[] {
  return Array.from(m.data.subarray(i * m.cols, (i + 1) * m.cols));
}

/** Asserts that `indices` are distinct and in 0..n−1. */
export function assertValidIndices(indices: Int32Array, n: number): void {
  const seen = new Set<number>();
  for (const i of indices) {
    if (!(Number.isInteger(i) && i >= 0 && i < n)) throw new Error(`index ${i} outside 0..${n - 1}`);
    if (seen.has(i)) throw new Error(`index ${i} repeated`);
    seen.add(i);
  }
}
