/**
 * Splits that stream image files: the file list and labels stay in memory, and each batch is read and
 * decoded when asked for (on a {@linkcode DecodePool}), then normalised — and for training flipped — on the
 * GPU. Also the image-folder listing of torchvision's `ImageFolder` that these splits come from.
 *
 * @module
 */

import type * as tf from "npm:@tensorflow/tfjs-core@4.22.0";
import { join } from "node:path";
import { prepareBatch } from "../kernels/augment.ts";
import { type BatchOptions, checkIndices, type Split } from "./dataset.ts";
import type { DecodePool } from "./decode_pool.ts";
import type { DecodeJob, ImageTransform } from "./image_transform.ts";

/** What a {@linkcode FileSplit} needs besides its files and labels. */
export interface FileSplitOptions {
  /** Channels, height and width of the images it yields. */
  shape: readonly [1 | 3, number, number];
  /** The base transform of every image. */
  transform: ImageTransform;
  /** Per-channel normalisation. */
  mean: readonly number[];
  /** Per-channel normalisation. */
  std: readonly number[];
  /** The pool that decodes. */
  pool: DecodePool;
  /**
   * With training augmentation: "resized-crop-flip" does torchvision's RandomResizedCrop on the CPU and the
   * flip on the GPU (ImageNet); "crop-flip" (default) the padded crop and flip on the GPU.
   */
  augmentation?: "crop-flip" | "resized-crop-flip";
}

/**
 * A split streaming `files` (sample i is `files[i]`, class `labels[i]`).
 *
 * @example
 * ```ts
 * import { DecodePool } from "./decode_pool.ts";
 * import { FileSplit } from "./file_split.ts";
 * const split = new FileSplit(["/nonexistent/a.jpg"], new Int32Array([0]), {
 *   shape: [3, 32, 32], transform: { kind: "resize", width: 32, height: 32 }, mean: [0.5], std: [0.5],
 *   pool: new DecodePool(0),
 * });
 * console.log(split.count); // 1
 * await split.pixels([0]).catch((e) => console.log(e.message)); // cannot read /nonexistent/a.jpg: …
 * ```
 */
export class FileSplit implements Split {
  /** Number of samples. */
  readonly count: number;
  /** Channels, height, width. */
  readonly shape: readonly [1 | 3, number, number];

  /** See the class comment. */
  constructor(
    readonly files: readonly string[],
    readonly labels: Int32Array,
    readonly options: FileSplitOptions,
  ) {
    if (files.length !== labels.length) {
      throw new RangeError(`${files.length} files for ${labels.length} labels`);
    }
    this.count = files.length;
    this.shape = options.shape;
  }

  /** Decodes the images at `indices` (B×C×H×W uint8). */
  async pixels(indices: ArrayLike<number>, options: BatchOptions = {}): Promise<Uint8Array> {
    const ids = checkIndices(indices, this.count, "pixels");
    const [channels, height] = this.shape;
    const a = options.augment;
    const rrc = a !== undefined && this.options.augmentation === "resized-crop-flip";
    const jobs: DecodeJob[] = Array.from(ids, (id) => {
      const job: DecodeJob = { path: this.files[id]!, channels, transform: this.options.transform };
      if (rrc) job.resizedCrop = { size: height, seed: a.seed, stream: a.stream ?? 0, id };
      return job;
    });
    return await this.options.pool.decode(jobs);
  }

  /** The normalised float32 [B, C, H, W] tensor of the images at `indices`. */
  async images(indices: ArrayLike<number>, options: BatchOptions = {}): Promise<tf.Tensor4D> {
    const ids = checkIndices(indices, this.count, "images");
    const bytes = await this.pixels(ids, options);
    const { mean, std } = this.options;
    let augment = options.augment;
    if (augment && this.options.augmentation === "resized-crop-flip") augment = { ...augment, crop: false };
    return prepareBatch(
      bytes,
      [ids.length, ...this.shape],
      ids,
      augment ? { mean, std, augment } : { mean, std },
    );
  }
}

