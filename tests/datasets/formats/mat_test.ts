import assert from "node:assert/strict";
import { readMat } from "../../../datasets/formats/mat.ts";
import {
  compress,
  fromBase64,
  matElement,
  type MatVar,
  MI,
  MX,
  rejectsFormat,
  svhnPixel,
  writeMat,
} from "./fixtures.ts";
import { MAT_SVHN_SCIPY } from "./golden.ts";

const VARS: MatVar[] = [
  { name: "img", classCode: MX.UINT8, dims: [2, 3], storage: MI.UINT8, values: [1, 2, 3, 4, 5, 255] },
  // Integer-valued doubles stored compactly, as MATLAB does.
  { name: "y", classCode: MX.DOUBLE, dims: [3, 1], storage: MI.UINT8, values: [10, 1, 7] },
  { name: "neg", classCode: MX.DOUBLE, dims: [1, 2], storage: MI.INT16, values: [-300, 2] },
  { name: "d", classCode: MX.DOUBLE, dims: [1, 2], storage: MI.DOUBLE, values: [0.1, -2.5e300] },
  { name: "f", classCode: MX.SINGLE, dims: [1, 1], storage: MI.SINGLE, values: [1.5] },
  { name: "i32", classCode: MX.INT32, dims: [1, 3], storage: MI.INT32, values: [-(2 ** 31), 0, 2 ** 31 - 1] },
  { name: "i64", classCode: MX.INT64, dims: [1, 2], storage: MI.INT32, values: [-5, 7] },
  { name: "i64full", classCode: MX.INT64, dims: [1, 1], storage: MI.INT64, values: [-(2n ** 62n)] },
  { name: "e", classCode: MX.DOUBLE, dims: [0, 0], storage: MI.DOUBLE, values: [] },
  { name: "s", classCode: MX.CHAR, dims: [1, 2], storage: MI.UINT16, values: [104, 105] },
  { name: "z", classCode: MX.DOUBLE, dims: [1, 1], storage: MI.DOUBLE, values: [1], complex: true },
];

for (const compressed of [true, false]) {
  for (const le of [true, false]) {
    Deno.test(`readMat: classes and storage types (${compressed ? "compressed" : "plain"}, ${le ? "little" : "big"}-endian)`, async () => {
      const vars = await readMat(await writeMat(VARS, { compressed, le }), "v.mat");
      assert.deepEqual(
        [...vars.keys()],
        ["img", "y", "neg", "d", "f", "i32", "i64", "i64full", "e"],
        "char and complex skipped",
      );
      assert.deepEqual(vars.get("img"), {
        class: "uint8",
        dims: [2, 3],
        data: new Uint8Array([1, 2, 3, 4, 5, 255]),
        logical: false,
      });
      assert.deepEqual(vars.get("y")!.data, new Float64Array([10, 1, 7]));
      assert.deepEqual(vars.get("neg")!.data, new Float64Array([-300, 2]));
      assert.deepEqual(vars.get("d")!.data, new Float64Array([0.1, -2.5e300]));
      assert.deepEqual(vars.get("f"), {
        class: "single",
        dims: [1, 1],
        data: new Float32Array([1.5]),
        logical: false,
      });
      assert.deepEqual(vars.get("i32")!.data, new Int32Array([-(2 ** 31), 0, 2 ** 31 - 1]));
      assert.deepEqual(vars.get("i64")!.data, new BigInt64Array([-5n, 7n]));
      assert.deepEqual(vars.get("i64full")!.data, new BigInt64Array([-(2n ** 62n)]));
      assert.deepEqual(vars.get("e"), {
        class: "double",
        dims: [0, 0],
        data: new Float64Array(0),
        logical: false,
      });
    });
  }
}

Deno.test("readMat: a file written by scipy.io.savemat (compressed)", async () => {
  const vars = await readMat(fromBase64(MAT_SVHN_SCIPY), "scipy.mat");
  const X = vars.get("X")!;
  assert.equal(X.class, "uint8");
  assert.deepEqual(X.dims, [32, 32, 3, 2]);
  // Column-major: X(r, c, ch, n) at r + 32c + 1024ch + 3072n.
  assert.equal(X.data[5 + 32 * 7 + 1024 * 2 + 3072], svhnPixel(5, 7, 2, 1));
  assert.deepEqual(vars.get("y"), {
    class: "double",
    dims: [2, 1],
    data: new Float64Array([10, 3]),
    logical: false,
  });
});

