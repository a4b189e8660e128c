/**
 * The peer side of our benchmarks: the same ops timed on TensorFlow.js backends in this Deno process, so
 * each of our kernels can be reported as a ratio against them.
 *
 * Peers:
 * - `tfjs-webgpu`: `@tensorflow/tfjs-backend-webgpu` on whatever adapter `navigator.gpu` gives (llvmpipe
 *   on a machine without a GPU). It opens its own GPUDevice, separate from ours.
 * - `tfjs-wasm`: `@tensorflow/tfjs-backend-wasm` with SIMD, single-threaded. tfjs sees Deno as Node
 *   (`process.versions.node` exists), reads the `.wasm` from the npm package with `fs`, and turns threads
 *   off in Node; forcing them on fails because Deno's `worker_threads` refuses the blob: URL that
 *   Emscripten's pthread pool starts its workers from.
 *
 * Protocol, the same for every op: inputs are made once, outside the timing; one warm-up run (shader
 * compilation, wasm instantiation, buffer allocation) is excluded; then timed runs repeat until at least
 * `minReps` runs and `minMs` of timed work are done, and the **median** run time is reported. A run is the
 * op followed by `await data()` of a one-element slice of its output: the slice cannot be computed before
 * the op is, so the readback forces completion while moving only 4 bytes; its dispatch and the readback
 * round trip are included in the time. That element is checked against a float64 reference every run, so
 * work a backend silently skipped throws instead of timing as fast.
 *
 * The backends are imported lazily, on the first call for that peer, so that importing this module does
 * not register them (tfjs picks the highest-priority registered backend when none is set). Each call
 * switches with `tf.setBackend` and puts the previous backend back when done, even when it throws (when no
 * backend was set before, the peer's stays set: tfjs has no way to unset one). Calls
 * are serialized, since the active backend is global. tfjs reports its warnings with `console.warn`,
 * which Deno writes to stderr, so stdout stays ours.
 *
 * @module
 */

// Full npm: specifiers, not an import-map entry: deno.json is shared, and the three tfjs packages must stay
// pinned to one version together so that they share one tfjs-core engine.
// deno-lint-ignore-file no-import-prefix

import * as tf from "npm:@tensorflow/tfjs-core@4.22.0";

/** A TensorFlow.js backend we compare against. */
export type Peer = "tfjs-webgpu" | "tfjs-wasm";

/** Every peer, in the order tables list them. */
export const PEERS: readonly Peer[] = ["tfjs-webgpu", "tfjs-wasm"];

/** How long to time an op; the defaults are what the benchmarks use. */
export interface TimingOptions {
  /** Fewest timed runs (default 3). */
  minReps?: number;
  /** Least total timed milliseconds (default 1000). */
  minMs?: number;
  /** Most timed runs, whatever `minMs` says (default 50). */
  maxReps?: number;
}

const WASM_SPECIFIER = "npm:@tensorflow/tfjs-backend-wasm@4.22.0";

const BACKEND: Record<Peer, string> = { "tfjs-webgpu": "webgpu", "tfjs-wasm": "wasm" };

const loaded = new Map<Peer, Promise<void>>();

function load(peer: Peer): Promise<void> {
  let p = loaded.get(peer);
  if (p === undefined) {
    p = peer === "tfjs-webgpu" ? loadWebgpu() : loadWasm();
    // A failed load may be retried by a later call.
    p.catch(() => loaded.delete(peer));
    loaded.set(peer, p);
  }
  return p;
}

async function loadWebgpu(): Promise<void> {
  // The module registers "webgpu" only if navigator.gpu exists when it is evaluated.
  await import("npm:@tensorflow/tfjs-backend-webgpu@4.22.0");
}

async function loadWasm(): Promise<void> {
  const wasm = await import("npm:@tensorflow/tfjs-backend-wasm@4.22.0");
  // The .wasm files sit next to the package's entry point, wherever Deno's npm cache (or a node_modules
  // folder) put it; resolving the specifier finds it without a path of this machine or the network.
  const entry = import.meta.resolve(WASM_SPECIFIER);
  if (!entry.startsWith("file:")) {
    throw new Error(
      `tfjs-wasm: ${WASM_SPECIFIER} resolved to ${entry}, not a local file — cannot find its .wasm files.`,
    );
  }
  // Emscripten in Node mode reads file: URLs with fs.readFileSync; setWasmPaths throws only after a failed
  // initialization, and a later call after a success is ignored, so calling it every load is safe.
  wasm.setWasmPaths(new URL("./", entry).href);
}

let queue: Promise<unknown> = Promise.resolve();

/**
 * Runs `body` with `peer` as the active tfjs backend, then restores the previous one.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import * as tf from "npm:@tensorflow/tfjs-core@4.22.0";
 * import { onPeer } from "./peers.ts";
 * const [sum] = await onPeer("tfjs-wasm", () => tf.sum(tf.tensor1d([1, 2])).data());
 * assert.equal(sum, 3);
 * ```
 */
