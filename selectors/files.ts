/**
 * Selection from and to numpy `.npy` files, for people who bring their own model: features (and labels,
 * probabilities) in, kept indices (and scores, weights) out, as `.npy` for PyTorch and `.json` for
 * everything else.
 *
 * @module
 */

import { npyToFloat32, npyToInt32, readNpyFile, writeNpyFile } from "../datasets/formats/npy.ts";
import { writeFileAtomic } from "../io/atomic_write.ts";
import { findMethod } from "./registry.ts";
import type { Matrix, SelectionInput, SelectionOptions, SelectionResult } from "./types.ts";

/** What `selectFromFiles` reads and writes. */
export interface SelectFilesSpec {
  /** Method name (case-insensitive; see `METHODS`). */
  method: string;
  /** n × d features `.npy` (also taken as the probabilities when a method needs them and `probs` is absent). */
  input?: string;
  /** n labels `.npy` (integers), needed by `balance`. */
  labels?: string;
  /** n × C class probabilities `.npy`. */
  probs?: string;
  /** Output path of the indices `.npy`; the `.json` goes beside it (same name, `.json`). */
  out: string;
  /** Options passed to the method (fraction or budget, balance, seed, method-specific ones). */
  options: SelectionOptions & Record<string, unknown>;
}

/** What was selected and where it was written. */
export interface SelectFilesResult extends SelectionResult {
  /** The method's canonical name. */
  method: string;
  /** Number of samples in the input. */
  n: number;
  /** Paths written. */
  written: string[];
  /** Seconds spent selecting (without reading and writing files). */
  seconds: number;
}

async function readMatrix(path: string, what: string): Promise<Matrix> {
  const array = await readNpyFile(path);
  if (array.shape.length !== 2) {
    throw new Error(
      `${path}: expected a 2-D array of ${what} (n × d), found shape (${array.shape.join(", ")})`,
    );
  }
  return { data: npyToFloat32(array), rows: array.shape[0]!, cols: array.shape[1]! };
}

async function readLabels(path: string): Promise<Int32Array> {
  const array = await readNpyFile(path);
  if (array.shape.length !== 1) {
    throw new Error(`${path}: expected a 1-D array of labels, found shape (${array.shape.join(", ")})`);
  }
  const labels = npyToInt32(array, path);
  const bad = labels.findIndex((y) => y < 0);
  if (bad >= 0) throw new Error(`${path}: label ${bad} is ${labels[bad]}; labels must be 0..C-1`);
  return labels;
}

/**
 * Reads the inputs, runs the method, writes `out` (int64 indices, as PyTorch indexes with them) and
 * `out` with `.json` (method, n, options, indices and any scores/weights); with scores or weights also
 * `<out>.scores.npy` / `<out>.weights.npy`. Every file is written atomically.
 *
 * @example
 * ```ts
 * import { writeNpyFile } from "../datasets/formats/npy.ts";
 * import { ready } from "../kernels/runtime/runtime.ts";
 * import { selectFromFiles } from "./files.ts";
 * await ready();
 * const dir = await Deno.makeTempDir();
 * await writeNpyFile(`${dir}/x.npy`, new Float32Array([0, 1, 5, 9]), [4, 1]);
 * const r = await selectFromFiles({ method: "kCenterGreedy", input: `${dir}/x.npy`, out: `${dir}/keep.npy`, options: { budget: 2 } });
 * console.log(r.indices.length, r.written.length); // 2 2
 * ```
 */
export async function selectFromFiles(spec: SelectFilesSpec): Promise<SelectFilesResult> {
  const method = findMethod(spec.method);
  const input: SelectionInput = {};
  if (spec.input) input.features = await readMatrix(spec.input, "features");
  if (spec.probs) input.probs = await readMatrix(spec.probs, "probabilities");
  else if (method.needs.includes("probs") && input.features) input.probs = input.features;
  if (spec.labels) input.labels = await readLabels(spec.labels);
  for (const field of method.needs) {
    if (!input[field]) {
      throw new Error(
        `${method.name} needs ${field === "probs" ? "--probs (or --input)" : "--input"} (.npy)`,
      );
    }
  }
  if (!input.features && !input.probs && !input.labels) {
    throw new Error(`${method.name} needs --input or --labels`);
  }
  const n = ((input.features ?? input.probs) as Matrix | undefined)?.rows ?? input.labels!.length;
  const start = performance.now();
  const result = await method.select(input, spec.options);
  const seconds = (performance.now() - start) / 1000;

  const stem = spec.out.replace(/\.npy$/i, "");
  const written = [spec.out, `${stem}.json`];
  await writeNpyFile(spec.out, BigInt64Array.from(result.indices, BigInt));
  if (result.scores) {
    await writeNpyFile(`${stem}.scores.npy`, result.scores).then(() => written.push(`${stem}.scores.npy`));
  }
  if (result.weights) {
    await writeNpyFile(`${stem}.weights.npy`, result.weights).then(() => written.push(`${stem}.weights.npy`));
  }
  const json = {
    method: method.name,
    n,
    options: spec.options,
    indices: Array.from(result.indices),
    ...(result.scores && { scores: Array.from(result.scores) }),
    ...(result.weights && { weights: Array.from(result.weights) }),
  };
  await writeFileAtomic(`${stem}.json`, JSON.stringify(json) + "\n");
  return { ...result, method: method.name, n, written, seconds };
}
