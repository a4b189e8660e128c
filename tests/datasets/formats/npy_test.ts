import assert from "node:assert/strict";
import {
  type NpyData,
  npyToFloat32,
  npyToInt32,
  readNpy,
  readNpyFile,
  writeNpy,
  writeNpyFile,
} from "../../../datasets/formats/npy.ts";
import { fromBase64, throwsFormat } from "./fixtures.ts";
import * as golden from "./golden.ts";

Deno.test("readNpy: files written by NumPy (versions 1.0, 2.0, 3.0)", () => {
  const f32 = readNpy(fromBase64(golden.NPY_F32_2X3), "a.npy");
  assert.deepEqual(f32, {
    dtype: "float32",
    shape: [2, 3],
    data: new Float32Array([0, 0.25, 0.5, 0.75, 1, 1.25]),
  });
  assert.deepEqual(
    readNpy(fromBase64(golden.NPY_I64), "b.npy").data,
    new BigInt64Array([-1n, 2n ** 40n, 7n]),
  );
  assert.deepEqual(readNpy(fromBase64(golden.NPY_U1_SCALAR), "c.npy"), {
    dtype: "uint8",
    shape: [],
    data: new Uint8Array([200]),
  });
  assert.deepEqual(readNpy(fromBase64(golden.NPY_F8_V2), "d.npy"), {
    dtype: "float64",
    shape: [2, 1],
    data: new Float64Array([0.5, -2]),
  });
  assert.deepEqual(readNpy(fromBase64(golden.NPY_I4_V3), "e.npy"), {
    dtype: "int32",
    shape: [3],
    data: new Int32Array([1, 2, 3]),
  });
});

Deno.test("writeNpy: byte-identical to np.save", () => {
  assert.deepEqual(
    writeNpy(new Float32Array([0, 0.25, 0.5, 0.75, 1, 1.25]), [2, 3]),
    fromBase64(golden.NPY_F32_2X3),
  );
  assert.deepEqual(writeNpy(new BigInt64Array([-1n, 2n ** 40n, 7n])), fromBase64(golden.NPY_I64));
  assert.deepEqual(writeNpy(new Uint8Array([200]), []), fromBase64(golden.NPY_U1_SCALAR));
});

Deno.test("writeNpy/readNpy: every dtype round-trips, data 64-byte aligned", () => {
  const arrays: [string, NpyData][] = [
    ["uint8", new Uint8Array([0, 255])],
    ["int8", new Int8Array([-128, 127])],
    ["int16", new Int16Array([-3, 300])],
    ["uint16", new Uint16Array([65535, 1])],
    ["int32", new Int32Array([-(2 ** 31), 2 ** 31 - 1])],
    ["uint32", new Uint32Array([2 ** 32 - 1, 0])],
    ["int64", new BigInt64Array([-(2n ** 63n), 5n])],
    ["uint64", new BigUint64Array([2n ** 64n - 1n, 0n])],
    ["float32", new Float32Array([Math.PI, -0])],
    ["float64", new Float64Array([Math.E, NaN])],
  ];
  for (const [dtype, data] of arrays) {
    const bytes = writeNpy(data, [1, 2]);
    assert.equal((bytes.length - data.byteLength) % 64, 0);
    assert.deepEqual(readNpy(bytes, "x.npy"), { dtype, shape: [1, 2], data });
  }
  // A rank large enough that the header needs format 2.0.
  const wide = writeNpy(new Uint8Array(0), [...Array(25000).fill(1), 0]);
  assert.equal(wide[6], 2);
  assert.equal(readNpy(wide, "w.npy").shape.length, 25001);
  assert.throws(() => writeNpy(new Float32Array(3), [2, 2]), RangeError);
});

/** A version 1.0 file with the given header dict and `dataBytes` zero bytes of data. */
function npy(dict: string, dataBytes: number): Uint8Array {
  const start = Math.ceil((11 + dict.length) / 64) * 64;
  const bytes = new Uint8Array(start + dataBytes);
  bytes.set([0x93, ...new TextEncoder().encode("NUMPY"), 1, 0, (start - 10) & 255, (start - 10) >> 8]);
  bytes.set(new TextEncoder().encode(dict.padEnd(start - 11, " ") + "\n"), 10);
  return bytes;
}

Deno.test("readNpy: Fortran order, big-endian and other dtypes are rejected with advice", () => {
  throwsFormat(
    () => readNpy(fromBase64(golden.NPY_FORTRAN), "f.npy"),
    /^f\.npy at byte 10: expected 'fortran_order': False, found 'fortran_order': True — save it with np\.save\(path, np\.ascontiguousarray\(arr\)\)\.$/,
  );
  throwsFormat(
    () => readNpy(fromBase64(golden.NPY_BIG_ENDIAN), "b.npy"),
    /found '>f4' — the array is big-endian; save it with arr\.astype\('<f4'\)/,
  );
  throwsFormat(
    () => readNpy(npy("{'descr': '<f2', 'fortran_order': False, 'shape': (1,), }", 2), "h.npy"),
    /found '<f2' — convert it first/,
  );
  throwsFormat(
    () => readNpy(npy("{'descr': [('a', '<f4')], 'fortran_order': False, 'shape': (1,), }", 4), "s.npy"),
    /found a structured dtype — save a plain numeric array/,
  );
  const u1 = npy("{'descr': '<u1', 'fortran_order': False, 'shape': (1,), }", 1);
  assert.equal(readNpy(u1, "u.npy").dtype, "uint8", "'<u1' means the same as '|u1'");
});

