/**
 * The GPU runtime as one object: the device, the pipeline cache, the buffer pool, the recorder and the
 * tfjs-core backend, created together by `ready()` and reached synchronously afterwards by `runtime()`.
 *
 * @module
 */

import * as tf from "npm:@tensorflow/tfjs-core@4.22.0";
import { BACKEND_NAME, DeepcoreBackend, registerBookkeepingKernels } from "./backend.ts";
import { BufferPool } from "./buffer_pool.ts";
import { type Gpu, gpu } from "./device.ts";
import { PipelineCache } from "./pipelines.ts";
import { Recorder } from "./recorder.ts";

/** Everything a kernel wrapper needs. */
export interface Runtime extends Gpu {
  /** Compiled pipelines. */
  pipelines: PipelineCache;
  /** Reusable buffers. */
  pool: BufferPool;
  /** The open recording. */
  recorder: Recorder;
  /** The tfjs-core backend holding deepcore tensors. */
  backend: DeepcoreBackend;
}

let current: Runtime | null = null;
let starting: Promise<Runtime> | null = null;

/**
 * Acquires the GPU and registers the `deepcore` tfjs-core backend (as the active backend unless
 * `makeActive` is false). Call once before using any kernel; later calls return the same runtime.
 *
 * @example
 * ```ts
 * import { ready } from "./runtime.ts";
 * const rt = await ready();
 * console.log(rt.info.description);
 * ```
 */
export function ready(options: { makeActive?: boolean } = {}): Promise<Runtime> {
  starting ??= (async () => {
    const g = await gpu();
    const pool = new BufferPool(g.device);
    const pipelines = new PipelineCache(g.device);
    const recorder = new Recorder(g.device, pool, pipelines);
    const backend = new DeepcoreBackend(g.device, pool, recorder);
    if (!tf.findBackend(BACKEND_NAME)) tf.registerBackend(BACKEND_NAME, () => backend, 1);
    registerBookkeepingKernels(backend);
    if (options.makeActive ?? true) await tf.setBackend(BACKEND_NAME);
    current = { ...g, pipelines, pool, recorder, backend };
    return current;
  })().catch((e) => {
    starting = null;
    throw e;
  });
  return starting;
}

/** The runtime, once `ready()` has resolved; throws a clear error before that. */
export function runtime(): Runtime {
  if (!current) throw new Error("the GPU is not initialised yet: `await ready()` (from mod.ts) first");
  return current;
}
