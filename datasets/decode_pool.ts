/**
 * Decoding a batch of image files, on the main thread or spread over a pool of Web Workers. The batch is cut
 * into one contiguous run of files per worker; each worker reads, decodes and transforms its run and sends
 * the pixels back, so only the batch being prepared is ever decoded, never the whole split.
 *
 * @module
 */

import { FormatError } from "./formats/format_error.ts";
import { type DecodeJob, jobSize, runJob } from "./image_transform.ts";

/** Bytes a job's image occupies. */
function jobBytes(job: DecodeJob): number {
  const [w, h] = jobSize(job);
  return w * h * job.channels;
}

/** Idle time after which the workers stop, so that a program that forgets `close()` still exits. */
const IDLE_MS = 1000;

/**
 * Decodes batches of image files with `workers` Web Workers (0: on the calling thread). Workers start on
 * the first batch and stop with `close()`, or by themselves after a second without work (a live worker
 * would keep the process from exiting).
 *
 * @example
 * ```ts
 * import { DecodePool } from "./decode_pool.ts";
 * const pool = new DecodePool(0);
 * const job = { path: "/nonexistent.png", channels: 3 as const, transform: { kind: "none" as const, width: 1, height: 1 } };
 * await pool.decode([job]).catch((e) => console.log(e.message)); // cannot read /nonexistent.png: …
 * pool.close();
 * ```
 */
export class DecodePool {
  #workers: Worker[] = [];
  #next = 0;
  #pending = new Map<number, { resolve: (p: Uint8Array) => void; reject: (e: Error) => void }>();
  #idle: ReturnType<typeof setTimeout> | undefined;

  /** A pool of `workers` workers (0 decodes on the calling thread). */
  constructor(readonly workers: number) {
    if (!Number.isInteger(workers) || workers < 0) {
      throw new RangeError(`workers must be ≥ 0, got ${workers}`);
    }
  }

  /** The jobs' images, one after another (each C×H×W). */
  async decode(jobs: readonly DecodeJob[]): Promise<Uint8Array> {
    const sizes = jobs.map(jobBytes);
    const out = new Uint8Array(sizes.reduce((a, b) => a + b, 0));
    if (this.workers === 0 || jobs.length === 1) {
      let at = 0;
      for (let i = 0; i < jobs.length; i++) {
        await runJob(jobs[i]!, out, at);
        at += sizes[i]!;
      }
      return out;
    }
    clearTimeout(this.#idle);
    this.#start();
    const parts = Math.min(this.workers, jobs.length);
    const runs: Promise<Uint8Array>[] = [];
    for (let k = 0; k < parts; k++) {
      const [from, to] = [Math.floor((k * jobs.length) / parts), Math.floor(((k + 1) * jobs.length) / parts)];
      runs.push(this.#post(this.#workers[k]!, jobs.slice(from, to), sizes.slice(from, to)));
    }
    let at = 0;
    for (const pixels of await Promise.all(runs)) {
      out.set(pixels, at);
      at += pixels.length;
    }
    return out;
  }

  /** Stops the workers (a later batch starts them again). */
  close(): void {
    this.#stop();
    for (const p of this.#pending.values()) p.reject(new Error("the decoding pool was closed"));
    this.#pending.clear();
  }

  #stop(): void {
    clearTimeout(this.#idle);
    for (const w of this.#workers) w.terminate();
    this.#workers = [];
  }

  #start(): void {
    while (this.#workers.length < this.workers) {
      const worker = new Worker(new URL("./decode_worker.ts", import.meta.url), { type: "module" });
      worker.onmessage = (e: MessageEvent) => this.#answer(e.data);
      worker.onerror = (e: ErrorEvent) => {
        e.preventDefault();
        const error = new Error(`a decoding worker failed: ${e.message}`);
        for (const p of this.#pending.values()) p.reject(error);
        this.#pending.clear();
        this.close();
      };
      this.#workers.push(worker);
    }
  }

  #post(worker: Worker, jobs: DecodeJob[], bytes: number[]): Promise<Uint8Array> {
    const id = this.#next++;
    return new Promise((resolve, reject) => {
      this.#pending.set(id, { resolve, reject });
      worker.postMessage({ id, jobs, bytes });
    });
  }

  #answer(data: { id: number; pixels?: Uint8Array; error?: Record<string, unknown> }): void {
    const p = this.#pending.get(data.id);
    if (!p) return;
    this.#pending.delete(data.id);
    if (this.#pending.size === 0) {
      clearTimeout(this.#idle);
      this.#idle = setTimeout(() => this.#stop(), IDLE_MS);
    }
    if (data.pixels) return p.resolve(data.pixels);
    const e = data.error ?? {};
    // Rebuild the parsers' error type so callers can tell a damaged file from other failures.
    if (e.name === "FormatError") {
      const f = e as unknown as FormatError;
      p.reject(new FormatError(f.file, f));
    } else {
      p.reject(new Error(String(e.message)));
    }
  }
}
