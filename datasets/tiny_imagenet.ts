/**
 * TinyImageNet: 100 000 training and 10 000 validation 64×64 JPEGs in 200 classes, given to networks
 * resized to 32×32 (Pillow's antialiased bilinear, as DeepCore's Resize(32)). Streamed: files are decoded
 * batch by batch. Read from `<data_path>/tiny-imagenet-200/` (or `--data_path` being that folder).
 *
 * Deviation from DeepCore (datasets.md §8): DeepCore's test set is the unlabelled `test/` folder, whose 10 000
 * images all get label 0. Here the test split is `val/` labelled by `val/val_annotations.txt`, in file-name
 * order (as an image-folder reader lists it), with labels as an int32 array.
 *
 * @module
 */

import { basename, join } from "node:path";
import type { Dataset, DatasetInfo, LoadOptions } from "./dataset.ts";
import { DecodePool } from "./decode_pool.ts";
import { DatasetFilesError, isDirectory, isFile } from "./files.ts";
import { compare, FileSplit, listImageFolder, listImages } from "./file_split.ts";
import { FormatError } from "./formats/format_error.ts";

/**
 * TinyImageNet's description (datasets.md §8).
 *
 * @example
 * ```ts
 * import { TINY_IMAGENET } from "./tiny_imagenet.ts";
 * console.log(TINY_IMAGENET.imageSize, TINY_IMAGENET.classCount); // [32, 32] 200
 * ```
 */
export const TINY_IMAGENET: DatasetInfo = {
  name: "TinyImageNet",
  channels: 3,
  imageSize: [32, 32],
  classCount: 200,
  mean: [0.4802, 0.4481, 0.3975],
  std: [0.277, 0.2691, 0.2821],
  trainAugmentation: "none",
};

/**
 * Workers a streamed dataset decodes with by default: `DEEPCORE_DECODE_WORKERS` when set, else none on a
 * machine of two cores or fewer (measured with `bench/datasets_bench.ts` on 2 shared cores: 1 or 2
 * workers decode no faster than the main thread) and one per core but one, at most 8, above that.
 *
 * @example
 * ```ts
 * import { defaultWorkers } from "./tiny_imagenet.ts";
 * console.log(defaultWorkers() >= 0); // true
 * ```
 */
export function defaultWorkers(): number {
  try {
    const env = Deno.env.get("DEEPCORE_DECODE_WORKERS");
    if (env !== undefined && /^\d+$/.test(env)) return Number(env);
  } catch {
    // no --allow-env
  }
  const cores = navigator.hardwareConcurrency ?? 1;
  return cores <= 2 ? 0 : Math.min(cores - 1, 8);
}

const FILES = ["wnids.txt", "train/", "val/images/", "val/val_annotations.txt"];

/**
 * Loads TinyImageNet: lists the files and reads the validation labels; decodes nothing yet. Call
 * `close()` when done, to stop the decoding workers.
 *
 * @example
 * ```ts
 * import { loadTinyImageNet } from "./tiny_imagenet.ts";
 * await loadTinyImageNet({ dataPath: "/nonexistent" }).catch((e) => console.log(e.message));
 * // TinyImageNet: cannot find wnids.txt, train/, val/images/, val/val_annotations.txt in … — …
 * ```
 */
export async function loadTinyImageNet(options: LoadOptions = {}): Promise<Dataset> {
  const root = (options.dataPath ?? "data").replace(/[\\/]+$/, "") || "/";
  const folders = [join(root, "tiny-imagenet-200"), root];
  let folder: string | undefined;
  for (const f of folders) {
    const have = await Promise.all([
      isFile(join(f, "wnids.txt")),
      isDirectory(join(f, "train")),
      isDirectory(join(f, "val", "images")),
      isFile(join(f, "val", "val_annotations.txt")),
    ]);
    if (have.every(Boolean)) {
      folder = f;
      break;
    }
  }
  if (folder === undefined) {
    throw new DatasetFilesError(
      "TinyImageNet",
      folders,
      [FILES.join(", ")],
      "download tiny-imagenet-200.zip and unzip it into --data_path",
    );
  }
  const train = await listImageFolder(join(folder, "train"));
  if (train.classes.length === 0) {
    throw new DatasetFilesError(
      "TinyImageNet",
      [join(folder, "train")],
      ["<wnid>/images/*.JPEG"],
      "unzip again",
    );
  }
  const val = await readValAnnotations(folder, train.classes);
  const pool = new DecodePool(options.workers ?? defaultWorkers());
  const common = {
    shape: [3, 32, 32] as const,
    transform: { kind: "resize" as const, width: 32, height: 32 },
    mean: TINY_IMAGENET.mean,
    std: TINY_IMAGENET.std,
    pool,
  };
  return {
    ...TINY_IMAGENET,
    classCount: train.classes.length,
    classNames: train.classes,
    train: new FileSplit(train.files, train.labels, common),
    test: new FileSplit(val.files, val.labels, common),
    source: folder,
    close: () => pool.close(),
  };
}

/** The validation images in file-name order and their labels from `val_annotations.txt`. */
async function readValAnnotations(folder: string, classes: readonly string[]) {
  const path = join(folder, "val", "val_annotations.txt");
  const text = await Deno.readTextFile(path);
  const wnidOf = new Map<string, string>();
  const index = new Map(classes.map((c, i) => [c, i]));
  let offset = 0;
  for (const line of text.split("\n")) {
    const fields = line.replace(/\r$/, "").split("\t");
    if (line.trim() !== "") {
      const [file, wnid] = fields;
      if (fields.length < 2 || !index.has(wnid!)) {
        throw new FormatError(path, {
          offset,
          expected: "lines 'val_<k>.JPEG<TAB><wnid of a training class><TAB>x0<TAB>y0<TAB>x1<TAB>y1'",
          found: JSON.stringify(line.slice(0, 80)),
          hint: "the file is damaged or does not belong to this train/ folder; unzip the archive again",
        });
      }
      wnidOf.set(file!, wnid!);
    }
    offset += new TextEncoder().encode(line).length + 1;
  }
  const images = (await listImages(join(folder, "val", "images"))).sort(compare);
  const unlabelled = images.find((p) => !wnidOf.has(basename(p)));
  if (unlabelled !== undefined || images.length !== wnidOf.size) {
    throw new FormatError(path, {
      expected: `one line per image of val/images (${images.length} images)`,
      found: unlabelled ? `no line for ${basename(unlabelled)}` : `${wnidOf.size} lines`,
      hint: "val/images and val_annotations.txt do not match; unzip the archive again",
    });
  }
  const labels = Int32Array.from(images, (p) => index.get(wnidOf.get(basename(p))!)!);
  return { files: images, labels };
}
