import assert from "node:assert/strict";
import { join } from "node:path";
import { loadCustomDataset } from "../../datasets/custom.ts";
import { DatasetFilesError } from "../../datasets/files.ts";
import { writeNpy } from "../../datasets/formats/npy.ts";
import { ready } from "../../kernels/runtime/runtime.ts";
import { readAll } from "../../kernels/runtime/tensor.ts";
import { png, put, tempDir } from "./fixtures.ts";
import { rejectsFormat } from "./formats/fixtures.ts";

await ready();

Deno.test("custom .npy: N×C×H×W uint8, N×H×W×C float in [0, 1], class names, computed mean/std", async () => {
  await using dir = await tempDir();
  // 2 images, 3 channels, 2×2: channel c of image i, pixel p = 10·i + 3·c + p
  const nchw = Uint8Array.from(
    { length: 24 },
    (_, k) => 10 * Math.floor(k / 12) + 3 * Math.floor((k % 12) / 4) + (k % 4),
  );
  await put(join(dir.path, "train_images.npy"), writeNpy(nchw, [2, 3, 2, 2]));
  await put(join(dir.path, "train_labels.npy"), writeNpy(new BigInt64Array([2n, 0n]), [2]));
  // the same two images as N×H×W×C float32 scaled to [0, 1]
  const nhwc = new Float32Array(24);
  for (let i = 0; i < 2; i++) {
    for (let c = 0; c < 3; c++) {
      for (let p = 0; p < 4; p++) nhwc[(i * 4 + p) * 3 + c] = nchw[(i * 3 + c) * 4 + p]! / 255;
    }
  }
  await put(join(dir.path, "test_images.npy"), writeNpy(nhwc, [2, 2, 2, 3]));
  await put(join(dir.path, "test_labels.npy"), writeNpy(new Int32Array([1, 2]), [2, 1]));
  await put(join(dir.path, "classes.txt"), "cat\ndog\nbird\n");
  const ds = await loadCustomDataset(dir.path);
  assert.equal(ds.name, dir.path.split("/").pop());
  assert.deepEqual([ds.channels, ...ds.imageSize, ds.classCount], [3, 2, 2, 3]);
  assert.deepEqual(ds.classNames, ["cat", "dog", "bird"]);
  assert.deepEqual(await ds.test.pixels([0, 1]), nchw);
  assert.deepEqual([...ds.train.labels], [2, 0]);
  for (let c = 0; c < 3; c++) {
    const values = [0, 1, 2, 3, 10, 11, 12, 13].map((v) => (v + 3 * c) / 255);
    const mean = values.reduce((a, b) => a + b) / 8;
    const std = Math.sqrt(values.reduce((a, b) => a + (b - mean) ** 2, 0) / 8);
    assert.ok(Math.abs(ds.mean[c]! - mean) < 1e-12 && Math.abs(ds.std[c]! - std) < 1e-12);
  }
  const [x] = await readAll([await ds.train.images([1])]);
  assert.ok(Math.abs(x![4]! - (13 / 255 - ds.mean[1]!) / ds.std[1]!) <= 1e-6);

  const given = await loadCustomDataset(dir.path, { mean: [0.5], std: [0.25], name: "pets" });
  assert.deepEqual([given.name, given.mean, given.std], ["pets", [0.5], [0.25]]);
});

Deno.test("custom .npy errors: count mismatch names both files; values outside [0, 255]; shapes", async () => {
  await using dir = await tempDir();
  await put(join(dir.path, "train_images.npy"), writeNpy(new Uint8Array(8), [2, 2, 2]));
  await put(join(dir.path, "train_labels.npy"), writeNpy(new Int32Array([0, 1, 1])));
  await put(join(dir.path, "test_images.npy"), writeNpy(new Uint8Array(4), [1, 2, 2]));
  await put(join(dir.path, "test_labels.npy"), writeNpy(new Int32Array([0])));
  const e = await rejectsFormat(() => loadCustomDataset(dir.path), /as many images as/);
  assert.ok(e.message.includes(join(dir.path, "train_images.npy")) && e.message.includes("train_labels.npy"));
  await put(join(dir.path, "train_labels.npy"), writeNpy(new Int32Array([0, 1])));
  await put(join(dir.path, "test_images.npy"), writeNpy(new Float32Array([0, 300, 1, 2]), [1, 2, 2]));
  await rejectsFormat(() => loadCustomDataset(dir.path), /values from 0 to 300/);
  await put(join(dir.path, "test_images.npy"), writeNpy(new Uint8Array(9), [1, 3, 3]));
  await rejectsFormat(() => loadCustomDataset(dir.path), /images of 1×2×2/);
  await using empty = await tempDir();
  const m = await loadCustomDataset(empty.path).then(() => undefined, (e) => e);
  assert.ok(m instanceof DatasetFilesError);
  assert.match(m.message, /train_images\.npy.*train\/<class>/);
});

Deno.test("custom image folders: PNG classes, test/ mapped to train's classes, resize and statistics", async () => {
  await using dir = await tempDir();
  const solid = (v: number) =>
    new Uint8ClampedArray([v, v, v, 255, v, v, v, 255, v, v, v, 255, v, v, v, 255]);
  await put(join(dir.path, "train", "b", "1.png"), await png(2, 2, solid(200)));
  await put(join(dir.path, "train", "a", "x.png"), await png(2, 2, solid(100)));
  await put(join(dir.path, "train", "a", "y.txt"), "not an image");
  await put(join(dir.path, "test", "b", "z.png"), await png(2, 2, solid(50)));
  const ds = await loadCustomDataset(dir.path, { workers: 0 });
  try {
    assert.deepEqual(ds.classNames, ["a", "b"]);
    assert.deepEqual([...ds.train.labels], [0, 1]);
    assert.deepEqual([...ds.test.labels], [1]);
    assert.deepEqual([...ds.imageSize], [2, 2]);
    assert.ok(Math.abs(ds.mean[0]! - 150 / 255) < 1e-12 && Math.abs(ds.std[0]! - 50 / 255) < 1e-12);
    assert.deepEqual([...(await ds.test.pixels([0]))], new Array(12).fill(50));
  } finally {
    ds.close();
  }
  const grey = await loadCustomDataset(dir.path, {
    workers: 0,
    channels: 1,
    imageSize: [4, 3],
    mean: [0],
    std: [1],
  });
  try {
    assert.deepEqual([...(await grey.train.pixels([1]))], new Array(12).fill(200));
  } finally {
    grey.close();
  }
  await put(join(dir.path, "test", "c", "w.png"), await png(2, 2, solid(1)));
  await assert.rejects(() => loadCustomDataset(dir.path), /does not have \(c\)/);
});
