/**
 * ImageNet (ILSVRC-2012 classification): 1 281 167 training and 50 000 validation JPEGs of varying size in
 * 1000 classes, streamed batch by batch. Every image goes through Resize(256) + CenterCrop(224) as in
 * DeepCore; with training augmentation, torchvision's RandomResizedCrop(224) (on the CPU, counter-based
 * draws) and a horizontal flip (on the GPU) replace it.
 *
 * Layout: torchvision's prepared folders `train/<wnid>/*.JPEG` and `val/<wnid>/*.JPEG` under `--data_path`
 * (or `<data_path>/ImageNet`, `<data_path>/imagenet`). Class index = rank of the wnid. Class names come
 * from `LOC_synset_mapping.txt` (`wnid names` per line) or `words.txt` (`wnid<TAB>names`) in that folder
 * when present, else they are the wnids (torchvision reads them from the devkit's `meta.bin`, a torch
 * pickle this port does not read).
 *
 * @module
 */

import { join } from "node:path";
import type { Dataset, DatasetInfo, LoadOptions } from "./dataset.ts";
import { DecodePool } from "./decode_pool.ts";
import { DatasetFilesError, isDirectory, isFile } from "./files.ts";
import { FileSplit, listImageFolder } from "./file_split.ts";
import { defaultWorkers } from "./tiny_imagenet.ts";

/**
 * ImageNet's description (datasets.md §9).
 *
 * @example
 * ```ts
 * import { IMAGENET } from "./imagenet.ts";
 * console.log(IMAGENET.imageSize, IMAGENET.trainAugmentation); // [224, 224] resized-crop-flip
 * ```
 */
export const IMAGENET: DatasetInfo = {
  name: "ImageNet",
  channels: 3,
  imageSize: [224, 224],
  classCount: 1000,
  mean: [0.485, 0.456, 0.406],
  std: [0.229, 0.224, 0.225],
  trainAugmentation: "resized-crop-flip",
};

/**
 * Loads ImageNet: lists the files (which takes a few seconds for 1.3 million), decodes nothing yet. Call
 * `close()` when done.
 *
 * @example
 * ```ts
 * import { loadImageNet } from "./imagenet.ts";
 * await loadImageNet({ dataPath: "/nonexistent" }).catch((e) => console.log(e.message));
 * // ImageNet: cannot find train/<wnid>/*.JPEG, val/<wnid>/*.JPEG in … — …
 * ```
 */
export async function loadImageNet(options: LoadOptions = {}): Promise<Dataset> {
  const root = (options.dataPath ?? "data").replace(/[\\/]+$/, "") || "/";
  const folders = [root, join(root, "ImageNet"), join(root, "imagenet")];
  let folder: string | undefined;
  for (const f of folders) {
    if ((await isDirectory(join(f, "train"))) && (await isDirectory(join(f, "val")))) {
      folder = f;
      break;
    }
  }
  const hint =
    "prepare the train/ and val/ folders of ILSVRC2012 (one sub-folder per wnid, as torchvision's " +
    "ImageNet does) in --data_path";
  if (folder === undefined) {
    throw new DatasetFilesError("ImageNet", folders, ["train/<wnid>/*.JPEG, val/<wnid>/*.JPEG"], hint);
  }
  const train = await listImageFolder(join(folder, "train"));
  const val = await listImageFolder(join(folder, "val"), train.classes).catch((e) => {
    throw new DatasetFilesError("ImageNet", [join(folder, "val")], ["val/<wnid>/*.JPEG"], hint, e.message);
  });
  if (train.files.length === 0 || val.files.length === 0) {
    const empty = join(folder, train.files.length === 0 ? "train" : "val");
    const detail =
      `${empty} has no images in <wnid>/ sub-folders (a flat val/ must be sorted into them first)`;
    throw new DatasetFilesError("ImageNet", [empty], ["<wnid>/*.JPEG"], hint, detail);
  }
  const pool = new DecodePool(options.workers ?? defaultWorkers());
  const common = {
    shape: [3, 224, 224] as const,
    transform: { kind: "resize-center-crop" as const, size: 256, crop: 224 },
    mean: IMAGENET.mean,
    std: IMAGENET.std,
    pool,
  };
  return {
    ...IMAGENET,
    classCount: train.classes.length,
    classNames: await classNames(folder, train.classes),
    train: new FileSplit(train.files, train.labels, { ...common, augmentation: "resized-crop-flip" }),
    test: new FileSplit(val.files, val.labels, common),
    source: folder,
    close: () => pool.close(),
  };
}

/** Names of `wnids` from a synset mapping file in `folder`, else the wnids themselves. */
async function classNames(folder: string, wnids: readonly string[]): Promise<string[]> {
  for (const file of ["LOC_synset_mapping.txt", "words.txt"]) {
    const path = join(folder, file);
    if (!(await isFile(path))) continue;
    const names = new Map<string, string>();
    for (const line of (await Deno.readTextFile(path)).split("\n")) {
      const m = /^(n\d+)[\t ]+(.+?)\s*$/.exec(line);
      if (m) names.set(m[1]!, m[2]!);
    }
    return wnids.map((w) => names.get(w) ?? w);
  }
  return [...wnids];
}
