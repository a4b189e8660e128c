/**
 * Reductions of a tensor along one axis (or over all of it): sum, mean, max, min → float32, argmax, argmin →
 * int32, each beside the plain TypeScript reference its test compares against.
 *
 * How the work is spread (see `reduce_wgsl.ts` for the kernel): the input is viewed as [outer, R, inner] and
 * one invocation computes one output with a sequential loop — right for many short rows ([60000, 10] along
 * axis 1). When there are too few outputs to fill a GPU (outer·inner < 16384) and R is long, a first pass
 * splits R into S strided chunks and writes S partials per output, and the same reduction runs again over
 * the partials ([1, 10^6] takes three passes: 10^6 → 3906 → 15 → 1).
 *
 * Inputs larger than one storage binding (maxStorageBufferBindingSize, 128 MiB) are bound a window at a
 * time: whole [R, inner] slices when one fits, else rows of one slice, accumulating into the output, else
 * (a single row of `inner` elements is too big) column ranges of single rows.
 *
 * @module
 */

import type * as tf from "npm:@tensorflow/tfjs-core@4.22.0";
import { grid1d } from "./prelude_wgsl.ts";
import { type ReduceKind, reduceWgsl } from "./reduce_wgsl.ts";
import { f32 } from "./runtime/recorder.ts";
import { runtime } from "./runtime/runtime.ts";
import { bufferOf, emptyTensor, sizeOf } from "./runtime/tensor.ts";
import { ALIGN, bindingElements, windowBinding } from "./runtime/window.ts";

/** A reduction. */
export type ReduceOp = "sum" | "mean" | "max" | "min" | "argmax" | "argmin";

/** Options of `reduce`. */
export interface ReduceOptions {
  /** Keep the reduced axis (axes, for a whole-tensor reduction) as size 1; default false. */
  keepDims?: boolean;
  /** Bytes one storage binding may hold, below the device's limit (to test the windowed path). */
  maxBindingBytes?: number;
}

/** Below this many outputs a long reduction is split into partials (a GPU needs ~10^4 invocations). */
const MIN_LANES = 16384;
/** Shortest chunk a partial reduces. */
const MIN_CHUNK = 256;
/** Invocations the first pass of a split aims for. */
const TARGET_LANES = 65536;

const IDENTITY: Record<ReduceKind, number> = {
  sum: 0,
  max: -Infinity,
  min: Infinity,
  argmax: -Infinity,
  argmin: Infinity,
};

/**
 * Reduces `x` along `axis` (negative counts from the end; `null`, the default, reduces everything).
 * Float32, int32 and bool inputs; sum/mean/max/min give float32, argmax/argmin int32 indices along the axis
 * with ties going to the lowest index. NaN wins max/min (the result is NaN) and argmax/argmin (the index of
 * the first NaN), as in numpy. An empty axis gives sum 0, mean NaN, max −∞, min +∞, and throws for
 * argmax/argmin. Only records work.
 *
 * @example
 * ```ts
 * import { ready } from "./runtime/runtime.ts";
 * import { readAll, upload } from "./runtime/tensor.ts";
 * import { reduce } from "./reduce.ts";
 * await ready();
 * const x = upload(new Float32Array([1, 5, 2, 7, 3, 0]), [2, 3]);
 * const [rows, cols, all] = await readAll([reduce("sum", x, 1), reduce("argmax", x, 0), reduce("max", x)]);
 * console.log(rows, cols, all); // Float32Array [8, 10]  Int32Array [1, 0, 0]  Float32Array [7]
 * ```
 */
