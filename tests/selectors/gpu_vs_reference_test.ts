/**
 * Each GPU selector picks what its plain TypeScript reference picks, on random inputs (float32 on the GPU
 * against float64 in the references: random inputs have no near-ties at these sizes).
 */
import assert from "node:assert/strict";
import { ready } from "../../kernels/runtime/runtime.ts";
import { upload } from "../../kernels/runtime/tensor.ts";
import { contextualDiversity } from "../../selectors/contextual_diversity.ts";
import { herding } from "../../selectors/herding.ts";
import { submodular } from "../../selectors/submodular.ts";
import { kCenterGreedy } from "../../selectors/k_center_greedy.ts";
import * as reference from "../../selectors/reference/mod.ts";
import type { Matrix, SelectionOptions, SelectionResult } from "../../selectors/types.ts";
import { entropy, leastConfidence, margin } from "../../selectors/uncertainty.ts";
import { uniform } from "../../selectors/uniform.ts";
import { randomArray, testRandom } from "../kernels/util.ts";

await ready();

function matrix(rows: number, cols: number, seed: number): Matrix {
  return { data: randomArray(rows * cols, seed), rows, cols };
}

function probs(rows: number, cols: number, seed: number): Matrix {
  const m = matrix(rows, cols, seed);
  for (let i = 0; i < rows; i++) {
    const row = m.data.subarray(i * cols, (i + 1) * cols).map(Math.exp);
    const s = row.reduce((a, b) => a + b, 0);
    m.data.set(row.map((v) => v / s), i * cols);
  }
  return m;
}

function labels(n: number, classes: number, seed: number): Int32Array {
  const r = testRandom(seed);
  return Int32Array.from({ length: n }, () => Math.floor(r() * classes));
}

const OPTIONS: SelectionOptions[] = [
  { budget: 0 },
  { budget: 1, seed: 3 },
  { fraction: 0.1, seed: 1 },
  { fraction: 0.25, balance: true, seed: 2 },
  { fraction: 1 },
];

function assertSame(got: SelectionResult, want: SelectionResult, what: string) {
  assert.deepEqual(Array.from(got.indices), Array.from(want.indices), what);
  if (want.scores) {
    got.scores!.forEach((s, i) => assert.ok(Math.abs(s - want.scores![i]!) <= 1e-5, `${what}: score ${i}`));
  }
}

Deno.test("feature methods: GPU picks equal the reference's", async () => {
  const input = { features: matrix(240, 12, 1), labels: labels(240, 4, 2) };
  for (const options of OPTIONS) {
    const what = JSON.stringify(options);
    assertSame(
      await kCenterGreedy(input, options),
      reference.kCenterGreedy(input, options),
      `kCenter ${what}`,
    );
    assertSame(await herding(input, options), reference.herding(input, options), `herding ${what}`);
  }
});

Deno.test("probability methods: GPU picks and scores equal the reference's", async () => {
  const input = { probs: probs(300, 10, 5), labels: labels(300, 3, 6) };
  for (const options of OPTIONS) {
    const what = JSON.stringify(options);
    assertSame(
      await leastConfidence(input, options),
      reference.leastConfidence(input, options),
      `LC ${what}`,
    );
    assertSame(await entropy(input, options), reference.entropy(input, options), `entropy ${what}`);
    assertSame(await margin(input, options), reference.margin(input, options), `margin ${what}`);
    assertSame(
      await contextualDiversity(input, options),
      reference.contextualDiversity(input, options),
      `CD ${what}`,
    );
  }
});

// LeastConfidence and Margin only: their float32 scores are exact (a max, a correctly rounded difference),
// whereas 3000 entropies computed in float32 and in float64 have near-ties that may order differently
Deno.test("uncertainty on 3000 samples (a radix-selected top-k): picks and scores equal the reference's", async () => {
  const input = { probs: probs(3000, 10, 7), labels: labels(3000, 2, 8) };
  for (const options of [{ fraction: 0.1 }, { budget: 2 }, { fraction: 0.3, balance: true }]) {
    const what = JSON.stringify(options);
    assertSame(
      await leastConfidence(input, options),
      reference.leastConfidence(input, options),
      `LC ${what}`,
    );
    assertSame(await margin(input, options), reference.margin(input, options), `margin ${what}`);
  }
});

Deno.test("Uniform draws exactly the reference's subsets (O(k) instead of a shuffle of n)", async () => {
  for (const n of [1, 7, 1000]) {
    const input = { labels: labels(n, 3, n) };
    for (const options of [...OPTIONS, { budget: n, seed: 9 }, { fraction: 0.5, seed: 2 ** 32 - 1 }]) {
      assertSame(
        await uniform(input, options),
        reference.uniform(input, options),
        `n=${n} ${JSON.stringify(options)}`,
      );
    }
  }
});

Deno.test("a tensor input gives the same picks as the typed-array input", async () => {
  const features = matrix(100, 8, 9);
  const tensor = upload(features.data, [100, 8]);
  const a = await kCenterGreedy({ features }, { budget: 10, seed: 4 });
  const b = await kCenterGreedy({ features: tensor }, { budget: 10, seed: 4 });
  assert.deepEqual(Array.from(b.indices), Array.from(a.indices));
  assert.ok(!tensor.isDisposed, "the caller's tensor is left alone");
  tensor.dispose();
});

Deno.test("submodular functions × optimisers: GPU picks equal the reference's", async () => {
  const input = { features: matrix(120, 10, 21), labels: labels(120, 3, 22) };
  for (const fn of ["GraphCut", "FacilityLocation", "LogDeterminant"] as const) {
    for (
      const greedy of ["NaiveGreedy", "LazyGreedy", "StochasticGreedy", "ApproximateLazyGreedy"] as const
    ) {
      for (const options of [{ budget: 12, seed: 1 }, { fraction: 0.2, balance: true, seed: 2 }]) {
        const o = { ...options, function: fn, greedy };
        assertSame(
          await submodular(input, o),
          reference.submodular(input, o),
          `${fn} ${greedy} ${JSON.stringify(options)}`,
        );
      }
    }
  }
});
