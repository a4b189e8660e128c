/**
 * Reading a `SelectionInput`: the sample count, a required matrix, and the rows of one group.
 *
 * @module
 */

import type * as tf from "npm:@tensorflow/tfjs-core@4.22.0";
import type { Matrix, SelectionInput } from "../types.ts";

/**
 * The number of samples n, taken from whichever of `features`, `probs` and `labels` are given (they must
 * agree). Throws if none is given.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { sampleCount } from "./input.ts";
 * assert.equal(sampleCount({ labels: new Int32Array(5) }, "full"), 5);
 * ```
 */
export function sampleCount(input: SelectionInput, method: string): number {
  const counts: [string, number][] = [];
  if (input.features) counts.push(["input.features", checkMatrix(input.features, "features", method).rows]);
  if (input.probs) counts.push(["input.probs", checkMatrix(input.probs, "probs", method).rows]);
  if (input.labels) counts.push(["input.labels", input.labels.length]);
  if (counts.length === 0) {
    throw new Error(`${method}: needs at least one of input.features, input.probs, input.labels; none given`);
  }
  for (const [name, count] of counts) {
    if (count !== counts[0][1]) {
      throw new RangeError(
        `${method}: ${counts[0][0]} has ${counts[0][1]} samples but ${name} has ${count}; they must agree`,
      );
    }
  }
  return counts[0][1];
}

/**
 * `input[field]`, checked to be present and consistent (`data.length = rows · cols`).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { requireMatrix } from "./input.ts";
 * assert.throws(() => requireMatrix({}, "features", "herding"), /herding: needs input\.features/);
 * ```
 */
export function requireMatrix(input: SelectionInput, field: "features" | "probs", method: string): Matrix {
  const matrix = input[field];
  if (matrix === undefined) {
    const what = field === "features" ? "n × d features" : "n × C class probabilities";
    throw new Error(`${method}: needs input.${field} (${what}); none given`);
  }
  return checkMatrix(matrix, field, method);
}

/**
 * The given rows of a matrix, in the given order, as a new matrix (or the matrix itself when `rows` is
 * 0..rows−1).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { gatherRows } from "./input.ts";
 * const m = { data: Float32Array.from([1, 2, 3, 4, 5, 6]), rows: 3, cols: 2 };
 * assert.deepEqual([...gatherRows(m, Int32Array.from([2, 0])).data], [5, 6, 1, 2]);
 * ```
 */
export function gatherRows(matrix: Matrix, rows: Int32Array): Matrix {
  if (rows.length === matrix.rows && rows.every((r, i) => r === i)) return matrix;
  const { cols } = matrix;
  const data = new Float32Array(rows.length * cols);
  rows.forEach((r, i) => data.set(matrix.data.subarray(r * cols, (r + 1) * cols), i * cols));
  return { data, rows: rows.length, cols };
}

function checkMatrix(matrix: Matrix | tf.Tensor, field: string, method: string): Matrix {
  if (!("rows" in matrix)) {
    throw new TypeError(
      `${method}: the reference takes input.${field} as { data, rows, cols }, not a tensor`,
    );
  }
  const { data, rows, cols } = matrix;
  if (
    !Number.isInteger(rows) || !Number.isInteger(cols) || rows < 0 || cols < 0 || data.length !== rows * cols
  ) {
    throw new RangeError(
      `${method}: input.${field} is ${rows} × ${cols} but holds ${data.length} values; expected rows · cols`,
    );
  }
  return matrix;
}
