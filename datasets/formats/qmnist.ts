/**
 * QMNIST's extended label files (`qmnist-*-labels-idx2-int`): IDX int32, rank 2, dims [rows, 8]. Column
 * 0 is the digit class (the label DeepCore uses); the others are NIST provenance (series, writer id,
 * digit index for the writer, NIST class code, global NIST index, duplicate, unused).
 *
 * @module
 */

import { FormatError } from "./format_error.ts";
import { readIdx } from "./idx.ts";

/**
 * Number of int32 columns per QMNIST label record.
 *
 * @example
 * ```ts
 * import { QMNIST_COLUMNS } from "./qmnist.ts";
 * const writerIdOfRecord = (records: Int32Array, i: number) => records[i * QMNIST_COLUMNS + 2];
 * if (writerIdOfRecord(new Int32Array([5, 4, 2100, 3, 35, 9, 0, 0]), 0) !== 2100) throw new Error("bad");
 * ```
 */
export const QMNIST_COLUMNS = 8;

/** A parsed QMNIST extended label file. */
export interface QmnistLabels {
  /** Number of records. */
  count: number;
  /** Column 0 of every record: the digit class 0–9. */
  labels: Uint8Array;
  /** All records, `count × 8` int32 row-major. */
  records: Int32Array;
}

/**
 * Reads a QMNIST extended label file (uncompressed; gunzip it first), checking the shape and that every
 * class is 0–9.
 *
 * @example
 * ```ts
 * import { readQmnistLabels } from "./qmnist.ts";
 * import { writeIdx } from "./idx.ts";
 * const file = writeIdx({ dtype: "int32", dims: [1, 8], data: new Int32Array([5, 4, 2100, 3, 35, 9, 0, 0]) });
 * const { count, labels, records } = readQmnistLabels(file, "qmnist-test-labels-idx2-int");
 * if (count !== 1 || labels[0] !== 5 || records[2] !== 2100) throw new Error("bad");
 * ```
 */
export function readQmnistLabels(bytes: Uint8Array, file: string): QmnistLabels {
  // Check the header first so another IDX file reports its kind rather than a size mismatch.
  if (bytes.length >= 4 && bytes[0] === 0 && bytes[1] === 0 && (bytes[2] !== 0x0c || bytes[3] !== 2)) {
    throw new FormatError(file, {
      offset: 2,
      expected: "IDX int32 rank 2 (magic 00 00 0c 02)",
      found: `type ${bytes[2].toString(16).padStart(2, "0")} rank ${bytes[3]}`,
      hint: "this is not a QMNIST extended label file (qmnist-*-labels-idx2-int); check the path",
    });
  }
  const { dims, data } = readIdx(bytes, file);
  const [count, columns] = dims;
  if (columns !== QMNIST_COLUMNS) {
    throw new FormatError(file, {
      offset: 8,
      expected: `${QMNIST_COLUMNS} columns per record`,
      found: `${columns}`,
      hint: "this is not a QMNIST extended label file; check the path",
    });
  }
  const records = data as Int32Array;
  const labels = new Uint8Array(count);
  for (let i = 0; i < count; i++) {
    const label = records[i * QMNIST_COLUMNS];
    if (label < 0 || label > 9) {
      throw new FormatError(file, {
        offset: 12 + 4 * i * QMNIST_COLUMNS,
        expected: "a class 0–9 in column 0",
        found: `${label} in record ${i}`,
        hint: "the file is corrupt; download it again",
      });
    }
    labels[i] = label;
  }
  return { count, labels, records };
}
