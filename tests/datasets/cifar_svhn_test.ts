import assert from "node:assert/strict";
import { join } from "node:path";
import { loadCifar10 } from "../../datasets/cifar10.ts";
import { loadCifar100 } from "../../datasets/cifar100.ts";
import { DatasetFilesError } from "../../datasets/files.ts";
import { loadSvhn } from "../../datasets/svhn.ts";
import { prepareBatchReference } from "../../kernels/augment.ts";
import { ready } from "../../kernels/runtime/runtime.ts";
import { readAll } from "../../kernels/runtime/tensor.ts";
import { cifarPickle, cifarPixel, put, tempDir } from "./fixtures.ts";
import { cifarBytes, rejectsFormat, svhnMat, svhnPixel } from "./formats/fixtures.ts";

await ready();

const BATCHES = ["data_batch_1", "data_batch_2", "data_batch_3", "data_batch_4", "data_batch_5"];

/** CIFAR-10 binary batches: batch b holds 2 records labelled 2b and 2b+1 (mod 10). */
async function cifar10Binary(folder: string) {
  for (const [b, name] of BATCHES.entries()) {
    await put(join(folder, `${name}.bin`), cifarBytes([(2 * b) % 10, (2 * b + 1) % 10]));
  }
  await put(join(folder, "test_batch.bin"), cifarBytes([3, 8, 8]));
}