Deno.test("readMat: names selects variables; a named non-numeric variable is an error", async () => {
  const file = await writeMat(VARS);
  assert.deepEqual([...(await readMat(file, "v.mat", { names: ["f", "missing"] })).keys()], ["f"]);
  await rejectsFormat(
    () => readMat(file, "v.mat", { names: ["s"] }),
    /^v\.mat at byte 8 \(in the inflated data of the compressed element at byte \d+\): expected variable 's' to be a real numeric array, found char array/,
  );
  await rejectsFormat(() => readMat(file, "v.mat", { names: ["z"] }), /found a complex array/);
});

Deno.test("readMat: logical arrays and the small-element name form", async () => {
  const logical = await writeMat([{
    name: "m",
    classCode: MX.UINT8,
    dims: [1, 2],
    storage: MI.UINT8,
    values: [1, 0],
  }], {
    compressed: false,
  });
  logical[128 + 16 + 1] |= 0x02; // the logical bit (0x200) of the array flags word
  const m = (await readMat(logical, "l.mat")).get("m")!;
  assert.equal(m.logical, true);
  assert.deepEqual(m.data, new Uint8Array([1, 0]));
  // The name "m" is a small element: one word holding size 1 << 16 | miINT8, then the byte.
  assert.deepEqual([...logical.subarray(128 + 40, 128 + 45)], [1, 0, 1, 0, 0x6d]);
});

function header(text = "MATLAB 5.0 MAT-file", tail = [0x00, 0x01, 0x49, 0x4d]): Uint8Array {
  const bytes = new Uint8Array(128);
  bytes.set(new TextEncoder().encode(text));
  bytes.set(tail, 124);
  return bytes;
}

function withHeader(...elements: Uint8Array[]): Uint8Array {
  const parts = [header(), ...elements];
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  parts.reduce((at, p) => (out.set(p, at), at + p.length), 0);
  return out;
}

Deno.test("readMat: header errors", async () => {
  await rejectsFormat(
    () => readMat(new Uint8Array(10), "x.mat"),
    /^x\.mat: expected a 128-byte MAT-file header, found 10 bytes — this is not a MATLAB \.mat file/,
  );
  await rejectsFormat(
    () => readMat(header().subarray(0, 100), "x.mat"),
    /found 100 bytes — the file is truncated/,
  );
  await rejectsFormat(
    () => readMat(header("MATLAB 7.3 MAT-file", [0x00, 0x02, 0x49, 0x4d]), "x.mat"),
    /^x\.mat at byte 124: expected version 0x0100 and endian indicator "IM" or "MI", found version 0x0200 and "IM" — this is a MATLAB 7\.3 \(HDF5\) file; re-save it with save\(\.\.\., '-v7'\)/,
  );
  await rejectsFormat(
    () => readMat(header("hello", [1, 2, 3, 4]), "x.mat"),
    /this is not a MATLAB level-5 \.mat file/,
  );
  assert.equal((await readMat(header(), "empty.mat")).size, 0);
  assert.equal(
    (await readMat(header("MATLAB", [0x01, 0x00, 0x4d, 0x49]), "be.mat")).size,
    0,
    "big-endian header",
  );
});

Deno.test("readMat: truncation and corrupt elements", async () => {
  const plain = await writeMat(VARS.slice(0, 2), { compressed: false });
  await rejectsFormat(
    () => readMat(plain.subarray(0, 140), "t.mat"),
    /^t\.mat at byte 128: expected an element of at most 4 bytes, found a declared size of \d+ — the file is truncated/,
  );
  await rejectsFormat(
    () => readMat(plain.subarray(0, 133), "t.mat"),
    /^t\.mat at byte 128: expected an 8-byte element tag, found 5 bytes — the file is truncated/,
  );
  const zeros = new Uint8Array(plain.length + 4);
  zeros.set(plain);
  assert.equal((await readMat(zeros, "p.mat")).size, 2, "up to 7 zero bytes of end padding are accepted");
  const compressedFile = await writeMat(VARS.slice(0, 1));
  await rejectsFormat(
    () => readMat(compressedFile.subarray(0, compressedFile.length - 2), "t.mat"),
    /^t\.mat at byte 128: expected an element of at most/,
  );
  const flipped = compressedFile.slice();
  flipped[136] ^= 0xff; // the zlib header
  await rejectsFormat(
    () => readMat(flipped, "c.mat"),
    /^c\.mat at byte 136 \(zlib data of the element at byte 128\): expected a complete zlib stream/,
  );
  const huge = plain.slice();
  new DataView(huge.buffer).setUint32(132, 0xfffffff0, true);
  await rejectsFormat(
    () => readMat(huge, "h.mat"),
    /found a declared size of 4294967280 — the file is truncated/,
  );
  await rejectsFormat(
    () => readMat(withHeader(matElement(MI.DOUBLE, new Uint8Array(8), true)), "w.mat"),
    /^w\.mat at byte 128: expected a matrix \(14\) or compressed \(15\) element, found type 9/,
  );
});

