/**
 * SVHN (cropped digits): 73 257 training and 26 032 test 32×32 colour images of house-number digits, labels
 * 0–9 (the files' 10 is the digit 0). Read from `train_32x32.mat` and `test_32x32.mat` in `--data_path`
 * (torchvision's layout) or `<data_path>/SVHN`.
 *
 * @module
 */

import { type Dataset, type DatasetInfo, type LoadOptions, memoryDataset, MemorySplit } from "./dataset.ts";
import { locate, readBytes } from "./files.ts";
import { svhnFromMat } from "./formats/svhn_mat.ts";

/**
 * SVHN's description (datasets.md §7).
 *
 * @example
 * ```ts
 * import { SVHN } from "./svhn.ts";
 * console.log(SVHN.mean, SVHN.std); // [0.4377, 0.4438, 0.4728] [0.198, 0.201, 0.197]
 * ```
 */
export const SVHN: DatasetInfo = {
  name: "SVHN",
  channels: 3,
  imageSize: [32, 32],
  classCount: 10,
  classNames: ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9"],
  mean: [0.4377, 0.4438, 0.4728],
  std: [0.198, 0.201, 0.197],
  trainAugmentation: "none",
};

/**
 * Loads SVHN from `options.dataPath` (default "data").
 *
 * @example
 * ```ts
 * import { loadSvhn } from "./svhn.ts";
 * await loadSvhn({ dataPath: "/nonexistent" }).catch((e) => console.log(e.message));
 * // SVHN: cannot find train_32x32.mat, test_32x32.mat in /nonexistent, /nonexistent/SVHN, … — …
 * ```
 */
export async function loadSvhn(options: LoadOptions = {}): Promise<Dataset> {
  const root = (options.dataPath ?? "data").replace(/[\\/]+$/, "") || "/";
  const { folder, paths } = await locate("SVHN", [root, `${root}/SVHN`, `${root}/svhn`], [{
    name: "torchvision",
    files: { train: ["train_32x32.mat"], test: ["test_32x32.mat"] },
  }], "download train_32x32.mat and test_32x32.mat (SVHN format 2) into --data_path");
  const split = async (path: string) => {
    const set = await svhnFromMat(await readBytes(path), path);
    return new MemorySplit(set.pixels, Int32Array.from(set.labels), [3, 32, 32], SVHN.mean, SVHN.std);
  };
  const [train, test] = await Promise.all([split(paths.train!), split(paths.test!)]);
  return memoryDataset(SVHN, SVHN.classNames!, train, test, folder);
}
