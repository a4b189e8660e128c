import assert from "node:assert/strict";
import {
  CIFAR_IMAGE_BYTES,
  concatCifar,
  readCifar10,
  readCifar100,
} from "../../../datasets/formats/cifar.ts";
import { cifarBytes, throwsFormat } from "./fixtures.ts";

function expectedPixels(count: number): Uint8Array {
  return Uint8Array.from({ length: count * CIFAR_IMAGE_BYTES }, (_, k) => {
    const i = Math.floor(k / CIFAR_IMAGE_BYTES);
    return (i * 7 + (k % CIFAR_IMAGE_BYTES)) & 255;
  });
}

Deno.test("readCifar10: labels and pixels as stored (CHW planes)", () => {
  const bytes = cifarBytes([6, 9, 9]);
  const batch = readCifar10(bytes, "data_batch_1.bin", { count: 3 });
  assert.equal(batch.count, 3);
  assert.deepEqual(batch.labels, new Uint8Array([6, 9, 9]));
  assert.equal(batch.coarseLabels, undefined);
  assert.deepEqual(batch.pixels, expectedPixels(3));
  // Record 1's green plane starts 1024 bytes after its first pixel, i.e. file byte 3073 + 1 + 1024.
  assert.equal(batch.pixels[3072 + 1024], bytes[3073 + 1 + 1024]);
});

Deno.test("readCifar100: fine labels, coarse labels, pixels", () => {
  const batch = readCifar100(cifarBytes([99, 0], [19, 4]), "train.bin");
  assert.deepEqual(batch.labels, new Uint8Array([99, 0]));
  assert.deepEqual(batch.coarseLabels, new Uint8Array([19, 4]));
  assert.deepEqual(batch.pixels, expectedPixels(2));
});

Deno.test("readCifar10: a truncated batch gives the style guide's message", () => {
  throwsFormat(
    () => readCifar10(new Uint8Array(5000), "cifar-10-batches-bin/data_batch_3.bin", { count: 10000 }),
    /^cifar-10-batches-bin\/data_batch_3\.bin: expected 30730000 bytes \(10000 records of 3073\), found 5000 — the file is truncated; download it again\.$/,
  );
  throwsFormat(
    () => readCifar10(cifarBytes([1, 2]), "b", { count: 1 }),
    /^b: expected 3073 bytes .* found 6146 — the file is longer than a batch/,
  );
});

Deno.test("readCifar: partial records, empty files, labels out of range", () => {
  throwsFormat(
    () => readCifar10(new Uint8Array(5000), "b"),
    /^b at byte 3073: expected a whole number \(at least 1\) of 3073-byte records, found 5000 bytes \(1 record and 1927 bytes\) — the file is truncated/,
  );
  throwsFormat(() => readCifar10(new Uint8Array(0), "b"), /found 0 bytes .* the file is empty/);
  throwsFormat(() => readCifar100(cifarBytes([1, 2]), "c100"), /^c100 at byte 3074: expected a whole number/);
  const e = throwsFormat(
    () => readCifar10(cifarBytes([3, 10]), "b"),
    /^b at byte 3073: expected a label 0–9, found 10 in record 1 — .*10 vs 100/,
  );
  assert.equal(e.offset, 3073);
  throwsFormat(
    () => readCifar100(cifarBytes([5, 100], [1, 2]), "c"),
    /^c at byte 3075: expected a fine label 0–99, found 100 in record 1/,
  );
  throwsFormat(
    () => readCifar100(cifarBytes([5], [20]), "c"),
    /^c at byte 0: expected a coarse label 0–19, found 20 in record 0/,
  );
});

Deno.test("concatCifar: batches in order", () => {
  const a = readCifar100(cifarBytes([1, 2], [3, 4]), "a");
  const b = readCifar100(cifarBytes([5], [6]), "b");
  const all = concatCifar([a, b]);
  assert.equal(all.count, 3);
  assert.deepEqual(all.labels, new Uint8Array([1, 2, 5]));
  assert.deepEqual(all.coarseLabels, new Uint8Array([3, 4, 6]));
  assert.deepEqual(all.pixels.subarray(2 * 3072), b.pixels);
  const plain = concatCifar([readCifar10(cifarBytes([1]), "x"), readCifar10(cifarBytes([2]), "y")]);
  assert.equal(plain.coarseLabels, undefined);
  assert.deepEqual(plain.labels, new Uint8Array([1, 2]));
});
