/**
 * A dataset of your own, in one of two layouts under a folder:
 *
 * - image folders: `train/<class>/*.png|jpg` and `test/<class>/…` (or `val/`), classes = the sorted
 *   sub-folder names of `train/`, streamed and decoded batch by batch like TinyImageNet;
 * - NumPy arrays: `train_images.npy`, `train_labels.npy`, `test_images.npy`, `test_labels.npy` (or
 *   `train/images.npy`, `train/labels.npy`, …): images N×C×H×W or N×H×W×C (or N×H×W, grey), uint8 or
 *   float (values in [0, 1] are scaled by 255, values in [0, 255] rounded), labels integers ≥ 0; class
 *   names from `classes.txt` (one per line) when present, else "0", "1", ….
 *
 * Mean and std are computed from the training images when not given.
 *
 * @module
 */

import { basename, join } from "node:path";
import { type Dataset, MemorySplit, type TrainAugmentation } from "./dataset.ts";
import { DecodePool } from "./decode_pool.ts";
import { countMismatch, DatasetFilesError, isDirectory, isFile, readBytes } from "./files.ts";
import { FileSplit, listImageFolder } from "./file_split.ts";
import { FormatError } from "./formats/format_error.ts";
import { type NpyArray, npyToInt32, readNpy } from "./formats/npy.ts";
import { decodeImage } from "./image_decode.ts";
import type { ImageTransform } from "./image_transform.ts";
import { defaultWorkers } from "./tiny_imagenet.ts";

/** Options of {@linkcode loadCustomDataset}. */
export interface CustomOptions {
  /** The dataset's name; default the folder's name. */
  name?: string;
  /** Per-channel mean (of pixels scaled to [0, 1]); computed from the training images when absent. */
  mean?: number[];
  /** Per-channel standard deviation; computed with the mean when absent. */
  std?: number[];
  /** Image folders: resize every image to [height, width]; default the first image's size, kept. */
  imageSize?: [number, number];
  /** Image folders: 3 (RGB, default) or 1 (grey). */
  channels?: 1 | 3;
  /** `.npy` images of rank 4: "nchw" or "nhwc"; default guessed from which axis has 1 or 3 entries. */
  layout?: "nchw" | "nhwc";
  /** Image folders: decoding workers. */
  workers?: number;
  /** What training should apply; default "none". */
  trainAugmentation?: TrainAugmentation;
}

const NPY = ["train_images.npy", "train_labels.npy", "test_images.npy", "test_labels.npy"];

/**
 * Loads a custom dataset from `folder` (see the module comment for the layouts).
 *
 * @example
 * ```ts
 * import { loadCustomDataset } from "./custom.ts";
 * import { writeNpy } from "./formats/npy.ts";
 * const dir = await Deno.makeTempDir();
 * const images = writeNpy(new Uint8Array([0, 255, 255, 0, 10, 20, 30, 40]), [2, 1, 2, 2]);
 * const labels = writeNpy(new Int32Array([1, 0]));
 * for (const split of ["train", "test"]) {
 *   await Deno.writeFile(`${dir}/${split}_images.npy`, images);
 *   await Deno.writeFile(`${dir}/${split}_labels.npy`, labels);
 * }
 * const ds = await loadCustomDataset(dir, { name: "toy" });
 * console.log(ds.name, ds.channels, ds.imageSize, ds.classNames, ds.mean.map((m) => m.toFixed(3)));
 * // toy 1 [2, 2] ["0", "1"] ["0.284"]
 * ```
 */
export async function loadCustomDataset(folder: string, options: CustomOptions = {}): Promise<Dataset> {
  const npy = [NPY, NPY.map((f) => f.replace("_", "/"))];
  for (const names of npy) {
    const paths = names.map((n) => join(folder, n));
    if ((await Promise.all(paths.map(isFile))).every(Boolean)) return await loadNpy(folder, paths, options);
  }
  const test = (await isDirectory(join(folder, "test"))) ? "test" : "val";
  if ((await isDirectory(join(folder, "train"))) && (await isDirectory(join(folder, test)))) {
    return await loadFolders(folder, test, options);
  }
  throw new DatasetFilesError(
    options.name ?? basename(folder),
    [folder],
    [`(${NPY.join(", ")})`, "(train/<class>/*.png|jpg, test/<class>/*.png|jpg)"],
    "lay the dataset out as image folders per class or as .npy arrays",
  );
}

