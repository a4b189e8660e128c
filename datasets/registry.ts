/**
 * The eight DeepCore datasets by name: MNIST, QMNIST, FashionMNIST, SVHN, CIFAR10, CIFAR100, TinyImageNet,
 * ImageNet (looked up case-insensitively; DeepCore's `--dataset` is case-sensitive).
 *
 * @module
 */

import { CIFAR10, loadCifar10 } from "./cifar10.ts";
import { CIFAR100, loadCifar100 } from "./cifar100.ts";
import type { Dataset, DatasetInfo, LoadOptions } from "./dataset.ts";
import { FASHION_MNIST, loadFashionMnist } from "./fashion_mnist.ts";
import { IMAGENET, loadImageNet } from "./imagenet.ts";
import { loadMnist, MNIST } from "./mnist.ts";
import { loadQmnist, QMNIST } from "./qmnist.ts";
import { loadSvhn, SVHN } from "./svhn.ts";
import { loadTinyImageNet, TINY_IMAGENET } from "./tiny_imagenet.ts";

/** A dataset of the registry: its description and its loader. */
export interface DatasetEntry {
  /** DeepCore's name. */
  name: string;
  /** Channels, size, classes, normalisation. */
  info: DatasetInfo;
  /** Reads it (from `options.dataPath` and the built-in locations). */
  load(options?: LoadOptions): Promise<Dataset>;
}

/**
 * Every dataset, in DeepCore's order.
 *
 * @example
 * ```ts
 * import { DATASETS } from "./registry.ts";
 * console.log(DATASETS.map((d) => d.name).join(", "));
 * // MNIST, QMNIST, FashionMNIST, SVHN, CIFAR10, CIFAR100, TinyImageNet, ImageNet
 * ```
 */
export const DATASETS: readonly DatasetEntry[] = [
  { name: "MNIST", info: MNIST, load: loadMnist },
  { name: "QMNIST", info: QMNIST, load: loadQmnist },
  { name: "FashionMNIST", info: FASHION_MNIST, load: loadFashionMnist },
  { name: "SVHN", info: SVHN, load: loadSvhn },
  { name: "CIFAR10", info: CIFAR10, load: loadCifar10 },
  { name: "CIFAR100", info: CIFAR100, load: loadCifar100 },
  { name: "TinyImageNet", info: TINY_IMAGENET, load: loadTinyImageNet },
  { name: "ImageNet", info: IMAGENET, load: loadImageNet },
];

/**
 * The dataset called `name` (case-insensitive); an unknown name throws an error listing the valid ones.
 *
 * @example
 * ```ts
 * import { findDataset } from "./registry.ts";
 * console.log(findDataset("cifar10").info.classCount); // 10
 * try {
 *   findDataset("CIFAR11");
 * } catch (e) {
 *   console.log((e as Error).message); // unknown dataset 'CIFAR11' (valid: MNIST, QMNIST, …, ImageNet)
 * }
 * ```
 */
export function findDataset(name: string): DatasetEntry {
  const entry = DATASETS.find((d) => d.name.toLowerCase() === name.toLowerCase());
  if (!entry) {
    throw new Error(`unknown dataset '${name}' (valid: ${DATASETS.map((d) => d.name).join(", ")})`);
  }
  return entry;
}

/**
 * Loads the dataset called `name` (case-insensitive) from `options.dataPath`.
 *
 * @example
 * ```ts
 * import { loadDataset } from "./registry.ts";
 * const mnist = await loadDataset("mnist");
 * console.log(mnist.name, mnist.train.count); // MNIST 60000
 * ```
 */
export async function loadDataset(name: string, options: LoadOptions = {}): Promise<Dataset> {
  return await findDataset(name).load(options);
}
