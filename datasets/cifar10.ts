/**
 * CIFAR-10: 50 000 training and 10 000 test 32×32 colour images in 10 classes; DeepCore trains on the
 * coreset with a random crop (4-pixel reflection padding) and a horizontal flip. Read from `--data_path`
 * in the binary (`cifar-10-batches-bin/`) or the Python layout (`cifar-10-batches-py/`, torchvision's).
 *
 * @module
 */

import { type CifarSpec, loadCifar } from "./cifar_files.ts";
import type { Dataset, DatasetInfo, LoadOptions } from "./dataset.ts";

/**
 * CIFAR-10's description (datasets.md §6).
 *
 * @example
 * ```ts
 * import { CIFAR10 } from "./cifar10.ts";
 * console.log(CIFAR10.classNames!.length, CIFAR10.trainAugmentation); // 10 crop-flip
 * ```
 */
export const CIFAR10: DatasetInfo = {
  name: "CIFAR10",
  channels: 3,
  imageSize: [32, 32],
  classCount: 10,
  classNames: ["airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck"],
  mean: [0.4914, 0.4822, 0.4465],
  std: [0.247, 0.2435, 0.2616],
  trainAugmentation: "crop-flip",
};

const BATCHES = ["data_batch_1", "data_batch_2", "data_batch_3", "data_batch_4", "data_batch_5"];

/**
 * CIFAR-10's files in both layouts.
 *
 * @example
 * ```ts
 * import { CIFAR10_SPEC } from "./cifar10.ts";
 * console.log(CIFAR10_SPEC.binary.test); // ["test_batch.bin"]
 * ```
 */
export const CIFAR10_SPEC: CifarSpec = {
  info: CIFAR10,
  kind: "cifar10",
  binary: { folder: "cifar-10-batches-bin", train: BATCHES.map((b) => `${b}.bin`), test: ["test_batch.bin"] },
  python: { folder: "cifar-10-batches-py", train: BATCHES, test: ["test_batch"] },
  hint: "unpack cifar-10-binary.tar.gz or cifar-10-python.tar.gz into --data_path",
};

/**
 * Loads CIFAR-10 from `options.dataPath` (default "data", DeepCore's default).
 *
 * @example
 * ```ts
 * import { loadCifar10 } from "./cifar10.ts";
 * await loadCifar10({ dataPath: "/nonexistent" }).catch((e) => console.log(e.message));
 * // CIFAR10: cannot find (binary cifar-10-batches-bin/: …) or (python cifar-10-batches-py/: …) in … — …
 * ```
 */
export async function loadCifar10(options: LoadOptions = {}): Promise<Dataset> {
  return await loadCifar(CIFAR10_SPEC, options.dataPath);
}
