/**
 * CIFAR-100: 50 000 training and 10 000 test 32×32 colour images in 100 fine classes (the labels DeepCore
 * uses; the 20 coarse ones are ignored), trained on with the same crop and flip as CIFAR-10. Read from
 * `--data_path` in the binary (`cifar-100-binary/`) or the Python layout (`cifar-100-python/`,
 * torchvision's).
 *
 * @module
 */

import { type CifarSpec, loadCifar } from "./cifar_files.ts";
import type { Dataset, DatasetInfo, LoadOptions } from "./dataset.ts";

/**
 * CIFAR-100's description (datasets.md §6): fine class names in label (alphabetical) order.
 *
 * @example
 * ```ts
 * import { CIFAR100 } from "./cifar100.ts";
 * console.log(CIFAR100.classNames![99], CIFAR100.mean); // worm [0.5071, 0.4865, 0.4409]
 * ```
 */
export const CIFAR100: DatasetInfo = {
  name: "CIFAR100",
  channels: 3,
  imageSize: [32, 32],
  classCount: 100,
  classNames: [
    "apple",
    "aquarium_fish",
    "baby",
    "bear",
    "beaver",
    "bed",
    "bee",
    "beetle",
    "bicycle",
    "bottle",
    "bowl",
    "boy",
    "bridge",
    "bus",
    "butterfly",
    "camel",
    "can",
    "castle",
    "caterpillar",
    "cattle",
    "chair",
    "chimpanzee",
    "clock",
    "cloud",
    "cockroach",
    "couch",
    "crab",
    "crocodile",
    "cup",
    "dinosaur",
    "dolphin",
    "elephant",
    "flatfish",
    "forest",
    "fox",
    "girl",
    "hamster",
    "house",
    "kangaroo",
    "keyboard",
    "lamp",
    "lawn_mower",
    "leopard",
    "lion",
    "lizard",
    "lobster",
    "man",
    "maple_tree",
    "motorcycle",
    "mountain",
    "mouse",
    "mushroom",
    "oak_tree",
    "orange",
    "orchid",
    "otter",
    "palm_tree",
    "pear",
    "pickup_truck",
    "pine_tree",
    "plain",
    "plate",
    "poppy",
    "porcupine",
    "possum",
    "rabbit",
    "raccoon",
    "ray",
    "road",
    "rocket",
    "rose",
    "sea",
    "seal",
    "shark",
    "shrew",
    "skunk",
    "skyscraper",
    "snail",
    "snake",
    "spider",
    "squirrel",
    "streetcar",
    "sunflower",
    "sweet_pepper",
    "table",
    "tank",
    "telephone",
    "television",
    "tiger",
    "tractor",
    "train",
    "trout",
    "tulip",
    "turtle",
    "wardrobe",
    "whale",
    "willow_tree",
    "wolf",
    "woman",
    "worm",
  ],
  mean: [0.5071, 0.4865, 0.4409],
  std: [0.2673, 0.2564, 0.2762],
  trainAugmentation: "crop-flip",
};

/**
 * CIFAR-100's files in both layouts.
 *
 * @example
 * ```ts
 * import { CIFAR100_SPEC } from "./cifar100.ts";
 * console.log(CIFAR100_SPEC.python.folder); // cifar-100-python
 * ```
 */
export const CIFAR100_SPEC: CifarSpec = {
  info: CIFAR100,
  kind: "cifar100",
  binary: { folder: "cifar-100-binary", train: ["train.bin"], test: ["test.bin"] },
  python: { folder: "cifar-100-python", train: ["train"], test: ["test"] },
  hint: "unpack cifar-100-binary.tar.gz or cifar-100-python.tar.gz into --data_path",
};

/**
 * Loads CIFAR-100 from `options.dataPath` (default "data").
 *
 * @example
 * ```ts
 * import { loadCifar100 } from "./cifar100.ts";
 * await loadCifar100({ dataPath: "/nonexistent" }).catch((e) => console.log(e.message));
 * ```
 */
export async function loadCifar100(options: LoadOptions = {}): Promise<Dataset> {
  return await loadCifar(CIFAR100_SPEC, options.dataPath);
}
