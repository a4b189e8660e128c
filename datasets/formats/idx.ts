/**
 * The IDX format of MNIST, Fashion-MNIST and QMNIST: bytes 0–1 zero, byte 2 the element type, byte 3 the
 * rank d, then d big-endian uint32 dimensions, then the elements row-major (last dimension fastest),
 * big-endian for multi-byte types. Readers here take uncompressed bytes: pass `.gz` files through
 * {@linkcode maybeGunzip} first.
 *
 * @module
 */

import { FormatError, TRUNCATED } from "./format_error.ts";

/** IDX element types. */
export type IdxDtype = "uint8" | "int8" | "int16" | "int32" | "float32" | "float64";

/** The typed array that holds each IDX element type. */
export type IdxData = Uint8Array | Int8Array | Int16Array | Int32Array | Float32Array | Float64Array;

/** A parsed IDX file. */
export interface IdxArray {
  /** The element type. */
  dtype: IdxDtype;
  /** The dimensions, outermost first. */
  dims: number[];
  /** The elements in row-major order, in host byte order; never shares memory with the input. */
  data: IdxData;
}

/** Images of an IDX rank-3 uint8 file. */
export interface IdxImages {
  /** Number of images. */
  count: number;
  /** Rows per image. */
  rows: number;
  /** Columns per image. */
  cols: number;
  /** `count × rows × cols` pixels, row by row (0 = background, 255 = full ink for MNIST). */
  pixels: Uint8Array;
}

const TYPES: { code: number; dtype: IdxDtype; size: number }[] = [
  { code: 0x08, dtype: "uint8", size: 1 },
  { code: 0x09, dtype: "int8", size: 1 },
  { code: 0x0b, dtype: "int16", size: 2 },
  { code: 0x0c, dtype: "int32", size: 4 },
  { code: 0x0d, dtype: "float32", size: 4 },
  { code: 0x0e, dtype: "float64", size: 8 },
];

/** The largest data size a reader accepts; bigger dimensions mean a corrupt header. */
const MAX_BYTES = 2 ** 31;

const NOT_IDX = "this is not an IDX file (MNIST-style *-ubyte); check the path";

/**
 * Parses an IDX file, checking the magic, the element type, the rank and that the file holds exactly
 * the declared number of elements.
 *
 * @example
 * ```ts
 * import { readIdx } from "./idx.ts";
 * // int16, rank 1, dims [2], values 1 and -2 (big-endian)
 * const bytes = new Uint8Array([0, 0, 0x0b, 1, 0, 0, 0, 2, 0, 1, 0xff, 0xfe]);
 * const { dtype, dims, data } = readIdx(bytes, "x.idx");
 * if (dtype !== "int16" || dims.join() !== "2" || data.join() !== "1,-2") throw new Error("bad");
 * ```
 */
