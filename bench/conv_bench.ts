/**
 * Convolution throughput: GFLOP/s (2 · multiply-adds, the same count for every pass) of the forward, the
 * input gradient and the filter gradient on the shapes of the small-image networks. Not part of the tests.
 *
 * ```sh
 * deno run -A bench/conv_bench.ts [--batch 128] [--only 0,2] [--kernel auto|rows|gemm|direct] [--tile 16x16]
 * ```
 *
 * GFLOP/s of wall-clock time: median (and best) of ≥ 3 runs and ≥ 1 s, each run recording the op enough
 * times for ≥ 0.5 GFLOP and ending in a 4-byte readback so that the GPU work is really done. "per CPU-s"
 * divides by the process's CPU time instead: on a software adapter sharing its cores with other processes
 * it varies much less than wall-clock time (×2 ≈ what 2 idle cores would give).
 *
 * @module
 */

import process from "node:process";
import { parseArgs } from "node:util";
import type * as tf from "npm:@tensorflow/tfjs-core@4.22.0";
import {
  conv2d,
  conv2dBackwardFilter,
  conv2dBackwardInput,
  convGeometry,
  type ConvOptions,
} from "../kernels/conv.ts";
import { ready } from "../kernels/runtime/runtime.ts";
import { bufferOf, upload } from "../kernels/runtime/tensor.ts";

const { values: flags } = parseArgs({
  args: Deno.args,
  options: {
    batch: { type: "string", default: "128" },
    only: { type: "string" },
    kernel: { type: "string", default: "auto" },
    tile: { type: "string" },
  },
});
const rt = await ready();
const B = Number(flags.batch);

/** [label, input C×H×W, weights O×I×KH×KW, options]. */
const SHAPES: [string, number[], number[], ConvOptions][] = [
  ["3→64 32×32 k3 p1", [3, 32, 32], [64, 3, 3, 3], { padding: 1 }],
  ["64→64 32×32 k3 p1", [64, 32, 32], [64, 64, 3, 3], { padding: 1 }],
  ["LeNet 1→6 28×28 k5 p2", [1, 28, 28], [6, 1, 5, 5], { padding: 2 }],
  ["LeNet 6→16 14×14 k5", [6, 14, 14], [16, 6, 5, 5], {}],
];

const random = (n: number) => Float32Array.from({ length: n }, () => Math.random() * 2 - 1);

/**
 * Wall-clock ms of `reps` recordings of `op` followed by one 4-byte readback (so that small layers are not
 * timed as readback latency): median and best of ≥ 3 runs and ≥ 1 s; and the process's CPU ms (all
 * threads, llvmpipe's included) of the median run, which other processes on a shared machine disturb less.
 */
async function time(
  op: () => tf.Tensor,
  reps: number,
): Promise<{ median: number; best: number; cpu: number }> {
  const once = async () => {
    const t0 = performance.now(), c0 = process.cpuUsage();
    const outs = Array.from({ length: reps }, op);
    await rt.recorder.read([{ buffer: bufferOf(outs.at(-1)!), offset: 0, size: 4 }]);
    outs.forEach((o) => o.dispose());
    const c = process.cpuUsage(c0);
    return { wall: (performance.now() - t0) / reps, cpu: (c.user + c.system) / 1e3 / reps };
  };
  await once();
  const runs: { wall: number; cpu: number }[] = [];
  for (let total = 0; runs.length < 3 || total < 1000; total += runs.at(-1)!.wall * reps) {
    runs.push(await once());
  }
  runs.sort((a, b) => a.wall - b.wall);
  const mid = runs[runs.length >> 1]!;
  return { median: mid.wall, best: runs[0]!.wall, cpu: mid.cpu };
}

const only = flags.only?.split(",").map(Number);
const [tm, tn] = (flags.tile ?? "").split("x").map(Number);
console.log(`${rt.info.description}; batch ${B}; kernel ${flags.kernel}; tile ${flags.tile ?? "auto"}`);
for (const [k, [label, xs, ws, opts]] of SHAPES.entries()) {
  if (only && !only.includes(k)) continue;
  const options: ConvOptions = {
    ...opts,
    kernel: flags.kernel as ConvOptions["kernel"],
    ...(flags.tile ? { tile: { tm: tm!, tn: tn! } } : {}),
  };
  const xShape = [B, ...xs];
  const g = convGeometry(xShape, ws, options);
  const gflop = (2 * g.N * g.Cout * g.Ho * g.Wo * g.Cig * g.KH * g.KW) / 1e9;
  const x = upload(random(B * xs.reduce((a, b) => a * b)), xShape);
  const w = upload(random(ws.reduce((a, b) => a * b)), ws);
  const bias = upload(random(ws[0]!), [ws[0]!]);
  const dy = upload(random(g.N * g.Cout * g.Ho * g.Wo), [g.N, g.Cout, g.Ho, g.Wo]);
  const reps = Math.max(1, Math.round(0.5 / gflop));
  const rate = async (op: () => tf.Tensor) => {
    const { median, best, cpu } = await time(op, reps);
    const f = (ms: number) => (gflop / (ms / 1e3)).toFixed(2);
    return `${f(median)} (best ${f(best)}, per CPU-s ${f(cpu)})`;
  };
  const fwd = await rate(() => conv2d(x, w, bias, options));
  const dx = await rate(() => conv2dBackwardInput(dy, w, xShape, options));
  const dw = await rate(() => conv2dBackwardFilter(x, dy, ws, options));
  console.log(`${label.padEnd(22)} ${gflop.toFixed(3)} GFLOP ×${reps}  forward ${fwd}  dx ${dx}  dW ${dw}`);
  [x, w, bias, dy].forEach((t) => t.dispose());
}
