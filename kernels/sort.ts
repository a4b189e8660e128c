/**
 * Sorting on the GPU: argsort, sort and top-k of float32 keys (one row or a batch of rows), and argsort of
 * u32 bit patterns (used by `randomPermutation`), each beside a plain TypeScript reference.
 *
 * The order, in every direction and on every adapter: keys compare as numbers, equal keys (-0 and +0 are
 * equal) keep their index order (lower index first, also when descending), and NaN keys come after every
 * number, in index order, whether ascending or descending. Each call only records GPU work: all the passes
 * of a sort go into the open recording, and nothing is read back.
 *
 * @module
 */

import type * as tf from "npm:@tensorflow/tfjs-core@4.22.0";
import { grid1d } from "./prelude_wgsl.ts";
import type { Binding } from "./runtime/recorder.ts";
import { runtime } from "./runtime/runtime.ts";
import { bufferOf, emptyTensor } from "./runtime/tensor.ts";
import {
  SEL_STATE,
  SELECT_BLOCK,
  SELECT_PER_INVOCATION,
  selectCountWgsl,
  selectEmitWgsl,
  selectFindWgsl,
  selectHistWgsl,
  selectKeysWgsl,
  selectScanWgsl,
} from "./radix_select_wgsl.ts";
import { bitonicWgsl, gatherWgsl, KeyMode, keysWgsl, MAX_STEPS, topkMergeWgsl } from "./sort_wgsl.ts";

/** Options of `argsort` and `sort`. */
export interface SortOptions {
  /** Largest first (NaN still last); default false. */
  descending?: boolean;
}

/** Options of `topk`. */
export interface TopkOptions {
  /** The k largest (default) or the k smallest; NaN counts as neither and is picked last. */
  largest?: boolean;
}

/** Rows and row length of a [n] or [rows, n] tensor. */
function rowsOf(x: tf.Tensor, what: string): [number, number] {
  if (x.rank === 1) return [1, x.shape[0]!];
  if (x.rank === 2) return [x.shape[0]!, x.shape[1]!];
  throw new RangeError(`${what}: expected a [n] or [rows, n] tensor, got shape [${x.shape}]`);
}

const log2 = (n: number) => 31 - Math.clz32(n);
const nextPow2 = (n: number) => (n <= 1 ? 1 : 2 ** Math.ceil(Math.log2(n)));

/** Records the passes of stage `k` of the network, strides `j`, j/2, …, 1, over `pairs` pairs in `kv`. */
function bitonicStage(kv: Binding, pairs: number, k: number, j: number, rowMask: number): void {
  const { recorder } = runtime();
  for (let high = log2(j); high >= 0;) {
    const steps = Math.min(MAX_STEPS, high + 1);
    const low = high - steps + 1;
    const threads = pairs / 2 ** steps;
    recorder.dispatch(bitonicWgsl(steps), grid1d(threads), [threads, k, rowMask, low], [kv]);
    high = low - 1;
  }
}

/** Pairs of `rows` rows of 2^logP keys made from `x` ([rows, n]) in `mode`, in a scratch buffer. */
function keyPairs(x: tf.Tensor, rows: number, n: number, logP: number, mode: number): GPUBuffer {
  const { pool, recorder } = runtime();
  const pairs = rows * 2 ** logP;
  const kv = pool.acquire(8 * pairs);
  recorder.dispatch(keysWgsl(), grid1d(pairs), [pairs, n, logP, mode], [bufferOf(x), kv]);
  return kv;
}

/**
 * Sorts `kv` (rows of 2^logP pairs) by the full network, or only far enough to bring the `k` smallest of each
 * row, sorted, to its front (bitonic top-k); returns the buffer and the row length its result has.
 */
