import assert from "node:assert/strict";
import { ready } from "../../kernels/runtime/runtime.ts";
import { readAll, upload } from "../../kernels/runtime/tensor.ts";
import { type UncertaintyKind, uncertaintyScores, uncertaintyScoresReference } from "../../kernels/scores.ts";
import { assertClose, randomArray } from "./util.ts";

await ready();

function randomProbs(n: number, c: number, seed: number): Float32Array {
  const p = randomArray(n * c, seed, 0, 1);
  for (let i = 0; i < n; i++) {
    const row = p.subarray(i * c, (i + 1) * c);
    const s = row.reduce((a, b) => a + b, 0);
    row.forEach((v, j) => (row[j] = v / s));
  }
  return p;
}

Deno.test("uncertainty scores match the reference", async () => {
  for (const [n, c] of [[1, 2], [65, 10], [300, 3]]) {
    const p = randomProbs(n, c, n + c);
    p[0] = 0; // a zero probability counts 0 in the entropy
    for (const kind of ["LeastConfidence", "Entropy", "Margin"] as UncertaintyKind[]) {
      const [got] = await readAll([uncertaintyScores(upload(p, [n, c]), kind)]);
      assertClose(got!, uncertaintyScoresReference(p, c, kind), { atol: 1e-6, rtol: 1e-5, what: kind });
    }
  }
});

Deno.test("margin needs two classes", () => {
  assert.throws(() => uncertaintyScores(upload(new Float32Array(3), [3, 1]), "Margin"), /at least 2 classes/);
});
