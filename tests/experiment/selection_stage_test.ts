import assert from "node:assert/strict";
import * as tf from "npm:@tensorflow/tfjs-core@4.22.0";
import { collapseCheck } from "../../experiment/selection_stage.ts";
import { ready } from "../../kernels/runtime/runtime.ts";
import { upload } from "../../kernels/runtime/tensor.ts";
import { randomArray } from "../kernels/util.ts";

await ready();

function features(embeddings: Float32Array, probs: Float32Array, n: number) {
  return {
    embeddings: upload(embeddings, [n, embeddings.length / n]),
    probs: upload(probs, [n, probs.length / n]),
  };
}

Deno.test("collapseCheck: dead ReLUs or one probability vector for every sample is a collapse", async () => {
  const n = 300, d = 84, c = 10;
  const live = randomArray(n * d, 7).map((v) => Math.max(0, v)); // ReLU outputs
  const probs = randomArray(n * c, 8, 0, 1);
  const constantProbs = Float32Array.from({ length: n * c }, (_, i) => 0.05 + 0.01 * (i % c));
  const cases = [
    { name: "trained", f: features(live, probs, n), collapsed: false },
    { name: "all embeddings 0", f: features(new Float32Array(n * d), constantProbs, n), collapsed: true },
    { name: "same probabilities", f: features(live, constantProbs, n), collapsed: true },
  ];
  for (const { name, f, collapsed } of cases) {
    const check = await collapseCheck(f);
    assert.equal(check.collapsed, collapsed, `${name}: ${JSON.stringify(check)}`);
    // the spreads are the largest column ranges, computed here on the CPU
    const [e, p] = [await f.embeddings.data(), await f.probs.data()];
    const spread = (x: ArrayLike<number>, cols: number) => {
      let widest = 0;
      for (let j = 0; j < cols; j++) {
        let hi = -Infinity, lo = Infinity;
        for (let i = 0; i < n; i++) {
          (hi = Math.max(hi, x[i * cols + j]!)), (lo = Math.min(lo, x[i * cols + j]!));
        }
        widest = Math.max(widest, hi - lo);
      }
      return widest;
    };
    assert.equal(check.embeddingSpread, spread(e, d), name);
    assert.ok(Math.abs(check.probsSpread - spread(p, c)) < 1e-7, name);
    tf.dispose([f.embeddings, f.probs]);
  }
});