function sortPairs(kv: GPUBuffer, rows: number, logP: number, k: number): [GPUBuffer, number] {
  const P = 1 << logP;
  const K = nextPow2(k);
  if (K >= P) {
    for (let s = 2; s <= P; s *= 2) bitonicStage(kv, rows * P, s, s / 2, P - 1);
    return [kv, logP];
  }
  // Sort chunks of K, alternately ascending and descending (stage K with row_mask P - 1 > K), then halve
  // the rows by keeping the K smallest of each chunk couple and re-sorting them, until one chunk is left.
  for (let s = 2; s <= K; s *= 2) bitonicStage(kv, rows * P, s, s / 2, P - 1);
  const { pool, recorder } = runtime();
  let src = kv, dst = pool.acquire(8 * rows * (P / 2));
  const spare = dst;
  for (let L = P / 2; L >= K; L /= 2) {
    const threads = rows * L;
    recorder.dispatch(topkMergeWgsl(), grid1d(threads), [threads, log2(K)], [src, dst]);
    if (K > 1) bitonicStage(dst, threads, K, K / 2, L - 1);
    [src, dst] = [dst, src];
  }
  pool.release(src === kv ? spare : kv);
  return [src, log2(K)];
}

/**
 * Whether a top-k of one row first selects its k pairs by radix select (`radix_select_wgsl.ts`) and sorts
 * only those: when the row is long and nextPow2(k) at most a quarter of it (the bitonic top-k would sort
 * chunks of that size across the whole row).
 */
function radixSelects(rows: number, n: number, k: number): boolean {
  return rows === 1 && n >= RADIX_MIN && k > 0 && 4 * nextPow2(k) <= nextPow2(n);
}

/** Shortest row that `topk` radix-selects (below it the bitonic rounds are few and cheap). */
export const RADIX_MIN = 2048;

/**
 * The k smallest (key, index) pairs of the one row `x` in `mode`, unsorted, in a scratch buffer of
 * nextPow2(k) pairs padded with pairs that sort after them (`radix_select_wgsl.ts`).
 */
function selectPairs(x: tf.Tensor, n: number, k: number, mode: number): GPUBuffer {
  const { pool, recorder } = runtime();
  const K = nextPow2(k), blocks = Math.ceil(n / SELECT_BLOCK);
  const keys = pool.acquire(4 * n), sel = pool.acquire(4 * (SEL_STATE + 2));
  const counts = pool.acquire(8 * blocks), out = pool.acquire(8 * K);
  const threads = Math.ceil(n / SELECT_PER_INVOCATION);
  recorder.clear(sel);
  recorder.dispatch(selectKeysWgsl(), grid1d(threads), [n, mode, threads], [bufferOf(x), keys, sel]);
  recorder.dispatch(selectFindWgsl(0), [1], [k], [sel]);
  for (const round of [1, 2] as const) {
    recorder.dispatch(selectHistWgsl(round), grid1d(threads), [n, threads], [keys, sel]);
    recorder.dispatch(selectFindWgsl(round), [1], [], [sel]);
  }
  recorder.dispatch(selectCountWgsl(), grid1d(blocks), [n, blocks], [keys, sel, counts]);
  recorder.dispatch(selectScanWgsl(), [1], [blocks], [counts]);
  recorder.dispatch(selectEmitWgsl(), grid1d(blocks), [n, blocks, k, K], [keys, sel, counts, out]);
  for (const b of [keys, sel, counts]) pool.release(b);
  return out;
}

