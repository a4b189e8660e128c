/**
 * MATLAB level-5 MAT-files (`save -v7` and older), to the extent SVHN's `*_32x32.mat` files need:
 * the 128-byte header, plain and zlib-compressed data elements, and real numeric matrices of any class.
 *
 * MATLAB arrays are column-major: element (i0, i1, …, ik) of an array with dims [d0, d1, …, dk] sits at
 * linear index i0 + d0·(i1 + d1·(i2 + …)). `data` keeps that order; callers reorder (see `svhn_mat.ts`).
 *
 * @module
 */

import { FormatError, TRUNCATED } from "./format_error.ts";
import { inflateZlib } from "./gzip.ts";

/** Numeric array classes this reader decodes. */
export type MatClass =
  | "double"
  | "single"
  | "int8"
  | "uint8"
  | "int16"
  | "uint16"
  | "int32"
  | "uint32"
  | "int64"
  | "uint64";

/** The typed array that holds each {@linkcode MatClass}. */
export type MatData =
  | Float64Array
  | Float32Array
  | Int8Array
  | Uint8Array
  | Int16Array
  | Uint16Array
  | Int32Array
  | Uint32Array
  | BigInt64Array
  | BigUint64Array;

/** One variable of a MAT-file. */
export interface MatArray {
  /** The MATLAB class; `data` holds values of this class whatever type the file stored them as. */
  class: MatClass;
  /** Dimensions, at least two (MATLAB drops trailing singleton dimensions beyond the second). */
  dims: number[];
  /** The real part, column-major (first dimension fastest). */
  data: MatData;
  /** True for MATLAB `logical` arrays (stored as class uint8). */
  logical: boolean;
}

/** Options of {@linkcode readMat}. */
export interface MatReadOptions {
  /**
   * Decode only these variables; a listed variable that is not a real numeric array is an error.
   * Without it, every real numeric variable is decoded and the others (cells, structs, char, sparse,
   * complex) are skipped.
   */
  names?: string[];
}

type Ctor = { new (length: number): MatData; new (b: ArrayBuffer, at: number, n: number): MatData };

const CLASSES: Record<number, { name: MatClass; ctor: Ctor }> = {
  6: { name: "double", ctor: Float64Array },
  7: { name: "single", ctor: Float32Array },
  8: { name: "int8", ctor: Int8Array },
  9: { name: "uint8", ctor: Uint8Array },
  10: { name: "int16", ctor: Int16Array },
  11: { name: "uint16", ctor: Uint16Array },
  12: { name: "int32", ctor: Int32Array },
  13: { name: "uint32", ctor: Uint32Array },
  14: { name: "int64", ctor: BigInt64Array },
  15: { name: "uint64", ctor: BigUint64Array },
};
const OTHER_CLASSES: Record<number, string> = { 1: "cell", 2: "struct", 3: "object", 4: "char", 5: "sparse" };

type Getter = (v: DataView, at: number, le: boolean) => number | bigint;
const STORAGE: Record<number, { name: string; size: number; ctor: Ctor; get: Getter }> = {
  1: { name: "miINT8", size: 1, ctor: Int8Array, get: (v, at) => v.getInt8(at) },
  2: { name: "miUINT8", size: 1, ctor: Uint8Array, get: (v, at) => v.getUint8(at) },
  3: { name: "miINT16", size: 2, ctor: Int16Array, get: (v, at, le) => v.getInt16(at, le) },
  4: { name: "miUINT16", size: 2, ctor: Uint16Array, get: (v, at, le) => v.getUint16(at, le) },
  5: { name: "miINT32", size: 4, ctor: Int32Array, get: (v, at, le) => v.getInt32(at, le) },
  6: { name: "miUINT32", size: 4, ctor: Uint32Array, get: (v, at, le) => v.getUint32(at, le) },
  7: { name: "miSINGLE", size: 4, ctor: Float32Array, get: (v, at, le) => v.getFloat32(at, le) },
  9: { name: "miDOUBLE", size: 8, ctor: Float64Array, get: (v, at, le) => v.getFloat64(at, le) },
  12: { name: "miINT64", size: 8, ctor: BigInt64Array, get: (v, at, le) => v.getBigInt64(at, le) },
  13: { name: "miUINT64", size: 8, ctor: BigUint64Array, get: (v, at, le) => v.getBigUint64(at, le) },
};
const MI_INT8 = 1,
  MI_UINT8 = 2,
  MI_INT32 = 5,
  MI_UINT32 = 6,
  MI_MATRIX = 14,
  MI_COMPRESSED = 15,
  MI_UTF8 = 16;
const CORRUPT = "the file is corrupt; download it again";

/** A byte range being parsed, and how to name positions in it. */
interface Region {
  file: string;
  bytes: Uint8Array;
  view: DataView;
  le: boolean;
  /** Set for inflated data: positions are relative to it, and its memory is ours to alias. */
  context?: string;
}

