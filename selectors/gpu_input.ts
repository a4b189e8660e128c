/**
 * What the GPU selectors share: the sample count of an input whose matrices may be typed arrays or
 * tensors, a group's rows as a GPU tensor, and the run of every group recorded into one submission with a
 * single readback.
 *
 * @module
 */

import * as tf from "npm:@tensorflow/tfjs-core@4.22.0";
import { gatherRows } from "../kernels/gather.ts";
import { readAll, upload } from "../kernels/runtime/tensor.ts";
import { assembleGroups, type Group, planGroups, type ResultFields } from "./budget.ts";
import type { Matrix, SelectionInput, SelectionOptions, SelectionResult } from "./types.ts";

/** Rows of a matrix input, whichever form it takes. */
function rowsOf(x: Matrix | tf.Tensor): number {
  return "rows" in x ? x.rows : x.shape[0]!;
}

/**
 * n, from whichever of features, probs and labels are given (they must agree).
 *
 * @example
 * ```ts
 * import { countSamples } from "./gpu_input.ts";
 * console.log(countSamples({ labels: new Int32Array(5) }, "Uniform")); // 5
 * ```
 */
export function countSamples(input: SelectionInput, method: string): number {
  const counts: [string, number][] = [];
  for (const field of ["features", "probs"] as const) {
    const m = input[field];
    if (!m) continue;
    if ("rows" in m ? m.data.length !== m.rows * m.cols : m.rank !== 2) {
      throw new RangeError(`${method}: input.${field} must be an n × d matrix`);
    }
    counts.push([`input.${field}`, rowsOf(m)]);
  }
  if (input.labels) counts.push(["input.labels", input.labels.length]);
  if (counts.length === 0) throw new Error(`${method}: needs input.features, input.probs or input.labels`);
  for (const [name, count] of counts) {
    if (count !== counts[0]![1]) {
      throw new RangeError(
        `${method}: ${counts[0]![0]} has ${counts[0]![1]} samples but ${name} has ${count}`,
      );
    }
  }
  return counts[0]![1];
}

/** `input[field]` as a GPU tensor (uploaded when it is a typed-array matrix), or a clear error. */
export function requireOnGpu(input: SelectionInput, field: "features" | "probs", method: string): tf.Tensor {
  const m = input[field];
  if (!m) {
    const what = field === "features" ? "n × d features" : "n × C class probabilities";
    throw new Error(`${method}: needs input.${field} (${what}); none given`);
  }
  return "rows" in m ? upload(m.data, [m.rows, m.cols]) : m;
}

/** The rows `members` of `x` [n, d] as a tensor (x itself when members is every row in order). */
export function groupRows(x: tf.Tensor, members: Int32Array): tf.Tensor {
  return isIdentity(members, x.shape[0]!) ? x : gatherRows(x, members);
}

/** Whether `members` is 0, 1, …, n − 1 (a plain loop: `every` with a callback took ~1 ms at 60 000). */
function isIdentity(members: Int32Array, n: number): boolean {
  if (members.length !== n) return false;
  for (let i = 0; i < n; i++) if (members[i] !== i) return false;
  return true;
}

/** What a GPU selector records for one group: local pick positions (int32) and, for score methods, scores. */
export interface GroupOutput {
  /** Positions within the group, in selection order (int32 [k]). */
  indices: tf.Tensor;
  /** Score of each pick (float32 [k]), for score methods. */
  scores?: tf.Tensor;
}

/**
 * Plans the groups (`balance` or not), records `record(group)` for each into the one open submission,
 * reads every result back at once and assembles them into sample positions.
 */
export async function selectGroupsOnGpu(
  n: number,
  input: SelectionInput,
  options: SelectionOptions,
  record: (group: Group) => GroupOutput,
  fields: ResultFields = {},
): Promise<SelectionResult> {
  const groups = planGroups(n, input.labels, options);
  const outputs = tf.tidy(() =>
    groups.map((g) => record(g)).map((o) => [o.indices, o.scores ?? o.indices]).flat()
  );
  try {
    const values = await readAll(outputs);
    const results = groups.map((g, i) => ({
      indices: (values[2 * i] as Int32Array).subarray(0, g.k),
      ...(fields.scores && { scores: (values[2 * i + 1] as Float32Array).subarray(0, g.k) }),
    }));
    return assembleGroups(groups, results, fields);
  } finally {
    tf.dispose(outputs);
  }
}
