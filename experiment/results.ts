/**
 * The results file of an experiment (`results.json`): its schema, reading it with errors that name the
 * field, writing it atomically, replacing one run in it, and summarising its runs into the mean ± std
 * cells of the paper's tables, which the Markdown report and the SVG plot both draw from.
 *
 * @module
 */

import { dirname } from "node:path";
import { writeFileAtomic } from "../io/atomic_write.ts";

/** One evaluation on the test set during training. `accuracy` is in [0, 1]. */
export interface TestPoint {
  /** The epoch after which the test ran. */
  epoch: number;
  /** Top-1 accuracy on the test set, in [0, 1]. */
  accuracy: number;
  /** Mean cross-entropy on the test set. */
  loss: number;
}

/** One training epoch on the coreset: mean loss and accuracy on the coreset, learning rate at its end. */
export interface EpochPoint {
  /** The epoch number. */
  epoch: number;
  /** Mean (weighted) training loss over the epoch. */
  loss: number;
  /** Training accuracy over the epoch, in [0, 1]. */
  accuracy: number;
  /** Learning rate at the end of the epoch. */
  lr: number;
}

/** One finished run: one coreset selected and one network trained on it, with what came of it. */
export interface RunRecord {
  /** `${dataset}/${model}/${method}/${fraction}/exp${experiment}`, plus `/cross-${crossModel}`; see {@linkcode runId}. */
  id: string;
  /** 0..num_exp-1. */
  experiment: number;
  /** This experiment's seed. */
  seed: number;
  /** DeepCore's dataset name, e.g. "CIFAR10". */
  dataset: string;
  /** The selection model, and the trained one unless `crossModel` is set. */
  model: string;
  /** The selection method, e.g. "Herding"; variants (Uncertainty, Submodular) should be told apart here. */
  method: string;
  /** Coreset fraction of the training set, in (0, 1]. */
  fraction: number;
  /** Number of samples the selection was asked for. */
  budget: number;
  /** Set when this run trains another architecture on the same coreset. */
  crossModel?: string;
  /** The full configuration. */
  options: Record<string, unknown>;
  /**
   * The selected coreset: its size, where its indices are, whether it carries weights, and the wall
   * seconds of the selection itself (pre-training the selection model is `selectionModel.seconds`).
   */
  coreset: { size: number; indicesFile: string; weighted: boolean; selectionSeconds: number };
  /** The selection model this run's coreset was read from (methods that need features only). */
  selectionModel?: SelectionModelRecord;
  /** Training on the coreset: wall time, one point per epoch, one per test. */
  training: { seconds: number; history: EpochPoint[]; tests: TestPoint[] };
  /** Last test accuracy, 0 when never tested. */
  finalAccuracy: number;
  /** Best test accuracy over training (what DeepCore reports). */
  bestAccuracy: number;
  /** ISO 8601 time the run finished. */
  finished: string;
}

/** An experiment's pre-trained selection model, and whether it learned anything. */
export interface SelectionModelRecord {
  /** Pre-training epochs. */
  epochs: number;
  /** The constant pre-training learning rate. */
  lr: number;
  /** Training loss of the last pre-training epoch (null after 0 epochs). */
  trainLoss: number | null;
  /** Training accuracy of the last pre-training epoch (null after 0 epochs). */
  trainAccuracy: number | null;
  /** Wall seconds of pre-training and feature extraction in the invocation that made it. */
  seconds: number;
  /** Largest spread over samples of any embedding coordinate (0: one embedding for every sample). */
  embeddingSpread: number;
  /** Largest spread over samples of any class probability. */
  probsSpread: number;
  /** Every sample looks the same to the model: its coresets only break ties. */
  collapsed: boolean;
}

/** The whole file: the command that produced it and every finished run. */
export interface ResultsFile {
  /** Schema version; always 1. */
  version: 1;
  /** The command line that produced the file. */
  command: string;
  /** ISO 8601 time the experiment started. */
  started: string;
  /** Finished runs, in the order they finished (a rerun replaces its old record in place). */
  runs: RunRecord[];
}

/**
 * A results file that does not match the schema. The message is one line: the file, the field, what was
 * expected, what was found and what to do.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseResults, ResultsError } from "./results.ts";
 * assert.throws(() => parseResults('{"version": 2}', "results.json"), ResultsError);
 * ```
 */