interface Tag {
  type: number;
  size: number;
  /** Where the data starts. */
  data: number;
  /** Where the next element starts. */
  next: number;
}

function fail(r: Region, offset: number, expected: string, found: string, hint = CORRUPT): never {
  throw new FormatError(r.file, { offset, context: r.context, expected, found, hint });
}

/**
 * Reads the numeric variables of a MAT-file (level 5, as written by `save -v7`, `-v6` or scipy's
 * `savemat`), returning name → array. Bad input is a {@linkcode FormatError} with the byte offset.
 *
 * @example
 * ```ts
 * import { readMat } from "./mat.ts";
 * // A header and one plain miMATRIX: uint8 variable "a" of dims [1, 2] holding 7, 9.
 * const bytes = new Uint8Array(128 + 56);
 * bytes.set(new TextEncoder().encode("MATLAB 5.0 MAT-file"));
 * bytes.set([0x00, 0x01, 0x49, 0x4d], 124); // version 0x0100, "IM" = little-endian
 * const v = new DataView(bytes.buffer);
 * const words = [14, 48, 6, 8, 9, 0, 5, 8, 1, 2, 0x00010001, 0x61, 0x00020002, 7 | (9 << 8)];
 * words.forEach((w, i) => v.setUint32(128 + 4 * i, w, true));
 * const a = (await readMat(bytes, "a.mat")).get("a")!;
 * if (a.class !== "uint8" || a.dims.join() !== "1,2" || a.data.join() !== "7,9") throw new Error("bad");
 * ```
 */
export async function readMat(
  bytes: Uint8Array,
  file: string,
  options: MatReadOptions = {},
): Promise<Map<string, MatArray>> {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const top: Region = { file, bytes, view, le: readHeader(bytes, file) };
  const out = new Map<string, MatArray>();
  let pos = 128;
  while (pos < bytes.length) {
    if (bytes.length - pos < 8 && bytes.subarray(pos).every((b) => b === 0)) break; // end padding
    const tag = readTag(top, pos, bytes.length);
    if (tag.type === MI_COMPRESSED) {
      const inflated = await inflateZlib(bytes.subarray(tag.data, tag.data + tag.size), file, {
        offset: tag.data,
        context: `zlib data of the element at byte ${pos}`,
      });
      const inner: Region = {
        file,
        bytes: inflated,
        view: new DataView(inflated.buffer, inflated.byteOffset, inflated.byteLength),
        le: top.le,
        context: `in the inflated data of the compressed element at byte ${pos}`,
      };
      if (inflated.length < 8) fail(inner, 0, "an 8-byte matrix tag", `${inflated.length} bytes`, TRUNCATED);
      const innerTag = readTag(inner, 0, inflated.length);
      if (innerTag.type !== MI_MATRIX) {
        fail(inner, 0, `a matrix element (type ${MI_MATRIX})`, `type ${innerTag.type}`);
      }
      readMatrix(inner, innerTag, options, out);
      pos = tag.data + tag.size; // compressed elements are not padded
    } else if (tag.type === MI_MATRIX) {
      readMatrix(top, tag, options, out);
      pos = tag.next;
    } else {
      fail(top, pos, `a matrix (${MI_MATRIX}) or compressed (${MI_COMPRESSED}) element`, `type ${tag.type}`);
    }
  }
  return out;
}

function readHeader(bytes: Uint8Array, file: string): boolean {
  const text = new TextDecoder("latin1").decode(bytes.subarray(0, 116));
  if (bytes.length < 128) {
    const hint = text.startsWith("MATLAB") ? TRUNCATED : "this is not a MATLAB .mat file; check the path";
    throw new FormatError(file, {
      expected: "a 128-byte MAT-file header",
      found: `${bytes.length} bytes`,
      hint,
    });
  }
  const indicator = String.fromCharCode(bytes[126], bytes[127]);
  const le = indicator === "IM";
  const version = le ? bytes[124] | (bytes[125] << 8) : (bytes[124] << 8) | bytes[125];
  if ((indicator !== "IM" && indicator !== "MI") || version !== 0x0100) {
    const hint = text.startsWith("MATLAB 7.3")
      ? "this is a MATLAB 7.3 (HDF5) file; re-save it with save(..., '-v7')"
      : text.startsWith("MATLAB")
      ? CORRUPT
      : "this is not a MATLAB level-5 .mat file; check the path";
    throw new FormatError(file, {
      offset: 124,
      expected: 'version 0x0100 and endian indicator "IM" or "MI"',
      found: `version 0x${version.toString(16).padStart(4, "0")} and ${JSON.stringify(indicator)}`,
      hint,
    });
  }
  return le;
}