export function onPeer<T>(peer: Peer, body: () => Promise<T>): Promise<T> {
  const run = async (): Promise<T> => {
    const name = BACKEND[peer];
    if (name === undefined) throw new Error(`unknown peer "${peer}": expected one of ${PEERS.join(", ")}.`);
    await load(peer);
    const previous = tf.getBackend() as string | null | undefined;
    try {
      if (tf.findBackendFactory(name) === null) {
        throw new Error(
          `${peer}: tfjs did not register the "${name}" backend — ${
            peer === "tfjs-webgpu" ? "navigator.gpu is missing in this Deno" : "the module failed to load"
          }.`,
        );
      }
      if (!(await tf.setBackend(name))) {
        throw new Error(`${peer}: tf.setBackend("${name}") failed; tfjs printed the reason on stderr.`);
      }
      return await body();
    } finally {
      if (previous && previous !== tf.getBackend()) await tf.setBackend(previous);
    }
  };
  const result = queue.then(run, run);
  queue = result.catch(() => {});
  return result;
}

/**
 * Median milliseconds of `runOnce` after one excluded warm-up run, under the module's protocol.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { medianMs } from "./peers.ts";
 * const ms = await medianMs(async () => {}, { minMs: 0 });
 * assert.ok(ms >= 0);
 * ```
 */
export async function medianMs(runOnce: () => Promise<void>, options: TimingOptions = {}): Promise<number> {
  const { minReps = 3, minMs = 1000, maxReps = 50 } = options;
  await runOnce();
  const times: number[] = [];
  let total = 0;
  while (times.length < Math.max(1, minReps) || (total < minMs && times.length < maxReps)) {
    const t0 = performance.now();
    await runOnce();
    const dt = performance.now() - t0;
    times.push(dt);
    total += dt;
  }
  times.sort((a, b) => a - b);
  const mid = times.length >> 1;
  return times.length % 2 === 1 ? times[mid]! : (times[mid - 1]! + times[mid]!) / 2;
}

/** One output element whose value we know, checked on every run. */
interface Probe {
  row: number;
  col: number;
  expected: number;
  tolerance: number;
}

/**
 * Median ms of `op`, disposing `inputs` at the end. Each run reads back the `probe` element of its output
 * and checks it: WebGPU reports a dispatch it rejects (say, a binding over the device's limits) only as an
 * uncaptured error and leaves the output zero, so a run that did no work would otherwise time as fast.
 */
async function timeOp(
  what: string,
  inputs: tf.Tensor[],
  op: () => tf.Tensor,
  probe: Probe,
  options: TimingOptions,
): Promise<number> {
  try {
    return await medianMs(async () => {
      const one = tf.tidy(() => tf.slice(op(), [probe.row, probe.col], [1, 1]));
      let got: number;
      try {
        got = (await one.data())[0]!;
      } finally {
        one.dispose();
      }
      if (!(Math.abs(got - probe.expected) <= probe.tolerance)) {
        throw new Error(
          `${what}: output[${probe.row}, ${probe.col}] is ${got}, expected ${probe.expected} ± ${probe.tolerance} — ` +
            `the backend skipped or botched the work, so it cannot be timed.`,
        );
      }
    }, options);
  } finally {
    tf.dispose(inputs);
  }
}

/** The largest buffer one WebGPU dispatch may bind on the active backend; no limit for wasm. */
function bindingLimit(): number {
  const device = (tf.backend() as { device?: GPUDevice }).device;
  return device?.limits.maxStorageBufferBindingSize ?? Infinity;
}

function checkFits(what: string, bytes: number): void {
  const limit = bindingLimit();
  if (bytes > limit) {
    throw new Error(
      `${what}: a ${bytes}-byte output is over this adapter's maxStorageBufferBindingSize of ` +
        `${limit} bytes, which tfjs-webgpu binds whole; use a smaller size.`,
    );
  }
}

function checkSizes(what: string, sizes: Record<string, number>): void {
  for (const [k, v] of Object.entries(sizes)) {
    if (!Number.isInteger(v) || v < 1) throw new Error(`${what}: ${k} must be a positive integer, got ${v}.`);
  }
}

/**
 * GFLOP/s of an n×n by n×n float32 `tf.matMul` on `peer`, counting 2·n³ flops.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { peerMatmul } from "./peers.ts";
 * const gflops = await peerMatmul("tfjs-wasm", 64, { minMs: 0 });
 * assert.ok(gflops > 0);
 * ```
 */
