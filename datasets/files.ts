/**
 * Finding a dataset's files among the folders and layouts it may be stored in, and the errors a user can
 * act on when they are not there or do not agree with each other.
 *
 * @module
 */

import { join } from "node:path";
import { FormatError } from "./formats/format_error.ts";

/**
 * A dataset's files are not where it looked. The message is one line: the dataset, the files it looked for,
 * the folders it searched (or the files it found and the ones missing), and what to do.
 *
 * @example
 * ```ts
 * import { DatasetFilesError } from "./files.ts";
 * const e = new DatasetFilesError("SVHN", ["data"], ["train_32x32.mat, test_32x32.mat"], "download them");
 * console.log(e.message);
 * // SVHN: cannot find train_32x32.mat, test_32x32.mat in data — download them.
 * ```
 */
export class DatasetFilesError extends Error {
  /**
   * Builds the message from the dataset name, the folders searched, the files expected (one string per
   * accepted layout) and the hint; `detail` replaces the "cannot find …" part when given.
   */
  constructor(
    readonly dataset: string,
    readonly searched: readonly string[],
    readonly expected: readonly string[],
    readonly hint: string,
    detail?: string,
  ) {
    super(
      `${dataset}: ${detail ?? `cannot find ${expected.join(" or ")} in ${searched.join(", ")}`} — ${hint}.`,
    );
    this.name = "DatasetFilesError";
  }
}

/** One way a dataset's files can be laid out: for each file it needs, the names it may have. */
export interface Layout {
  /** A short description, e.g. "torchvision (cifar-10-batches-py)". */
  name: string;
  /** For each role (e.g. "trainImages"), accepted relative paths, preferred first (e.g. with and without .gz). */
  files: Record<string, readonly string[]>;
  /** How error messages list the files (default: each role's preferred name). */
  summary?: string;
}

/** Where {@linkcode locate} found a dataset. */
export interface Located {
  /** The folder the layout matched in. */
  folder: string;
  /** The layout that matched. */
  layout: Layout;
  /** The path of each role's file. */
  paths: Record<string, string>;
}

/**
 * The first folder (in order) holding every file of one of `layouts`. Otherwise a
 * {@linkcode DatasetFilesError} that names the partial match (files found and missing) when there is one,
 * and otherwise every file looked for and every folder searched.
 *
 * @example
 * ```ts
 * import { locate } from "./files.ts";
 * const dir = await Deno.makeTempDir();
 * await Deno.writeFile(`${dir}/b.gz`, new Uint8Array(1));
 * const found = await locate("X", [`${dir}/missing`, dir], [{ name: "flat", files: { b: ["b", "b.gz"] } }], "");
 * console.log(found.paths.b === `${dir}/b.gz`); // true
 * ```
 */
export async function locate(
  dataset: string,
  folders: readonly string[],
  layouts: readonly Layout[],
  hint: string,
): Promise<Located> {
  let best: { folder: string; found: string[]; missing: string[] } | undefined;
  for (const folder of folders) {
    for (const layout of layouts) {
      const paths: Record<string, string> = {};
      const missing: string[] = [];
      for (const [role, names] of Object.entries(layout.files)) {
        const name = await firstFile(folder, names);
        if (name === undefined) missing.push(names[0]!);
        else paths[role] = join(folder, name);
      }
      if (missing.length === 0) return { folder, layout, paths };
      const found = Object.values(paths).map((p) => p.slice(folder.length + 1));
      if (found.length > 0 && (best === undefined || found.length > best.found.length)) {
        best = { folder, found, missing };
      }
    }
  }
  const lists = layouts.map((l) => l.summary ?? Object.values(l.files).map((names) => names[0]!).join(", "));
  const expected = layouts.length === 1 ? lists : lists.map((list, i) => `(${layouts[i]!.name}: ${list})`);
  const detail = best && `${best.folder} has ${best.found.join(", ")} but not ${best.missing.join(", ")}`;
  throw new DatasetFilesError(dataset, folders, expected, hint, detail);
}

/** The first of `names` that is a file in `folder`, or undefined. */
async function firstFile(folder: string, names: readonly string[]): Promise<string | undefined> {
  for (const name of names) {
    if (await isFile(join(folder, name))) return name;
  }
  return undefined;
}

/**
 * True when `path` is a file (a missing path or a folder is false; no read permission throws).
 *
 * @example
 * ```ts
 * import { isFile } from "./files.ts";
 * console.log(await isFile("/nonexistent/file")); // false
 * ```
 */
export async function isFile(path: string): Promise<boolean> {
  try {
    return (await Deno.stat(path)).isFile;
  } catch (e) {
    if (e instanceof Deno.errors.NotFound || e instanceof Deno.errors.NotADirectory) return false;
    throw e;
  }
}

/**
 * True when `path` is a folder.
 *
 * @example
 * ```ts
 * import { isDirectory } from "./files.ts";
 * console.log(await isDirectory(Deno.cwd())); // true
 * ```
 */
export async function isDirectory(path: string): Promise<boolean> {
  try {
    return (await Deno.stat(path)).isDirectory;
  } catch (e) {
    if (e instanceof Deno.errors.NotFound || e instanceof Deno.errors.NotADirectory) return false;
    throw e;
  }
}

/**
 * Reads a whole file; an error says which file and why in one line.
 *
 * @example
 * ```ts
 * import { readBytes } from "./files.ts";
 * await readBytes("/nonexistent/x.bin").catch((e) => console.log(e.message)); // cannot read /nonexistent/x.bin: …
 * ```
 */
export async function readBytes(path: string): Promise<Uint8Array> {
  try {
    return await Deno.readFile(path);
  } catch (e) {
    throw readError(path, e);
  }
}

/**
 * The one-line error for a file that cannot be read (permission errors pass through unchanged).
 *
 * @example
 * ```ts
 * import { readError } from "./files.ts";
 * console.log(readError("a.bin", new Deno.errors.NotFound("x")).message); // cannot read a.bin: no such file
 * ```
 */
export function readError(path: string, e: unknown): Error {
  if (e instanceof Deno.errors.NotCapable) return e;
  if (e instanceof Deno.errors.NotFound) return new Error(`cannot read ${path}: no such file`);
  if (e instanceof Deno.errors.IsADirectory) return new Error(`cannot read ${path}: it is a folder`);
  const reason = e instanceof Error ? e.message.replace(/ \(os error \d+\).*$/, "") : String(e);
  return new Error(`cannot read ${path}: ${reason}`);
}

/**
 * The error for an images file and a labels file that disagree on the number of samples: a
 * {@linkcode FormatError} naming both files.
 *
 * @example
 * ```ts
 * import { countMismatch } from "./files.ts";
 * console.log(countMismatch("imgs", 3, "labels", 2).message);
 * // imgs: expected as many images as labels has labels (2), found 3 images — …
 * ```
 */
export function countMismatch(
  images: string,
  imageCount: number,
  labels: string,
  labelCount: number,
): FormatError {
  return new FormatError(images, {
    expected: `as many images as ${labels} has labels (${labelCount})`,
    found: `${imageCount} images`,
    hint: "the two files belong to different splits or one is damaged; download both again",
  });
}
