/**
 * Submodular greedy selection on the GPU (`kernels/submodular.ts`): wall time of every function × optimiser
 * at m = 6000, d = 128, k = 600 (each function's default similarity: FacilityLocation dense, the others on
 * the fly), FacilityLocation LazyGreedy against farthest-first (k-center) at the same size, and the
 * memory-bounded case, FacilityLocation StochasticGreedy over a kNN graph (K = 10) at N = 200 000, d = 64,
 * k = N/100 — 22 minutes on llvmpipe (2 shared cores), nearly all of it the exact kNN graph (N²·d
 * multiply-adds; pass `--n 20000` for a 100× shorter look). Each figure is one run to completion (ending in the picks'
 * readback) after a small warm-up that compiles the pipelines; random features in [−1, 1).
 *
 * ```sh
 * deno run -A bench/submodular_bench.ts [--only FacilityLocation/LazyGreedy,kcenter,knn] [--n 200000]
 *   [--m 6000] [--d 128] [--k 600] [--knn 10]
 * ```
 *
 * @module
 */

import { parseArgs } from "node:util";
import { farthestFirst } from "../kernels/greedy.ts";
import { ready } from "../kernels/runtime/runtime.ts";
import { readAll, upload } from "../kernels/runtime/tensor.ts";
import {
  type GreedyOptimizer,
  type SubmodularFunction,
  submodularGreedy,
  type SubmodularGreedyOptions,
} from "../kernels/submodular.ts";

const { values: flags } = parseArgs({
  args: Deno.args,
  options: {
    only: { type: "string" },
    m: { type: "string", default: "6000" },
    d: { type: "string", default: "128" },
    k: { type: "string", default: "600" },
    n: { type: "string", default: "200000" },
    knn: { type: "string", default: "10" },
  },
});
const only = flags.only?.split(",");
const [m, d, k, n, K] = [flags.m, flags.d, flags.k, flags.n, flags.knn].map(Number) as number[];
const rt = await ready();

function random(count: number): Float32Array {
  return Float32Array.from({ length: count }, () => Math.random() * 2 - 1);
}

/** Seconds from recording to the readback of the picks. */
async function seconds(run: () => ReturnType<typeof submodularGreedy>): Promise<number> {
  const t0 = performance.now();
  const picks = run();
  await readAll([picks]);
  picks.dispose();
  return (performance.now() - t0) / 1000;
}

const FNS: SubmodularFunction[] = ["FacilityLocation", "GraphCut", "LogDeterminant"];
const GREEDIES: GreedyOptimizer[] = [
  "NaiveGreedy",
  "LazyGreedy",
  "StochasticGreedy",
  "ApproximateLazyGreedy",
];
const rows: [string, string, number][] = [];
const x = upload(random(m * d), [m, d]);
const warm = upload(random(256 * d), [256, d]);

for (const fn of FNS) {
  for (const greedy of GREEDIES) {
    const name = `${fn}/${greedy}`;
    if (only && !only.includes(name)) continue;
    const options: SubmodularGreedyOptions = { fn, greedy };
    await seconds(() => submodularGreedy(warm, 20, options));
    const s = await seconds(() => submodularGreedy(x, k, options));
    rows.push([name, `m=${m} d=${d} k=${k}, ${fn === "FacilityLocation" ? "dense" : "on the fly"}`, s]);
    console.error(`${name}: ${s.toFixed(2)} s`);
  }
}

if (!only || only.includes("kcenter")) {
  await seconds(() => farthestFirst(warm, 20, 0));
  const s = await seconds(() => farthestFirst(x, k, 0));
  rows.push(["farthestFirst (k-center)", `m=${m} d=${d} k=${k}`, s]);
  console.error(`farthestFirst: ${s.toFixed(2)} s`);
}
x.dispose();

if (!only || only.includes("knn")) {
  const kn = Math.round(n / 100);
  const big = upload(random(n * 64), [n, 64]);
  const options: SubmodularGreedyOptions = {
    fn: "FacilityLocation",
    greedy: "StochasticGreedy",
    similarity: { knn: K },
  };
  await seconds(() => submodularGreedy(warm, 20, options));
  const s = await seconds(() => submodularGreedy(big, kn, options));
  rows.push([`FacilityLocation/StochasticGreedy`, `N=${n} d=64 k=${kn}, knn ${K}`, s]);
  console.error(`knn N=${n}: ${s.toFixed(1)} s`);
  big.dispose();
}

console.log(`adapter: ${rt.info.description} (${rt.graphicsApi})`);
console.log(`| case | size | seconds |\n| --- | --- | ---: |`);
for (const [name, size, s] of rows) console.log(`| ${name} | ${size} | ${s.toFixed(2)} |`);
const lazy = rows.find(([name]) => name === "FacilityLocation/LazyGreedy");
const kcenter = rows.find(([name]) => name.startsWith("farthestFirst"));
if (lazy && kcenter) {
  console.log(`FacilityLocation LazyGreedy / k-center: ${(lazy[2] / kcenter[2]).toFixed(2)}× (target ≤ 2×)`);
}
