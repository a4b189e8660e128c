/**
 * QMNIST: the reconstructed MNIST, 60 000 training and 60 000 test digits (DeepCore's `train=False` is
 * the whole QMNIST test set), 28×28 grey, Normalize(0.1308, 0.3088); the label is column 0 of the extended
 * label records. Read from `--data_path` in torchvision's layout (`QMNIST/raw/`) or the archive's (the four
 * `qmnist-*` files, plain or gzipped).
 *
 * @module
 */

import type { Dataset, DatasetInfo, LoadOptions } from "./dataset.ts";
import { idxFolders, loadIdxFamily } from "./idx_family.ts";

/**
 * QMNIST's description (datasets.md §5).
 *
 * @example
 * ```ts
 * import { QMNIST } from "./qmnist.ts";
 * console.log(QMNIST.mean, QMNIST.std); // [0.1308] [0.3088]
 * ```
 */
export const QMNIST: DatasetInfo = {
  name: "QMNIST",
  channels: 1,
  imageSize: [28, 28],
  classCount: 10,
  classNames: ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9"],
  mean: [0.1308],
  std: [0.3088],
  trainAugmentation: "none",
};

/**
 * Loads QMNIST from `options.dataPath`.
 *
 * @example
 * ```ts
 * import { loadQmnist } from "./qmnist.ts";
 * await loadQmnist({ dataPath: "/nonexistent" }).catch((e) => console.log(e.message));
 * // QMNIST: cannot find qmnist-train-images-idx3-ubyte, … in /nonexistent/QMNIST/raw, … — …
 * ```
 */
export async function loadQmnist(options: LoadOptions = {}): Promise<Dataset> {
  return await loadIdxFamily({
    info: QMNIST,
    classNames: QMNIST.classNames!,
    folders: idxFolders(options.dataPath ?? "data", "QMNIST"),
    files: {
      trainImages: "qmnist-train-images-idx3-ubyte",
      trainLabels: "qmnist-train-labels-idx2-int",
      testImages: "qmnist-test-images-idx3-ubyte",
      testLabels: "qmnist-test-labels-idx2-int",
    },
    labels: "qmnist",
    hint: "download the four qmnist-{train,test}-{images-idx3-ubyte,labels-idx2-int}.gz files into " +
      "<data_path>/QMNIST/raw",
  });
}
