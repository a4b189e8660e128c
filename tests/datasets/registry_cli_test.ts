import assert from "node:assert/strict";
import { join } from "node:path";
import { datasetsCommand } from "../../cli/datasets.ts";
import { type PickleBytes, readPickle } from "../../datasets/formats/pickle.ts";
import { DATASETS, findDataset } from "../../datasets/registry.ts";
import { cifarPickle, MNIST_NAMES, put, tempDir, writeIdxSet } from "./fixtures.ts";
import { cifarBytes, throwsFormat } from "./formats/fixtures.ts";

Deno.test("datasets by DeepCore's names, case-insensitive; unknown names list the valid ones", () => {
  assert.deepEqual(DATASETS.map((d) => d.name), [
    "MNIST",
    "QMNIST",
    "FashionMNIST",
    "SVHN",
    "CIFAR10",
    "CIFAR100",
    "TinyImageNet",
    "ImageNet",
  ]);
  assert.equal(findDataset("fashionmnist").name, "FashionMNIST");
  assert.equal(findDataset("TINYIMAGENET").info.classCount, 200);
  assert.throws(
    () => findDataset("CIFAR-10"),
    /unknown dataset 'CIFAR-10' \(valid: MNIST, QMNIST, .*ImageNet\)/,
  );
  for (const d of DATASETS) {
    assert.equal(d.info.mean.length, d.info.channels);
    assert.equal(d.info.std.length, d.info.channels);
  }
});

Deno.test("the pickle reader: protocol 2 opcodes, memo, Python 3 bytes, and FormatErrors", () => {
  const c = cifarPickle({ labels: [4, 2] });
  const v = readPickle(c, "b") as Map<string, unknown>;
  assert.deepEqual(v.get("labels"), [4, 2]);
  assert.equal((v.get("batch_label") as PickleBytes).text(), "x");
  // {1: (b'ab', True, None, -2, 70000, 1.5)} with _codecs.encode bytes, a memo get and LONG1
  const enc = new TextEncoder();
  const bytes = new Uint8Array([
    0x80,
    2,
    0x7d,
    0x4b,
    1,
    0x28,
    0x63,
    ...enc.encode("_codecs\nencode\n"),
    0x8c,
    2,
    97,
    98,
    0x8c,
    6,
    ...enc.encode("latin1"),
    0x86,
    0x52,
    0x88,
    0x4e,
    0x4a,
    254,
    255,
    255,
    255,
    0x8a,
    3,
    0x70,
    0x11,
    1,
    0x47,
    0x3f,
    0xf8,
    0,
    0,
    0,
    0,
    0,
    0,
    0x74,
    0x94,
    0x73,
    0x2e,
  ]);
  const m = readPickle(bytes, "p") as Map<number, unknown[]>;
  const t = m.get(1)!;
  assert.equal((t[0] as PickleBytes).text(), "ab");
  assert.deepEqual(t.slice(1), [true, null, -2, 70000, 1.5]);
  throwsFormat(() => readPickle(c.subarray(0, 50), "b"), /truncated/);
  throwsFormat(() => readPickle(new Uint8Array([0x80, 2, 0xff]), "b"), /opcode 0xff/);
  throwsFormat(() => readPickle(cifarBytes([1]), "data_batch_1.bin"), /not a pickle file/);
  throwsFormat(() => readPickle(new Uint8Array([0x80, 2, 0x65, 0x2e]), "b"), /mark/);
});

Deno.test("`datasets` lists counts for what it finds and, for the rest, what it looked for", async () => {
  await using dir = await tempDir();
  await writeIdxSet(
    join(dir.path, "QMNIST", "raw"),
    {
      trainImages: "qmnist-train-images-idx3-ubyte",
      trainLabels: "qmnist-train-labels-idx2-int",
      testImages: "qmnist-test-images-idx3-ubyte",
      testLabels: "qmnist-test-labels-idx2-int",
    },
    [1, 2, 3],
    [4, 5],
    true,
    true,
  );
  await writeIdxSet(dir.path, MNIST_NAMES, [1, 2], [3], false);
  await put(join(dir.path, "cifar-100-binary", "train.bin"), cifarBytes([1], [1]));
  const lines: string[] = [];
  const log = console.log;
  console.log = (...args: unknown[]) => lines.push(args.join(" "));
  let code: number;
  try {
    code = await datasetsCommand(["--data_path", dir.path]);
  } finally {
    console.log = log;
  }
  assert.equal(code, 0);
  const row = (name: string) => lines.find((l) => l.startsWith(`${name} `))!;
  assert.match(row("MNIST"), new RegExp(`^MNIST +2 +1 {2}${dir.path}$`));
  assert.match(row("QMNIST"), /^QMNIST +3 +2 {2}.*QMNIST\/raw$/);
  assert.match(
    row("CIFAR100"),
    /^CIFAR100 +- +- {2}.* has cifar-100-binary\/train\.bin but not cifar-100-binary\/test\.bin/,
  );
  assert.match(row("SVHN"), /cannot find train_32x32\.mat, test_32x32\.mat in /);
  assert.match(row("ImageNet"), /train\/<wnid>\/\*\.JPEG/);
  assert.equal(lines.length, 1 + DATASETS.length);
});
