/**
 * Fashion-MNIST: 60 000 training and 10 000 test 28×28 grey images of clothing in 10 classes,
 * Normalize(0.2861, 0.3530). Read from `--data_path` (torchvision's `FashionMNIST/raw/` or the four files,
 * plain or gzipped) when the files are there, else from Debian's package `dataset-fashion-mnist`, which
 * installs the four gzipped files in `/usr/share/datasets/fashion-mnist`.
 *
 * @module
 */

import type { Dataset, DatasetInfo, LoadOptions } from "./dataset.ts";
import { idxFolders, loadIdxFamily, MNIST_FILES } from "./idx_family.ts";

/**
 * Fashion-MNIST's description (datasets.md §4).
 *
 * @example
 * ```ts
 * import { FASHION_MNIST } from "./fashion_mnist.ts";
 * console.log(FASHION_MNIST.classNames![9]); // Ankle boot
 * ```
 */
export const FASHION_MNIST: DatasetInfo = {
  name: "FashionMNIST",
  channels: 1,
  imageSize: [28, 28],
  classCount: 10,
  classNames: [
    "T-shirt/top",
    "Trouser",
    "Pullover",
    "Dress",
    "Coat",
    "Sandal",
    "Shirt",
    "Sneaker",
    "Bag",
    "Ankle boot",
  ],
  mean: [0.2861],
  std: [0.353],
  trainAugmentation: "none",
};

/**
 * Where Debian's `dataset-fashion-mnist` package puts the files.
 *
 * @example
 * ```ts
 * import { FASHION_MNIST_SYSTEM_FOLDER } from "./fashion_mnist.ts";
 * console.log(FASHION_MNIST_SYSTEM_FOLDER); // /usr/share/datasets/fashion-mnist
 * ```
 */
export const FASHION_MNIST_SYSTEM_FOLDER = "/usr/share/datasets/fashion-mnist";

/**
 * Loads Fashion-MNIST from `options.dataPath` when the files are there, else from
 * {@linkcode FASHION_MNIST_SYSTEM_FOLDER}.
 *
 * @example
 * ```ts
 * import { loadFashionMnist } from "./fashion_mnist.ts";
 * const dir = await Deno.makeTempDir(); // empty: the error lists the files and the folders searched
 * await loadFashionMnist({ dataPath: dir }).catch((e) => console.log(e.message));
 * ```
 */
export async function loadFashionMnist(options: LoadOptions = {}): Promise<Dataset> {
  return await loadIdxFamily({
    info: FASHION_MNIST,
    classNames: FASHION_MNIST.classNames!,
    folders: [...idxFolders(options.dataPath, "FashionMNIST"), FASHION_MNIST_SYSTEM_FOLDER],
    files: MNIST_FILES,
    labels: "idx1",
    hint: "install Debian's dataset-fashion-mnist (apt-get install dataset-fashion-mnist) or put the four " +
      "Fashion-MNIST files in --data_path or <data_path>/FashionMNIST/raw",
  });
}