export class ResultsError extends Error {
  /** Creates the error; `field` is a path like `runs[3].bestAccuracy`, empty for the whole file. */
  constructor(
    readonly file: string,
    readonly field: string,
    readonly expected: string,
    readonly found: string,
    readonly hint: string,
  ) {
    super(`${file}: ${field ? `${field}: ` : ""}expected ${expected}, found ${found} — ${hint}.`);
    this.name = "ResultsError";
  }
}

/**
 * The id of a run: `${dataset}/${model}/${method}/${fraction}/exp${experiment}`, plus
 * `/cross-${crossModel}` for a cross-architecture run.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { runId } from "./results.ts";
 * const run = { dataset: "CIFAR10", model: "ResNet18", method: "Herding", fraction: 0.1, experiment: 2 };
 * assert.equal(runId(run), "CIFAR10/ResNet18/Herding/0.1/exp2");
 * assert.equal(runId({ ...run, crossModel: "VGG16" }), "CIFAR10/ResNet18/Herding/0.1/exp2/cross-VGG16");
 * ```
 */
export function runId(
  run: Pick<RunRecord, "dataset" | "model" | "method" | "fraction" | "experiment" | "crossModel">,
): string {
  const id = `${run.dataset}/${run.model}/${run.method}/${run.fraction}/exp${run.experiment}`;
  return run.crossModel === undefined ? id : `${id}/cross-${run.crossModel}`;
}

// ---------------------------------------------------------------------------------------------------
// Validation

type Kind<T> = { expected: string; test: (v: unknown) => boolean; _?: T };
const isNum = (v: unknown): v is number => typeof v === "number" && Number.isFinite(v);
const kind = <T>(expected: string, test: (v: unknown) => boolean): Kind<T> => ({ expected, test });
const K = {
  string: kind<string>("a string", (v) => typeof v === "string"),
  name: kind<string>("a non-empty string", (v) => typeof v === "string" && v.length > 0),
  time: kind<string>("an ISO 8601 time", (v) => typeof v === "string" && !Number.isNaN(Date.parse(v))),
  unit: kind<number>("a number in [0, 1]", (v) => isNum(v) && v >= 0 && v <= 1),
  fraction: kind<number>("a number in (0, 1]", (v) => isNum(v) && v > 0 && v <= 1),
  count: kind<number>("an integer ≥ 0", (v) => Number.isSafeInteger(v) && (v as number) >= 0),
  integer: kind<number>("an integer", (v) => Number.isSafeInteger(v)),
  seconds: kind<number>("a number ≥ 0", (v) => isNum(v) && v >= 0),
  finite: kind<number>("a finite number", isNum),
  boolean: kind<boolean>("true or false", (v) => typeof v === "boolean"),
  object: kind<Record<string, unknown>>(
    "an object",
    (v) => typeof v === "object" && v !== null && !Array.isArray(v),
  ),
  array: kind<unknown[]>("an array", Array.isArray),
};

function shown(v: unknown): string {
  if (v === undefined) return "nothing (the field is missing)";
  if (typeof v === "number") return String(v); // NaN and Infinity, which JSON.stringify hides as null
  const s = JSON.stringify(v);
  return s.length > 40 ? `${s.slice(0, 37)}...` : s;
}

const FIX = "fix the field, or delete this run from the file and run it again";

/** Checks `obj[key]` against `k` and returns it typed; `at` is the path of `obj`. */
function get<T>(file: string, obj: Record<string, unknown>, key: string, at: string, k: Kind<T>): T {
  const v = obj[key];
  const field = at ? `${at}.${key}` : key;
  if (!k.test(v)) {
    throw new ResultsError(file, field, k.expected, shown(v), at ? FIX : "is this a results file?");
  }
  return v as T;
}

function checkPoints(file: string, list: unknown[], at: string, keys: [string, Kind<number>][]): void {
  list.forEach((p, i) => {
    const here = `${at}[${i}]`;
    if (!K.object.test(p)) throw new ResultsError(file, here, "an object", shown(p), FIX);
    for (const [key, k] of keys) get(file, p as Record<string, unknown>, key, here, k);
  });
}

