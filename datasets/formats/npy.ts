/**
 * NumPy `.npy` files (format versions 1.0, 2.0 and 3.0): the magic `\x93NUMPY`, a version, a header
 * length, a Python dict literal `{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }` and the
 * raw C-order little-endian data. Used for saved features, scores and index lists.
 *
 * @module
 */

import { writeFileAtomic } from "../../io/atomic_write.ts";

import { FormatError, TRUNCATED } from "./format_error.ts";
import { parsePyLiteral, type PyValue } from "./py_literal.ts";

/** Element types this module reads and writes. */
export type NpyDtype =
  | "uint8"
  | "int8"
  | "int16"
  | "uint16"
  | "int32"
  | "uint32"
  | "int64"
  | "uint64"
  | "float32"
  | "float64";

/** The typed array that holds each {@linkcode NpyDtype}. */
export type NpyData =
  | Uint8Array
  | Int8Array
  | Int16Array
  | Uint16Array
  | Int32Array
  | Uint32Array
  | BigInt64Array
  | BigUint64Array
  | Float32Array
  | Float64Array;

/** An n-dimensional array read from or written to a `.npy` file. */
export interface NpyArray {
  /** Element type. */
  dtype: NpyDtype;
  /** Dimensions, outermost first; `[]` for a scalar. */
  shape: number[];
  /** Elements in C (row-major) order; never shares memory with the file bytes. */
  data: NpyData;
}

type Ctor = { new (buffer: ArrayBuffer): NpyData; new (length: number): NpyData; BYTES_PER_ELEMENT: number };

const TYPES: { descr: string; dtype: NpyDtype; ctor: Ctor }[] = [
  { descr: "|u1", dtype: "uint8", ctor: Uint8Array },
  { descr: "|i1", dtype: "int8", ctor: Int8Array },
  { descr: "<i2", dtype: "int16", ctor: Int16Array },
  { descr: "<u2", dtype: "uint16", ctor: Uint16Array },
  { descr: "<i4", dtype: "int32", ctor: Int32Array },
  { descr: "<u4", dtype: "uint32", ctor: Uint32Array },
  { descr: "<i8", dtype: "int64", ctor: BigInt64Array },
  { descr: "<u8", dtype: "uint64", ctor: BigUint64Array },
  { descr: "<f4", dtype: "float32", ctor: Float32Array },
  { descr: "<f8", dtype: "float64", ctor: Float64Array },
];

const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // \x93NUMPY
const ALIGN = 64;
const SUPPORTED = TYPES.map((t) => t.descr).join(" ");

/**
 * Parses a `.npy` file. Fortran-order, big-endian, structured and other dtypes are rejected with a
 * {@linkcode FormatError} that says how to re-save the array.
 *
 * @example
 * ```ts
 * import { readNpy, writeNpy } from "./npy.ts";
 * const bytes = writeNpy(new Float32Array([1, 2, 3, 4, 5, 6]), [2, 3]);
 * const { dtype, shape, data } = readNpy(bytes, "features.npy");
 * if (dtype !== "float32" || shape.join() !== "2,3" || data[5] !== 6) throw new Error("bad");
 * ```
 */