export function reduce(
  op: ReduceOp,
  x: tf.Tensor,
  axis: number | null = null,
  options: ReduceOptions = {},
): tf.Tensor {
  const { outer, R, inner, shape } = reducedView(x.shape, axis, options.keepDims ?? false);
  const arg = op === "argmax" || op === "argmin";
  if (arg && R === 0 && outer * inner > 0) {
    throw new RangeError(`${op} along an axis of length 0 (shape [${x.shape}], axis ${axis}) has no answer`);
  }
  const out = emptyTensor(shape, arg ? "int32" : "float32");
  if (outer * inner === 0) return out;
  const { pool } = runtime();
  const kind: ReduceKind = op === "mean" ? "sum" : op;
  const source = { values: bufferOf(x), indices: null, int: x.dtype !== "float32" };
  const values = arg ? pool.acquire(4 * outer * inner) : bufferOf(out);
  const sink = { values, indices: arg ? bufferOf(out) : null };
  const lim = bindingElements(options.maxBindingBytes);
  pass(kind, source, sink, [outer, R, inner], op === "mean" ? R : 1, lim);
  if (arg) pool.release(values);
  return out;
}

interface Source {
  values: GPUBuffer;
  /** Partial indices (arg kinds' combine passes). */
  indices: GPUBuffer | null;
  /** Whether values are int32/bool. */
  int: boolean;
}

interface Sink {
  values: GPUBuffer;
  indices: GPUBuffer | null;
}

/** One dispatch's share: outputs o ∈ [o0, o0+no), j ∈ [j0, j0+nj), reading r ∈ [r0, r0+rlen). */
interface Window {
  o0: number;
  no: number;
  r0: number;
  rlen: number;
  j0: number;
  nj: number;
  accumulate: boolean;
  last: boolean;
}

/** Records the reduction of `src` ([outer, R, inner]) into `dst`, splitting and recursing if needed. */
function pass(kind: ReduceKind, src: Source, dst: Sink, dims: number[], div: number, lim: number): void {
  const [outer, R, inner] = dims as [number, number, number];
  let S = splitCount(outer * inner, R);
  if (S > 1) S = Math.max(1, Math.min(S, Math.floor((lim - ALIGN) / inner)));
  const arg = kind === "argmax" || kind === "argmin";
  const { pool, recorder } = runtime();
  const bytes = 4 * outer * S * inner;
  const target = S === 1 ? dst : { values: pool.acquire(bytes), indices: arg ? pool.acquire(bytes) : null };
  const code = reduceWgsl(kind, src.int ? "i32" : "f32", src.indices !== null);
  for (const w of windows(outer, R, inner, lim)) {
    const xStart = (w.o0 * R + w.r0) * inner + w.j0;
    const xEnd = w.rlen === 0 ? xStart : ((w.o0 + w.no - 1) * R + w.r0 + w.rlen - 1) * inner + w.j0 + w.nj;
    const oStart = w.o0 * S * inner + w.j0;
    const oEnd = ((w.o0 + w.no) * S - 1) * inner + w.j0 + w.nj;
    const x = windowBinding(src.values, xStart, xEnd);
    const o = windowBinding(target.values, oStart, oEnd);
    const buffers = [x.binding];
    if (src.indices) buffers.push(windowBinding(src.indices, xStart, xEnd).binding);
    buffers.push(o.binding);
    if (target.indices) buffers.push(windowBinding(target.indices, oStart, oEnd).binding);
    const n = w.no * S * w.nj;
    const d = S === 1 && w.last ? div : 1;
    const params = [n, R, inner, S, w.o0, w.r0, w.rlen, x.base, o.base, w.j0, w.nj, +w.accumulate];
    recorder.dispatch(code, grid1d(n), [...params, f32(d), f32(IDENTITY[kind])], buffers);
  }
  if (S === 1) return;
  pass(
    kind,
    { values: target.values, indices: target.indices, int: false },
    dst,
    [outer, S, inner],
    div,
    lim,
  );
  pool.release(target.values);
  if (target.indices) pool.release(target.indices);
}

/** Partials per output: 1 when there are enough outputs or R is short, else chunks of ≥ MIN_CHUNK. */
function splitCount(lanes: number, R: number): number {
  if (lanes >= MIN_LANES || R < 2 * MIN_CHUNK) return 1;
  return Math.min(Math.floor(R / MIN_CHUNK), Math.ceil(TARGET_LANES / lanes));
}

