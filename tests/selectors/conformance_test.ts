/**
 * Every registered selector through the same checks: exact budget, unique in-range indices, balance,
 * determinism per seed, score direction.
 */
import assert from "node:assert/strict";
import { ready } from "../../kernels/runtime/runtime.ts";
import { classBudgets } from "../../selectors/budget.ts";
import { findMethod, METHODS } from "../../selectors/registry.ts";
import type { SelectionInput } from "../../selectors/types.ts";
import { randomArray, testRandom } from "../kernels/util.ts";

await ready();

const n = 150, classes = 3;
const r = testRandom(11);
const labels = Int32Array.from({ length: n }, () => Math.floor(r() * classes));
const probs = randomArray(n * classes, 12, 0.01, 1);
for (let i = 0; i < n; i++) {
  const s = probs[i * 3]! + probs[i * 3 + 1]! + probs[i * 3 + 2]!;
  for (let j = 0; j < 3; j++) probs[i * 3 + j]! /= s;
}
const input: SelectionInput = {
  features: { data: randomArray(n * 6, 13), rows: n, cols: 6 },
  probs: { data: probs, rows: n, cols: classes },
  labels,
};

for (const method of METHODS) {
  Deno.test(`${method.name}: budget, uniqueness, balance, seeds, scores`, async () => {
    const full = method.name === "Full";
    for (const budget of full ? [n] : [0, 1, 17, n]) {
      const { indices, scores } = await method.select(input, { budget, seed: 5 });
      assert.equal(indices.length, budget);
      assert.equal(new Set(indices).size, budget, "no duplicates");
      assert.ok(indices.every((i) => i >= 0 && i < n), "indices in range");
      if (method.scores) {
        assert.equal(scores!.length, budget);
        for (let t = 1; t < budget; t++) assert.ok(scores![t - 1]! <= scores![t]!, "ascending scores");
      }
    }
    if (full) return;
    const balanced = await method.select(input, { fraction: 0.2, balance: true, seed: 5 });
    const want = classBudgets(labels, classes, Math.round(0.2 * n));
    const counts = new Int32Array(classes);
    for (const i of balanced.indices) counts[labels[i]!]!++;
    assert.deepEqual(Array.from(counts), Array.from(want), "per-class counts");
    const again = await method.select(input, { fraction: 0.2, seed: 5 });
    const same = await method.select(input, { fraction: 0.2, seed: 5 });
    assert.deepEqual(Array.from(again.indices), Array.from(same.indices), "same seed, same subset");
    const other = await method.select(input, { fraction: 0.2, seed: 6 });
    assert.equal(
      Array.from(other.indices).join() !== Array.from(again.indices).join(),
      method.random,
      method.random ? "another seed gives another subset" : "deterministic methods ignore the seed",
    );
  });
}

Deno.test("method names match case-insensitively; unknown ones list the valid names", () => {
  assert.equal(findMethod("KCENTERGREEDY").name, "kCenterGreedy");
  assert.throws(() => findMethod("bogus"), /unknown selection method 'bogus' \(valid: Uniform, /);
});

Deno.test("bad options are refused with the option named", async () => {
  const m = findMethod("Uniform");
  await assert.rejects(() => m.select(input, { budget: n + 1 }), /budget/);
  await assert.rejects(() => m.select(input, { fraction: 1.5 }), /fraction/);
  await assert.rejects(
    () => findMethod("Herding").select({ labels }, { budget: 2 }),
    /needs input\.features/,
  );
});