Deno.test("readNpy: bad magic, version, header and sizes", () => {
  const good = writeNpy(new Float32Array([1, 2, 3]));
  throwsFormat(
    () => readNpy(new TextEncoder().encode("PK\x03\x04 zip file"), "a.npz"),
    /^a\.npz at byte 0: expected the \.npy magic .* this is not a \.npy file/,
  );
  throwsFormat(() => readNpy(good.subarray(0, 5), "t.npy"), /found 5 bytes — the file is truncated/);
  const v9 = good.slice();
  v9[6] = 9;
  throwsFormat(
    () => readNpy(v9, "v.npy"),
    /^v\.npy at byte 6: expected format version 1\.0, 2\.0 or 3\.0, found 9\.0/,
  );
  throwsFormat(
    () => readNpy(good.subarray(0, 60), "t.npy"),
    /^t\.npy at byte 8: expected a 118-byte header, found 50 bytes after the preamble — the file is truncated/,
  );
  throwsFormat(
    () => readNpy(good.subarray(0, good.length - 1), "t.npy"),
    /^t\.npy at byte 139: expected 12 data bytes for shape \(3\) of float32, found 11 — the file is truncated/,
  );
  const long = new Uint8Array(good.length + 4);
  long.set(good);
  throwsFormat(
    () => readNpy(long, "l.npy"),
    /^l\.npy at byte 140: .* found 16 — the file has extra bytes after the array/,
  );
  const broken = good.slice();
  broken[10] = "(".charCodeAt(0);
  throwsFormat(() => readNpy(broken, "h.npy"), /^h\.npy at byte 10: expected a Python dict literal header/);
  const shape = npy("{'descr': '<f4', 'fortran_order': False, 'shape': (3, -1), }", 0);
  throwsFormat(() => readNpy(shape, "s.npy"), /expected 'shape': a tuple of non-negative integers/);
  const huge = npy(
    "{'descr': '<f4', 'fortran_order': False, 'shape': (9999999999, 9999999999, 99999999), }",
    0,
  );
  throwsFormat(() => readNpy(huge, "s.npy"), /data bytes for shape \(9999999999, 9999999999, 99999999\)/);
});

Deno.test("npyToFloat32 and npyToInt32", () => {
  const f = new Float32Array([1, 2]);
  assert.equal(npyToFloat32({ dtype: "float32", shape: [2], data: f }), f);
  assert.deepEqual(
    npyToFloat32({ dtype: "float64", shape: [2], data: new Float64Array([0.1, 2]) }),
    new Float32Array([0.1, 2]),
  );
  assert.deepEqual(
    npyToFloat32({ dtype: "uint64", shape: [1], data: new BigUint64Array([3n]) }),
    new Float32Array([3]),
  );
  const i = new Int32Array([4]);
  assert.equal(npyToInt32({ dtype: "int32", shape: [1], data: i }), i);
  assert.deepEqual(
    npyToInt32({ dtype: "float64", shape: [2], data: new Float64Array([3, -7]) }),
    new Int32Array([3, -7]),
  );
  assert.deepEqual(
    npyToInt32({ dtype: "uint8", shape: [1], data: new Uint8Array([255]) }),
    new Int32Array([255]),
  );
  throwsFormat(
    () => npyToInt32({ dtype: "int64", shape: [2], data: new BigInt64Array([1n, 2n ** 31n]) }, "idx.npy"),
    /^idx\.npy: expected integers in the int32 range, found 2147483648 at index 1 of the int64 array/,
  );
  throwsFormat(
    () => npyToInt32({ dtype: "float32", shape: [1], data: new Float32Array([0.5]) }),
    /^array: .* found 0\.5 at index 0/,
  );
  throwsFormat(
    () => npyToInt32({ dtype: "uint32", shape: [1], data: new Uint32Array([2 ** 31]) }),
    /found 2147483648/,
  );
});

Deno.test("readNpyFile / writeNpyFile: atomic write leaves no temp files", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const path = `${dir}/scores.npy`;
    await writeNpyFile(path, new Float64Array([1, 2, 3, 4]), [2, 2]);
    await writeNpyFile(path, new Int32Array([7, 8, 9]));
    assert.deepEqual(await readNpyFile(path), {
      dtype: "int32",
      shape: [3],
      data: new Int32Array([7, 8, 9]),
    });
    const names = [];
    for await (const entry of Deno.readDir(dir)) names.push(entry.name);
    assert.deepEqual(names, ["scores.npy"]);
    await assert.rejects(() => writeNpyFile(`${dir}/missing/x.npy`, new Uint8Array(1)), Deno.errors.NotFound);
    await Deno.writeFile(`${dir}/bad.npy`, new Uint8Array([1, 2, 3]));
    await assert.rejects(() => readNpyFile(`${dir}/bad.npy`), /bad\.npy at byte 0: expected the \.npy magic/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