/** Reads the tag at `pos`, checking the element's data ends by `end`. */
function readTag(r: Region, pos: number, end: number): Tag {
  if (end - pos < 8) fail(r, pos, "an 8-byte element tag", `${end - pos} bytes`, TRUNCATED);
  const word = r.view.getUint32(pos, r.le);
  if (word >>> 16 !== 0) {
    // Small data element: type in the low 16 bits, size in the high 16, data in the next 4 bytes.
    const size = word >>> 16;
    if (size > 4) fail(r, pos, "a small data element of at most 4 bytes", `${size} bytes`);
    return { type: word & 0xffff, size, data: pos + 4, next: pos + 8 };
  }
  const size = r.view.getUint32(pos + 4, r.le);
  const data = pos + 8;
  if (size > end - data) {
    fail(r, pos, `an element of at most ${end - data} bytes`, `a declared size of ${size}`, TRUNCATED);
  }
  return { type: word, size, data, next: Math.min(data + Math.ceil(size / 8) * 8, end) };
}

function readMatrix(r: Region, tag: Tag, options: MatReadOptions, out: Map<string, MatArray>): void {
  if (tag.size === 0) return; // an empty placeholder element
  const end = tag.data + tag.size;
  const flags = readTag(r, tag.data, end);
  if (flags.type !== MI_UINT32 || flags.size !== 8) {
    fail(r, tag.data, "array flags (miUINT32, 8 bytes)", `type ${flags.type}, ${flags.size} bytes`);
  }
  const flagWord = r.view.getUint32(flags.data, r.le);
  const classCode = flagWord & 0xff;
  const complex = (flagWord & 0x800) !== 0;
  const dimsTag = readTag(r, flags.next, end);
  if (dimsTag.type !== MI_INT32 || dimsTag.size % 4 !== 0 || dimsTag.size < 8) {
    fail(r, flags.next, "dimensions (miINT32, at least 2)", `type ${dimsTag.type}, ${dimsTag.size} bytes`);
  }
  const dims: number[] = [];
  for (let at = dimsTag.data; at < dimsTag.data + dimsTag.size; at += 4) {
    const d = r.view.getInt32(at, r.le);
    if (d < 0) fail(r, at, "a non-negative dimension", `${d}`);
    dims.push(d);
  }
  const nameTag = readTag(r, dimsTag.next, end);
  if (nameTag.type !== MI_INT8 && nameTag.type !== MI_UINT8 && nameTag.type !== MI_UTF8) {
    fail(r, dimsTag.next, "an array name (miINT8)", `type ${nameTag.type}`);
  }
  const name = new TextDecoder().decode(r.bytes.subarray(nameTag.data, nameTag.data + nameTag.size));
  const wanted = options.names === undefined || options.names.includes(name);
  const cls = CLASSES[classCode];
  if (cls === undefined || complex) {
    if (options.names?.includes(name)) {
      const kind = complex ? "a complex array" : `${OTHER_CLASSES[classCode] ?? `class ${classCode}`} array`;
      fail(
        r,
        tag.data,
        `variable '${name}' to be a real numeric array`,
        kind,
        "re-save it as a real numeric array",
      );
    }
    if (cls === undefined && OTHER_CLASSES[classCode] === undefined && classCode !== 16 && classCode !== 17) {
      fail(r, tag.data, "an array class 1–17", `${classCode}`);
    }
    return;
  }
  if (!wanted) return;
  const realTag = readTag(r, nameTag.next, end);
  const storage = STORAGE[realTag.type];
  if (storage === undefined) {
    fail(r, nameTag.next, "a numeric element (miINT8 … miUINT64)", `type ${realTag.type}`);
  }
  const count = dims.reduce((a, b) => a * b, 1);
  if (realTag.size !== count * storage.size) {
    fail(
      r,
      nameTag.next,
      `${count * storage.size} bytes of ${storage.name} for dims ${dims.join("×")}`,
      `${realTag.size}`,
    );
  }
  const data = convert(r, realTag.data, count, storage, cls.ctor);
  out.set(name, { class: cls.name, dims, data, logical: (flagWord & 0x200) !== 0 });
}

function convert(
  r: Region,
  at: number,
  count: number,
  storage: (typeof STORAGE)[number],
  target: Ctor,
): MatData {
  const bytesAt = r.bytes.byteOffset + at;
  if (storage.ctor === target && (r.le || storage.size === 1)) {
    // Inflated data is private, so alias it when aligned; a caller's buffer is always copied.
    if (r.context !== undefined && bytesAt % storage.size === 0) {
      return new target(r.bytes.buffer as ArrayBuffer, bytesAt, count);
    }
    return new target(r.bytes.slice(at, at + count * storage.size).buffer, 0, count);
  }
  const out = new target(count);
  const big = out instanceof BigInt64Array || out instanceof BigUint64Array;
  for (let i = 0; i < count; i++) {
    const value = storage.get(r.view, at + i * storage.size, r.le);
    if (big) {
      if (typeof value === "number" && !Number.isInteger(value)) {
        fail(r, at + i * storage.size, "an integer for a 64-bit integer class", `${value}`);
      }
      (out as BigInt64Array)[i] = BigInt(value);
    } else {
      (out as Float64Array)[i] = Number(value);
    }
  }
  return out;
}
