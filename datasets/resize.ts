/**
 * Pillow's antialiased bilinear resize (`Image.resize(size, BILINEAR)`, what torchvision's Resize and
 * RandomResizedCrop call), bit for bit: a horizontal then a vertical pass of a triangle filter widened by
 * the scale factor when shrinking, weights normalised and rounded to 22-bit fixed point, intermediate rows
 * rounded to uint8 (Pillow's `ImagingResample`, 8 bits per channel). Plus the crop geometry of
 * torchvision's Resize(256) + CenterCrop(224) and RandomResizedCrop.
 *
 * Images here are interleaved (height × width × channels) uint8.
 *
 * @module
 */

import { roundHalfEven } from "../selectors/budget.ts";

const PRECISION_BITS = 32 - 8 - 2;
const ONE = 2 ** PRECISION_BITS;
const HALF = 2 ** (PRECISION_BITS - 1);

/** An image: interleaved pixels, row by row. */
export interface Image {
  /** Width in pixels. */
  width: number;
  /** Height in pixels. */
  height: number;
  /** Channels per pixel. */
  channels: number;
  /** `height × width × channels` bytes. */
  data: Uint8Array;
}

/** A rectangle of an image: left, top, width, height (integers). */
export interface Box {
  /** First column. */
  left: number;
  /** First row. */
  top: number;
  /** Columns. */
  width: number;
  /** Rows. */
  height: number;
}

/** Fixed-point weights of every output pixel along one axis: first input index, count, weights. */
interface Coefficients {
  start: Int32Array;
  count: Int32Array;
  weights: Float64Array;
  ksize: number;
}

/** Pillow's `precompute_coeffs` + `normalize_coeffs_8bpc` for the bilinear filter (support 1). */
function coefficients(inSize: number, inStart: number, inEnd: number, outSize: number): Coefficients {
  const scale = (inEnd - inStart) / outSize;
  const filterScale = Math.max(scale, 1);
  const support = filterScale;
  const ksize = Math.ceil(support) * 2 + 1;
  const start = new Int32Array(outSize), count = new Int32Array(outSize);
  const weights = new Float64Array(outSize * ksize);
  const k = new Float64Array(ksize);
  for (let xx = 0; xx < outSize; xx++) {
    const center = inStart + (xx + 0.5) * scale;
    const ss = 1 / filterScale;
    // C's (int) truncates toward zero
    const xmin = Math.max(Math.trunc(center - support + 0.5), 0);
    const xmax = Math.min(Math.trunc(center + support + 0.5), inSize) - xmin;
    let ww = 0;
    for (let x = 0; x < xmax; x++) {
      const t = Math.abs((x + xmin - center + 0.5) * ss);
      k[x] = t < 1 ? 1 - t : 0;
      ww += k[x]!;
    }
    for (let x = 0; x < xmax; x++) {
      const w = ww === 0 ? k[x]! : k[x]! / ww;
      weights[xx * ksize + x] = w < 0 ? Math.trunc(-0.5 + w * ONE) : Math.trunc(0.5 + w * ONE);
    }
    start[xx] = xmin;
    count[xx] = xmax;
  }
  return { start, count, weights, ksize };
}

function clip8(v: number): number {
  if (v <= 0) return 0;
  if (v >= 256 * ONE) return 255;
  return Math.floor(v / ONE);
}

/**
 * `src` cropped to `box` (default: all of it) and resized to `outWidth × outHeight` exactly as Pillow's
 * `image.crop(box).resize((outWidth, outHeight), Image.BILINEAR)`. When `window` is given, only that
 * rectangle of the resized image is computed and returned, equal to cropping the full result (what
 * Resize + CenterCrop needs, at a fraction of the work).
 *
 * @example
 * ```ts
 * import { resizeBilinear } from "./resize.ts";
 * // 4×1 grey → 2×1: Pillow's weights are [1, 3, 3, 1]/8 clipped at the edges
 * const out = resizeBilinear({ width: 4, height: 1, channels: 1, data: new Uint8Array([0, 80, 160, 240]) }, 2, 1);
 * console.log(out.data); // Uint8Array [ 30, 210 ]
 * ```
 */
