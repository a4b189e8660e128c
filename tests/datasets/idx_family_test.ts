import assert from "node:assert/strict";
import { join } from "node:path";
import { FASHION_MNIST_SYSTEM_FOLDER, loadFashionMnist } from "../../datasets/fashion_mnist.ts";
import { DatasetFilesError, isFile } from "../../datasets/files.ts";
import { FormatError } from "../../datasets/formats/format_error.ts";
import { writeIdx } from "../../datasets/formats/idx.ts";
import { loadMnist } from "../../datasets/mnist.ts";
import { loadQmnist } from "../../datasets/qmnist.ts";
import { idxPixel, MNIST_NAMES, put, tempDir, writeIdxSet } from "./fixtures.ts";
import { rejectsFormat } from "./formats/fixtures.ts";

const QMNIST_NAMES = {
  trainImages: "qmnist-train-images-idx3-ubyte",
  trainLabels: "qmnist-train-labels-idx2-int",
  testImages: "qmnist-test-images-idx3-ubyte",
  testLabels: "qmnist-test-labels-idx2-int",
};

Deno.test("Fashion-MNIST and QMNIST read plain and gzipped files in the flat and torchvision layouts", async () => {
  await using dir = await tempDir();
  await writeIdxSet(dir.path, MNIST_NAMES, [9, 0, 0, 3], [1, 2, 3], false);
  const fashion = await loadFashionMnist({ dataPath: dir.path });
  assert.equal(fashion.source, dir.path);
  assert.equal(fashion.classNames[9], "Ankle boot");
  assert.deepEqual([...fashion.train.labels], [9, 0, 0, 3]);
  assert.deepEqual([...fashion.test.labels], [1, 2, 3]);
  const pixels = await fashion.train.pixels([2, 0]);
  assert.equal(pixels.length, 2 * 784);
  assert.equal(pixels[5], idxPixel(2, 5));
  assert.equal(pixels[784 + 700], idxPixel(0, 700));

  await writeIdxSet(join(dir.path, "QMNIST", "raw"), QMNIST_NAMES, [7, 7, 1], [0, 4, 2, 8, 9], true, true);
  const q = await loadQmnist({ dataPath: dir.path });
  assert.equal(q.source, join(dir.path, "QMNIST", "raw"));
  assert.deepEqual([...q.train.labels], [7, 7, 1]);
  assert.deepEqual([...q.test.labels], [0, 4, 2, 8, 9]);
  assert.deepEqual(q.mean, [0.1308]);
});

Deno.test("missing files: the error lists the expected names and every folder searched", async () => {
  await using dir = await tempDir();
  const e = await loadQmnist({ dataPath: dir.path }).then(() => undefined, (e) => e);
  assert.ok(e instanceof DatasetFilesError, String(e));
  for (const name of Object.values(QMNIST_NAMES)) assert.ok(e.message.includes(name), e.message);
  for (const f of ["QMNIST/raw", "QMNIST", "qmnist"]) {
    assert.ok(e.message.includes(join(dir.path, f)), e.message);
  }
  assert.ok(!e.message.includes("\n"));

  // some files present: the error names the folder, what is there and what is missing
  await put(
    join(dir.path, "FashionMNIST", "raw", "train-images-idx3-ubyte.gz"),
    new Uint8Array([0x1f, 0x8b]),
  );
  if (!(await isFile(join(FASHION_MNIST_SYSTEM_FOLDER, "train-images-idx3-ubyte.gz")))) {
    const f = await loadFashionMnist({ dataPath: dir.path }).then(() => undefined, (e) => e);
    assert.ok(f instanceof DatasetFilesError);
    assert.match(
      f.message,
      /FashionMNIST\/raw has train-images-idx3-ubyte\.gz but not train-labels-idx1-ubyte/,
    );
  }
});

Deno.test("damaged files are FormatErrors with file and offset; a count mismatch names both files", async () => {
  await using dir = await tempDir();
  await writeIdxSet(dir.path, MNIST_NAMES, [1, 2, 3], [4, 5], false);
  const images = join(dir.path, MNIST_NAMES.trainImages);
  const full = await Deno.readFile(images);
  await Deno.writeFile(images, full.subarray(0, full.length - 100));
  const e = await rejectsFormat(() => loadMnist({ dataPath: dir.path }), /truncated/);
  assert.equal(e.file, images);
  assert.equal(e.offset, full.length - 100);

  await Deno.writeFile(images, full);
  const labels = join(dir.path, MNIST_NAMES.testLabels);
  await Deno.writeFile(labels, writeIdx({ dtype: "uint8", dims: [3], data: new Uint8Array([1, 2, 3]) }));
  const m = await rejectsFormat(() => loadMnist({ dataPath: dir.path }), /as many images as/);
  assert.ok(m.message.includes(join(dir.path, MNIST_NAMES.testImages)), m.message);
  assert.ok(m.message.includes(labels), m.message);

  // a corrupt gzip stream
  await Deno.writeFile(labels, new Uint8Array([0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3, 1, 2, 3]));
  await Deno.rename(labels, `${labels}.gz`);
  const g = await rejectsFormat(() => loadMnist({ dataPath: dir.path }), /gzip/);
  assert.equal(g.file, `${labels}.gz`);
  assert.ok(g instanceof FormatError);
});

Deno.test({
  name: "Debian's Fashion-MNIST: 60000/10000, 6000 and 1000 per class, the known first labels",
  ignore: !(await isFile(join(FASHION_MNIST_SYSTEM_FOLDER, "train-labels-idx1-ubyte.gz"))),
  async fn() {
    const fashion = await loadFashionMnist();
    assert.equal(fashion.source, FASHION_MNIST_SYSTEM_FOLDER);
    assert.deepEqual([fashion.train.count, fashion.test.count], [60000, 10000]);
    assert.deepEqual([...fashion.train.labels.slice(0, 10)], [9, 0, 0, 3, 0, 2, 7, 2, 5, 5]);
    const count = (labels: Int32Array) => labels.reduce((h, l) => (h[l]++, h), new Array(10).fill(0));
    assert.deepEqual(count(fashion.train.labels), new Array(10).fill(6000));
    assert.deepEqual(count(fashion.test.labels), new Array(10).fill(1000));
  },
});