/** Records the whole sort of `x`'s rows in `mode` and the gather of the first `k` (default all) of each row. */
function sortRows(
  x: tf.Tensor,
  mode: number,
  k: number | null,
  values: boolean,
  what: string,
): { values: tf.Tensor | null; indices: tf.Tensor } {
  const [rows, n] = rowsOf(x, what);
  const kOut = k ?? n;
  if (!Number.isInteger(kOut) || kOut < 0 || kOut > n) {
    throw new RangeError(`${what}: k = ${k} is not an integer in [0, ${n}] (the row length)`);
  }
  const logP = log2(nextPow2(n));
  const { pool, recorder, limits } = runtime();
  const bytes = 8 * rows * 2 ** logP, max = limits.maxStorageBufferBindingSize ?? 2 ** 27;
  if (bytes > max) {
    throw new RangeError(
      `${what}: ${rows} row(s) of ${n} keys need ${bytes} bytes of (key, index) pairs (rows padded to ` +
        `${2 ** logP}), over this adapter's ${max}-byte binding limit: pass fewer or shorter rows at a time`,
    );
  }
  const shape = x.rank === 1 ? [kOut] : [rows, kOut];
  const indices = emptyTensor(shape, "int32");
  const vals = values ? emptyTensor(shape, "float32") : null;
  const total = rows * kOut;
  if (total === 0) return { values: vals, indices };
  const [kv, logL] = radixSelects(rows, n, kOut)
    ? sortPairs(selectPairs(x, n, kOut, mode), 1, log2(nextPow2(kOut)), kOut)
    : sortPairs(keyPairs(x, rows, n, logP, mode), rows, logP, kOut);
  const outs = vals ? [bufferOf(indices), bufferOf(x), bufferOf(vals)] : [bufferOf(indices)];
  recorder.dispatch(gatherWgsl(values), grid1d(total), [total, kOut, logL, n], [kv, ...outs]);
  pool.release(kv);
  return { values: vals, indices };
}

function floatMode(x: tf.Tensor, what: string, descending: boolean): number {
  if (x.dtype !== "float32") throw new TypeError(`${what}: expected float32 keys, got ${x.dtype}`);
  return descending ? KeyMode.descending : KeyMode.ascending;
}

/**
 * The permutation that sorts each row of `keys` (float32 [n] or [rows, n]): int32 indices of the same shape.
 * Stable: equal keys keep index order in both directions; NaN last (see the module comment).
 *
 * @example
 * ```ts
 * import { ready } from "./runtime/runtime.ts";
 * import { readAll, upload } from "./runtime/tensor.ts";
 * import { argsort } from "./sort.ts";
 * await ready();
 * const i = argsort(upload(new Float32Array([3, NaN, 1, 3]), [4]), { descending: true });
 * console.log((await readAll([i]))[0]); // Int32Array [0, 3, 2, 1]
 * ```
 */
export function argsort(keys: tf.Tensor, { descending = false }: SortOptions = {}): tf.Tensor {
  return sortRows(keys, floatMode(keys, "argsort", descending), null, false, "argsort").indices;
}

/**
 * Each row of `keys` (float32 [n] or [rows, n]) sorted, with the permutation that sorts it; same order as
 * `argsort`.
 *
 * @example
 * ```ts
 * import { ready } from "./runtime/runtime.ts";
 * import { readAll, upload } from "./runtime/tensor.ts";
 * import { sort } from "./sort.ts";
 * await ready();
 * const { values, indices } = sort(upload(new Float32Array([2, -1, 0.5]), [3]));
 * console.log(await readAll([values, indices])); // [Float32Array [-1, 0.5, 2], Int32Array [1, 2, 0]]
 * ```
 */
export function sort(
  keys: tf.Tensor,
  { descending = false }: SortOptions = {},
): { values: tf.Tensor; indices: tf.Tensor } {
  const { values, indices } = sortRows(keys, floatMode(keys, "sort", descending), null, true, "sort");
  return { values: values!, indices };
}

/**
 * The `k` largest (or smallest) entries of each row of `x` (float32 [n] or [rows, n]), best first: values
 * and int32 indices of shape [k] or [rows, k]. Equal values go to the lower index first; NaN is never
 * preferred to a number (unlike `torch.topk`). When k is well below n the rows are not fully sorted. One
 * long row (n ≥ `RADIX_MIN`, nextPow2(k) ≤ nextPow2(n)/4) radix-selects its k best pairs and sorts only
 * those (`radix_select_wgsl.ts`: k = 6000 of 60 000 took ~10 ms on llvmpipe against ~27 ms before);
 * otherwise the network sorts chunks of nextPow2(k) and repeatedly keeps the best half (bitonic top-k,
 * Shanbhag et al. 2018), about log2(n/k) cheap rounds instead of log2(n)^2/2 passes.
 *
 * @example
 * ```ts
 * import { ready } from "./runtime/runtime.ts";
 * import { readAll, upload } from "./runtime/tensor.ts";
 * import { topk } from "./sort.ts";
 * await ready();
 * const { values, indices } = topk(upload(new Float32Array([1, 9, 5, 9, 0, 7]), [2, 3]), 2);
 * console.log(await readAll([values, indices])); // [Float32Array [9, 5, 9, 7], Int32Array [1, 2, 0, 2]]
 * ```
 */