function checkRun(file: string, r: Record<string, unknown>, at: string): void {
  const g = <T>(key: string, k: Kind<T>) => get(file, r, key, at, k);
  g("id", K.name);
  g("experiment", K.count);
  g("seed", K.integer);
  for (const key of ["dataset", "model", "method"]) g(key, K.name);
  g("fraction", K.fraction);
  g("budget", K.count);
  if (r.crossModel !== undefined) g("crossModel", K.name);
  g("options", K.object);
  const coreset = g("coreset", K.object);
  const c = `${at}.coreset`;
  get(file, coreset, "size", c, K.count);
  get(file, coreset, "indicesFile", c, K.string);
  get(file, coreset, "weighted", c, K.boolean);
  get(file, coreset, "selectionSeconds", c, K.seconds);
  const training = g("training", K.object);
  const t = `${at}.training`;
  get(file, training, "seconds", t, K.seconds);
  const history = get(file, training, "history", t, K.array);
  checkPoints(file, history, `${t}.history`, [
    ["epoch", K.count],
    ["loss", K.finite],
    ["accuracy", K.unit],
    ["lr", K.seconds],
  ]);
  const tests = get(file, training, "tests", t, K.array);
  checkPoints(file, tests, `${t}.tests`, [["epoch", K.count], ["accuracy", K.unit], ["loss", K.finite]]);
  g("finalAccuracy", K.unit);
  g("bestAccuracy", K.unit);
  g("finished", K.time);
}

/**
 * Checks that `data` is a {@linkcode ResultsFile}, every field of every run included, and that run ids
 * are unique. Throws a {@linkcode ResultsError} naming `file` and the first bad field. Fields the schema
 * does not name are kept and not checked.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { validateResults } from "./results.ts";
 * const file = validateResults({ version: 1, command: "deepcore run", started: "2024-01-01T00:00:00Z", runs: [] });
 * assert.equal(file.runs.length, 0);
 * assert.throws(() => validateResults({ version: 1, command: 3 }), /command: expected a string, found 3/);
 * ```
 */
export function validateResults(data: unknown, file = "results.json"): ResultsFile {
  if (!K.object.test(data)) {
    throw new ResultsError(file, "", "a JSON object", shown(data), "is this a results file?");
  }
  const o = data as Record<string, unknown>;
  if (o.version !== 1) {
    throw new ResultsError(
      file,
      "version",
      "1",
      shown(o.version),
      "this file was not written by this version of deepcore; rerun the experiment into a new folder",
    );
  }
  get(file, o, "command", "", K.string);
  get(file, o, "started", "", K.time);
  const runs = get(file, o, "runs", "", K.array);
  const seen = new Map<string, number>();
  runs.forEach((r, i) => {
    const at = `runs[${i}]`;
    if (!K.object.test(r)) throw new ResultsError(file, at, "an object", shown(r), FIX);
    const run = r as Record<string, unknown>;
    checkRun(file, run, at);
    const first = seen.get(run.id as string);
    if (first !== undefined) {
      throw new ResultsError(
        file,
        `${at}.id`,
        "a unique id",
        `${shown(run.id)}, also at runs[${first}]`,
        FIX,
      );
    }
    seen.set(run.id as string, i);
  });
  return data as unknown as ResultsFile;
}

/**
 * Parses and validates the text of a results file; `file` names it in errors.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseResults } from "./results.ts";
 * assert.throws(() => parseResults("{", "out/results.json"), /^ResultsError: out\/results.json: expected JSON/);
 * ```
 */
export function parseResults(text: string, file = "results.json"): ResultsFile {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    const why = e instanceof SyntaxError ? e.message : String(e);
    throw new ResultsError(
      file,
      "",
      "JSON",
      `a syntax error (${why})`,
      "the file is damaged; restore it or delete it",
    );
  }
  return validateResults(data, file);
}

/**
 * Reads and validates the results file at `path`. A missing file throws `Deno.errors.NotFound`; a bad
 * one a {@linkcode ResultsError}.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { emptyResults, readResults, writeResults } from "./results.ts";
 * const path = `${await Deno.makeTempDir()}/results.json`;
 * await writeResults(path, emptyResults("deepcore run --dataset CIFAR10"));
 * assert.equal((await readResults(path)).command, "deepcore run --dataset CIFAR10");
 * ```
 */
