import assert from "node:assert/strict";
import { contextualDiversity } from "../../../selectors/reference/contextual_diversity.ts";
import { CounterRng } from "../../../selectors/reference/rng.ts";
import type { Matrix } from "../../../selectors/types.ts";
import { randomProbs, row } from "./helpers.ts";

/** DeepCore's formula: Σ_c ½ a ln(a/b) + ½ b ln(b/a), probabilities clamped at ε. */
function halfJeffreys(p: Matrix, a: number, b: number, epsilon = 1e-12): number {
  const ra = row(p, a).map((v) => Math.max(v, epsilon)), rb = row(p, b).map((v) => Math.max(v, epsilon));
  return ra.reduce((s, x, c) => s + 0.5 * x * Math.log(x / rb[c]) + 0.5 * rb[c] * Math.log(rb[c] / x), 0);
}

Deno.test("contextualDiversity: farthest-first under DeepCore's symmetric KL", () => {
  for (let seed = 0; seed < 5; seed++) {
    const probs = randomProbs(14, 4, seed);
    const picks = [...contextualDiversity({ probs }, { budget: 7, seed }).indices];
    assert.equal(picks[0], new CounterRng(seed, 0).nextInt(14));
    for (let t = 1; t < picks.length; t++) {
      const centres = picks.slice(0, t);
      const nearest = (i: number) => Math.min(...centres.map((c) => halfJeffreys(probs, c, i)));
      const candidates = [...Array(14).keys()].filter((i) => !centres.includes(i));
      const farthest = Math.max(...candidates.map(nearest));
      assert.ok(Math.abs(nearest(picks[t]) - farthest) < 1e-9 * Math.max(1, farthest));
    }
  }
});

Deno.test("contextualDiversity: zero probabilities stay finite (ε clamp) and are the farthest", () => {
  // Row 0 is one-hot (zeros); rows 1, 2 are soft. From first centre 1, the one-hot row is farthest.
  const probs = { data: Float32Array.from([1, 0, 0.6, 0.4, 0.55, 0.45]), rows: 3, cols: 2 };
  let seed = 0;
  while (new CounterRng(seed, 0).nextInt(3) !== 1) seed++;
  assert.deepEqual([...contextualDiversity({ probs }, { budget: 3, seed }).indices], [1, 0, 2]);
  assert.throws(() => contextualDiversity({ probs }, { budget: 1, epsilon: 0 }), /options\.epsilon/);
  assert.throws(
    () => contextualDiversity({ labels: new Int32Array(3) }, { budget: 1 }),
    /needs input\.probs/,
  );
});
