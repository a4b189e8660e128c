/**
 * The one random generator of the reference selectors: a counter-based generator built on
 * Threefry-2x32 with 20 rounds (`kernels/rng.ts`; Salmon et al., "Parallel random numbers: as easy as 1, 2, 3", SC 2011;
 * the Random123 / JAX generator). It uses only 32-bit add, rotate and xor, so a WGSL kernel can
 * reproduce every draw bit for bit.
 *
 * The stream of a selection is fixed by two 32-bit words, the key: `(seed, stream)`. Selectors use the
 * stream for the group being selected (the class under `balance`, 0 otherwise), so classes draw
 * independently of each other and of the order in which they are processed.
 *
 * - draw number i (i = 0, 1, 2, …) is word 0 of Threefry-2x32-20(key = (seed, stream),
 *   counter = (i mod 2³², ⌊i / 2³²⌋));
 * - a uniform float in [0, 1) is (u32 >>> 8) · 2⁻²⁴ (24 bits: exact in float32 too);
 * - a uniform integer in [0, m) is drawn by masked rejection, as numpy's legacy generator does: mask =
 *   the smallest 2ᵇ − 1 ≥ m − 1; draw u32 & mask until it is < m (m = 1 returns 0 and draws nothing).
 *
 * @module
 */

import type { CounterRng } from "../../kernels/rng.ts";
import type { SelectionOptions } from "../types.ts";

export { threefry2x32 } from "../../kernels/rng.ts";

export { CounterRng } from "../../kernels/rng.ts";

/**
 * Partial Fisher–Yates: for t = 0..s−1 swap `values[t]` with `values[t + rng.nextInt(length − t)]`.
 * Afterwards `values[0..s)` is a uniform draw of s distinct entries, in draw order. Mutates `values`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { CounterRng, partialShuffle } from "./rng.ts";
 * const v = Int32Array.from([0, 1, 2, 3, 4]);
 * partialShuffle(new CounterRng(1, 0), v, 2);
 * assert.deepEqual([...v].sort(), [0, 1, 2, 3, 4]);
 * ```
 */
export function partialShuffle(rng: CounterRng, values: Int32Array, s: number): void {
  if (!Number.isInteger(s) || s < 0 || s > values.length) {
    throw new RangeError(`partialShuffle: expected an integer 0 ≤ s ≤ ${values.length}, got ${s}`);
  }
  for (let t = 0; t < s; t++) {
    const j = t + rng.nextInt(values.length - t);
    const tmp = values[t];
    values[t] = values[j];
    values[j] = tmp;
  }
}

/**
 * The seed of a selection: `options.seed`, default 0; must be an integer 0 ≤ seed < 2³².
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { seedFromOptions } from "./rng.ts";
 * assert.equal(seedFromOptions({ fraction: 0.5 }), 0);
 * assert.equal(seedFromOptions({ fraction: 0.5, seed: 42 }), 42);
 * ```
 */
export function seedFromOptions(options: SelectionOptions): number {
  const seed = options.seed ?? 0;
  if (typeof seed !== "number" || !Number.isInteger(seed) || seed < 0 || seed >= 2 ** 32) {
    throw new RangeError(`options.seed: expected an integer 0 ≤ seed < 2^32, got ${seed}`);
  }
  return seed;
}