export async function readResults(path: string): Promise<ResultsFile> {
  let text: string;
  try {
    text = await Deno.readTextFile(path);
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) {
      throw new Deno.errors.NotFound(
        `${path}: no results file here — check the path, or run the experiment first.`,
      );
    }
    throw e;
  }
  return parseResults(text, path);
}

/** JSON with small flat objects and arrays (one epoch of history, the coreset) on one line each. */
function toJson(v: unknown, indent = ""): string {
  if (v === null || typeof v !== "object") return JSON.stringify(v) ?? "null";
  const isArray = Array.isArray(v);
  const entries = isArray
    ? v.map((x) => [undefined, x] as const)
    : Object.entries(v).filter(([, x]) => x !== undefined && typeof x !== "function");
  const [open, close] = isArray ? ["[", "]"] : ["{", "}"];
  if (entries.length === 0) return open + close;
  const inner = indent + "  ";
  const items = entries.map(([k, x]) => (k === undefined ? "" : `${JSON.stringify(k)}: `) + toJson(x, inner));
  const flat = entries.every(([, x]) => x === null || typeof x !== "object");
  const line = `${open}${items.join(", ")}${close}`;
  if (flat && indent.length + line.length <= 160) return line;
  return `${open}\n${inner}${items.join(`,\n${inner}`)}\n${indent}${close}`;
}

/**
 * Validates `file` and writes it to `path` atomically (temporary file + rename), creating the folder.
 * A NaN or Infinity anywhere is refused here, since JSON would store it as null and the next read fail.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { emptyResults, writeResults } from "./results.ts";
 * const dir = await Deno.makeTempDir();
 * await writeResults(`${dir}/out/results.json`, emptyResults("deepcore run"));
 * assert.deepEqual([...Deno.readDirSync(`${dir}/out`)].map((e) => e.name), ["results.json"]);
 * ```
 */
export async function writeResults(path: string, file: ResultsFile): Promise<void> {
  validateResults(file, path);
  await Deno.mkdir(dirname(path), { recursive: true });
  await writeFileAtomic(path, toJson(file) + "\n");
}

/**
 * A results file with no runs yet.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { emptyResults } from "./results.ts";
 * const file = emptyResults("deepcore run", new Date("2024-05-01T12:00:00Z"));
 * assert.deepEqual(file, { version: 1, command: "deepcore run", started: "2024-05-01T12:00:00.000Z", runs: [] });
 * ```
 */
export function emptyResults(command: string, started: Date = new Date()): ResultsFile {
  return { version: 1, command, started: started.toISOString(), runs: [] };
}

/**
 * Returns a copy of `file` with `run` in it: replacing the run of the same id where it was, else
 * appended. `file` itself is not changed.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { emptyResults, type RunRecord, upsertRun } from "./results.ts";
 * const run = (id: string, bestAccuracy: number) => ({ id, bestAccuracy }) as RunRecord;
 * let file = emptyResults("deepcore run");
 * file = upsertRun(upsertRun(file, run("a", 0.5)), run("b", 0.6));
 * file = upsertRun(file, run("a", 0.7));
 * assert.deepEqual(file.runs.map((r) => [r.id, r.bestAccuracy]), [["a", 0.7], ["b", 0.6]]);
 * ```
 */
export function upsertRun(file: ResultsFile, run: RunRecord): ResultsFile {
  const i = file.runs.findIndex((r) => r.id === run.id);
  const runs = i < 0 ? [...file.runs, run] : file.runs.map((r, j) => (j === i ? run : r));
  return { ...file, runs };
}

