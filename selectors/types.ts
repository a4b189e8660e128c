/**
 * The one shape every selector shares: what goes in, what options mean, what comes out.
 *
 * Semantics (the same for every method):
 * - `indices` are the positions (0..n-1) of the samples **kept**, in selection order: greedy pick order for
 *   greedy methods, descending importance for score methods, draw order for random ones. Under `balance`
 *   they are the per-class results concatenated for class 0, 1, …, C-1.
 * - `scores[i]` (score methods only) is the score of sample `indices[i]`; the method's JSDoc says which end
 *   of the score scale is kept.
 * - `weights[i]` (weighted methods only) is the training weight of sample `indices[i]`.
 *
 * @module
 */

import type * as tf from "npm:@tensorflow/tfjs-core@4.22.0";

/** A dense row-major matrix of `rows` × `cols` float32 values. */
export interface Matrix {
  /** Row-major values, length `rows * cols`. */
  data: Float32Array;
  /** Number of rows (samples). */
  rows: number;
  /** Number of columns (features or classes). */
  cols: number;
}

/** What a selector may read; each method says which fields it needs. */
export interface SelectionInput {
  /** Per-sample embeddings or gradient features, n × d (typed array, or a tensor already on the GPU). */
  features?: Matrix | tf.Tensor;
  /** Per-sample class probabilities, n × C, rows summing to 1 (typed array or tensor). */
  probs?: Matrix | tf.Tensor;
  /** Per-sample class labels in 0..C-1, length n. */
  labels?: Int32Array;
}

/** Options every selector accepts. Exactly one of `fraction` and `budget` is given. */
export interface SelectionOptions {
  /** Fraction of the n samples to keep, 0 ≤ fraction ≤ 1. */
  fraction?: number;
  /** Number of samples to keep, 0 ≤ budget ≤ n. */
  budget?: number;
  /** Select per class, each class getting its share of the budget (see `classBudgets`). */
  balance?: boolean;
  /** Seed for every random choice the method makes. */
  seed?: number;
}

/** What every selector returns. */
export interface SelectionResult {
  /** Kept sample positions, in selection order, no duplicates. */
  indices: Int32Array;
  /** Training weight of each kept sample (weighted methods only). */
  weights?: Float32Array;
  /** Score of each kept sample (score methods only). */
  scores?: Float32Array;
}

/** A selection method: what every file in `selectors/` exports. */
export type Selector<O extends SelectionOptions = SelectionOptions> = (
  input: SelectionInput,
  options: O,
) => Promise<SelectionResult>;
