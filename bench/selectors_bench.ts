/**
 * Every feature- and probability-based selection method on the GPU against its plain TypeScript reference
 * (`selectors/reference/`), in the same process, on seeded random inputs: features n × 128 (standard
 * normal), probabilities n × 10 (softmax of normal logits), labels n/10 per class, budget 10 %.
 *
 * - GPU time runs from the inputs already on the GPU (upload excluded) to the indices read back; the
 *   reference's from its call to its return. Runs under 0.5 s are repeated and the median kept; at the
 *   standard sizes, when both sides run, each side then runs `--rounds` times in all (default 3),
 *   alternating GPU and reference, and keeps its median (the machine's speed drifts over minutes).
 * - Before each timed run, the method is timed at n = 500, 1000, … and its time at the target n projected
 *   along its growth exponent (`project`). A reference that could pass `--reference-limit` seconds, or a GPU
 *   run `--gpu-limit` (projected along the worst-case exponent), is not run: the projection along the fitted
 *   exponent is reported instead, marked "~" in the table and "estimated" in the record's unit.
 * - The memory-bounded case (unless `--no-memory`): n = `--big-n` (200 000), d = 64, kCenterGreedy and
 *   FacilityLocation/StochasticGreedy over a kNN graph ({knn: 10}), with the peak bytes of GPU buffers
 *   held. A case projected past `--big-limit` seconds, or past `--big-memory-gib` of GPU buffers (default
 *   a quarter of the free system memory, which llvmpipe's buffers live in), runs at the largest n that
 *   fits, and the projection for `--big-n` is printed. A kNN graph is built from tiles of the n × n
 *   similarity: a probe run checks that they are not all held at once (see `memoryCases`).
 * - `--quick`: n = 6000 and the memory-bounded case at n = 10 000, to smoke-test. `--only` takes method
 *   names (a function name selects its four optimisers), `memory` (both memory-bounded cases; then no
 *   other case runs unless named) or `memory:<prefix>` (one of them).
 *
 * Prints a table (seconds, lower is better; speed-up = reference / GPU; peak GPU buffers held) and merges
 * records
 * `{ name: "select-<method>-<n>", unit: "s (lower is better…)", ours, peers: { "ts-reference" } }` into
 * bench/results/latest.json.
 *
 * ```sh
 * deno run -A bench/selectors_bench.ts [--quick] [--only Herding,FacilityLocation/LazyGreedy,memory:kcenter]
 *   [--n 6000,60000] [--balance] [--reference-limit 60] [--gpu-limit 300] [--big-n 200000]
 *   [--big-limit 900] [--big-memory-gib G] [--no-memory] [--rounds 3]
 * ```
 *
 * @module
 */

import type * as tf from "npm:@tensorflow/tfjs-core@4.22.0";
import { parseArgs } from "node:util";
import { ready } from "../kernels/runtime/runtime.ts";
import { upload } from "../kernels/runtime/tensor.ts";
import { findMethod } from "../selectors/registry.ts";
import * as ref from "../selectors/reference/mod.ts";
import type { SelectionInput, SelectionOptions, SelectionResult } from "../selectors/types.ts";
import { type BenchRecord, mergeResults } from "./report.ts";
import {
  formatSeconds,
  type Growth,
  peakPoolBytes,
  project,
  type Projection,
  type RandomInputs,
  randomInputs,
  seconds,
} from "./selectors_bench_util.ts";

const { values: flags } = parseArgs({
  args: Deno.args,
  options: {
    only: { type: "string" },
    n: { type: "string", default: "6000,60000" },
    balance: { type: "boolean", default: false },
    quick: { type: "boolean", default: false },
    "reference-limit": { type: "string", default: "60" },
    "gpu-limit": { type: "string", default: "300" },
    "big-n": { type: "string", default: "200000" },
    "big-limit": { type: "string", default: "900" },
    "big-memory-gib": { type: "string" },
    "no-memory": { type: "boolean", default: false },
    rounds: { type: "string", default: "3" },
  },
});
const rounds = Number(flags.rounds);
if (!(Number.isInteger(rounds) && rounds >= 1)) {
  throw new RangeError(`--rounds: expected an integer ≥ 1, got ${flags.rounds}`);
}
const sizes = flags.quick ? [6000] : flags.n.split(",").map(Number);
const bigN = flags.quick ? 10_000 : Number(flags["big-n"]);
const [referenceLimit, gpuLimit, bigLimit] = [
  flags["reference-limit"],
  flags["gpu-limit"],
  flags["big-limit"],
]
  .map(Number) as [number, number, number];
