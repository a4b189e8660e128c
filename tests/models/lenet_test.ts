import assert from "node:assert/strict";
import { ready } from "../../kernels/runtime/runtime.ts";
import { createModel } from "../../models/registry.ts";
import { randomArray } from "../kernels/util.ts";
import { gradCheck } from "./gradcheck.ts";

await ready();

Deno.test("LeNet parameter counts equal DeepCore's", () => {
  const count = (channels: number, size: number, numClasses: number) =>
    createModel("LeNet", { channels, imageSize: [size, size], numClasses, seed: 0 }).parameterCount;
  assert.equal(count(1, 28, 10), 61706);
  assert.equal(count(3, 32, 10), 62006);
  assert.equal(count(3, 32, 100), 69656);
  assert.equal(count(3, 224, 1000), 5491436);
});

Deno.test("LeNet: whole-network gradients match finite differences", async () => {
  // the smallest input that survives both 5×5 convolutions and pools: 1×12×12 → 16×1×1
  const model = createModel("LeNet", { channels: 1, imageSize: [12, 12], numClasses: 3, seed: 4 });
  await gradCheck(model, randomArray(3 * 144, 2), [3, 1, 12, 12], Int32Array.from([0, 2, 1]), 4);
});
