/**
 * Builders for tiny files in every supported format, shared by the format tests and the fuzz test.
 * The MAT-file writer follows the level-5 spec (docs: datasets.md §7) independently of the reader.
 *
 * @module
 */

import assert from "node:assert/strict";
import { FormatError } from "../../../datasets/formats/format_error.ts";

/** Compresses `bytes` with the built-in CompressionStream ("gzip" or "deflate" = zlib). */
export async function compress(bytes: Uint8Array, format: CompressionFormat): Promise<Uint8Array> {
  const stream = ReadableStream.from([bytes as Uint8Array<ArrayBuffer>]).pipeThrough(
    new CompressionStream(format),
  );
  return await new Response(stream).bytes();
}

/** A deterministic PRNG (mulberry32) returning floats in [0, 1): the kernel tests' one. */
export { testRandom as prng } from "../../kernels/util.ts";

/** CIFAR-10 (`coarse` undefined) or CIFAR-100 records; pixel j of record i is (i * 7 + j) & 255. */
export function cifarBytes(labels: number[], coarse?: number[]): Uint8Array {
  const labelBytes = coarse === undefined ? 1 : 2;
  const record = labelBytes + 3072;
  const out = new Uint8Array(labels.length * record);
  labels.forEach((label, i) => {
    if (coarse !== undefined) out[i * record] = coarse[i];
    out[i * record + labelBytes - 1] = label;
    for (let j = 0; j < 3072; j++) out[i * record + labelBytes + j] = (i * 7 + j) & 255;
  });
  return out;
}

/** MAT storage types (mi*) used by the writer. */
export const MI = {
  INT8: 1,
  UINT8: 2,
  INT16: 3,
  UINT16: 4,
  INT32: 5,
  UINT32: 6,
  SINGLE: 7,
  DOUBLE: 9,
  INT64: 12,
  UINT64: 13,
  MATRIX: 14,
  COMPRESSED: 15,
} as const;

/** MAT array classes (mx*_CLASS) used by the writer. */
export const MX = {
  CELL: 1,
  CHAR: 4,
  DOUBLE: 6,
  SINGLE: 7,
  INT8: 8,
  UINT8: 9,
  INT32: 12,
  INT64: 14,
} as const;

/** A variable for {@linkcode writeMat}: `values` are written as `storage` whatever `classCode` is. */
export interface MatVar {
  name: string;
  classCode: number;
  dims: number[];
  storage: number;
  values: ArrayLike<number | bigint>;
  complex?: boolean;
}

const SIZES: Record<number, number> = { 1: 1, 2: 1, 3: 2, 4: 2, 5: 4, 6: 4, 7: 4, 9: 8, 12: 8, 13: 8 };

/** One data element: small form when it holds 1–4 bytes, else an 8-byte tag; padded to 8 bytes. */
export function matElement(type: number, payload: Uint8Array, le: boolean): Uint8Array {
  if (payload.length > 0 && payload.length <= 4) {
    const out = new Uint8Array(8);
    new DataView(out.buffer).setUint32(0, (payload.length << 16) | type, le);
    out.set(payload, 4);
    return out;
  }
  const out = new Uint8Array(8 + Math.ceil(payload.length / 8) * 8);
  const view = new DataView(out.buffer);
  view.setUint32(0, type, le);
  view.setUint32(4, payload.length, le);
  out.set(payload, 8);
  return out;
}

function numbers(type: number, values: ArrayLike<number | bigint>, le: boolean): Uint8Array {
  const size = SIZES[type];
  const out = new Uint8Array(values.length * size);
  const view = new DataView(out.buffer);
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    const at = i * size;
    switch (type) {
      case MI.INT8:
        view.setInt8(at, Number(v));
        break;
      case MI.UINT8:
        view.setUint8(at, Number(v));
        break;
      case MI.INT16:
        view.setInt16(at, Number(v), le);
        break;
      case MI.UINT16:
        view.setUint16(at, Number(v), le);
        break;
      case MI.INT32:
        view.setInt32(at, Number(v), le);
        break;
      case MI.UINT32:
        view.setUint32(at, Number(v), le);
        break;
      case MI.SINGLE:
        view.setFloat32(at, Number(v), le);
        break;
      case MI.DOUBLE:
        view.setFloat64(at, Number(v), le);
        break;
      case MI.INT64:
        view.setBigInt64(at, BigInt(v), le);
        break;
      case MI.UINT64:
        view.setBigUint64(at, BigInt(v), le);
        break;
    }
  }
  return out;
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** A complete miMATRIX element (tag included) for `v`. */
export function matMatrix(v: MatVar, le: boolean): Uint8Array {
  const flags = numbers(MI.UINT32, [v.classCode | (v.complex ? 0x800 : 0), 0], le);
  const parts = [
    matElement(MI.UINT32, flags, le),
    matElement(MI.INT32, numbers(MI.INT32, v.dims, le), le),
    matElement(MI.INT8, new TextEncoder().encode(v.name), le),
    matElement(v.storage, numbers(v.storage, v.values, le), le),
  ];
  if (v.complex) parts.push(matElement(v.storage, numbers(v.storage, v.values, le), le));
  return matElement(MI.MATRIX, concat(parts), le);
}