export function resizeBilinear(
  src: Image,
  outWidth: number,
  outHeight: number,
  box: Box = { left: 0, top: 0, width: src.width, height: src.height },
  window: Box = { left: 0, top: 0, width: outWidth, height: outHeight },
): Image {
  const C = src.channels;
  const cropped = box.left !== 0 || box.top !== 0 || box.width !== src.width || box.height !== src.height;
  // Pillow crops first, so the filter never reads outside the box.
  const img = cropped ? crop(src, box) : src;
  const needH = outWidth !== img.width, needV = outHeight !== img.height;
  let cur = img;
  if (needH) {
    const co = coefficients(img.width, 0, img.width, outWidth);
    // Rows the vertical pass will read (all when there is no vertical pass).
    let y0 = window.top, y1 = window.top + window.height;
    if (needV) {
      const cv = coefficients(img.height, 0, img.height, outHeight);
      y0 = cv.start[window.top]!;
      y1 = cv.start[window.top + window.height - 1]! + cv.count[window.top + window.height - 1]!;
    }
    const out = new Uint8Array((y1 - y0) * window.width * C);
    for (let y = y0; y < y1; y++) {
      const row = y * img.width * C;
      for (let xo = 0; xo < window.width; xo++) {
        const xx = window.left + xo;
        const s = co.start[xx]!, n = co.count[xx]!, base = xx * co.ksize;
        for (let c = 0; c < C; c++) {
          let acc = HALF;
          for (let x = 0; x < n; x++) acc += img.data[row + (s + x) * C + c]! * co.weights[base + x]!;
          out[((y - y0) * window.width + xo) * C + c] = clip8(acc);
        }
      }
    }
    cur = { width: window.width, height: y1 - y0, channels: C, data: out };
    if (!needV) return cur;
    const cv = coefficients(img.height, 0, img.height, outHeight);
    return vertical(cur, cv, window, y0);
  }
  if (needV) {
    const cv = coefficients(img.height, 0, img.height, outHeight);
    return vertical(
      crop(img, { left: window.left, top: 0, width: window.width, height: img.height }),
      cv,
      window,
      0,
    );
  }
  return crop(img, window);
}

/** Vertical pass over `src`, whose row 0 is input row `rowOffset`, for the rows of `window`. */
function vertical(src: Image, cv: Coefficients, window: Box, rowOffset: number): Image {
  const C = src.channels, W = src.width;
  const out = new Uint8Array(window.height * W * C);
  for (let yo = 0; yo < window.height; yo++) {
    const yy = window.top + yo;
    const s = cv.start[yy]! - rowOffset, n = cv.count[yy]!, base = yy * cv.ksize;
    for (let i = 0; i < W * C; i++) {
      let acc = HALF;
      for (let y = 0; y < n; y++) acc += src.data[(s + y) * W * C + i]! * cv.weights[base + y]!;
      out[yo * W * C + i] = clip8(acc);
    }
  }
  return { width: W, height: window.height, channels: C, data: out };
}

/**
 * The pixels of `box` (which must lie inside the image).
 *
 * @example
 * ```ts
 * import { crop } from "./resize.ts";
 * const img = { width: 3, height: 1, channels: 1, data: new Uint8Array([1, 2, 3]) };
 * console.log(crop(img, { left: 1, top: 0, width: 2, height: 1 }).data); // Uint8Array [ 2, 3 ]
 * ```
 */
export function crop(src: Image, box: Box): Image {
  const C = src.channels;
  const out = new Uint8Array(box.width * box.height * C);
  for (let y = 0; y < box.height; y++) {
    const from = ((box.top + y) * src.width + box.left) * C;
    out.set(src.data.subarray(from, from + box.width * C), y * box.width * C);
  }
  return { width: box.width, height: box.height, channels: C, data: out };
}

/**
 * torchvision's Resize(`size`) + CenterCrop(`crop`) as one resize: the size of the shorter-side resize
 * (longer side ⌊size·long/short⌋; unchanged when the shorter side already is `size`) and the window
 * to keep (top = round((H − crop)/2), left = round((W − crop)/2), half to even).
 *
 * @example
 * ```ts
 * import { resizeCenterCropGeometry } from "./resize.ts";
 * console.log(resizeCenterCropGeometry(500, 375, 256, 224));
 * // { width: 341, height: 256, window: { left: 58, top: 16, width: 224, height: 224 } }
 * ```
 */
export function resizeCenterCropGeometry(
  width: number,
  height: number,
  size: number,
  crop: number,
): { width: number; height: number; window: Box } {
  const short = Math.min(width, height), long = Math.max(width, height);
  let w = width, h = height;
  if (short !== size) {
    const other = Math.floor((size * long) / short);
    [w, h] = width <= height ? [size, other] : [other, size];
  }
  const window = {
    left: roundHalfEven((w - crop) / 2),
    top: roundHalfEven((h - crop) / 2),
    width: crop,
    height: crop,
  };
  return { width: w, height: h, window };
}

/**
 * Interleaved H×W×C pixels to planar C×H×W, written into `out` at `offset`.
 *
 * @example
 * ```ts
 * import { toPlanar } from "./resize.ts";
 * const out = new Uint8Array(6);
 * toPlanar({ width: 1, height: 2, channels: 3, data: new Uint8Array([1, 2, 3, 4, 5, 6]) }, out, 0);
 * console.log(out); // Uint8Array [ 1, 4, 2, 5, 3, 6 ]
 * ```
 */
export function toPlanar(img: Image, out: Uint8Array, offset: number): void {
  const { width, height, channels, data } = img;
  const plane = width * height;
  for (let c = 0; c < channels; c++) {
    const o = offset + c * plane;
    for (let i = 0; i < plane; i++) out[o + i] = data[i * channels + c]!;
  }
}
