/**
 * What happens to one image file of a streamed split: read, decode, resize or crop the way torchvision's
 * transforms do, and write it planar (C×H×W) into a batch buffer. Runs on the main thread or in a decoding
 * worker (`decode_worker.ts`); everything here is plain data so that it crosses `postMessage`.
 *
 * @module
 */

import { seedKey, threefry2x32 } from "../kernels/rng.ts";
import { roundHalfEven } from "../selectors/budget.ts";
import { readError } from "./files.ts";
import { FormatError } from "./formats/format_error.ts";
import { decodeImage } from "./image_decode.ts";
import { type Box, crop, type Image, resizeBilinear, resizeCenterCropGeometry, toPlanar } from "./resize.ts";

/** How a decoded image becomes the split's C×H×W. */
export type ImageTransform =
  /** Resize to exactly width × height (TinyImageNet's Resize(32) of a square 64×64; custom folders). */
  | { kind: "resize"; width: number; height: number }
  /** Shorter side to `size`, then the centred `crop` × `crop` (ImageNet's evaluation transform). */
  | { kind: "resize-center-crop"; size: number; crop: number }
  /** Keep as is; the image must already have the split's size. */
  | { kind: "none"; width: number; height: number };

/** torchvision's RandomResizedCrop to `size` × `size` with the draws of one sample. */
export interface ResizedCrop {
  /** Output side. */
  size: number;
  /** Seed of the draws. */
  seed: number;
  /** Stream (e.g. the epoch). */
  stream: number;
  /** The sample's dataset index. */
  id: number;
}

/** One image to produce. */
export interface DecodeJob {
  /** The file. */
  path: string;
  /** 1 (grey) or 3 (RGB). */
  channels: 1 | 3;
  /** The base transform. */
  transform: ImageTransform;
  /** Replaces the base transform with a random resized crop (ImageNet training). */
  resizedCrop?: ResizedCrop;
}

/**
 * The output width and height of a job.
 *
 * @example
 * ```ts
 * import { jobSize } from "./image_transform.ts";
 * console.log(jobSize({ path: "a.jpg", channels: 3, transform: { kind: "resize-center-crop", size: 256, crop: 224 } }));
 * // [224, 224]
 * ```
 */
export function jobSize(job: DecodeJob): [number, number] {
  if (job.resizedCrop) return [job.resizedCrop.size, job.resizedCrop.size];
  const t = job.transform;
  return t.kind === "resize-center-crop" ? [t.crop, t.crop] : [t.width, t.height];
}

/**
 * Reads, decodes and transforms `job`'s image into `out` at `offset` (C×H×W uint8).
 *
 * @example
 * ```ts
 * import { runJob } from "./image_transform.ts";
 * await runJob({ path: "/nonexistent.jpg", channels: 3, transform: { kind: "none", width: 1, height: 1 } },
 *   new Uint8Array(3), 0).catch((e) => console.log(e.message)); // cannot read /nonexistent.jpg: …
 * ```
 */
export async function runJob(job: DecodeJob, out: Uint8Array, offset: number): Promise<void> {
  let bytes: Uint8Array;
  try {
    bytes = await Deno.readFile(job.path);
  } catch (e) {
    throw readError(job.path, e);
  }
  const img = await decodeImage(bytes, job.path, job.channels);
  toPlanar(transform(img, job), out, offset);
}

/**
 * Applies the job's transform (or its random resized crop) to a decoded image.
 *
 * @example
 * ```ts
 * import { transform } from "./image_transform.ts";
 * const img = { width: 4, height: 2, channels: 1, data: new Uint8Array([0, 80, 160, 240, 0, 80, 160, 240]) };
 * const out = transform(img, { path: "a.png", channels: 1, transform: { kind: "resize", width: 2, height: 1 } });
 * console.log(out.data); // Uint8Array [ 30, 210 ]
 * ```
 */
export function transform(img: Image, job: DecodeJob): Image {
  const rc = job.resizedCrop;
  if (rc) return resizeBilinear(img, rc.size, rc.size, randomResizedCropBox(img.width, img.height, rc));
  const t = job.transform;
  if (t.kind === "resize") {
    return img.width === t.width && img.height === t.height ? img : resizeBilinear(img, t.width, t.height);
  }
  if (t.kind === "resize-center-crop") {
    const g = resizeCenterCropGeometry(img.width, img.height, t.size, t.crop);
    if (g.width < t.crop || g.height < t.crop) {
      throw new FormatError(job.path, {
        expected: `an image whose resized shorter side (${t.size}) covers a ${t.crop}×${t.crop} crop`,
        found: `${img.width}×${img.height}`,
        hint: "the crop must be smaller than the resize",
      });
    }
    return g.width === img.width && g.height === img.height
      ? crop(img, g.window)
      : resizeBilinear(img, g.width, g.height, undefined, g.window);
  }
  if (img.width !== t.width || img.height !== t.height) {
    throw new FormatError(job.path, {
      expected: `a ${t.width}×${t.height} image like the rest of the split`,
      found: `${img.width}×${img.height}`,
      hint: "resize the images to one size, or give the dataset an image size to resize to",
    });
  }
  return img;
}

/** Key tweak of the random-resized-crop draws, keeping them independent of the GPU crop/flip draws. */
const RRC_KEY = 0x52524300;

/**
 * torchvision's RandomResizedCrop box (scale (0.08, 1), ratio (3/4, 4/3), 10 attempts, then the
 * centre-crop fallback; training.md §5) with counter-based draws: attempt a uses the words of
 * Threefry(key = (k0, k1 ^ (0x52524300 + 2a)), counter = (id, stream)) for the area and the log-ratio, and
 * those of key (k0, k1 ^ (0x52524300 + 2a + 1)) for top and left.
 *
 * @example
 * ```ts
 * import { randomResizedCropBox } from "./image_transform.ts";
 * const box = randomResizedCropBox(500, 375, { size: 224, seed: 1, stream: 0, id: 9 });
 * console.log(box.left + box.width <= 500 && box.top + box.height <= 375); // true
 * ```
 */
export function randomResizedCropBox(width: number, height: number, rc: ResizedCrop): Box {
  const [k0, k1] = seedKey(rc.seed);
  const words = (j: number) => threefry2x32(k0, (k1 ^ (RRC_KEY + j)) >>> 0, rc.id >>> 0, rc.stream >>> 0);
  const unit = (w: number) => (w >>> 8) * 2 ** -24;
  const area = width * height;
  const logLo = Math.log(3 / 4), logHi = Math.log(4 / 3);
  for (let a = 0; a < 10; a++) {
    const [u, v] = words(2 * a);
    const target = area * (0.08 + (1 - 0.08) * unit(u));
    const ratio = Math.exp(logLo + (logHi - logLo) * unit(v));
    const w = roundHalfEven(Math.sqrt(target * ratio));
    const h = roundHalfEven(Math.sqrt(target / ratio));
    if (w > 0 && w <= width && h > 0 && h <= height) {
      const [p, q] = words(2 * a + 1);
      return {
        top: Math.floor(unit(p) * (height - h + 1)),
        left: Math.floor(unit(q) * (width - w + 1)),
        width: w,
        height: h,
      };
    }
  }
  const ratio = width / height;
  let w = width, h = height;
  if (ratio < 3 / 4) h = roundHalfEven(width / (3 / 4));
  else if (ratio > 4 / 3) w = roundHalfEven(height * (4 / 3));
  return { top: Math.floor((height - h) / 2), left: Math.floor((width - w) / 2), width: w, height: h };
}
