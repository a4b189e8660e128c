/**
 * CIFAR's Python distribution (`cifar-10-batches-py/data_batch_1` … `test_batch`,
 * `cifar-100-python/train` and `test`), the layout torchvision reads: each file is a pickled dict whose
 * `data` is a numpy uint8 array of N×3072 (the same R, G, B planes as the binary files) and whose
 * `labels` (CIFAR-10) or `fine_labels` and `coarse_labels` (CIFAR-100) are lists of ints.
 *
 * @module
 */

import type { CifarBatch } from "./cifar.ts";
import { CIFAR_IMAGE_BYTES } from "./cifar.ts";
import { FormatError } from "./format_error.ts";
import { type PickleBytes, type PickleCall, type PickleValue, readPickle } from "./pickle.ts";

const NOT_CIFAR = "this is not a CIFAR python batch; check the path or download it again";

/**
 * Reads a pickled CIFAR batch; `kind` selects the label keys ("cifar10": `labels`; "cifar100":
 * `fine_labels`, and `coarse_labels` as `coarseLabels`).
 *
 * @example
 * ```ts
 * import { readCifarPickle } from "./cifar_pickle.ts";
 * // {'data': ndarray uint8 (1, 3072) of zeros, 'labels': [6]}, pickled by Python 2 as the CIFAR files are
 * const enc = new TextEncoder();
 * const str = (s: string) => [0x55, s.length, ...enc.encode(s)];
 * const bytes = new Uint8Array([
 *   0x80, 2, 0x7d, 0x28, ...str("data"),
 *   0x63, ...enc.encode("numpy.core.multiarray\n_reconstruct\n"),
 *   0x63, ...enc.encode("numpy\nndarray\n"), 0x4b, 0, 0x85, ...str("b"), 0x87, 0x52,
 *   0x28, 0x4b, 1, 0x4b, 1, 0x4d, 0, 12, 0x86,
 *   0x63, ...enc.encode("numpy\ndtype\n"), ...str("u1"), 0x4b, 0, 0x4b, 1, 0x87, 0x52,
 *   0x28, 0x4b, 3, ...str("|"), 0x4e, 0x4e, 0x4e, 0x4a, 255, 255, 255, 255, 0x4a, 255, 255, 255, 255, 0x4b, 0,
 *   0x74, 0x62, 0x89, 0x54, 0, 12, 0, 0, ...new Uint8Array(3072), 0x74, 0x62,
 *   ...str("labels"), 0x5d, 0x4b, 6, 0x61, 0x75, 0x2e,
 * ]);
 * const { count, labels } = readCifarPickle(bytes, "data_batch_1", "cifar10");
 * console.log(count, labels); // 1 Uint8Array [6]
 * ```
 */
export function readCifarPickle(bytes: Uint8Array, file: string, kind: "cifar10" | "cifar100"): CifarBatch {
  const value = readPickle(bytes, file);
  const bad = (expected: string, found: string) =>
    new FormatError(file, { expected, found, hint: NOT_CIFAR });
  if (!(value instanceof Map)) throw bad("a pickled dict", describe(value));
  const pixels = ndarrayBytes(value.get("data"), file);
  const count = pixels.length / CIFAR_IMAGE_BYTES;
  const labelKey = kind === "cifar10" ? "labels" : "fine_labels";
  const classes = kind === "cifar10" ? 10 : 100;
  const labels = intList(value.get(labelKey), labelKey, count, classes, file);
  if (kind === "cifar10") return { count, labels, pixels };
  const coarseLabels = intList(value.get("coarse_labels"), "coarse_labels", count, 20, file);
  return { count, labels, coarseLabels, pixels };
}

/**
 * The bytes of a pickled numpy uint8 array of shape (N, 3072): `_reconstruct` + BUILD state (protocols
 * 2–4) or `_frombuffer(bytes, dtype, shape, order)` (protocol 5).
 */
function ndarrayBytes(v: PickleValue | undefined, file: string): Uint8Array {
  const bad = (expected: string, found: string) =>
    new FormatError(file, { expected, found, hint: NOT_CIFAR });
  const call = v as PickleCall | undefined;
  if (!call || typeof call !== "object" || !("args" in call)) throw bad("'data': a numpy array", describe(v));
  let parts: PickleValue[];
  if (call.global.endsWith("multiarray._reconstruct") && Array.isArray(call.state)) {
    const [, shape, dtype, fortran, raw] = call.state;
    parts = [shape!, dtype!, fortran === false ? "C" : "F", raw!];
  } else if (call.global.endsWith("._frombuffer")) {
    const [raw, dtype, shape, order] = call.args;
    parts = [shape!, dtype!, order!, raw!];
  } else {
    throw bad("'data': a numpy array", describe(v));
  }
  const [shape, dtype, order, raw] = parts;
  const dtypeName = (dtype as PickleCall | undefined)?.args?.[0];
  const name = typeof dtypeName === "string" ? dtypeName : (dtypeName as PickleBytes | undefined)?.text?.();
  if (name !== "u1") throw bad("'data' of dtype uint8 (u1)", `dtype ${name ?? describe(dtype)}`);
  if (!Array.isArray(shape) || shape.length !== 2 || shape[1] !== CIFAR_IMAGE_BYTES || order !== "C") {
    throw bad(`'data' of shape (N, ${CIFAR_IMAGE_BYTES}) in C order`, `shape ${JSON.stringify(shape)}`);
  }
  const count = shape[0] as number;
  const data = (raw as PickleBytes | undefined)?.bytes;
  if (!(data instanceof Uint8Array) || data.length !== count * CIFAR_IMAGE_BYTES) {
    throw bad(`${count * CIFAR_IMAGE_BYTES} bytes of pixels`, `${data?.length ?? describe(raw)}`);
  }
  return data.slice();
}

function intList(v: PickleValue | undefined, key: string, count: number, classes: number, file: string) {
  if (!Array.isArray(v) || v.length !== count) {
    throw new FormatError(file, {
      expected: `'${key}': a list of ${count} labels (one per image of 'data')`,
      found: Array.isArray(v) ? `${v.length} labels` : describe(v),
      hint: NOT_CIFAR,
    });
  }
  const out = new Uint8Array(count);
  for (let i = 0; i < count; i++) {
    const label = v[i];
    if (typeof label !== "number" || !Number.isInteger(label) || label < 0 || label >= classes) {
      throw new FormatError(file, {
        expected: `'${key}' between 0 and ${classes - 1}`,
        found: `${String(label)} for image ${i}`,
        hint: "the file is corrupt or from another CIFAR version (10 vs 100); check the path",
      });
    }
    out[i] = label;
  }
  return out;
}

function describe(v: unknown): string {
  if (v === undefined) return "nothing";
  if (v === null) return "None";
  if (Array.isArray(v)) return `a list of ${v.length}`;
  if (v instanceof Map) return `a dict with keys ${JSON.stringify([...v.keys()].slice(0, 8))}`;
  if (typeof v === "object" && "global" in v) return `a ${(v as { global: string }).global} object`;
  return typeof v;
}