/** A level-5 MAT-file holding `vars`, each zlib-compressed (miCOMPRESSED) when `compressed`. */
export async function writeMat(
  vars: MatVar[],
  { compressed = true, le = true }: { compressed?: boolean; le?: boolean } = {},
): Promise<Uint8Array> {
  const header = new Uint8Array(128).fill(0x20);
  header.set(new TextEncoder().encode("MATLAB 5.0 MAT-file, Platform: deno, Created on: test"));
  header.fill(0, 116, 124);
  new DataView(header.buffer).setUint16(124, 0x0100, le);
  header.set(new TextEncoder().encode(le ? "IM" : "MI"), 126);
  const elements: Uint8Array[] = [header];
  for (const v of vars) {
    const matrix = matMatrix(v, le);
    if (!compressed) {
      elements.push(matrix);
      continue;
    }
    const z = await compress(matrix, "deflate");
    const tag = new Uint8Array(8);
    new DataView(tag.buffer).setUint32(0, MI.COMPRESSED, le);
    new DataView(tag.buffer).setUint32(4, z.length, le);
    elements.push(tag, z);
  }
  return concat(elements);
}

/** X(r, c, ch, n) of the SVHN fixture: a value that differs for every position of a small set. */
export function svhnPixel(r: number, c: number, ch: number, n: number): number {
  return (r * 3 + c * 5 + ch * 101 + n * 37) & 255;
}

/** An SVHN-style MAT-file: X uint8 [32, 32, 3, N] column-major, y double [N, 1] stored as miUINT8. */
export async function svhnMat(
  labels: number[],
  options: { compressed?: boolean; le?: boolean } = {},
): Promise<Uint8Array> {
  const n = labels.length;
  const x = new Uint8Array(3072 * n);
  for (let i = 0; i < n; i++) {
    for (let ch = 0; ch < 3; ch++) {
      for (let c = 0; c < 32; c++) {
        for (let r = 0; r < 32; r++) x[r + 32 * c + 1024 * ch + 3072 * i] = svhnPixel(r, c, ch, i);
      }
    }
  }
  return await writeMat([
    { name: "X", classCode: MX.UINT8, dims: [32, 32, 3, n], storage: MI.UINT8, values: x },
    // MATLAB stores integer-valued doubles compactly: class double, storage miUINT8.
    { name: "y", classCode: MX.DOUBLE, dims: [n, 1], storage: MI.UINT8, values: labels },
  ], options);
}

/** Asserts that `fn` throws a FormatError whose message matches `pattern`; returns the error. */
export function throwsFormat(fn: () => unknown, pattern: RegExp): FormatError {
  let caught: unknown;
  try {
    fn();
  } catch (e) {
    caught = e;
  }
  return checkFormatError(caught, pattern);
}

/** Asserts that `fn` rejects with a FormatError whose message matches `pattern`; returns the error. */
export async function rejectsFormat(fn: () => Promise<unknown>, pattern: RegExp): Promise<FormatError> {
  let caught: unknown;
  try {
    await fn();
  } catch (e) {
    caught = e;
  }
  return checkFormatError(caught, pattern);
}

function checkFormatError(caught: unknown, pattern: RegExp): FormatError {
  if (!(caught instanceof FormatError)) {
    assert.fail(
      `expected a FormatError matching ${pattern}, got ${caught === undefined ? "no error" : String(caught)}`,
    );
  }
  assert.match(caught.message, pattern);
  assert.ok(!caught.message.includes("\n"), "the message must be one line");
  return caught;
}

/** Decodes base64 (used for golden files written by NumPy and SciPy). */
export function fromBase64(text: string): Uint8Array {
  return Uint8Array.from(atob(text), (c) => c.charCodeAt(0));
}