/**
 * Adds `run` to the results file at `path` (reading it, or starting one for `command` when there is
 * none), replacing a run of the same id, and writes it back atomically. Returns the new file. This is
 * what the pipeline calls after every finished run, so that a crash loses at most the run in progress.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { recordRun, type RunRecord } from "./results.ts";
 * const path = `${await Deno.makeTempDir()}/results.json`;
 * const run: RunRecord = {
 *   id: "MNIST/MLP/Uniform/0.1/exp0", experiment: 0, seed: 1, dataset: "MNIST", model: "MLP",
 *   method: "Uniform", fraction: 0.1, budget: 6000, options: {},
 *   coreset: { size: 6000, indicesFile: "coresets/0.npy", weighted: false, selectionSeconds: 0.01 },
 *   training: { seconds: 3, history: [], tests: [] },
 *   finalAccuracy: 0, bestAccuracy: 0, finished: "2024-05-01T12:00:00Z",
 * };
 * await recordRun(path, run, "deepcore run");
 * const file = await recordRun(path, { ...run, bestAccuracy: 0.9 }, "deepcore run");
 * assert.deepEqual(file.runs.map((r) => r.bestAccuracy), [0.9]);
 * ```
 */
export async function recordRun(path: string, run: RunRecord, command: string): Promise<ResultsFile> {
  let file: ResultsFile;
  try {
    file = await readResults(path);
  } catch (e) {
    if (!(e instanceof Deno.errors.NotFound)) throw e;
    file = emptyResults(command);
  }
  file = upsertRun(file, run);
  await writeResults(path, file);
  return file;
}

// ---------------------------------------------------------------------------------------------------
// Summaries: the cells of the paper's tables

/** Which accuracy of a run to tabulate: the best over training (DeepCore's choice) or the last one. */
export type Metric = "best" | "final";

/** The runs of one method at one fraction: their accuracies in percent, mean and sample std (n − 1). */
export interface Cell {
  /** The accuracy of each run, in percent, in file order. */
  values: number[];
  /** Their mean. */
  mean: number;
  /** Sample standard deviation; 0 when there is one value. */
  std: number;
}

/** One method in one group: a cell per fraction of the group (undefined where it has no runs). */
export interface MethodRow {
  /** The row label, see {@linkcode methodLabel}. */
  method: string;
  /** One per fraction of the group. */
  cells: (Cell | undefined)[];
  /** How many runs the method has in this group. */
  runs: number;
  /** Mean selection time of those runs, in seconds. */
  selectionSeconds: number;
  /** Mean training time of those runs, in seconds. */
  trainingSeconds: number;
}

/** The runs of one dataset and trained model (one table of the paper, one panel of its figure). */
export interface Group {
  /** The dataset of all its runs. */
  dataset: string;
  /** The selection model. */
  model: string;
  /** The trained model when it differs from the selection model. */
  crossModel: string | undefined;
  /** "CIFAR10, ResNet18", or "CIFAR10, VGG16 on coresets selected with ResNet18". */
  title: string;
  /** Ascending. */
  fractions: number[];
  /** One per method, in table order. */
  rows: MethodRow[];
}

// DeepCore's names for the rows of the paper's Table 1, in its order, with the paper's own spellings;
// Full (the paper's 100 % column) last. Compared lowercase with everything but letters dropped.
const PAPER_ORDER = [
  ["uniform", "random"],
  ["contextualdiversity", "cd"],
  ["herding"],
  ["kcentergreedy"],
  ["uncertaintyleastconfidence", "leastconfidence"],
  ["uncertaintyentropy", "entropy"],
  ["uncertaintymargin", "margin"],
  ["forgetting"],
  ["grand"],
  ["cal"],
  ["deepfool"],
  ["craig"],
  ["gradmatch"],
  ["glister"],
  ["submodularfacilitylocation", "facilitylocation", "fl"],
  ["submodulargraphcut", "graphcut", "gc"],
  ["submodularlogdeterminant", "logdeterminant"],
  ["full"],
];
const paperRank = new Map(PAPER_ORDER.flatMap((names, i) => names.map((n) => [n, i] as const)));
const squash = (s: string) => s.toLowerCase().replace(/[^a-z]/g, "");

/**
 * The row label of a run: its method, plus the variant for the two DeepCore methods that have one
 * (`Uncertainty (Entropy)`, `Submodular (GraphCut)`) when `options` names it and the method does not.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { methodLabel } from "./results.ts";
 * assert.equal(methodLabel({ method: "Uncertainty", options: { uncertainty: "Margin" } }), "Uncertainty (Margin)");
 * assert.equal(methodLabel({ method: "Herding", options: { uncertainty: "Margin" } }), "Herding");
 * ```
 */
