/**
 * Shared helpers for kernel tests: seeded random inputs and tolerant comparison against a reference.
 *
 * @module
 */

import assert from "node:assert/strict";

/** A small seeded generator (mulberry32) for test inputs; not the library's RNG. */
export function testRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** `n` uniform values in [lo, hi). */
export function randomArray(n: number, seed: number, lo = -1, hi = 1): Float32Array {
  const r = testRandom(seed);
  return Float32Array.from({ length: n }, () => lo + (hi - lo) * r());
}

/** Asserts |got − want| ≤ atol + rtol·|want| elementwise, naming the first element that is off. */
export function assertClose(
  got: ArrayLike<number>,
  want: ArrayLike<number>,
  { atol = 1e-5, rtol = 1e-5, what = "value" } = {},
): void {
  assert.equal(got.length, want.length, `${what}: length ${got.length} vs ${want.length}`);
  for (let i = 0; i < want.length; i++) {
    const g = got[i]!, w = want[i]!;
    if (Number.isNaN(w) && Number.isNaN(g)) continue;
    if (w === g) continue; // covers matching infinities
    if (!(Math.abs(g - w) <= atol + rtol * Math.abs(w))) {
      assert.fail(`${what}[${i}] = ${g}, expected ${w} (atol ${atol}, rtol ${rtol})`);
    }
  }
}
