/**
 * Uncertainty scores of samples from their class probabilities (LeastConfidence, Entropy, Margin), beside
 * the plain TypeScript reference its test compares against.
 *
 * @module
 */

import type * as tf from "npm:@tensorflow/tfjs-core@4.22.0";
import { grid1d } from "./prelude_wgsl.ts";
import { f32 } from "./runtime/recorder.ts";
import { runtime } from "./runtime/runtime.ts";
import { bufferOf, emptyTensor } from "./runtime/tensor.ts";
import { type UncertaintyKind, uncertaintyWgsl } from "./scores_wgsl.ts";

export type { UncertaintyKind } from "./scores_wgsl.ts";

/**
 * One score per row of `probs` [n, C]; lower is more uncertain. LeastConfidence: max p. Entropy:
 * Σ p·ln(p + eps) over p > 0 (eps default 1e-6), the negated entropy. Margin: p₍₁₎ − p₍₂₎ (C ≥ 2).
 *
 * @example
 * ```ts
 * import { ready } from "./runtime/runtime.ts";
 * import { readAll, upload } from "./runtime/tensor.ts";
 * import { uncertaintyScores } from "./scores.ts";
 * await ready();
 * const probs = upload(new Float32Array([0.9, 0.1, 0.5, 0.5]), [2, 2]);
 * console.log((await readAll([uncertaintyScores(probs, "Margin")]))[0]); // Float32Array [0.8, 0]
 * ```
 */
export function uncertaintyScores(probs: tf.Tensor, kind: UncertaintyKind, eps = 1e-6): tf.Tensor {
  if (probs.rank !== 2) {
    throw new RangeError(`uncertaintyScores: expected [n, C] probabilities, got [${probs.shape}]`);
  }
  const [n, c] = probs.shape as [number, number];
  if (kind === "Margin" && c < 2) throw new RangeError("Margin: needs probabilities of at least 2 classes");
  if (4 * n * c > runtime().limits.maxStorageBufferBindingSize!) {
    throw new RangeError(
      `uncertaintyScores: ${n} × ${c} probabilities exceed one binding; score them in parts`,
    );
  }
  const scores = emptyTensor([n]);
  runtime().recorder.dispatch(uncertaintyWgsl(kind), grid1d(n), [n, c, f32(eps)], [
    bufferOf(probs),
    bufferOf(scores),
  ]);
  return scores;
}

/** TypeScript reference of `uncertaintyScores` (float64, rounded to float32). */
export function uncertaintyScoresReference(
  probs: Float32Array,
  c: number,
  kind: UncertaintyKind,
  eps = 1e-6,
): Float32Array {
  const n = c === 0 ? 0 : probs.length / c;
  return Float32Array.from({ length: n }, (_, i) => {
    const row = probs.subarray(i * c, (i + 1) * c);
    if (kind === "LeastConfidence") return Math.max(...row);
    if (kind === "Entropy") return row.reduce((s, q) => (q > 0 ? s + q * Math.log(q + eps) : s), 0);
    const sorted = Array.from(row).sort((a, b) => b - a);
    return sorted[0]! - sorted[1]!;
  });
}