export function topk(
  x: tf.Tensor,
  k: number,
  { largest = true }: TopkOptions = {},
): { values: tf.Tensor; indices: tf.Tensor } {
  const { values, indices } = sortRows(x, floatMode(x, "topk", largest), k, true, "topk");
  return { values: values!, indices };
}

/**
 * Ascending argsort of u32 bit patterns held in an int32 tensor ([n] or [rows, n]), ties by lower index; the
 * sort behind `randomPermutation`.
 *
 * @example
 * ```ts
 * import { ready } from "./runtime/runtime.ts";
 * import { readAll, upload } from "./runtime/tensor.ts";
 * import { argsortBits } from "./sort.ts";
 * await ready();
 * const i = argsortBits(upload(new Int32Array([-1, 5, 0]), [3])); // -1 is 0xffffffff, the largest
 * console.log((await readAll([i]))[0]); // Int32Array [2, 1, 0]
 * ```
 */
export function argsortBits(keys: tf.Tensor): tf.Tensor {
  if (keys.dtype !== "int32") throw new TypeError(`argsortBits: expected int32 keys, got ${keys.dtype}`);
  return sortRows(keys, KeyMode.bits, null, false, "argsortBits").indices;
}

/** Compares two float keys in the documented order (NaN last, ±0 equal); 0 when tied. */
function compareKeys(a: number, b: number, descending: boolean): number {
  const na = Number.isNaN(a), nb = Number.isNaN(b);
  if (na || nb) return na === nb ? 0 : na ? 1 : -1;
  return a === b ? 0 : (a < b) !== descending ? -1 : 1;
}

/**
 * TypeScript reference of `argsort` on one row.
 *
 * @example
 * ```ts
 * import { argsortReference } from "./sort.ts";
 * console.log(argsortReference(new Float32Array([1, NaN, 1, 2]))); // Int32Array [0, 2, 3, 1]
 * ```
 */
export function argsortReference(keys: Float32Array, { descending = false }: SortOptions = {}): Int32Array {
  const order = Int32Array.from(keys, (_, i) => i);
  return order.sort((i, j) => compareKeys(keys[i]!, keys[j]!, descending) || i - j);
}

/**
 * TypeScript reference of `topk` on `rows` rows of `n` values (row-major `x`).
 *
 * @example
 * ```ts
 * import { topkReference } from "./sort.ts";
 * console.log(topkReference(new Float32Array([4, 8, 8, 1]), 1, 4, 2)); // values [8, 8], indices [1, 2]
 * ```
 */
export function topkReference(
  x: Float32Array,
  rows: number,
  n: number,
  k: number,
  { largest = true }: TopkOptions = {},
): { values: Float32Array; indices: Int32Array } {
  const values = new Float32Array(rows * k), indices = new Int32Array(rows * k);
  for (let r = 0; r < rows; r++) {
    const row = x.subarray(r * n, (r + 1) * n);
    const order = argsortReference(row, { descending: largest }).subarray(0, k);
    indices.set(order, r * k);
    values.set(Array.from(order, (i) => row[i]!), r * k);
  }
  return { values, indices };
}

/**
 * TypeScript reference of `argsortBits` on one row of u32 keys (an Int32Array is read as unsigned).
 *
 * @example
 * ```ts
 * import { argsortBitsReference } from "./sort.ts";
 * console.log(argsortBitsReference(new Uint32Array([7, 7, 0]))); // Int32Array [2, 0, 1]
 * ```
 */
export function argsortBitsReference(keys: Uint32Array | Int32Array): Int32Array {
  const u = keys instanceof Uint32Array ? keys : new Uint32Array(keys.buffer, keys.byteOffset, keys.length);
  const order = Int32Array.from(u, (_, i) => i);
  return order.sort((i, j) => u[i]! - u[j]! || i - j);
}
