/**
 * `deno task bench`: our kernels beside the same ops in tfjs-backend-webgpu and tfjs-backend-wasm, run in
 * the same process and timed the same way (median of ≥ 3 runs and ≥ 1 s, each ending in a 4-byte readback
 * so that the GPU work is really done). Prints a table and merges the figures into
 * bench/results/latest.json as `[{ name, unit, ours, peers }]`.
 *
 * ```sh
 * deno run -A bench/kernels_bench.ts [--only matmul-512,softmax] [--no-peers]
 * ```
 *
 * @module
 */

import * as tf from "npm:@tensorflow/tfjs-core@4.22.0";
import { parseArgs } from "node:util";
import { matmul, pairwise } from "../kernels/matmul.ts";
import { ready } from "../kernels/runtime/runtime.ts";
import { bufferOf, upload } from "../kernels/runtime/tensor.ts";
import { softmax } from "../kernels/softmax.ts";
import { medianMs, type Peer, peerMatmul, peerPairwise, PEERS, peerSoftmax } from "./peers.ts";
import { type BenchRecord, formatTable, mergeResults } from "./report.ts";

const { values: flags } = parseArgs({
  args: Deno.args,
  options: { only: { type: "string" }, "no-peers": { type: "boolean" } },
});
const only = flags.only?.split(",");
const rt = await ready();

/** Times `op` (which records GPU work and returns the tensor it made) to completion, in ms. */
function timeOurs(op: () => tf.Tensor): Promise<number> {
  return medianMs(async () => {
    const out = op();
    await rt.recorder.read([{ buffer: bufferOf(out), offset: 0, size: 4 }]);
    out.dispose();
  });
}

function random(n: number): Float32Array {
  return Float32Array.from({ length: n }, () => Math.random() * 2 - 1);
}

interface Case {
  name: string;
  unit: string;
  ours: () => Promise<number>;
  peer: (p: Peer) => Promise<number>;
}

const cases: Case[] = [512, 1024].map((n) => ({
  name: `matmul-${n}`,
  unit: "GFLOP/s",
  ours: async () => {
    const a = upload(random(n * n), [n, n]), b = upload(random(n * n), [n, n]);
    const ms = await timeOurs(() => matmul(a, b));
    tf.dispose([a, b]);
    return (2 * n ** 3) / ms / 1e6;
  },
  peer: (p) => peerMatmul(p, n),
}));

cases.push({
  name: "softmax",
  unit: "GB/s (4096x1000, 8 bytes/element)",
  ours: async () => {
    const x = upload(random(4096 * 1000), [4096, 1000]);
    const ms = await timeOurs(() => softmax(x));
    x.dispose();
    return (8 * 4096 * 1000) / ms / 1e6;
  },
  peer: (p) => peerSoftmax(p, 4096, 1000),
});

cases.push({
  name: "pairwise-6000x128",
  unit: "GFLOP/s (2·n²·d)",
  ours: async () => {
    const [n, d] = [6000, 128];
    const x = upload(random(n * d), [n, d]);
    // the 144 MB result exceeds one 128 MiB binding, so it is computed as two row tiles (as tfjs must be)
    const ms = await medianMs(async () => {
      for (const start of [0, n / 2]) {
        const tile = pairwise(x, x, { rows: { start, count: n / 2 } });
        await rt.recorder.read([{ buffer: bufferOf(tile), offset: 0, size: 4 }]);
        tile.dispose();
      }
    });
    x.dispose();
    return (2 * n * n * d) / ms / 1e6;
  },
  peer: (p) => peerPairwise(p, 6000, 128),
});

const records: BenchRecord[] = [];
for (const c of cases) {
  if (only && !only.includes(c.name)) continue;
  const ours = await c.ours();
  const peers: Record<string, number> = {};
  if (!flags["no-peers"]) {
    for (const p of PEERS) {
      try {
        peers[p] = await c.peer(p);
      } catch (e) {
        console.error(`${c.name}: ${p} did not run: ${(e as Error).message}`);
      }
    }
    await tf.setBackend("deepcore");
  }
  records.push({ name: c.name, unit: c.unit, ours, peers });
  console.error(`${c.name}: ${ours.toFixed(2)} ${c.unit}`);
}

console.log(`adapter: ${rt.info.description} (${rt.graphicsApi})`);
console.log(formatTable(records));
await mergeResults(new URL("./results/latest.json", import.meta.url).pathname, records);