export function peerMatmul(peer: Peer, n: number, options: TimingOptions = {}): Promise<number> {
  checkSizes("peerMatmul", { n });
  const what = `${peer} matmul ${n}`;
  return onPeer(peer, async () => {
    checkFits(what, 4 * n * n);
    const a = tf.randomUniform([n, n], -1, 1, "float32", 1);
    const b = tf.randomUniform([n, n], -1, 1, "float32", 2);
    const [av, bv] = await Promise.all([a.data<"float32">(), b.data<"float32">()]);
    let dot = 0, abs = 0;
    for (let k = 0; k < n; k++) {
      const p = av[(n - 1) * n + k]! * bv[k * n + n - 1]!;
      dot += p;
      abs += Math.abs(p);
    }
    const probe = { row: n - 1, col: n - 1, expected: dot, tolerance: 1e-4 * abs + 1e-6 };
    const ms = await timeOp(what, [a, b], () => tf.matMul(a, b), probe, options);
    return (2 * n * n * n) / (ms * 1e6);
  });
}

/**
 * GB/s of `tf.softmax` along the last axis of a rows×cols float32 matrix on `peer`, counting the bytes an
 * ideal kernel moves: each element read once and written once, 8·rows·cols bytes.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { peerSoftmax } from "./peers.ts";
 * const gbps = await peerSoftmax("tfjs-wasm", 64, 10, { minMs: 0 });
 * assert.ok(gbps > 0);
 * ```
 */
export function peerSoftmax(
  peer: Peer,
  rows: number,
  cols: number,
  options: TimingOptions = {},
): Promise<number> {
  checkSizes("peerSoftmax", { rows, cols });
  const what = `${peer} softmax ${rows}x${cols}`;
  return onPeer(peer, async () => {
    checkFits(what, 4 * rows * cols);
    const x = tf.randomNormal([rows, cols], 0, 3, "float32", 3);
    // Probe the largest entry of the last row, so a zero left by skipped work cannot pass as correct.
    const last = (await x.data<"float32">()).subarray((rows - 1) * cols);
    const max = last.reduce((m, v) => Math.max(m, v), -Infinity);
    let sum = 0;
    for (const v of last) sum += Math.exp(v - max);
    const probe = { row: rows - 1, col: last.indexOf(max), expected: 1 / sum, tolerance: 1e-3 / sum };
    const ms = await timeOp(what, [x], () => tf.softmax(x), probe, options);
    return (8 * rows * cols) / (ms * 1e6);
  });
}

/**
 * GFLOP/s of the n×n squared euclidean distances between n points in d dimensions on `peer`, as
 * |x|² + |x|²ᵀ − 2·x·xᵀ in tf ops (a reduction, a transpose, a matmul, three elementwise passes; no clamp
 * at 0), counting only the cross term's 2·n·n·d flops.
 *
 * Two deviations from the one-liner, each what a tfjs user would do: xᵀ is an explicit `tf.transpose`
 * rather than `matMul(x, x, false, true)`, which tfjs-wasm runs about ten times slower; and on tfjs-webgpu
 * the rows go in blocks whose n-wide output fits one storage binding (n = 6000 is 144 MB, llvmpipe binds
 * at most 128 MiB), all blocks dispatched before the one readback.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { peerPairwise } from "./peers.ts";
 * const gflops = await peerPairwise("tfjs-wasm", 50, 8, { minMs: 0 });
 * assert.ok(gflops > 0);
 * ```
 */
export function peerPairwise(
  peer: Peer,
  n: number,
  d: number,
  options: TimingOptions = {},
): Promise<number> {
  checkSizes("peerPairwise", { n, d });
  const what = `${peer} pairwise ${n}x${d}`;
  return onPeer(peer, async () => {
    const block = Math.min(n, Math.floor(bindingLimit() / (4 * n)));
    if (block < 1) checkFits(what, 4 * n);
    const x = tf.randomUniform([n, d], -1, 1, "float32", 4);
    // The probe is the last row's distance to point 0, in the last block.
    const xv = await x.data<"float32">();
    let dist = 0, scale = 0;
    for (let k = 0; k < d; k++) {
      const u = xv[(n - 1) * d + k]!, v = xv[k]!;
      dist += (u - v) * (u - v);
      scale += u * u + v * v + 2 * Math.abs(u * v);
    }
    const lastStart = Math.floor((n - 1) / block) * block;
    const probe = { row: n - 1 - lastStart, col: 0, expected: dist, tolerance: 1e-4 * scale + 1e-6 };
    const ms = await timeOp(
      what,
      [x],
      () => {
        const sq = tf.sum(tf.square(x), 1, true);
        const sqT = tf.transpose(sq);
        const xT = tf.transpose(x);
        let out: tf.Tensor2D | undefined;
        for (let start = 0; start < n; start += block) {
          const rows = Math.min(block, n - start);
          const xb = tf.slice(x, [start, 0], [rows, d]);
          const sqb = tf.slice(sq, [start, 0], [rows, 1]);
          out = tf.add(tf.sub(sqb, tf.mul(tf.matMul(xb, xT), 2)), sqT);
        }
        return out!;
      },
      probe,
      options,
    );
    return (2 * n * n * d) / (ms * 1e6);
  });
}