/**
 * File extensions torchvision's image-folder reader accepts (case-insensitive).
 *
 * @example
 * ```ts
 * import { IMAGE_EXTENSIONS } from "./file_split.ts";
 * console.log(IMAGE_EXTENSIONS.includes(".jpeg")); // true
 * ```
 */
export const IMAGE_EXTENSIONS: readonly string[] = [
  ".jpg",
  ".jpeg",
  ".png",
  ".ppm",
  ".bmp",
  ".pgm",
  ".tif",
  ".tiff",
  ".webp",
];

/**
 * The image files under `folder`, recursively, in torchvision's order: folders sorted by path, files
 * sorted by name within each (Python's `sorted(os.walk(...))`), only names with an image extension.
 *
 * @example
 * ```ts
 * import { listImages } from "./file_split.ts";
 * const dir = await Deno.makeTempDir();
 * for (const f of ["b.png", "a.JPEG", "notes.txt"]) await Deno.writeFile(`${dir}/${f}`, new Uint8Array());
 * console.log((await listImages(dir)).map((p) => p.slice(dir.length + 1))); // ["a.JPEG", "b.png"]
 * ```
 */
export async function listImages(folder: string): Promise<string[]> {
  const walk: { dir: string; files: string[] }[] = [];
  const visit = async (dir: string) => {
    const files: string[] = [], dirs: string[] = [];
    for await (const entry of Deno.readDir(dir)) {
      if (entry.isDirectory) dirs.push(join(dir, entry.name));
      else if (entry.isFile || entry.isSymlink) files.push(entry.name);
    }
    walk.push({ dir, files });
    await Promise.all(dirs.map(visit));
  };
  await visit(folder);
  walk.sort((a, b) => compare(a.dir, b.dir));
  const out: string[] = [];
  for (const { dir, files } of walk) {
    for (const f of files.sort(compare)) {
      const dot = f.lastIndexOf(".");
      if (dot >= 0 && IMAGE_EXTENSIONS.includes(f.slice(dot).toLowerCase())) out.push(join(dir, f));
    }
  }
  return out;
}

/**
 * The class sub-folders of `folder` (sorted) and every image under them, in torchvision `ImageFolder`'s
 * order: class by class, then as {@linkcode listImages}.
 *
 * @example
 * ```ts
 * import { listImageFolder } from "./file_split.ts";
 * const dir = await Deno.makeTempDir();
 * for (const c of ["dog", "cat"]) {
 *   await Deno.mkdir(`${dir}/${c}`);
 *   await Deno.writeFile(`${dir}/${c}/1.png`, new Uint8Array());
 * }
 * const { classes, labels } = await listImageFolder(dir);
 * console.log(classes, labels); // ["cat", "dog"] Int32Array [0, 1]
 * ```
 */
export async function listImageFolder(
  folder: string,
  classes?: readonly string[],
): Promise<{ classes: string[]; files: string[]; labels: Int32Array }> {
  const found: string[] = [];
  for await (const entry of Deno.readDir(folder)) if (entry.isDirectory) found.push(entry.name);
  found.sort(compare);
  const names = classes ? [...classes] : found;
  const lists = await Promise.all(found.map((c) => listImages(join(folder, c))));
  const files: string[] = [], labels: number[] = [];
  found.forEach((c, k) => {
    const label = names.indexOf(c);
    if (label < 0) {
      throw new Error(`${join(folder, c)}: a class folder that the training split does not have (${c})`);
    }
    for (const f of lists[k]!) {
      files.push(f);
      labels.push(label);
    }
  });
  return { classes: names, files, labels: Int32Array.from(labels) };
}

/**
 * Orders strings as Python's `sorted` does (by code unit; the same for the ASCII names of datasets).
 *
 * @example
 * ```ts
 * import { compare } from "./file_split.ts";
 * console.log(["n_2", "n_10", "N_3"].sort(compare)); // ["N_3", "n_10", "n_2"]
 * ```
 */
export function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