Deno.test("readMat: inconsistent matrices", async () => {
  const le = true;
  const u32 = (...w: number[]) => new Uint8Array(new Uint32Array(w).buffer);
  const i32 = (...w: number[]) => new Uint8Array(new Int32Array(w).buffer);
  const parts = (flags: Uint8Array, dims: Uint8Array, real: Uint8Array) => {
    const inner = [
      matElement(MI.UINT32, flags, le),
      matElement(MI.INT32, dims, le),
      matElement(MI.INT8, new Uint8Array([0x61]), le),
      real,
    ];
    const body = new Uint8Array(inner.reduce((n, p) => n + p.length, 0));
    inner.reduce((at, p) => (body.set(p, at), at + p.length), 0);
    return withHeader(matElement(MI.MATRIX, body, le));
  };
  const real = matElement(MI.UINT8, new Uint8Array(6), le);
  assert.equal((await readMat(parts(u32(MX.UINT8, 0), i32(2, 3), real), "ok.mat")).get("a")!.data.length, 6);
  await rejectsFormat(
    () => readMat(parts(u32(MX.UINT8, 0), i32(2, 4), real), "m.mat"),
    /^m\.mat at byte 176: expected 8 bytes of miUINT8 for dims 2×4, found 6/,
  );
  await rejectsFormat(
    () => readMat(parts(u32(MX.UINT8, 0), i32(2, -3), real), "m.mat"),
    /^m\.mat at byte 164: expected a non-negative dimension, found -3/,
  );
  await rejectsFormat(
    () => readMat(parts(u32(MX.UINT8, 0), i32(65536, 65536, 65536), real), "m.mat"),
    /expected 281474976710656 bytes of miUINT8 for dims 65536×65536×65536, found 6/,
  );
  await rejectsFormat(
    () => readMat(parts(u32(99, 0), i32(2, 3), real), "m.mat"),
    /^m\.mat at byte 136: expected an array class 1–17, found 99/,
  );
  await rejectsFormat(
    () => readMat(parts(u32(MX.UINT8, 0), i32(2, 3), matElement(8, new Uint8Array(6), le)), "m.mat"),
    /expected a numeric element \(miINT8 … miUINT64\), found type 8/,
  );
  await rejectsFormat(
    () => readMat(parts(u32(MX.UINT8), i32(2, 3), real), "m.mat"),
    /^m\.mat at byte 136: expected array flags \(miUINT32, 8 bytes\), found type 6, 4 bytes/,
  );
  const oversized = withHeader(matElement(MI.MATRIX, new Uint8Array([8, 0, 6, 0, 0, 0, 0, 0]), le));
  await rejectsFormat(
    () => readMat(oversized, "m.mat"),
    /^m\.mat at byte 136: expected a small data element of at most 4 bytes, found 6 bytes/,
  );
  const fractional = parts(
    u32(MX.INT64, 0),
    i32(1, 1),
    matElement(MI.DOUBLE, new Uint8Array(new Float64Array([0.5]).buffer), le),
  );
  await rejectsFormat(
    () => readMat(fractional, "m.mat"),
    /expected an integer for a 64-bit integer class, found 0\.5/,
  );
  const notMatrix = await compress(matElement(MI.DOUBLE, new Uint8Array(8), le), "deflate");
  const tag = new Uint8Array(8);
  new DataView(tag.buffer).setUint32(0, MI.COMPRESSED, le);
  new DataView(tag.buffer).setUint32(4, notMatrix.length, le);
  await rejectsFormat(
    () => readMat(withHeader(tag, notMatrix), "m.mat"),
    /^m\.mat at byte 0 \(in the inflated data of the compressed element at byte 128\): expected a matrix element \(type 14\), found type 9/,
  );
});