async function loadNpy(folder: string, paths: string[], options: CustomOptions): Promise<Dataset> {
  const [trainImages, trainLabels, testImages, testLabels] = await Promise.all(
    paths.map(async (p) => readNpy(await readBytes(p), p)),
  );
  const train = npyImages(trainImages!, paths[0]!, options.layout);
  const test = npyImages(testImages!, paths[2]!, options.layout);
  if (train.shape.join() !== test.shape.join()) {
    throw new FormatError(paths[2]!, {
      expected: `images of ${train.shape.join("×")} like ${paths[0]}`,
      found: test.shape.join("×"),
      hint: "the training and test images must have the same channels and size",
    });
  }
  const labels = [npyLabels(trainLabels!, paths[1]!), npyLabels(testLabels!, paths[3]!)];
  if (labels[0]!.length !== train.count) {
    throw countMismatch(paths[0]!, train.count, paths[1]!, labels[0]!.length);
  }
  if (labels[1]!.length !== test.count) {
    throw countMismatch(paths[2]!, test.count, paths[3]!, labels[1]!.length);
  }
  const classCount =
    Math.max(labels[0]!.reduce((a, b) => Math.max(a, b), 0), labels[1]!.reduce((a, b) => Math.max(a, b), 0)) +
    1;
  const classNames = await readClassNames(folder, classCount);
  const [C] = train.shape;
  const { mean, std } = await statistics(options, train.shape, [train.pixels]);
  const trainSplit = new MemorySplit(train.pixels, labels[0]!, train.shape, mean, std);
  const testSplit = new MemorySplit(test.pixels, labels[1]!, test.shape, mean, std);
  return {
    name: options.name ?? basename(folder),
    channels: C,
    imageSize: [train.shape[1], train.shape[2]],
    classCount: classNames.length,
    classNames,
    mean,
    std,
    trainAugmentation: options.trainAugmentation ?? "none",
    train: trainSplit,
    test: testSplit,
    source: folder,
    close() {},
  };
}

/** Images of a `.npy` array as count×C×H×W uint8. */
function npyImages(a: NpyArray, file: string, layout?: "nchw" | "nhwc") {
  const bad = (expected: string, found: string, hint: string) =>
    new FormatError(file, { expected, found, hint });
  let [n, c, h, w] = [0, 1, 0, 0];
  let nhwc = false;
  if (a.shape.length === 3) [n, h, w] = a.shape as [number, number, number];
  else if (a.shape.length === 4) {
    const [, s1, , s3] = a.shape as [number, number, number, number];
    nhwc = layout ? layout === "nhwc" : !(s1 === 1 || s1 === 3) && (s3 === 1 || s3 === 3);
    [n, c, h, w] = nhwc
      ? [a.shape[0]!, s3, a.shape[1]!, a.shape[2]!]
      : (a.shape as [number, number, number, number]);
  } else {
    throw bad(
      "images of shape N×C×H×W, N×H×W×C or N×H×W",
      `shape (${a.shape.join(", ")})`,
      "save the images with that shape",
    );
  }
  if (a.dtype === "int64" || a.dtype === "uint64") {
    throw bad("images of dtype uint8 or float", a.dtype, "convert them, e.g. arr.astype(np.uint8)");
  }
  const data = a.data as Exclude<NpyArray["data"], BigInt64Array | BigUint64Array>;
  let max = 0, min = 0;
  for (let i = 0; i < data.length; i++) {
    const v = data[i]!;
    if (v > max || Number.isNaN(v)) max = Number.isNaN(v) ? Infinity : v;
    if (v < min) min = v;
  }
  if (min < 0 || max > 255) {
    throw bad(
      "pixel values in [0, 1] or [0, 255]",
      `values from ${min} to ${max}`,
      "save unnormalised images",
    );
  }
  const scale = (a.dtype === "float32" || a.dtype === "float64") && max <= 1 ? 255 : 1;
  const pixels = new Uint8Array(n * c * h * w);
  const plane = h * w;
  for (let i = 0; i < n; i++) {
    for (let ch = 0; ch < c; ch++) {
      for (let p = 0; p < plane; p++) {
        const src = nhwc ? (i * plane + p) * c + ch : (i * c + ch) * plane + p;
        pixels[(i * c + ch) * plane + p] = Math.round(data[src]! * scale);
      }
    }
  }
  return { count: n, shape: [c, h, w] as [number, number, number], pixels };
}

