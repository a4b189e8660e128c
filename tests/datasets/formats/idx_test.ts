import assert from "node:assert/strict";
import { readIdx, readIdxImages, readIdxLabels, writeIdx } from "../../../datasets/formats/idx.ts";
import { maybeGunzip } from "../../../datasets/formats/gzip.ts";
import { compress, throwsFormat } from "./fixtures.ts";

Deno.test("readIdx: every element type, big-endian values converted", () => {
  const cases = [
    { code: 0x08, dtype: "uint8", bytes: [0xff, 0x01], values: [255, 1] },
    { code: 0x09, dtype: "int8", bytes: [0xff, 0x01], values: [-1, 1] },
    { code: 0x0b, dtype: "int16", bytes: [0x01, 0x02, 0xff, 0xfe], values: [0x0102, -2] },
    {
      code: 0x0c,
      dtype: "int32",
      bytes: [0x01, 0x02, 0x03, 0x04, 0xff, 0xff, 0xff, 0xfd],
      values: [0x01020304, -3],
    },
    { code: 0x0d, dtype: "float32", bytes: [0x3f, 0xc0, 0, 0, 0xc0, 0x20, 0, 0], values: [1.5, -2.5] },
    {
      code: 0x0e,
      dtype: "float64",
      bytes: [0x3f, 0xf8, 0, 0, 0, 0, 0, 0, 0xc0, 0x04, 0, 0, 0, 0, 0, 0],
      values: [1.5, -2.5],
    },
  ];
  for (const { code, dtype, bytes, values } of cases) {
    const file = new Uint8Array([0, 0, code, 1, 0, 0, 0, 2, ...bytes]);
    const idx = readIdx(file, "x");
    assert.equal(idx.dtype, dtype);
    assert.deepEqual(idx.dims, [2]);
    assert.deepEqual([...idx.data], values);
    assert.deepEqual(writeIdx(idx), file, `writeIdx inverts readIdx for ${dtype}`);
  }
});

Deno.test("readIdx: rank 3 row-major and data never aliases the input", () => {
  const data = Uint8Array.from({ length: 24 }, (_, i) => i);
  const file = writeIdx({ dtype: "uint8", dims: [2, 3, 4], data });
  assert.deepEqual([...file.subarray(0, 16)], [0, 0, 8, 3, 0, 0, 0, 2, 0, 0, 0, 3, 0, 0, 0, 4]);
  const idx = readIdx(file, "x");
  assert.deepEqual(idx.dims, [2, 3, 4]);
  assert.deepEqual(idx.data, data);
  file[16] = 99;
  assert.equal(idx.data[0], 0);
});

Deno.test("readIdx: bad headers and sizes are FormatErrors with offsets", () => {
  const good = writeIdx({ dtype: "uint8", dims: [2, 2, 2], data: new Uint8Array(8) });
  throwsFormat(
    () => readIdx(good.subarray(0, 3), "f"),
    /^f: expected an IDX header of at least 4 bytes, found 3 — the file is truncated/,
  );
  throwsFormat(
    () => readIdx(new Uint8Array([0x50, 0x4b, 3, 4, 0, 0, 0, 0]), "f"),
    /^f at byte 0: expected the IDX magic 00 00, found 50 4b — this is not an IDX file/,
  );
  throwsFormat(() => readIdx(new Uint8Array([0x1f, 0x8b, 8, 0]), "f.gz"), /gzip-compressed; gunzip it first/);
  throwsFormat(
    () => readIdx(new Uint8Array([0, 0, 0x0a, 1, 0, 0, 0, 0]), "f"),
    /^f at byte 2: expected an IDX type code .* found 0a/,
  );
  throwsFormat(
    () => readIdx(new Uint8Array([0, 0, 8, 0]), "f"),
    /^f at byte 3: expected a rank of at least 1, found 0/,
  );
  throwsFormat(
    () => readIdx(good.subarray(0, 10), "f"),
    /^f: expected a 16-byte header for rank 3, found 10 bytes — the file is truncated/,
  );
  throwsFormat(
    () => readIdx(good.subarray(0, 20), "f"),
    /^f at byte 20: expected 24 bytes \(16-byte header \+ 2×2×2 uint8\), found 20 — the file is truncated/,
  );
  const long = new Uint8Array(good.length + 3);
  long.set(good);
  throwsFormat(
    () => readIdx(long, "f"),
    /^f at byte 24: expected 24 bytes .* found 27 — the file has extra bytes/,
  );
  const huge = good.slice();
  huge.set([0xff, 0xff, 0xff, 0xff], 8);
  throwsFormat(
    () => readIdx(huge, "f"),
    /^f at byte 8: expected dimensions totalling at most 2147483648 bytes, found dimensions 2×4294967295… of uint8 — the header is corrupt/,
  );
  const hugeF64 = new Uint8Array([0, 0, 0x0e, 1, 0x10, 0, 0, 1]); // 2^28 + 1 float64 > 2 GiB
  throwsFormat(() => readIdx(hugeF64, "f"), /^f at byte 4: expected dimensions totalling/);
});