/** The dispatches that cover [outer, R, inner] with input windows of at most `lim` elements. */
function* windows(outer: number, R: number, inner: number, lim: number): Generator<Window> {
  const room = lim - ALIGN; // a window's start is rounded down by up to ALIGN - 1 elements
  const slice = R * inner;
  if (outer * slice <= lim || slice <= room) {
    const per = outer * slice <= lim ? outer : Math.floor(room / slice);
    for (let o0 = 0; o0 < outer; o0 += per) {
      yield {
        o0,
        no: Math.min(per, outer - o0),
        r0: 0,
        rlen: R,
        j0: 0,
        nj: inner,
        accumulate: false,
        last: true,
      };
    }
    return;
  }
  const rows = inner <= room ? Math.floor(room / inner) : 1;
  const cols = Math.min(inner, room);
  for (let o = 0; o < outer; o++) {
    for (let j0 = 0; j0 < inner; j0 += cols) {
      for (let r0 = 0; r0 < R; r0 += rows) {
        const rlen = Math.min(rows, R - r0);
        const nj = Math.min(cols, inner - j0);
        yield { o0: o, no: 1, r0, rlen, j0, nj, accumulate: r0 > 0, last: r0 + rlen === R };
      }
    }
  }
}

/** [outer, R, inner] of `shape` around `axis`, and the output shape. */
function reducedView(shape: readonly number[], axis: number | null, keepDims: boolean) {
  if (axis === null) {
    return { outer: 1, R: sizeOf(shape), inner: 1, shape: keepDims ? shape.map(() => 1) : [] };
  }
  const a = axis < 0 ? axis + shape.length : axis;
  if (!Number.isInteger(a) || a < 0 || a >= shape.length) {
    throw new RangeError(`axis ${axis} is out of range for a tensor of shape [${shape}]`);
  }
  const out = keepDims ? shape.map((d, k) => (k === a ? 1 : d)) : shape.filter((_, k) => k !== a);
  return { outer: sizeOf(shape.slice(0, a)), R: shape[a]!, inner: sizeOf(shape.slice(a + 1)), shape: out };
}

/**
 * TypeScript reference of `reduce` on a row-major array of `shape` (float64 accumulation, then rounded to
 * float32).
 *
 * @example
 * ```ts
 * import { reduceReference } from "./reduce.ts";
 * const { values, shape } = reduceReference("argmin", [3, 1, 1, 2], [2, 2], 1);
 * console.log(values, shape); // Int32Array [1, 0] [2]
 * ```
 */
export function reduceReference(
  op: ReduceOp,
  x: ArrayLike<number>,
  shape: number[],
  axis: number | null = null,
  keepDims = false,
): { values: Float32Array | Int32Array; shape: number[] } {
  const { outer, R, inner, shape: outShape } = reducedView(shape, axis, keepDims);
  const arg = op === "argmax" || op === "argmin";
  const values = arg ? new Int32Array(outer * inner) : new Float32Array(outer * inner);
  const wins = (v: number, b: number) =>
    !Number.isNaN(b) && (Number.isNaN(v) || (op === "max" || op === "argmax" ? v > b : v < b));
  for (let o = 0; o < outer; o++) {
    for (let j = 0; j < inner; j++) {
      let acc = op === "sum" || op === "mean" ? 0 : op === "max" || op === "argmax" ? -Infinity : Infinity;
      let best = -1;
      for (let r = 0; r < R; r++) {
        const v = x[(o * R + r) * inner + j]!;
        if (op === "sum" || op === "mean") acc += v;
        else if (wins(v, acc) || (best < 0 && (v === acc || Number.isNaN(v)))) [acc, best] = [v, r];
      }
      values[o * inner + j] = arg ? best : op === "mean" ? acc / R : acc;
    }
  }
  return { values, shape: outShape };
}