function npyLabels(a: NpyArray, file: string): Int32Array {
  if (a.shape.length !== 1 && !(a.shape.length === 2 && a.shape[1] === 1)) {
    throw new FormatError(file, {
      expected: "labels of shape (N,) or (N, 1)",
      found: `shape (${a.shape.join(", ")})`,
      hint: "save one integer class per image",
    });
  }
  const labels = npyToInt32(a, file);
  const bad = labels.findIndex((l) => l < 0);
  if (bad >= 0) {
    throw new FormatError(file, {
      expected: "class labels ≥ 0",
      found: `${labels[bad]} at index ${bad}`,
      hint: "number the classes 0, 1, …",
    });
  }
  return labels;
}

async function readClassNames(folder: string, count: number): Promise<string[]> {
  const path = join(folder, "classes.txt");
  if (!(await isFile(path))) return Array.from({ length: count }, (_, i) => String(i));
  const names = (await Deno.readTextFile(path)).split("\n").map((l) => l.trim()).filter((l) => l !== "");
  if (names.length < count) {
    throw new FormatError(path, {
      expected: `at least ${count} class names (the largest label is ${count - 1})`,
      found: `${names.length}`,
      hint: "write one class name per line, in label order",
    });
  }
  return names;
}

async function loadFolders(folder: string, testName: string, options: CustomOptions): Promise<Dataset> {
  const train = await listImageFolder(join(folder, "train"));
  const test = await listImageFolder(join(folder, testName), train.classes);
  if (train.files.length === 0) {
    throw new DatasetFilesError(options.name ?? basename(folder), [join(folder, "train")], [
      "<class>/*.png|jpg",
    ], "put the training images in one sub-folder per class");
  }
  const channels = options.channels ?? 3;
  let transform: ImageTransform;
  if (options.imageSize) {
    transform = { kind: "resize", width: options.imageSize[1], height: options.imageSize[0] };
  } else {
    const first = await decodeImage(await readBytes(train.files[0]!), train.files[0]!, channels);
    transform = { kind: "none", width: first.width, height: first.height };
  }
  const shape = [channels, transform.height, transform.width] as const;
  const pool = new DecodePool(options.workers ?? defaultWorkers());
  let stats = options.mean && options.std ? { mean: options.mean, std: options.std } : undefined;
  // Computing the statistics decodes every training image once, in batches.
  if (!stats) {
    const probe = new FileSplit(train.files, train.labels, { shape, transform, mean: [0], std: [1], pool });
    const batches = async function* () {
      for (let start = 0; start < probe.count; start += 256) {
        yield await probe.pixels(
          Array.from({ length: Math.min(256, probe.count - start) }, (_, i) => start + i),
        );
      }
    };
    stats = await statistics(options, shape, batches());
  }
  const common = { shape, transform, mean: stats.mean, std: stats.std, pool };
  return {
    name: options.name ?? basename(folder),
    channels,
    imageSize: [shape[1], shape[2]],
    classCount: train.classes.length,
    classNames: train.classes,
    mean: stats.mean,
    std: stats.std,
    trainAugmentation: options.trainAugmentation ?? "none",
    train: new FileSplit(train.files, train.labels, common),
    test: new FileSplit(test.files, test.labels, common),
    source: folder,
    close: () => pool.close(),
  };
}

/**
 * The given mean/std, or per-channel statistics of batches of planar uint8 images of `shape`, scaled to
 * [0, 1]: the mean and the population standard deviation (1 where the images are constant).
 */
async function statistics(
  options: CustomOptions,
  shape: readonly [number, number, number],
  batches: AsyncIterable<Uint8Array> | Iterable<Uint8Array>,
) {
  if (options.mean && options.std) return { mean: options.mean, std: options.std };
  const [C, H, W] = shape, plane = H * W;
  const sum = new Float64Array(C), sq = new Float64Array(C);
  let images = 0;
  for await (const pixels of batches) {
    const n = pixels.length / (C * plane);
    for (let i = 0; i < n; i++) {
      for (let c = 0; c < C; c++) {
        let s = 0, q = 0;
        for (let p = (i * C + c) * plane, end = p + plane; p < end; p++) {
          const v = pixels[p]!;
          s += v;
          q += v * v;
        }
        sum[c]! += s;
        sq[c]! += q;
      }
    }
    images += n;
  }
  const count = Math.max(1, images * plane);
  const mean = Array.from(sum, (s) => s / (255 * count));
  const std = Array.from(sq, (q, c) => Math.sqrt(Math.max(0, q / (255 * 255 * count) - mean[c]! ** 2)) || 1);
  return { mean: options.mean ?? mean, std: options.std ?? std };
}
