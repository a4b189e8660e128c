/**
 * Progress of a long stage on stderr: one live line with rate and ETA on a terminal, a plain line every
 * few seconds otherwise, nothing when quiet.
 *
 * @module
 */

/** Reports progress of one stage. */
export class Progress {
  #start = performance.now();
  #lastPrint = 0;
  #live: boolean;
  #quiet: boolean;

  /**
   * A stage of `total` units, called `label`.
   *
   * @example
   * ```ts
   * import { Progress } from "./progress.ts";
   * const p = new Progress("epoch 1", 10, "batch", { quiet: true });
   * p.update(5);
   * p.done();
   * ```
   */
  constructor(
    readonly label: string,
    readonly total: number,
    readonly unit: string,
    options: { quiet?: boolean; interval?: number } = {},
  ) {
    this.#quiet = options.quiet ?? false;
    this.#live = !this.#quiet && Deno.stderr.isTerminal();
    this.interval = options.interval ?? (this.#live ? 200 : 10_000);
  }

  /** Milliseconds between printed updates. */
  readonly interval: number;

  /** `done` units finished so far; `extra` is appended (e.g. the running loss). */
  update(done: number, extra = ""): void {
    if (this.#quiet || done >= this.total) return; // the last line is done()'s
    const now = performance.now();
    if (now - this.#lastPrint < this.interval) return;
    this.#lastPrint = now;
    this.#print(this.#line(done, now, extra), false);
  }

  /** Ends the stage with a final line. */
  done(extra = ""): void {
    if (this.#quiet) return;
    this.#print(this.#line(this.total, performance.now(), extra), true);
  }

  #line(done: number, now: number, extra: string): string {
    const seconds = (now - this.#start) / 1000;
    const rate = done / Math.max(seconds, 1e-9);
    const eta = done > 0 && done < this.total ? ` eta ${formatSeconds((this.total - done) / rate)}` : "";
    return `${this.label}: ${done}/${this.total} ${this.unit}s ${rate.toFixed(1)}/s ${
      formatSeconds(seconds)
    }${eta}` +
      (extra ? ` ${extra}` : "");
  }

  #print(line: string, final: boolean): void {
    const bytes = new TextEncoder().encode(this.#live ? `\r\x1b[2K${line}${final ? "\n" : ""}` : `${line}\n`);
    Deno.stderr.writeSync(bytes);
  }
}

/**
 * Elapsed time on stderr for a stage whose progress cannot be counted — a GPU run recorded as one
 * submission, during which Deno's WebGPU keeps the main event loop blocked: "label m:ss" every second as a
 * live line on a terminal, every 30 s otherwise (or every `interval` ms), written by a worker thread;
 * nothing when quiet. `stop()` ends it (and clears a live line).
 *
 * @example
 * ```ts
 * import { heartbeat } from "./progress.ts";
 * const beat = heartbeat("selecting", { quiet: true });
 * beat.stop();
 * ```
 */
export function heartbeat(
  label: string,
  options: { quiet?: boolean; interval?: number } = {},
): { stop(): void } {
  if (options.quiet) return { stop() {} };
  const live = Deno.stderr.isTerminal();
  const worker = new Worker(new URL("./heartbeat_worker.ts", import.meta.url).href, { type: "module" });
  worker.postMessage({ label, interval: options.interval ?? (live ? 1000 : 30_000), live });
  return {
    stop() {
      worker.terminate();
      if (live) Deno.stderr.writeSync(new TextEncoder().encode("\r\x1b[2K"));
    },
  };
}

/** 75 → "1:15", 3725 → "1:02:05". */
export function formatSeconds(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  const [h, m, r] = [Math.floor(s / 3600), Math.floor((s % 3600) / 60), s % 60];
  const two = (v: number) => String(v).padStart(2, "0");
  return h > 0 ? `${h}:${two(m)}:${two(r)}` : `${m}:${two(r)}`;
}
