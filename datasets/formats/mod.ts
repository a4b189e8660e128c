/**
 * Pure TypeScript readers (and a few writers) for the dataset file formats: IDX (MNIST family), QMNIST
 * extended labels, CIFAR binary and Python (pickled) batches, MATLAB level-5 MAT-files (SVHN), NumPy
 * `.npy`, and gzip/zlib decompression. Every reader throws {@linkcode FormatError} for bad input.
 *
 * @example
 * ```ts
 * import { readIdxLabels, writeIdx } from "./mod.ts";
 * const labels = readIdxLabels(writeIdx({ dtype: "uint8", dims: [2], data: new Uint8Array([3, 7]) }), "l", 10);
 * if (labels.join() !== "3,7") throw new Error("bad");
 * ```
 *
 * @module
 */

export * from "./format_error.ts";
export * from "./gzip.ts";
export * from "./idx.ts";
export * from "./qmnist.ts";
export * from "./cifar.ts";
export * from "./mat.ts";
export * from "./svhn_mat.ts";
export * from "./npy.ts";
export * from "./py_literal.ts";
export * from "./pickle.ts";
export * from "./cifar_pickle.ts";
