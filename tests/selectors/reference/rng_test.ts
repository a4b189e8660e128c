import assert from "node:assert/strict";
import {
  CounterRng,
  partialShuffle,
  seedFromOptions,
  threefry2x32,
} from "../../../selectors/reference/rng.ts";

Deno.test("threefry2x32 matches Random123's known-answer vectors", () => {
  // (key, counter) → output, from Random123's kat_vectors (threefry2x32, 20 rounds).
  assert.deepEqual(threefry2x32(0, 0, 0, 0), [0x6b200159, 0x99ba4efe]);
  assert.deepEqual(threefry2x32(0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff), [0x1cb996fc, 0xbb002be7]);
  assert.deepEqual(threefry2x32(0x13198a2e, 0x03707344, 0x243f6a88, 0x85a308d3), [0xc4923a9c, 0x483df7a0]);
});

Deno.test("CounterRng: draw i is word 0 of block (i, 0) under key (seed, stream)", () => {
  const rng = new CounterRng(12345, 7);
  for (let i = 0; i < 5; i++) assert.equal(rng.nextU32(), threefry2x32(12345, 7, i, 0)[0]);
  assert.equal(rng.drawn, 5);
  assert.notEqual(new CounterRng(1, 0).nextU32(), new CounterRng(1, 1).nextU32());
  assert.notEqual(new CounterRng(1, 0).nextU32(), new CounterRng(2, 0).nextU32());
});

Deno.test("CounterRng: floats are 24-bit in [0, 1)", () => {
  const a = new CounterRng(3, 0), b = new CounterRng(3, 0);
  for (let i = 0; i < 1000; i++) {
    const x = a.nextFloat();
    assert.equal(x, (b.nextU32() >>> 8) / 2 ** 24);
    assert.ok(x >= 0 && x < 1);
    assert.equal(Math.fround(x), x);
  }
});

Deno.test("CounterRng: nextInt is in range, roughly uniform, m = 1 draws nothing", () => {
  const rng = new CounterRng(9, 0);
  for (const m of [2, 3, 7, 10, 1000, 2 ** 31 + 5, 2 ** 32]) {
    for (let i = 0; i < 50; i++) {
      const v = rng.nextInt(m);
      assert.ok(Number.isInteger(v) && v >= 0 && v < m);
    }
  }
  const drawn = rng.drawn;
  assert.equal(rng.nextInt(1), 0);
  assert.equal(rng.drawn, drawn);
  // Chi-square on 6 bins, 6000 draws: 5 degrees of freedom, 99.9 % quantile 20.5.
  const counts = new Array(6).fill(0);
  for (let i = 0; i < 6000; i++) counts[rng.nextInt(6)]++;
  const chi2 = counts.reduce((s, c) => s + (c - 1000) ** 2 / 1000, 0);
  assert.ok(chi2 < 20.5, `chi² ${chi2}`);
  assert.throws(() => rng.nextInt(0), /1 ≤ m ≤ 2\^32/);
  assert.throws(() => rng.nextInt(2.5), /got 2\.5/);
});

Deno.test("partialShuffle: a permutation whose first s entries are a uniform draw", () => {
  const rng = new CounterRng(4, 0);
  const hits = new Array(5).fill(0);
  for (let trial = 0; trial < 5000; trial++) {
    const v = Int32Array.from([0, 1, 2, 3, 4]);
    partialShuffle(rng, v, 2);
    assert.deepEqual([...v].sort(), [0, 1, 2, 3, 4]);
    hits[v[0]]++;
    hits[v[1]]++;
  }
  // Each value is among the first 2 with probability 2/5: 2000 expected, sd ≈ 35.
  for (const h of hits) assert.ok(Math.abs(h - 2000) < 200, `hits ${hits}`);
  const v = Int32Array.from([0, 1, 2]);
  partialShuffle(rng, v, 0);
  assert.deepEqual([...v], [0, 1, 2]);
  assert.throws(() => partialShuffle(rng, v, 4), /0 ≤ s ≤ 3/);
});

Deno.test("seedFromOptions: default 0, 32-bit unsigned integers only", () => {
  assert.equal(seedFromOptions({}), 0);
  assert.equal(seedFromOptions({ seed: 2 ** 32 - 1 }), 2 ** 32 - 1);
  for (const seed of [-1, 1.5, 2 ** 32, NaN]) {
    assert.throws(() => seedFromOptions({ seed }), /options\.seed: expected an integer 0 ≤ seed < 2\^32/);
  }
});