const only = flags.only?.toLowerCase().split(",");
const balance = flags.balance;
const [D, CLASSES, FRACTION, GIB] = [128, 10, 0.1, 2 ** 30];
const rt = await ready();

/** One benchmarked method: how to call each side, and how its time grows with n (k = n/10, d fixed). */
interface Case {
  name: string;
  gpu: (input: SelectionInput, options: SelectionOptions) => Promise<SelectionResult>;
  reference: (input: SelectionInput, options: SelectionOptions) => SelectionResult;
  /** Extra options of both sides at group size m (the GPU side may take more, see `gpuOptions`). */
  options?: Record<string, unknown>;
  /** GPU-only options at group size m, e.g. the similarity mode the target size will use. */
  gpuOptions?: (m: number, target: number) => Record<string, unknown>;
  referenceGrowth: Growth;
  gpuGrowth: Growth;
}

const gpuOf = (name: string) => findMethod(name).select;
const cases: Case[] = [
  {
    name: "Uniform",
    gpu: gpuOf("Uniform"),
    reference: ref.uniform,
    referenceGrowth: g(1, 1),
    gpuGrowth: g(1, 1),
  },
  {
    name: "Herding",
    gpu: gpuOf("Herding"),
    reference: ref.herding,
    referenceGrowth: g(2, 2),
    gpuGrowth: g(1, 2),
  },
  {
    name: "kCenterGreedy",
    gpu: gpuOf("kCenterGreedy"),
    reference: ref.kCenterGreedy,
    referenceGrowth: g(2, 2),
    gpuGrowth: g(1, 2),
  },
  {
    name: "ContextualDiversity",
    gpu: gpuOf("ContextualDiversity"),
    reference: ref.contextualDiversity,
    referenceGrowth: g(2, 2),
    gpuGrowth: g(1, 2),
  },
  ...(["LeastConfidence", "Entropy", "Margin"] as const).map((name) => ({
    name,
    gpu: gpuOf(name),
    reference: { LeastConfidence: ref.leastConfidence, Entropy: ref.entropy, Margin: ref.margin }[name],
    referenceGrowth: g(1, 1.3),
    gpuGrowth: g(1, 1.5),
  })),
  ...submodularCases(),
];

/** Exponent bounds (see `Growth`). */
function g(lo: number, hi: number): Growth {
  return { lo, hi };
}

/**
 * The 12 function × optimiser pairs. Reference costs: GraphCut's column sums O(m²d) dominate;
 * FacilityLocation's gain is O(m·d) (naive k·m gains: O(m³d)); LogDeterminant's gain after t picks is
 * O(t² + t·d) (naive: O(m·k³)). On the GPU every step is O(m) to O(m·d), LogDeterminant's O(m·t);
 * FacilityLocation costs ~7·m²·d in all with every greedy (coverage deltas), dense or on the fly.
 */
function submodularCases(): Case[] {
  const reference: Record<string, [Growth, Growth, Growth, Growth]> = {
    GraphCut: [g(2, 2), g(2, 3), g(2, 2), g(2, 3)],
    FacilityLocation: [g(3, 3), g(2, 3), g(2, 2), g(2, 3)],
    LogDeterminant: [g(3, 4), g(2, 4), g(2, 3), g(2, 4)],
  };
  const gpu: Record<string, [Growth, Growth, Growth, Growth]> = {
    GraphCut: [g(1, 2), g(1, 2), g(1, 2), g(1, 2)],
    FacilityLocation: [g(2, 2.5), g(2, 2.5), g(2, 2.5), g(2, 2.5)],
    LogDeterminant: [g(2, 3), g(2, 3), g(2, 3), g(2, 3)],
  };
  const greedies = ["NaiveGreedy", "LazyGreedy", "StochasticGreedy", "ApproximateLazyGreedy"] as const;
  return Object.keys(reference).flatMap((fn) =>
    greedies.map((greedy, i) => ({
      name: `${fn}/${greedy}`,
      gpu: gpuOf(fn),
      reference: ref.submodular,
      options: { function: fn, greedy },
      // The size the target run defaults to (dense while m² floats fit 1 GiB), also at calibration sizes;
      // LogDeterminant's k × m Cholesky rows may pass the default 1 GiB at n = 60 000.
      gpuOptions: (m: number, target: number) => ({
        similarity: 4 * target ** 2 <= GIB ? "dense" : "onthefly",
        ...(fn === "LogDeterminant" && { memoryBudgetBytes: Math.max(GIB, 4 * FRACTION * m * m * 1.01) }),
      }),
      referenceGrowth: reference[fn]![i]!,
      gpuGrowth: gpu[fn]![i]!,
    }))
  );
}