Deno.test("CIFAR-10 binary: batches 1..5 concatenated in order, test_batch as test, pixels planar", async () => {
  await using dir = await tempDir();
  await cifar10Binary(join(dir.path, "cifar-10-batches-bin"));
  const ds = await loadCifar10({ dataPath: dir.path });
  assert.equal(ds.source, dir.path);
  assert.deepEqual([...ds.train.labels], [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  assert.deepEqual([...ds.test.labels], [3, 8, 8]);
  // record 1 of batch 3 is sample 5; the fixture's pixel j of a file's record i is (7i + j) & 255
  const px = await ds.train.pixels([5]);
  assert.deepEqual([...px.slice(0, 3)], [7, 8, 9]);
  assert.equal(px[3071], (7 + 3071) & 255);
});

Deno.test("CIFAR-10 and CIFAR-100 in torchvision's Python layout (pickles), also under <data_path>/CIFAR10", async () => {
  await using dir = await tempDir();
  const py = join(dir.path, "CIFAR10", "cifar-10-batches-py");
  for (const [b, name] of BATCHES.entries()) {
    await put(join(py, name), cifarPickle({ labels: [b, 9 - b] }, 2 * b));
  }
  await put(join(py, "test_batch"), cifarPickle({ labels: [1, 2, 3] }, 100));
  const c10 = await loadCifar10({ dataPath: dir.path });
  assert.equal(c10.source, join(dir.path, "CIFAR10"));
  assert.deepEqual([...c10.train.labels], [0, 9, 1, 8, 2, 7, 3, 6, 4, 5]);
  const px = await c10.train.pixels([7, 0]);
  assert.equal(px[10], cifarPixel(7, 10));
  assert.equal(px[3072 + 3000], cifarPixel(0, 3000));
  assert.deepEqual([...(await c10.test.pixels([2])).slice(0, 2)], [cifarPixel(102, 0), cifarPixel(102, 1)]);

  const c100dir = join(dir.path, "cifar-100-python");
  await put(join(c100dir, "train"), cifarPickle({ fine_labels: [99, 0, 42], coarse_labels: [19, 4, 1] }));
  await put(join(c100dir, "test"), cifarPickle({ fine_labels: [5], coarse_labels: [0] }));
  const c100 = await loadCifar100({ dataPath: dir.path });
  assert.deepEqual([...c100.train.labels], [99, 0, 42]);
  assert.equal(c100.classNames[99], "worm");
  assert.equal(c100.classCount, 100);
});

Deno.test("CIFAR-100 binary: the fine label of each record", async () => {
  await using dir = await tempDir();
  const bin = join(dir.path, "cifar-100-binary");
  await put(join(bin, "train.bin"), cifarBytes([99, 3, 50], [19, 0, 7]));
  await put(join(bin, "test.bin"), cifarBytes([12], [3]));
  const ds = await loadCifar100({ dataPath: bin });
  assert.deepEqual([...ds.train.labels], [99, 3, 50]);
  assert.deepEqual([...ds.test.labels], [12]);
});

Deno.test("CIFAR GPU batches: normalised and, for training, cropped and flipped like the reference", async () => {
  await using dir = await tempDir();
  await cifar10Binary(join(dir.path, "cifar-10-batches-bin"));
  const ds = await loadCifar10({ dataPath: dir.path });
  const ids = [9, 2, 2, 5];
  const bytes = await ds.train.pixels(ids);
  const options = { mean: ds.mean, std: ds.std };
  for (const augment of [undefined, { seed: 17, stream: 4 }]) {
    const [x] = await readAll([await ds.train.images(ids, augment ? { augment } : {})]);
    const want = prepareBatchReference(
      bytes,
      [4, 3, 32, 32],
      ids,
      augment ? { ...options, augment } : options,
    );
    for (let i = 0; i < want.length; i++) assert.ok(Math.abs(x![i]! - want[i]!) <= 1e-6, `element ${i}`);
    if (!augment) {
      for (let i = 0; i < want.length; i += 97) {
        const c = Math.floor(i / 1024) % 3;
        assert.ok(Math.abs(x![i]! - (bytes[i]! / 255 - ds.mean[c]!) / ds.std[c]!) <= 1e-6);
      }
    }
  }
  await assert.rejects(() => ds.train.images([10]), RangeError);
});

Deno.test("CIFAR errors: missing layout, damaged batch, python batch of the wrong version", async () => {
  await using dir = await tempDir();
  const e = await loadCifar10({ dataPath: dir.path }).then(() => undefined, (e) => e);
  assert.ok(e instanceof DatasetFilesError);
  assert.match(e.message, /cifar-10-batches-bin\/\{data_batch_1\.bin.*cifar-10-batches-py\/\{data_batch_1/);
  const bin = join(dir.path, "cifar-10-batches-bin");
  await cifar10Binary(bin);
  await Deno.writeFile(join(bin, "data_batch_4.bin"), cifarBytes([1, 2]).subarray(0, 5000));
  const f = await rejectsFormat(() => loadCifar10({ dataPath: dir.path }), /3073-byte records/);
  assert.equal(f.file, join(bin, "data_batch_4.bin"));

  await using dir2 = await tempDir();
  const py = join(dir2.path, "cifar-100-python");
  await put(join(py, "train"), cifarPickle({ labels: [1] }));
  await put(join(py, "test"), cifarPickle({ labels: [1] }));
  await rejectsFormat(() => loadCifar100({ dataPath: dir2.path }), /'fine_labels'/);
  await Deno.writeFile(
    join(py, "train"),
    cifarPickle({ fine_labels: [1], coarse_labels: [2] }).subarray(0, 900),
  );
  await rejectsFormat(() => loadCifar100({ dataPath: dir2.path }), /truncated/);
});

Deno.test("SVHN: .mat files in --data_path, label 10 read as digit 0, planes transposed to row-major", async () => {
  await using dir = await tempDir();
  await put(join(dir.path, "train_32x32.mat"), await svhnMat([10, 1, 5], { compressed: true }));
  await put(join(dir.path, "test_32x32.mat"), await svhnMat([3, 10]));
  const ds = await loadSvhn({ dataPath: dir.path });
  assert.deepEqual([...ds.train.labels], [0, 1, 5]);
  assert.deepEqual([...ds.test.labels], [3, 0]);
  const px = await ds.train.pixels([2]);
  // pixel [n = 2, ch = 1, r = 4, c = 9] = X(4, 9, 1, 2)
  assert.equal(px[1024 + 4 * 32 + 9], svhnPixel(4, 9, 1, 2));
  await Deno.remove(join(dir.path, "test_32x32.mat"));
  const e = await loadSvhn({ dataPath: dir.path }).then(() => undefined, (e) => e);
  assert.ok(e instanceof DatasetFilesError);
  assert.match(e.message, /has train_32x32\.mat but not test_32x32\.mat/);
});
