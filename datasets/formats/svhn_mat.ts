/**
 * SVHN's cropped-digit files (`train_32x32.mat`, `test_32x32.mat`, `extra_32x32.mat`): a uint8 `X` of
 * dims [32, 32, 3, N] (row, column, channel, image; column-major) and labels `y` of dims [N, 1] holding
 * 1..10, where 10 means the digit 0.
 *
 * @module
 */

import { FormatError } from "./format_error.ts";
import { readMat } from "./mat.ts";

/** SVHN images and labels in the layout the rest of deepcore uses. */
export interface SvhnSet {
  /** Number of images. */
  count: number;
  /** Digit 0–9 of each image (the file's label 10 becomes 0, as torchvision does). */
  labels: Uint8Array;
  /** `count × 3 × 32 × 32` pixels: [n, channel, row, column], row-major, channels R, G, B. */
  pixels: Uint8Array;
}

const SIDE = 32;
const PLANE = SIDE * SIDE;

/**
 * Decodes an SVHN `.mat` file into N×3×32×32 pixels and 0–9 labels: pixel [n, ch, r, c] is
 * X(r, c, ch, n), which MATLAB's column-major order stores at r + 32·c + 1024·ch + 3072·n.
 *
 * @example
 * ```ts
 * import { svhnFromMat } from "./svhn_mat.ts";
 * // A header and two plain matrices: X (uint8 32×32×3, i.e. N = 1, all 0 but X(0, 1, 0) = 200)
 * // and y (double 1×1 holding 10).
 * const bytes = new Uint8Array(128 + 64 + 3072 + 64);
 * bytes.set([0x00, 0x01, 0x49, 0x4d], 124);
 * const v = new DataView(bytes.buffer);
 * const put = (at: number, words: number[]) => words.forEach((w, i) => v.setUint32(at + 4 * i, w, true));
 * put(128, [14, 56 + 3072, 6, 8, 9, 0, 5, 12, 32, 32, 3, 0, 0x00010001, 0x58, 2, 3072]);
 * bytes[128 + 64 + 32] = 200; // column-major: r = 0, c = 1 is linear index 32
 * put(128 + 64 + 3072, [14, 56, 6, 8, 6, 0, 5, 8, 1, 1, 0x00010001, 0x79, 9, 8]);
 * v.setFloat64(128 + 64 + 3072 + 56, 10, true);
 * const { count, labels, pixels } = await svhnFromMat(bytes, "test_32x32.mat");
 * if (count !== 1 || labels[0] !== 0 || pixels[1] !== 200) throw new Error("bad");
 * ```
 */
export async function svhnFromMat(bytes: Uint8Array, file: string): Promise<SvhnSet> {
  const vars = await readMat(bytes, file, { names: ["X", "y"] });
  const X = vars.get("X");
  const y = vars.get("y");
  const missing = (name: string, what: string) =>
    new FormatError(file, {
      expected: `a variable '${name}' (${what})`,
      found: `variables ${JSON.stringify([...vars.keys()])}`,
      hint: "this is not an SVHN cropped-digit (*_32x32.mat) file; check the path",
    });
  if (X === undefined) throw missing("X", "uint8 32×32×3×N");
  if (y === undefined) throw missing("y", "N×1 labels");
  // MATLAB drops a trailing singleton dimension, so a one-image file has dims [32, 32, 3].
  const [rows, cols, channels, count = 1, ...rest] = X.dims;
  if (X.class !== "uint8" || rows !== SIDE || cols !== SIDE || channels !== 3 || rest.some((d) => d !== 1)) {
    throw new FormatError(file, {
      expected: "'X' of class uint8 and dims 32×32×3×N",
      found: `class ${X.class} and dims ${X.dims.join("×")}`,
      hint: "this is not an SVHN cropped-digit (*_32x32.mat) file; check the path",
    });
  }
  if (y.dims.length !== 2 || Math.min(...y.dims) > 1 || y.data.length !== count) {
    throw new FormatError(file, {
      expected: `'y' of dims ${count}×1 (one label per image of 'X')`,
      found: `dims ${y.dims.join("×")}`,
      hint: "the file is corrupt; download it again",
    });
  }
  const labels = new Uint8Array(count);
  for (let n = 0; n < count; n++) {
    const label = Number(y.data[n]);
    if (!Number.isInteger(label) || label < 1 || label > 10) {
      throw new FormatError(file, {
        expected: "labels 1–10 in 'y'",
        found: `${label} for image ${n}`,
        hint: "the file is corrupt; download it again",
      });
    }
    labels[n] = label % 10;
  }
  return { count, labels, pixels: transposePlanes(X.data as Uint8Array, count * 3) };
}

/** Transposes each 32×32 plane from column-major (MATLAB) to row-major. */
function transposePlanes(src: Uint8Array, planes: number): Uint8Array {
  const dst = new Uint8Array(planes * PLANE);
  for (let p = 0; p < planes; p++) {
    const base = p * PLANE;
    for (let c = 0; c < SIDE; c++) {
      for (let r = 0; r < SIDE; r++) dst[base + r * SIDE + c] = src[base + c * SIDE + r];
    }
  }
  return dst;
}