// -- inputs ---------------------------------------------------------------------------------------------

/** Random inputs by size, for both sides; cleared with `dropInputs`. */
const inputs = new Map<string, RandomInputs>();
/** The one size whose inputs are on the GPU (each GPU run starts from only its own inputs). */
let onGpu: { key: string; input: SelectionInput; tensors: tf.Tensor[] } | null = null;

function inputsAt(n: number, d: number): RandomInputs {
  const key = `${n}x${d}`;
  let entry = inputs.get(key);
  if (!entry) inputs.set(key, entry = randomInputs(n, d, CLASSES, n + d));
  return entry;
}

/** `inputsAt(n, d)` on the GPU, uploaded and done (the upload is not timed); other sizes' are freed. */
async function gpuInputsAt(n: number, d: number): Promise<SelectionInput> {
  const key = `${n}x${d}`;
  if (onGpu?.key !== key) {
    for (const t of onGpu?.tensors ?? []) t.dispose();
    const { features, probs, labels } = inputsAt(n, d);
    const tensors = [upload(features.data, [n, d]), upload(probs.data, [n, CLASSES])];
    onGpu = { key, input: { features: tensors[0], probs: tensors[1], labels }, tensors };
  }
  await rt.recorder.sync(); // uploads done, released buffers free…
  rt.pool.trim(); // …and destroyed, so that a run's peak bytes count from its own inputs
  return onGpu.input;
}

function dropInputs(): void {
  for (const t of onGpu?.tensors ?? []) t.dispose();
  onGpu = null;
  inputs.clear();
}

// -- one side at one size -------------------------------------------------------------------------------

const baseOptions = (): SelectionOptions => ({ fraction: FRACTION, balance, seed: 0 });
/** Group size of a run at n: the whole set, or one class under `balance`. */
const groupSize = (n: number) => balance ? Math.round(n / CLASSES) : n;
const warmed = new Set<string>();

/**
 * GPU seconds of `c` at n, with the similarity mode of a run at `target`, and the peak bytes of GPU buffers
 * held by the run, its inputs included.
 */
async function gpuSeconds(
  c: Case,
  n: number,
  d: number,
  target: number,
  extra: Record<string, unknown> = {},
) {
  const options: SelectionOptions & Record<string, unknown> = {
    ...baseOptions(),
    ...c.options,
    ...c.gpuOptions?.(groupSize(n), groupSize(target)),
    ...extra,
  };
  const key = `${c.name} ${JSON.stringify(options.similarity ?? "")}`;
  if (!warmed.has(key)) { // compiles the pipelines outside the timings
    await c.gpu(await gpuInputsAt(400, d), {
      ...options,
      ...c.gpuOptions?.(groupSize(400), groupSize(target)),
      ...extra,
    });
    warmed.add(key);
  }
  const gpu = await gpuInputsAt(n, d);
  const { value, peak } = await peakPoolBytes(rt.pool, () => seconds(() => c.gpu(gpu, options)));
  return { seconds: value, peak };
}

async function referenceSeconds(c: Case, n: number, d: number): Promise<number> {
  const cpu = inputsAt(n, d);
  return await seconds(() => c.reference(cpu, { ...baseOptions(), ...c.options }));
}

/** A time at the target n: measured, or projected when the projection passes `limit`. */
interface Timing {
  seconds: number;
  estimated: boolean;
  projection: Projection;
  peak?: number;
}

async function timed(
  run: (n: number) => Promise<{ seconds: number; peak?: number }>,
  target: number,
  growth: Growth,
  limit: number,
): Promise<Timing> {
  const projection = await project(async (n) => (await run(n)).seconds, target, growth, { cap: limit / 4 });
  if (projection.worst > limit) return { seconds: projection.seconds, estimated: true, projection };
  const r = await run(target);
  return { seconds: r.seconds, estimated: false, projection, ...(r.peak !== undefined && { peak: r.peak }) };
}

/**
 * When both sides ran at the target, `--rounds` − 1 more runs of each, alternating GPU and reference, and
 * each side's median kept: this machine's speed drifts by up to 2× over minutes, and alternating puts both
 * sides under the same drift.
 */