export function readIdx(bytes: Uint8Array, file: string): IdxArray {
  if (bytes.length < 4) {
    throw new FormatError(file, {
      expected: "an IDX header of at least 4 bytes",
      found: `${bytes.length}`,
      hint: TRUNCATED,
    });
  }
  if (bytes[0] !== 0 || bytes[1] !== 0) {
    const gz = bytes[0] === 0x1f && bytes[1] === 0x8b;
    throw new FormatError(file, {
      offset: 0,
      expected: "the IDX magic 00 00",
      found: `${hex(bytes[0])} ${hex(bytes[1])}`,
      hint: gz ? "the file is gzip-compressed; gunzip it first (maybeGunzip)" : NOT_IDX,
    });
  }
  const type = TYPES.find((t) => t.code === bytes[2]);
  if (type === undefined) {
    throw new FormatError(file, {
      offset: 2,
      expected: "an IDX type code (08 u8, 09 i8, 0b i16, 0c i32, 0d f32, 0e f64)",
      found: hex(bytes[2]),
      hint: NOT_IDX,
    });
  }
  const rank = bytes[3];
  if (rank === 0) {
    throw new FormatError(file, { offset: 3, expected: "a rank of at least 1", found: "0", hint: NOT_IDX });
  }
  const header = 4 + 4 * rank;
  if (bytes.length < header) {
    throw new FormatError(file, {
      expected: `a ${header}-byte header for rank ${rank}`,
      found: `${bytes.length} bytes`,
      hint: TRUNCATED,
    });
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const dims: number[] = [];
  let count = 1;
  for (let i = 0; i < rank; i++) {
    dims.push(view.getUint32(4 + 4 * i, false));
    count *= dims[i];
    if (count * type.size > MAX_BYTES) {
      throw new FormatError(file, {
        offset: 4 + 4 * i,
        expected: `dimensions totalling at most ${MAX_BYTES} bytes`,
        found: `dimensions ${dims.join("×")}… of ${type.dtype}`,
        hint: "the header is corrupt; download the file again",
      });
    }
  }
  const expected = header + count * type.size;
  if (bytes.length !== expected) {
    const short = bytes.length < expected;
    throw new FormatError(file, {
      offset: short ? bytes.length : expected,
      expected: `${expected} bytes (${header}-byte header + ${dims.join("×")} ${type.dtype})`,
      found: `${bytes.length}`,
      hint: short ? TRUNCATED : "the file has extra bytes at the end; download it again",
    });
  }
  return { dtype: type.dtype, dims, data: decode(view, header, count, type.dtype) };
}

function decode(view: DataView, at: number, n: number, dtype: IdxDtype): IdxData {
  switch (dtype) {
    case "uint8":
      return new Uint8Array(view.buffer.slice(view.byteOffset + at, view.byteOffset + at + n));
    case "int8":
      return new Int8Array(view.buffer.slice(view.byteOffset + at, view.byteOffset + at + n));
    case "int16": {
      const out = new Int16Array(n);
      for (let i = 0; i < n; i++) out[i] = view.getInt16(at + 2 * i, false);
      return out;
    }
    case "int32": {
      const out = new Int32Array(n);
      for (let i = 0; i < n; i++) out[i] = view.getInt32(at + 4 * i, false);
      return out;
    }
    case "float32": {
      const out = new Float32Array(n);
      for (let i = 0; i < n; i++) out[i] = view.getFloat32(at + 4 * i, false);
      return out;
    }
    case "float64": {
      const out = new Float64Array(n);
      for (let i = 0; i < n; i++) out[i] = view.getFloat64(at + 8 * i, false);
      return out;
    }
  }
}

/**
 * Encodes an IDX file (the inverse of {@linkcode readIdx}), e.g. to build test data.
 *
 * @example
 * ```ts
 * import { readIdx, writeIdx } from "./idx.ts";
 * const bytes = writeIdx({ dtype: "float32", dims: [2], data: new Float32Array([0.5, -1]) });
 * if (readIdx(bytes, "x").data.join() !== "0.5,-1") throw new Error("bad");
 * ```
 */
export function writeIdx(array: IdxArray): Uint8Array {
  const type = TYPES.find((t) => t.dtype === array.dtype)!;
  const count = array.dims.reduce((a, b) => a * b, 1);
  if (count !== array.data.length) {
    throw new RangeError(`dims ${array.dims.join("×")} do not match ${array.data.length} elements`);
  }
  const header = 4 + 4 * array.dims.length;
  const bytes = new Uint8Array(header + count * type.size);
  const view = new DataView(bytes.buffer);
  bytes[2] = type.code;
  bytes[3] = array.dims.length;
  array.dims.forEach((d, i) => view.setUint32(4 + 4 * i, d, false));
  const setters: Record<IdxDtype, (at: number, v: number) => void> = {
    uint8: (at, v) => view.setUint8(at, v),
    int8: (at, v) => view.setInt8(at, v),
    int16: (at, v) => view.setInt16(at, v, false),
    int32: (at, v) => view.setInt32(at, v, false),
    float32: (at, v) => view.setFloat32(at, v, false),
    float64: (at, v) => view.setFloat64(at, v, false),
  };
  const set = setters[array.dtype];
  for (let i = 0; i < count; i++) set(header + i * type.size, array.data[i]);
  return bytes;
}

/**
 * Reads an MNIST-style image file: IDX rank 3 (count, rows, cols) of uint8. `expect` pins the sizes
 * the dataset must have (e.g. 28×28 for MNIST).
 *
 * @example
 * ```ts
 * import { readIdxImages, writeIdx } from "./idx.ts";
 * const file = writeIdx({ dtype: "uint8", dims: [1, 2, 2], data: new Uint8Array([0, 1, 2, 255]) });
 * const { count, rows, cols, pixels } = readIdxImages(file, "imgs", { rows: 2, cols: 2 });
 * if (count !== 1 || rows !== 2 || cols !== 2 || pixels[3] !== 255) throw new Error("bad");
 * ```
 */
export function readIdxImages(
  bytes: Uint8Array,
  file: string,
  expect: { count?: number; rows?: number; cols?: number } = {},
): IdxImages {
  const { dims, data } = readExpected(bytes, file, 3, "images (count, rows, cols)");
  const [count, rows, cols] = dims;
  const want = [expect.count, expect.rows, expect.cols];
  for (let i = 0; i < 3; i++) {
    if (want[i] !== undefined && want[i] !== dims[i]) {
      throw new FormatError(file, {
        offset: 4 + 4 * i,
        expected: `image dimensions ${want.map((w, j) => w ?? dims[j]).join("×")}`,
        found: dims.join("×"),
        hint: "this file belongs to another dataset or split; check the path",
      });
    }
  }
  return { count, rows, cols, pixels: data as Uint8Array };
}

/**
 * Reads an MNIST-style label file: IDX rank 1 of uint8, every label below `classCount`.
 *
 * @example
 * ```ts
 * import { readIdxLabels, writeIdx } from "./idx.ts";
 * const file = writeIdx({ dtype: "uint8", dims: [3], data: new Uint8Array([5, 0, 9]) });
 * if (readIdxLabels(file, "labels", 10).join() !== "5,0,9") throw new Error("bad");
 * ```
 */
export function readIdxLabels(
  bytes: Uint8Array,
  file: string,
  classCount: number,
  expect: { count?: number } = {},
): Uint8Array {
  const { dims, data } = readExpected(bytes, file, 1, "labels (count)");
  if (expect.count !== undefined && expect.count !== dims[0]) {
    throw new FormatError(file, {
      offset: 4,
      expected: `${expect.count} labels`,
      found: `${dims[0]}`,
      hint: "this file belongs to another dataset or split; check the path",
    });
  }
  const labels = data as Uint8Array;
  const bad = labels.findIndex((l) => l >= classCount);
  if (bad >= 0) {
    throw new FormatError(file, {
      offset: 8 + bad,
      expected: `labels 0–${classCount - 1}`,
      found: `label ${labels[bad]} for sample ${bad}`,
      hint: "the file is corrupt or belongs to another dataset; download it again",
    });
  }
  return labels;
}

function readExpected(bytes: Uint8Array, file: string, rank: number, what: string): IdxArray {
  // Check the header before parsing, so a label file passed as images says so instead of "truncated".
  if (bytes.length >= 4 && bytes[0] === 0 && bytes[1] === 0 && (bytes[2] !== 0x08 || bytes[3] !== rank)) {
    const type = TYPES.find((t) => t.code === bytes[2]);
    throw new FormatError(file, {
      offset: 2,
      expected: `IDX uint8 rank ${rank} ${what}`,
      found: `${type?.dtype ?? `type ${hex(bytes[2])}`} rank ${bytes[3]}`,
      hint: "this is another kind of IDX file (images vs labels?); check the path",
    });
  }
  return readIdx(bytes, file);
}

function hex(b: number): string {
  return b.toString(16).padStart(2, "0");
}
