/**
 * CIFAR-10 and CIFAR-100 share a loader: the binary distribution (`cifar-10-batches-bin/`,
 * `cifar-100-binary/`) or the Python one torchvision reads (`cifar-10-batches-py/`, `cifar-100-python/`),
 * found under `--data_path` (or `--data_path` being that folder itself).
 *
 * @module
 */

import { type Dataset, type DatasetInfo, memoryDataset, MemorySplit } from "./dataset.ts";
import { type Layout, locate, readBytes } from "./files.ts";
import { type CifarBatch, concatCifar, readCifar10, readCifar100 } from "./formats/cifar.ts";
import { readCifarPickle } from "./formats/cifar_pickle.ts";

/** The files of one CIFAR version. */
export interface CifarSpec {
  /** Name and statistics. */
  info: DatasetInfo;
  /** "cifar10" or "cifar100". */
  kind: "cifar10" | "cifar100";
  /** Binary layout: folder and the train and test file names. */
  binary: { folder: string; train: string[]; test: string[] };
  /** Python layout: folder and the train and test file names. */
  python: { folder: string; train: string[]; test: string[] };
  /** What to do when nothing is found. */
  hint: string;
}

/**
 * Loads a CIFAR version from the first of `dataPath`, `<dataPath>/<Name>`, `<dataPath>/<name>` holding one
 * of its layouts.
 *
 * @example
 * ```ts
 * import { loadCifar } from "./cifar_files.ts";
 * import { CIFAR10_SPEC } from "./cifar10.ts";
 * const dir = await Deno.makeTempDir();
 * await Deno.mkdir(`${dir}/cifar-10-batches-bin`);
 * const record = new Uint8Array(3073);
 * for (const f of ["data_batch_1", "data_batch_2", "data_batch_3", "data_batch_4", "data_batch_5", "test_batch"]) {
 *   await Deno.writeFile(`${dir}/cifar-10-batches-bin/${f}.bin`, record);
 * }
 * const ds = await loadCifar(CIFAR10_SPEC, dir);
 * console.log(ds.train.count, ds.test.count); // 5 1
 * ```
 */
export async function loadCifar(spec: CifarSpec, dataPath = "data"): Promise<Dataset> {
  const root = dataPath.replace(/[\\/]+$/, "") || "/";
  const folders = [root, `${root}/${spec.info.name}`, `${root}/${spec.info.name.toLowerCase()}`];
  const layout = (name: string, { folder, train, test }: CifarSpec["binary"]): Layout => {
    const files: Record<string, string[]> = {};
    train.forEach((f, i) => (files[`train${i}`] = [`${folder}/${f}`, f]));
    test.forEach((f, i) => (files[`test${i}`] = [`${folder}/${f}`, f]));
    const list = (names: string[]) => (names.length > 2 ? `${names[0]} … ${names.at(-1)}` : names.join(", "));
    return { name, files, summary: `${folder}/{${list(train)}, ${list(test)}}` };
  };
  const binary = layout("binary", spec.binary);
  const found = await locate(spec.info.name, folders, [binary, layout("python", spec.python)], spec.hint);
  const read = async (path: string): Promise<CifarBatch> => {
    const bytes = await readBytes(path);
    if (found.layout !== binary) return readCifarPickle(bytes, path, spec.kind);
    return spec.kind === "cifar10" ? readCifar10(bytes, path) : readCifar100(bytes, path);
  };
  const split = async (prefix: string) => {
    const paths = Object.entries(found.paths).filter(([role]) => role.startsWith(prefix)).map(([, p]) => p);
    const batch = concatCifar(await Promise.all(paths.map(read)));
    return new MemorySplit(
      batch.pixels,
      Int32Array.from(batch.labels),
      [3, 32, 32],
      spec.info.mean,
      spec.info.std,
    );
  };
  const [train, test] = [await split("train"), await split("test")];
  return memoryDataset(spec.info, spec.info.classNames!, train, test, found.folder);
}