async function moreRounds(c: Case, n: number, gpu: Timing, reference: Timing): Promise<void> {
  if (gpu.estimated || reference.estimated || rounds <= 1) return;
  const g = [gpu.seconds], r = [reference.seconds];
  for (let i = 1; i < rounds; i++) {
    g.push((await gpuSeconds(c, n, D, n)).seconds);
    r.push(await referenceSeconds(c, n, D));
  }
  const median = (x: number[]) => x.sort((a, b) => a - b)[(x.length - 1) >> 1]!;
  gpu.seconds = median(g);
  reference.seconds = median(r);
}

// -- the table and the records --------------------------------------------------------------------------

interface Row {
  method: string;
  n: number;
  d: number;
  gpu: Timing;
  reference: Timing;
  note?: string;
}
const rows: Row[] = [];

function describe(t: Timing): string {
  const last = t.projection.runs.at(-1)!;
  return `${formatSeconds(t.seconds, t.estimated)} s` +
    (t.estimated
      ? ` (from ${formatSeconds(last.seconds)} s at n=${last.n}, n^${t.projection.exponent.toFixed(2)})`
      : "");
}

function recordOf(r: Row): BenchRecord {
  const marks = [
    r.gpu.estimated && "GPU estimated",
    r.reference.estimated && "ts-reference estimated",
    r.note,
  ];
  const unit = ["s (lower is better", ...marks.filter(Boolean)].join("; ") + ")";
  const suffix = `${r.d === D ? "" : `-d${r.d}`}${balance ? "-balanced" : ""}`;
  return {
    name: `select-${r.method}-${r.n}${suffix}`,
    unit,
    ours: r.gpu.seconds,
    peers: { "ts-reference": r.reference.seconds },
  };
}

function table(): string {
  const header = ["method", "n", "d", "GPU s", "reference s", "speed-up", "peak GPU MiB"];
  const cells = rows.map((r) => [
    r.method,
    String(r.n),
    String(r.d),
    formatSeconds(r.gpu.seconds, r.gpu.estimated),
    formatSeconds(r.reference.seconds, r.reference.estimated),
    `${r.gpu.estimated || r.reference.estimated ? "~" : ""}${
      (r.reference.seconds / r.gpu.seconds).toFixed(1)
    }×`,
    r.gpu.peak === undefined ? "-" : (r.gpu.peak / 2 ** 20).toFixed(1),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i]!.length)));
  const line = (c: string[]) =>
    c.map((s, i) => i === 0 ? s.padEnd(widths[i]!) : s.padStart(widths[i]!)).join("  ");
  return [line(header), widths.map((w) => "-".repeat(w)).join("  "), ...cells.map(line)].join("\n");
}

const resultsPath = new URL("./results/latest.json", import.meta.url).pathname;
const selected = (name: string) =>
  !only || only.some((o) => name.toLowerCase() === o || name.toLowerCase().startsWith(`${o}/`));

// -- the standard sizes ---------------------------------------------------------------------------------

for (const n of sizes) {
  const before = rows.length;
  for (const c of cases) {
    if (!selected(c.name)) continue;
    const gpu = await timed((m) => gpuSeconds(c, m, D, n), n, c.gpuGrowth, gpuLimit);
    const reference = await timed(
      async (m) => ({ seconds: await referenceSeconds(c, m, D) }),
      n,
      c.referenceGrowth,
      referenceLimit,
    );
    await moreRounds(c, n, gpu, reference);
    rows.push({ method: c.name, n, d: D, gpu, reference });
    console.error(`${c.name} n=${n}: GPU ${describe(gpu)}, reference ${describe(reference)}`);
  }
  dropInputs();
  await mergeResults(resultsPath, rows.slice(before).map(recordOf));
}

// -- the memory-bounded case ----------------------------------------------------------------------------

/**
 * The memory-bounded cases. `quadratic`: whether the method may hold the n × n similarity, even in pieces
 * (a kNN graph is built from row tiles of it). A probe run at n = 20 000 tells: if it held a quarter of
 * n × n floats or more, the peak is budgeted as 4·n² bytes (small-n runs cannot show the growth: their
 * tiles are few, of a fixed row count); otherwise, as every other case, as growing linearly from the
 * largest run before the target.
 */
const memoryCases: { case: Case; extra: Record<string, unknown>; quadratic: boolean; note?: string }[] = [
  { case: cases.find((c) => c.name === "kCenterGreedy")!, extra: {}, quadratic: false },
  {
    case: cases.find((c) => c.name === "FacilityLocation/StochasticGreedy")!,
    extra: { similarity: { knn: 10 } },
    quadratic: true,
    note: "GPU over a 10-NN graph, ts-reference over the dense cosine",
  },
];
/** `--only memory` runs both cases, `--only memory:kcentergreedy` (or another prefix) one of them. */
const memorySelected = (label: string) =>
  !only ||
  only.some((o) => o === "memory" || (o.startsWith("memory:") && label.toLowerCase().startsWith(o.slice(7))));