export function methodLabel(run: Pick<RunRecord, "method" | "options">): string {
  const variant =
    { uncertainty: run.options.uncertainty, submodular: run.options.submodular }[squash(run.method)];
  return typeof variant === "string" && !run.method.includes(variant)
    ? `${run.method} (${variant})`
    : run.method;
}

/**
 * A fraction as the paper writes it in column headers: 0.001 → "0.1%", 0.1 → "10%".
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { percentLabel } from "./results.ts";
 * assert.deepEqual([0.001, 0.005, 0.01, 0.3, 1].map(percentLabel), ["0.1%", "0.5%", "1%", "30%", "100%"]);
 * ```
 */
export function percentLabel(fraction: number): string {
  return `${Number((fraction * 100).toPrecision(10))}%`;
}

/** Mean and sample standard deviation (n − 1; 0 for one value). */
function cell(values: number[]): Cell {
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  const ss = values.reduce((a, v) => a + (v - mean) ** 2, 0);
  return { values, mean, std: values.length > 1 ? Math.sqrt(ss / (values.length - 1)) : 0 };
}

/**
 * Groups the runs by dataset and trained model (groups in the order first seen) and, within each, by
 * method and fraction: the accuracies in percent with their mean and sample std, and the mean selection
 * and training time per method. Methods DeepCore names come in the paper's order, others after them in
 * the order first seen.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { type RunRecord, summarize } from "./results.ts";
 * const run = (method: string, fraction: number, bestAccuracy: number) =>
 *   ({ dataset: "CIFAR10", model: "ResNet18", method, fraction, bestAccuracy, options: {},
 *     coreset: { selectionSeconds: 1 }, training: { seconds: 10 } }) as RunRecord;
 * const runs = [run("Herding", 0.1, 0.5), run("Uniform", 0.1, 0.6), run("Uniform", 0.1, 0.7)];
 * const [group] = summarize({ version: 1, command: "", started: "", runs }, "best");
 * assert.equal(group.title, "CIFAR10, ResNet18");
 * assert.deepEqual(group.rows.map((r) => r.method), ["Uniform", "Herding"]);
 * assert.deepEqual(group.rows[0].cells[0]?.values, [60, 70]);
 * assert.equal(group.rows[0].cells[0]?.mean, 65);
 * ```
 */
export function summarize(file: ResultsFile, metric: Metric = "best"): Group[] {
  const groups = new Map<
    string,
    { dataset: string; model: string; crossModel?: string; runs: RunRecord[] }
  >();
  for (const run of file.runs) {
    const key = JSON.stringify([run.dataset, run.model, run.crossModel ?? null]);
    const group = groups.get(key) ??
      { dataset: run.dataset, model: run.model, crossModel: run.crossModel, runs: [] };
    group.runs.push(run);
    groups.set(key, group);
  }
  return [...groups.values()].map(({ dataset, model, crossModel, runs }) => {
    const fractions = [...new Set(runs.map((r) => r.fraction))].sort((a, b) => a - b);
    const byMethod = new Map<string, RunRecord[]>();
    for (const run of runs) {
      const label = methodLabel(run);
      byMethod.set(label, [...(byMethod.get(label) ?? []), run]);
    }
    const seen = [...byMethod.keys()];
    const rank = (m: string) => paperRank.get(squash(m)) ?? PAPER_ORDER.length + seen.indexOf(m);
    const rows = seen.sort((a, b) => rank(a) - rank(b)).map((method): MethodRow => {
      const mine = byMethod.get(method)!;
      const mean = (f: (r: RunRecord) => number) => mine.reduce((a, r) => a + f(r), 0) / mine.length;
      const cells = fractions.map((fraction) => {
        const at = mine.filter((r) => r.fraction === fraction);
        const values = at.map((r) => 100 * (metric === "best" ? r.bestAccuracy : r.finalAccuracy));
        return at.length > 0 ? cell(values) : undefined;
      });
      return {
        method,
        cells,
        runs: mine.length,
        selectionSeconds: mean((r) => r.coreset.selectionSeconds),
        trainingSeconds: mean((r) => r.training.seconds),
      };
    });
    const title = crossModel === undefined
      ? `${dataset}, ${model}`
      : `${dataset}, ${crossModel} on coresets selected with ${model}`;
    return { dataset, model, crossModel, title, fractions, rows };
  });
}