Deno.test("readIdxImages: MNIST-style images, also gzipped", async () => {
  const pixels = Uint8Array.from({ length: 3 * 28 * 28 }, (_, i) => (i * 13) & 255);
  const file = writeIdx({ dtype: "uint8", dims: [3, 28, 28], data: pixels });
  assert.equal(file.length, 16 + 3 * 784);
  const gz = await compress(file, "gzip");
  const images = readIdxImages(
    await maybeGunzip(gz, "t10k-images-idx3-ubyte.gz"),
    "t10k-images-idx3-ubyte.gz",
    {
      rows: 28,
      cols: 28,
    },
  );
  assert.deepEqual(images, { count: 3, rows: 28, cols: 28, pixels });
});

Deno.test("readIdxImages: wrong rank, type or size", () => {
  const labels = writeIdx({ dtype: "uint8", dims: [4], data: new Uint8Array(4) });
  throwsFormat(
    () => readIdxImages(labels, "imgs"),
    /^imgs at byte 2: expected IDX uint8 rank 3 images \(count, rows, cols\), found uint8 rank 1 — .*images vs labels/,
  );
  const floats = writeIdx({ dtype: "float32", dims: [1, 1, 1], data: new Float32Array(1) });
  throwsFormat(() => readIdxImages(floats, "imgs"), /found float32 rank 3/);
  const small = writeIdx({ dtype: "uint8", dims: [1, 2, 2], data: new Uint8Array(4) });
  throwsFormat(
    () => readIdxImages(small, "imgs", { rows: 28, cols: 28 }),
    /^imgs at byte 8: expected image dimensions 1×28×28, found 1×2×2/,
  );
  throwsFormat(
    () => readIdxImages(small, "imgs", { count: 60000 }),
    /^imgs at byte 4: expected image dimensions 60000×2×2/,
  );
});

Deno.test("readIdxLabels: labels and range check", () => {
  const file = writeIdx({ dtype: "uint8", dims: [5], data: new Uint8Array([5, 0, 4, 1, 9]) });
  assert.deepEqual(readIdxLabels(file, "l", 10), new Uint8Array([5, 0, 4, 1, 9]));
  const e = throwsFormat(
    () => readIdxLabels(file, "l", 9),
    /^l at byte 12: expected labels 0–8, found label 9 for sample 4/,
  );
  assert.equal(e.offset, 12);
  throwsFormat(
    () => readIdxLabels(file, "l", 10, { count: 60000 }),
    /^l at byte 4: expected 60000 labels, found 5/,
  );
  const images = writeIdx({ dtype: "uint8", dims: [1, 1, 1], data: new Uint8Array(1) });
  throwsFormat(
    () => readIdxLabels(images, "l", 10),
    /expected IDX uint8 rank 1 labels \(count\), found uint8 rank 3/,
  );
});