const nnBytes = (m: number) => 4 * m * m;
const gib = (bytes: number) => `${(bytes / 2 ** 30).toFixed(2)} GiB`;
const memoryNotes: string[] = [];

if (!flags["no-memory"]) {
  const d = 64;
  const memoryCap = flags["big-memory-gib"] === undefined
    ? Deno.systemMemoryInfo().available / 4 // llvmpipe's buffers are system memory, shared with others
    : Number(flags["big-memory-gib"]) * 2 ** 30;
  for (const { case: c, extra, quadratic, note } of memoryCases) {
    const label = `${c.name}${extra.similarity ? "/knn10" : ""}`;
    if (!memorySelected(label)) continue;
    // Calibrate time and peak bytes on the way up; run at the largest n that both allow.
    const peaks: { n: number; peak: number }[] = [];
    const run = async (m: number) => {
      const r = await gpuSeconds(c, m, d, bigN, extra);
      peaks.push({ n: m, peak: r.peak });
      return r;
    };
    let holdsNxN = false;
    if (quadratic) {
      const probe = 20_000; // past 2 × 4096 rows, where tiles are bounded by the binding size, not 4096
      holdsNxN = (await run(probe)).peak >= nnBytes(probe) / 4;
      console.error(`${label} n=${probe} d=${d}: holds n × n floats: ${holdsNxN ? "yes" : "no"}`);
    }
    const projection = await project(async (m) => (await run(m)).seconds, bigN, c.gpuGrowth, {
      start: 2000,
      cap: bigLimit / 4,
    });
    const largest = peaks.reduce((a, b) => b.n > a.n ? b : a);
    const peakAt = (m: number) => Math.max(largest.peak * m / largest.n, holdsNxN ? nnBytes(m) : 0);
    const last = projection.runs.at(-1)!;
    const byTime = last.n * (bigLimit / last.seconds) ** (1 / c.gpuGrowth.hi); // as `worst`
    const byMemory = Math.min(
      largest.n * memoryCap / largest.peak,
      holdsNxN ? Math.sqrt(memoryCap / 4) : Infinity,
    );
    const n = Math.max(1000, Math.min(bigN, Math.floor(Math.min(byTime, byMemory) / 1000) * 1000));
    console.error(
      `${label} d=${d}: projected at n=${bigN}: ${formatSeconds(projection.seconds, true)} s on the GPU, ` +
        `${gib(peakAt(bigN))} of GPU buffers at peak${holdsNxN ? " (budgeted as n × n floats)" : ""}` +
        (n < bigN
          ? `; running at n=${n} instead (${byTime < byMemory ? "time" : `memory: ${gib(memoryCap)}`} limit)`
          : ""),
    );
    const r = await run(n);
    const gpu: Timing = { seconds: r.seconds, estimated: false, projection, peak: r.peak };
    const reference = await timed(
      async (m) => ({ seconds: await referenceSeconds(c, m, d) }),
      n,
      c.referenceGrowth,
      referenceLimit,
    );
    rows.push({ method: label, n, d, gpu, reference, ...(note && { note }) });
    memoryNotes.push(
      `${label} n=${n} d=${d}: peak ${gib(r.peak)} of GPU buffers held, inputs included; ` +
        `an n × n float matrix is ${gib(nnBytes(n))}, the features ${gib(4 * n * d)}.`,
    );
    console.error(`${label} n=${n} d=${d}: GPU ${describe(gpu)}, reference ${describe(reference)}`);
    console.error(memoryNotes.at(-1));
    await mergeResults(resultsPath, [
      recordOf(rows.at(-1)!),
      {
        name: `select-${label}-${n}-d${d}${balance ? "-balanced" : ""}-peak-gpu-mib`,
        unit: "MiB of GPU buffers held at peak (lower is better)",
        ours: r.peak / 2 ** 20,
        peers: {},
      },
    ]);
    dropInputs();
  }
}

console.log(`adapter: ${rt.info.description} (${rt.graphicsApi}); budget 10 %, balance ${balance}`);
console.log(table());
console.log("~ = projected from smaller n (not run); speed-up = reference s / GPU s.");
for (const line of memoryNotes) console.log(line);
