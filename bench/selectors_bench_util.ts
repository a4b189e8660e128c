/**
 * Helpers of `selectors_bench.ts`: seeded random inputs, wall-clock timing, the GPU memory high-water mark,
 * and the calibrate-then-extrapolate guard that keeps an O(n³) run from holding the machine for an hour.
 *
 * @module
 */

import type { BufferPool } from "../kernels/runtime/buffer_pool.ts";
import type { Matrix } from "../selectors/types.ts";

/** Random selector inputs: features n × d, probabilities n × C (softmax of logits), n/C labels per class. */
export interface RandomInputs {
  /** Standard normal features. */
  features: Matrix;
  /** Softmax of normal logits with standard deviation 2, so that confidences spread over (1/C, 1). */
  probs: Matrix;
  /** Label i mod C: every class gets n/C samples (±1). */
  labels: Int32Array;
}

/**
 * Seeded inputs of `n` samples (mulberry32 and Box–Muller: fast, and the same bits on every run).
 *
 * @example
 * ```ts
 * import { randomInputs } from "./selectors_bench_util.ts";
 * const a = randomInputs(20, 4, 10, 1), b = randomInputs(20, 4, 10, 1);
 * console.log(a.features.data[7] === b.features.data[7], a.labels.filter((l) => l === 3).length); // true 2
 * ```
 */
export function randomInputs(n: number, d: number, classes: number, seed: number): RandomInputs {
  let s = seed >>> 0;
  const uniform = () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (((t ^ (t >>> 14)) >>> 0) + 0.5) / 2 ** 32; // in (0, 1), safe for the logarithm
  };
  const normal = () => Math.sqrt(-2 * Math.log(uniform())) * Math.cos(2 * Math.PI * uniform());
  const features = Float32Array.from({ length: n * d }, normal);
  const probs = new Float32Array(n * classes);
  for (let i = 0; i < n; i++) {
    const row = probs.subarray(i * classes, (i + 1) * classes);
    for (let c = 0; c < classes; c++) row[c] = 2 * normal();
    const max = Math.max(...row);
    let sum = 0;
    for (let c = 0; c < classes; c++) sum += row[c] = Math.exp(row[c] - max);
    for (let c = 0; c < classes; c++) row[c] /= sum;
  }
  return {
    features: { data: features, rows: n, cols: d },
    probs: { data: probs, rows: n, cols: classes },
    labels: Int32Array.from({ length: n }, (_, i) => i % classes),
  };
}

/**
 * Seconds one call of `run` takes; calls shorter than `repeatBelow` seconds are repeated (three calls in
 * all) and the median is returned, so that a fast method is not judged on one noisy sample.
 *
 * @example
 * ```ts
 * import { seconds } from "./selectors_bench_util.ts";
 * console.log(await seconds(() => Promise.resolve()) < 1); // true
 * ```
 */
export async function seconds(run: () => unknown, repeatBelow = 0.5): Promise<number> {
  const once = async () => {
    const t0 = performance.now();
    await run();
    return (performance.now() - t0) / 1000;
  };
  const first = await once();
  if (first >= repeatBelow) return first;
  const all = [first, await once(), await once()].sort((a, b) => a - b);
  return all[1]!;
}

/**
 * The most bytes of GPU buffers the pool held at once while `watch` ran: handed out, released but waiting
 * for a submit (still alive, not yet reusable), and kept free for reuse. Counted at every acquire, which is
 * when the total can grow, by wrapping the pool's methods for the duration.
 *
 * @example
 * ```ts
 * import { ready } from "../kernels/runtime/runtime.ts";
 * import { peakPoolBytes } from "./selectors_bench_util.ts";
 * const { pool } = await ready();
 * const { peak } = await peakPoolBytes(pool, () => pool.release(pool.acquire(1 << 20)));
 * console.log(peak >= 1 << 20); // true
 * ```
 */
export async function peakPoolBytes<T>(
  pool: BufferPool,
  watch: () => T | Promise<T>,
): Promise<{ value: T; peak: number; peakUsedPlusFree: number }> {
  const { acquire, release, afterSubmit } = pool;
  let pending = 0, peak = 0, peakUsedPlusFree = 0;
  const sample = () => {
    peakUsedPlusFree = Math.max(peakUsedPlusFree, pool.usedBytes + pool.freeBytes);
    peak = Math.max(peak, pool.usedBytes + pool.freeBytes + pending);
  };
  pool.acquire = (bytes, usage) => {
    const b = acquire.call(pool, bytes, usage);
    sample();
    return b;
  };
  pool.release = (buffer) => {
    pending += buffer.size;
    release.call(pool, buffer);
  };
  pool.afterSubmit = () => {
    pending = 0;
    afterSubmit.call(pool);
  };
  sample();
  try {
    const value = await watch();
    return { value, peak, peakUsedPlusFree };
  } finally {
    // Own properties shadowing the prototype's methods: deleting them restores the originals.
    delete (pool as Partial<BufferPool>).acquire;
    delete (pool as Partial<BufferPool>).release;
    delete (pool as Partial<BufferPool>).afterSubmit;
  }
}