export function readNpy(bytes: Uint8Array, file: string): NpyArray {
  if (bytes.length < 10 || MAGIC.some((b, i) => bytes[i] !== b)) {
    const short = bytes.length < 10 && MAGIC.slice(0, bytes.length).every((b, i) => bytes[i] === b);
    throw new FormatError(file, {
      offset: 0,
      expected: "the .npy magic \\x93NUMPY and a version",
      found: short ? `${bytes.length} bytes` : JSON.stringify(String.fromCharCode(...bytes.subarray(0, 6))),
      hint: short ? TRUNCATED : "this is not a .npy file (an .npz is a zip of them); check the path",
    });
  }
  const major = bytes[6];
  if (major < 1 || major > 3 || bytes[7] !== 0) {
    throw new FormatError(file, {
      offset: 6,
      expected: "format version 1.0, 2.0 or 3.0",
      found: `${major}.${bytes[7]}`,
      hint: "save it with numpy.save from a current NumPy",
    });
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const lengthBytes = major === 1 ? 2 : 4;
  if (bytes.length < 8 + lengthBytes) {
    throw new FormatError(file, {
      expected: `${8 + lengthBytes}-byte preamble`,
      found: `${bytes.length} bytes`,
      hint: TRUNCATED,
    });
  }
  const headerLength = major === 1 ? view.getUint16(8, true) : view.getUint32(8, true);
  const start = 8 + lengthBytes + headerLength;
  if (start > bytes.length) {
    throw new FormatError(file, {
      offset: 8,
      expected: `a ${headerLength}-byte header`,
      found: `${bytes.length - 8 - lengthBytes} bytes after the preamble`,
      hint: TRUNCATED,
    });
  }
  const text = new TextDecoder(major === 3 ? "utf-8" : "latin1").decode(
    bytes.subarray(8 + lengthBytes, start),
  );
  const { type, shape } = parseHeader(text, file, 8 + lengthBytes);
  let count = 1;
  for (const d of shape) count *= d;
  const size = type.ctor.BYTES_PER_ELEMENT;
  if (!Number.isSafeInteger(count * size) || start + count * size !== bytes.length) {
    const short = start + count * size > bytes.length;
    throw new FormatError(file, {
      offset: short ? bytes.length : start + count * size,
      expected: `${count * size} data bytes for shape (${shape.join(", ")}) of ${type.dtype}`,
      found: `${bytes.length - start}`,
      hint: short ? TRUNCATED : "the file has extra bytes after the array; save it again with numpy.save",
    });
  }
  return { dtype: type.dtype, shape, data: new type.ctor(bytes.slice(start, bytes.length).buffer) };
}

function parseHeader(
  text: string,
  file: string,
  offset: number,
): { type: (typeof TYPES)[number]; shape: number[] } {
  const bad = (expected: string, found: string, hint: string) =>
    new FormatError(file, { offset, expected, found, hint });
  let header: PyValue;
  try {
    header = parsePyLiteral(text.trimEnd());
  } catch (e) {
    throw bad(
      "a Python dict literal header",
      `${JSON.stringify(text.slice(0, 80))} (${(e as Error).message})`,
      "the file is corrupt; save it again",
    );
  }
  if (header === null || typeof header !== "object" || Array.isArray(header)) {
    throw bad(
      "a Python dict literal header",
      JSON.stringify(text.slice(0, 80)),
      "the file is corrupt; save it again",
    );
  }
  const { descr, fortran_order: fortran, shape } = header;
  if (typeof descr !== "string") {
    throw bad(`a simple dtype (${SUPPORTED})`, "a structured dtype", "save a plain numeric array");
  }
  const type = TYPES.find((t) =>
    t.descr === descr || (t.descr[0] === "|" && descr === `<${t.descr.slice(1)}`)
  );
  if (type === undefined) {
    const big = descr.startsWith(">") && TYPES.some((t) => t.descr.slice(1) === descr.slice(1));
    const hint = big
      ? `the array is big-endian; save it with arr.astype('<${descr.slice(1)}')`
      : "convert it first, e.g. arr.astype(np.float32) or arr.astype(np.int64)";
    throw bad(`a dtype among ${SUPPORTED}`, `'${descr}'`, hint);
  }
  if (fortran !== false) {
    const hint = fortran === true
      ? "save it with np.save(path, np.ascontiguousarray(arr))"
      : "the file is corrupt; save it again";
    const found = fortran === true ? "True" : JSON.stringify(fortran) ?? "nothing";
    throw bad("'fortran_order': False", `'fortran_order': ${found}`, hint);
  }
  if (
    !Array.isArray(shape) || shape.some((d) => typeof d !== "number" || !Number.isSafeInteger(d) || d < 0)
  ) {
    throw bad(
      "'shape': a tuple of non-negative integers",
      `'shape': ${JSON.stringify(shape)}`,
      "the file is corrupt; save it again",
    );
  }
  return { type, shape: shape as number[] };
}

/**
 * Encodes `data` as a version 1.0 `.npy` file (2.0 if the header needs more than 65535 bytes), with the
 * header padded so the data starts at a multiple of 64 bytes, as NumPy does. `shape` defaults to
 * `[data.length]`.
 *
 * @example
 * ```ts
 * import { writeNpy } from "./npy.ts";
 * const bytes = writeNpy(new Int32Array([3, 1, 4]));
 * const header = new TextDecoder().decode(bytes.subarray(10, 128));
 * if (!header.startsWith("{'descr': '<i4', 'fortran_order': False, 'shape': (3,), }") || bytes.length !== 140) {
 *   throw new Error("bad");
 * }
 * ```
 */
export function writeNpy(data: NpyData, shape: number[] = [data.length]): Uint8Array {
  const type = TYPES.find((t) => data instanceof t.ctor);
  if (type === undefined) throw new TypeError("writeNpy: unsupported typed array");
  if (
    shape.some((d) => !Number.isSafeInteger(d) || d < 0) || shape.reduce((a, b) => a * b, 1) !== data.length
  ) {
    throw new RangeError(`writeNpy: shape (${shape.join(", ")}) does not hold ${data.length} elements`);
  }
  const tuple = shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(", ")})`;
  const dict = `{'descr': '${type.descr}', 'fortran_order': False, 'shape': ${tuple}, }`;
  // Version 1.0 stores the header length in 16 bits; longer headers (huge ranks) need 2.0.
  const fits = Math.ceil((10 + dict.length + 1) / ALIGN) * ALIGN - 10 <= 0xffff;
  const major = fits ? 1 : 2;
  const preamble = fits ? 10 : 12;
  const start = Math.ceil((preamble + dict.length + 1) / ALIGN) * ALIGN;
  const out = new Uint8Array(start + data.byteLength);
  out.set(MAGIC);
  out[6] = major;
  const view = new DataView(out.buffer);
  if (major === 1) view.setUint16(8, start - preamble, true);
  else view.setUint32(8, start - preamble, true);
  const header = dict.padEnd(start - preamble - 1, " ") + "\n";
  out.set(new TextEncoder().encode(header), preamble);
  out.set(new Uint8Array(data.buffer, data.byteOffset, data.byteLength), start);
  return out;
}

/**
 * Reads a `.npy` file from disk.
 *
 * @example
 * ```ts
 * import { readNpyFile, writeNpyFile } from "./npy.ts";
 * const dir = await Deno.makeTempDir();
 * await writeNpyFile(`${dir}/a.npy`, new Uint8Array([1, 2]));
 * if ((await readNpyFile(`${dir}/a.npy`)).data[1] !== 2) throw new Error("bad");
 * await Deno.remove(dir, { recursive: true });
 * ```
 */
export async function readNpyFile(path: string): Promise<NpyArray> {
  return readNpy(await Deno.readFile(path), path);
}

/**
 * Writes a `.npy` file atomically: the bytes go to a temporary file in the same folder, which is then
 * renamed over `path`, so a reader never sees a half-written file.
 *
 * @example
 * ```ts
 * import { writeNpyFile } from "./npy.ts";
 * const dir = await Deno.makeTempDir();
 * await writeNpyFile(`${dir}/scores.npy`, new Float64Array([0.25, 0.75]), [2, 1]);
 * if ((await Deno.stat(`${dir}/scores.npy`)).size !== 144) throw new Error("bad");
 * await Deno.remove(dir, { recursive: true });
 * ```
 */
export async function writeNpyFile(
  path: string,
  data: NpyData,
  shape: number[] = [data.length],
): Promise<void> {
  await writeFileAtomic(path, writeNpy(data, shape));
}

/**
 * The values of `array` as a Float32Array: the data itself when it is float32, a converted copy
 * otherwise (float64 and 64-bit integers round to the nearest float32).
 *
 * @example
 * ```ts
 * import { npyToFloat32 } from "./npy.ts";
 * const out = npyToFloat32({ dtype: "int64", shape: [2], data: new BigInt64Array([1n, -2n]) });
 * if (out.join() !== "1,-2") throw new Error("bad");
 * ```
 */
export function npyToFloat32(array: NpyArray): Float32Array {
  const { data } = array;
  if (data instanceof Float32Array) return data;
  if (data instanceof BigInt64Array || data instanceof BigUint64Array) return Float32Array.from(data, Number);
  return Float32Array.from(data);
}

/**
 * The values of `array` as an Int32Array: the data itself when it is int32, a checked copy otherwise. A
 * value that is not an integer or lies outside the int32 range is a {@linkcode FormatError} naming `file`.
 *
 * @example
 * ```ts
 * import { npyToInt32 } from "./npy.ts";
 * const labels = npyToInt32({ dtype: "int64", shape: [3], data: new BigInt64Array([0n, 9n, 4n]) });
 * if (labels.join() !== "0,9,4") throw new Error("bad");
 * ```
 */
export function npyToInt32(array: NpyArray, file = "array"): Int32Array {
  const { data } = array;
  if (data instanceof Int32Array) return data;
  const out = new Int32Array(data.length);
  for (let i = 0; i < data.length; i++) {
    const v = Number(data[i]);
    if (!Number.isInteger(v) || v < -(2 ** 31) || v >= 2 ** 31) {
      throw new FormatError(file, {
        expected: "integers in the int32 range",
        found: `${data[i]} at index ${i} of the ${array.dtype} array`,
        hint: "the array does not hold labels or indices; check the path",
      });
    }
    out[i] = v;
  }
  return out;
}
