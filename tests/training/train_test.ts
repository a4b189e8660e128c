import assert from "node:assert/strict";
import { ready } from "../../kernels/runtime/runtime.ts";
import { upload } from "../../kernels/runtime/tensor.ts";
import { createModel } from "../../models/registry.ts";
import type { LabeledImages } from "../../training/data.ts";
import { Optimizer } from "../../training/optimizer.ts";
import { evaluate, trainEpoch } from "../../training/train.ts";
import { testRandom } from "../kernels/util.ts";

await ready();

/** Three Gaussian blobs in 4-D, shaped as 1×2×2 images. */
function blobs(n: number, seed: number): LabeledImages {
  const r = testRandom(seed);
  const gauss = () => Math.sqrt(-2 * Math.log(1 - r())) * Math.cos(2 * Math.PI * r());
  const labels = Int32Array.from({ length: n }, (_, i) => i % 3);
  const x = Float32Array.from({ length: n * 4 }, (_, j) => {
    const c = labels[Math.floor(j / 4)]!, d = j % 4;
    return (d === c ? 3 : 0) + 0.7 * gauss();
  });
  return {
    count: n,
    labels,
    images: (idx) => {
      const out = new Float32Array(idx.length * 4);
      Array.from(idx).forEach((i, k) => out.set(x.subarray(4 * i, 4 * i + 4), 4 * k));
      return upload(out, [idx.length, 1, 2, 2]);
    },
  };
}

Deno.test("an MLP learns separable blobs; the same seed repeats the run exactly", async () => {
  const run = async () => {
    const train = blobs(300, 1), test = blobs(150, 2);
    const model = createModel("MLP", { channels: 1, imageSize: [2, 2], numClasses: 3, seed: 3 });
    const optimizer = new Optimizer(model.params);
    let iteration = 0;
    const history = [];
    for (let epoch = 0; epoch < 6; epoch++) {
      const stats = await trainEpoch(model, train, optimizer, {
        batchSize: 32,
        lr: () => 0.05,
        iteration,
        seed: 9,
        epoch,
        quiet: true,
      });
      iteration += Math.ceil(300 / 32);
      history.push(stats.loss);
    }
    return { history, test: await evaluate(model, test, 64) };
  };
  const a = await run();
  assert.ok(a.history.at(-1)! < a.history[0]!, `loss fell: ${a.history}`);
  assert.ok(a.test.accuracy > 0.9, `test accuracy ${a.test.accuracy}`);
  assert.equal(a.test.samples, 150);
  const b = await run();
  assert.deepEqual(b.history, a.history);
});

Deno.test("a weight of 2 counts like a sample seen twice (loss = Σwℓ / Σw)", async () => {
  const train = blobs(30, 4);
  const step = async (indices: number[], weights?: number[]) => {
    const model = createModel("MLP", { channels: 1, imageSize: [2, 2], numClasses: 3, seed: 5 });
    await trainEpoch(
      model,
      train,
      new Optimizer(model.params, { weightDecay: 0, momentum: 0, nesterov: false }),
      {
        indices: Int32Array.from(indices),
        ...(weights && { weights: Float32Array.from(weights) }),
        batchSize: 8,
        lr: () => 0.5,
        iteration: 0,
        seed: 0,
        epoch: 0,
        shuffle: false,
        quiet: true,
      },
    );
    return await model.params[0]!.value.data();
  };
  const weighted = await step([3, 7, 11], [2, 1, 1]);
  const repeated = await step([3, 3, 7, 11]);
  const untouched = await step([3, 7, 11]);
  let diff = 0, moved = 0;
  for (let i = 0; i < weighted.length; i++) {
    diff = Math.max(diff, Math.abs(weighted[i]! - repeated[i]!));
    moved = Math.max(moved, Math.abs(weighted[i]! - untouched[i]!));
  }
  assert.ok(diff < 1e-6, `weighted vs repeated differ by ${diff}`);
  assert.ok(moved > 1e-4, "the weights change the step");
});