/** How a method's time grows with n (budget a fixed fraction of n, d fixed): n^lo … n^hi. */
export interface Growth {
  /** Smallest plausible exponent. */
  lo: number;
  /** Largest plausible exponent (the worst case of the algorithm). */
  hi: number;
}

/** A calibration's outcome: the projected seconds at the target n, and what it was projected from. */
export interface Projection {
  /** Projected seconds at the target n. */
  seconds: number;
  /** The exponent used, the fitted one clamped to the method's `Growth`. */
  exponent: number;
  /**
   * Projected seconds at the target n along growth.hi: what to compare with a limit, since fits at small n
   * run low (fixed costs weigh more there; GPU runs here took up to 2× their fitted projection).
   */
  worst: number;
  /** The calibration runs, smallest n first. */
  runs: { n: number; seconds: number }[];
}

/**
 * Times `run(n)` at n = `start`, 2·start, 4·start, … and projects its time at `target` as
 * t(n_last)·(target/n_last)^p, with p the slope of the last two runs on a log–log scale clamped to
 * [growth.lo, growth.hi]. It stops once a run takes `enough` seconds, once the next run would pass
 * `target / 4` samples, or once it is projected to take more than `cap` seconds; if that leaves one run,
 * it adds one at half that size (or, below n = 500, takes growth.hi as the exponent). A run more than twice
 * as slow as growth.hi allows from the run before it is run once more and the faster time kept: a lone
 * stall of the machine (a reference run at n = 8 000 once took 15.8 s against 0.9 s) would otherwise be
 * projected to the target.
 * Small-n runs fit in cache and so tend to *under*-estimate large-n time for memory-bound methods.
 *
 * @example
 * ```ts
 * import { project } from "./selectors_bench_util.ts";
 * // A method that takes (n / 1000)² seconds, exactly.
 * const p = await project((n) => Promise.resolve((n / 1000) ** 2), 8000, { lo: 1, hi: 3 });
 * console.log(p.exponent.toFixed(1), p.seconds.toFixed(0)); // 2.0 64
 * ```
 */
export async function project(
  run: (n: number) => Promise<number>,
  target: number,
  growth: Growth,
  { start = 500, enough = 0.5, cap = 20 }: { start?: number; enough?: number; cap?: number } = {},
): Promise<Projection> {
  const runs: { n: number; seconds: number }[] = [];
  const fit = () => {
    const last = runs.at(-1)!, prev = runs.at(-2);
    const slope = prev ? Math.log(last.seconds / prev.seconds) / Math.log(last.n / prev.n) : growth.hi;
    const exponent = Math.min(growth.hi, Math.max(growth.lo, Number.isFinite(slope) ? slope : growth.hi));
    return { exponent, at: (n: number) => last.seconds * (n / last.n) ** exponent };
  };
  const measure = async (n: number) => {
    const seconds = await run(n), prev = runs.at(-1);
    const ceiling = prev ? 2 * prev.seconds * (n / prev.n) ** growth.hi : Infinity;
    return seconds > ceiling ? Math.min(seconds, await run(n)) : seconds;
  };
  for (let n = Math.min(start, target);; n *= 2) {
    runs.push({ n, seconds: await measure(n) });
    const { at } = fit();
    if (runs.at(-1)!.seconds >= enough || 2 * n > target / 4 || at(2 * n) > cap) break;
  }
  // One run gives no slope: add one at half its size (cheaper still), unless that is too small to count.
  if (runs.length === 1 && runs[0]!.n >= 500) {
    const n = runs[0]!.n / 2;
    runs.unshift({ n, seconds: await run(n) });
  }
  const { exponent, at } = fit();
  const last = runs.at(-1)!;
  return { seconds: at(target), exponent, worst: last.seconds * (target / last.n) ** growth.hi, runs };
}

/**
 * Seconds as a short string for the table: 0.123, 12.3, 1234; an estimate is prefixed with "~".
 *
 * @example
 * ```ts
 * import { formatSeconds } from "./selectors_bench_util.ts";
 * console.log(formatSeconds(0.1234), formatSeconds(4321.5, true)); // 0.123 ~4322
 * ```
 */
export function formatSeconds(s: number, estimated = false): string {
  const text = s < 1 ? s.toFixed(3) : s < 100 ? s.toFixed(1) : s.toFixed(0);
  return estimated ? `~${text}` : text;
}
