/**
 * CIFAR-10 and CIFAR-100 binary batches. A CIFAR-10 record is 1 label byte then 3072 pixel bytes; a
 * CIFAR-100 record is a coarse label byte, a fine label byte, then 3072 pixel bytes. Pixels are planar
 * CHW: the 32×32 red plane row by row, then green, then blue.
 *
 * @module
 */

import { FormatError, TRUNCATED } from "./format_error.ts";

/**
 * Bytes of one 3×32×32 image.
 *
 * @example
 * ```ts
 * import { CIFAR_IMAGE_BYTES } from "./cifar.ts";
 * const batchBytes = 10000 * (1 + CIFAR_IMAGE_BYTES); // one CIFAR-10 batch file
 * if (batchBytes !== 30730000) throw new Error("bad");
 * ```
 */
export const CIFAR_IMAGE_BYTES = 3 * 32 * 32;

/** Images and labels of one or more CIFAR batches. */
export interface CifarBatch {
  /** Number of images. */
  count: number;
  /** The class of each image (CIFAR-100: the fine label, 0–99). */
  labels: Uint8Array;
  /** CIFAR-100 only: the superclass of each image, 0–19. */
  coarseLabels?: Uint8Array;
  /** `count × 3 × 32 × 32` pixels as stored (channel planes R, G, B, each row-major). */
  pixels: Uint8Array;
}

/** Size limits for a batch; `count` pins the record count (10000 for a CIFAR-10 batch). */
export interface CifarExpect {
  /** Exact number of records the file must hold. */
  count?: number;
}

/**
 * Reads a CIFAR-10 binary batch (`data_batch_1.bin` … `test_batch.bin`).
 *
 * @example
 * ```ts
 * import { readCifar10 } from "./cifar.ts";
 * const record = new Uint8Array(3073);
 * record[0] = 6; // frog
 * record[1] = 255; // top-left red pixel
 * const { count, labels, pixels } = readCifar10(record, "data_batch_1.bin");
 * if (count !== 1 || labels[0] !== 6 || pixels[0] !== 255 || pixels.length !== 3072) throw new Error("bad");
 * ```
 */
export function readCifar10(bytes: Uint8Array, file: string, expect: CifarExpect = {}): CifarBatch {
  const count = recordCount(bytes, file, 1, expect);
  const labels = readLabels(bytes, file, count, 1, 0, 10, "label");
  return { count, labels, pixels: readPixels(bytes, count, 1) };
}

/**
 * Reads a CIFAR-100 binary file (`train.bin`, `test.bin`): `labels` are the fine labels (the ones
 * DeepCore uses), `coarseLabels` the superclasses.
 *
 * @example
 * ```ts
 * import { readCifar100 } from "./cifar.ts";
 * const record = new Uint8Array(3074);
 * record[0] = 19; // coarse: vehicles_2
 * record[1] = 99; // fine: worm
 * const { labels, coarseLabels } = readCifar100(record, "train.bin");
 * if (labels[0] !== 99 || coarseLabels?.[0] !== 19) throw new Error("bad");
 * ```
 */
export function readCifar100(bytes: Uint8Array, file: string, expect: CifarExpect = {}): CifarBatch {
  const count = recordCount(bytes, file, 2, expect);
  const coarseLabels = readLabels(bytes, file, count, 2, 0, 20, "coarse label");
  const labels = readLabels(bytes, file, count, 2, 1, 100, "fine label");
  return { count, labels, coarseLabels, pixels: readPixels(bytes, count, 2) };
}

/**
 * Joins batches in order, e.g. CIFAR-10's `data_batch_1.bin` … `data_batch_5.bin` into the training set
 * (sample i is record i mod 10000 of batch ⌊i/10000⌋ + 1).
 *
 * @example
 * ```ts
 * import { concatCifar, readCifar10 } from "./cifar.ts";
 * const a = readCifar10(new Uint8Array(3073).fill(1), "a");
 * const b = readCifar10(new Uint8Array(3073).fill(2), "b");
 * const all = concatCifar([a, b]);
 * if (all.count !== 2 || all.labels.join() !== "1,2" || all.pixels[3072] !== 2) throw new Error("bad");
 * ```
 */
export function concatCifar(batches: CifarBatch[]): CifarBatch {
  const count = batches.reduce((n, b) => n + b.count, 0);
  const labels = new Uint8Array(count);
  const pixels = new Uint8Array(count * CIFAR_IMAGE_BYTES);
  const coarse = batches.every((b) => b.coarseLabels !== undefined) ? new Uint8Array(count) : undefined;
  let at = 0;
  for (const b of batches) {
    labels.set(b.labels, at);
    pixels.set(b.pixels, at * CIFAR_IMAGE_BYTES);
    if (coarse !== undefined) coarse.set(b.coarseLabels!, at);
    at += b.count;
  }
  return coarse === undefined ? { count, labels, pixels } : { count, labels, coarseLabels: coarse, pixels };
}

function recordCount(bytes: Uint8Array, file: string, labelBytes: number, expect: CifarExpect): number {
  const record = labelBytes + CIFAR_IMAGE_BYTES;
  const count = Math.floor(bytes.length / record);
  const exact = expect.count;
  if (exact !== undefined && bytes.length !== exact * record) {
    const short = bytes.length < exact * record;
    throw new FormatError(file, {
      expected: `${exact * record} bytes (${exact} records of ${record})`,
      found: `${bytes.length}`,
      hint: short ? TRUNCATED : "the file is longer than a batch; check the path or download it again",
    });
  }
  if (count === 0 || bytes.length % record !== 0) {
    throw new FormatError(file, {
      offset: count * record,
      expected: `a whole number (at least 1) of ${record}-byte records`,
      found: `${bytes.length} bytes (${count} record${count === 1 ? "" : "s"} and ${
        bytes.length - count * record
      } bytes)`,
      hint: bytes.length === 0 ? "the file is empty; download it again" : TRUNCATED,
    });
  }
  return count;
}

function readLabels(
  bytes: Uint8Array,
  file: string,
  count: number,
  labelBytes: number,
  column: number,
  classes: number,
  what: string,
): Uint8Array {
  const record = labelBytes + CIFAR_IMAGE_BYTES;
  const labels = new Uint8Array(count);
  for (let i = 0; i < count; i++) {
    const label = bytes[i * record + column];
    if (label >= classes) {
      throw new FormatError(file, {
        offset: i * record + column,
        expected: `a ${what} 0–${classes - 1}`,
        found: `${label} in record ${i}`,
        hint: "the file is corrupt or from another CIFAR version (10 vs 100); check the path",
      });
    }
    labels[i] = label;
  }
  return labels;
}

function readPixels(bytes: Uint8Array, count: number, labelBytes: number): Uint8Array {
  const record = labelBytes + CIFAR_IMAGE_BYTES;
  const pixels = new Uint8Array(count * CIFAR_IMAGE_BYTES);
  for (let i = 0; i < count; i++) {
    const start = i * record + labelBytes;
    pixels.set(bytes.subarray(start, start + CIFAR_IMAGE_BYTES), i * CIFAR_IMAGE_BYTES);
  }
  return pixels;
}
