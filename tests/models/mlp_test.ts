import assert from "node:assert/strict";
import { ready } from "../../kernels/runtime/runtime.ts";
import { readAll, upload } from "../../kernels/runtime/tensor.ts";
import { loadModel, saveModel } from "../../models/checkpoint.ts";
import { createModel } from "../../models/registry.ts";
import { randomArray } from "../kernels/util.ts";
import { gradCheck } from "./gradcheck.ts";

await ready();

Deno.test("MLP parameter counts equal DeepCore's", () => {
  const count = (channels: number, size: number, numClasses: number) =>
    createModel("MLP", { channels, imageSize: [size, size], numClasses, seed: 0 }).parameterCount;
  assert.equal(count(1, 28, 10), 118282);
  assert.equal(count(3, 32, 10), 411146);
  assert.equal(count(3, 32, 100), 422756);
});

Deno.test("MLP: whole-network gradients match finite differences", async () => {
  const model = createModel("MLP", { channels: 1, imageSize: [3, 3], numClasses: 4, seed: 7 });
  await gradCheck(model, randomArray(5 * 9, 1), [5, 1, 3, 3], Int32Array.from([0, 3, 1, 2, 3]));
});

Deno.test("the same seed builds the same weights; another seed other weights", async () => {
  const spec = { channels: 1, imageSize: [4, 4] as [number, number], numClasses: 3, seed: 1 };
  const a = await createModel("MLP", spec).params[0]!.value.data();
  const b = await createModel("MLP", spec).params[0]!.value.data();
  const c = await createModel("MLP", { ...spec, seed: 2 }).params[0]!.value.data();
  assert.deepEqual(a, b);
  assert.notDeepEqual(a, c);
});

Deno.test("weights survive a save and a load; a wrong checkpoint is refused by name", async () => {
  const spec = { channels: 1, imageSize: [4, 4] as [number, number], numClasses: 3, seed: 1 };
  const dir = await Deno.makeTempDir();
  const a = createModel("MLP", spec);
  await saveModel(a, `${dir}/a.safetensors`, { epoch: "2" });
  const b = createModel("MLP", { ...spec, seed: 2 });
  assert.deepEqual(await loadModel(b, `${dir}/a.safetensors`), { model: "MLP", epoch: "2" });
  for (const [i, p] of a.params.entries()) {
    assert.deepEqual(await b.params[i]!.value.data(), await p.value.data());
  }
  const other = createModel("MLP", { ...spec, numClasses: 5 });
  await assert.rejects(
    () => loadModel(other, `${dir}/a.safetensors`),
    /'fc3.weight' has shape \[3,128\], the model expects \[5,128\]/,
  );
});

Deno.test("last-layer gradient features are the per-sample bias and weight gradients of the head", async () => {
  const model = createModel("MLP", { channels: 1, imageSize: [2, 3], numClasses: 4, seed: 2 });
  const x = upload(Float32Array.from({ length: 3 * 6 }, (_, i) => Math.sin(i)), [3, 1, 2, 3]);
  const labels = Int32Array.of(1, 0, 3);
  const g = model.lastLayerGradients(x, labels);
  const [logits, e, gz, gw] = await readAll([g.logits, g.embedding, g.logitGrads, g.weightGrads]);
  const D = model.embeddingDim;
  for (let i = 0; i < 3; i++) {
    const z = Array.from(logits!.subarray(4 * i, 4 * i + 4));
    const m = Math.max(...z), s = z.reduce((a, v) => a + Math.exp(v - m), 0);
    for (let c = 0; c < 4; c++) {
      const want = Math.exp(z[c]! - m) / s - (c === labels[i] ? 1 : 0);
      assert.ok(Math.abs(gz![4 * i + c]! - want) < 1e-6, `dℓ/dz[${i},${c}]`);
      for (const k of [0, 7, D - 1]) {
        assert.ok(
          Math.abs(gw![(4 * i + c) * D + k]! - want * e![i * D + k]!) < 1e-6,
          `dℓ/dW[${i},${c},${k}]`,
        );
      }
    }
  }
});
