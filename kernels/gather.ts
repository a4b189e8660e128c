/**
 * Gathering and scattering along an axis: `gather`/`gatherRows` pick slices by index, `scatterRows` and
 * `scatterAddRows` write rows into a copy of a target — deterministically, duplicates included (see
 * `gather_wgsl.ts`). Each beside the plain TypeScript reference its test compares against. Any dtype is
 * moved bit for bit; indices are an int32 tensor or an Int32Array.
 *
 * @module
 */

import type * as tf from "npm:@tensorflow/tfjs-core@4.22.0";
import { bitonicStepWgsl, gatherWgsl, scatterApplyWgsl, scatterKeysWgsl } from "./gather_wgsl.ts";
import { grid1d } from "./prelude_wgsl.ts";
import { runtime } from "./runtime/runtime.ts";
import { bufferOf, emptyTensor, sizeOf, upload } from "./runtime/tensor.ts";
import { ALIGN, bindingElements, windowBinding } from "./runtime/window.ts";

/** Options of the gather/scatter kernels. */
export interface GatherOptions {
  /** Bytes one storage binding may hold, below the device's limit (to test the windowed path). */
  maxBindingBytes?: number;
}

/** Indices: an int32 tensor (any shape, for `gather`; 1-D for the row functions) or an Int32Array. */
export type Indices = tf.Tensor | Int32Array;

/**
 * `x` indexed along `axis` by `indices`: shape `x.shape[:axis] ++ indices.shape ++ x.shape[axis+1:]`, as in
 * `tf.gather`. An index outside [0, x.shape[axis]) — negative ones included — gives zeros, never an
 * out-of-bounds read.
 *
 * @example
 * ```ts
 * import { ready } from "./runtime/runtime.ts";
 * import { readAll, upload } from "./runtime/tensor.ts";
 * import { gather } from "./gather.ts";
 * await ready();
 * const x = upload(new Float32Array([1, 2, 3, 4, 5, 6]), [2, 3]);
 * const [cols] = await readAll([gather(x, new Int32Array([2, 0, 7]), 1)]);
 * console.log(cols); // Float32Array [3, 1, 0, 6, 4, 0]
 * ```
 */
export function gather(x: tf.Tensor, indices: Indices, axis = 0, options: GatherOptions = {}): tf.Tensor {
  const a = axis < 0 ? axis + x.rank : axis;
  if (!Number.isInteger(a) || a < 0 || a >= x.rank) {
    throw new RangeError(`gather: axis ${axis} is out of range for a tensor of shape [${x.shape}]`);
  }
  const idx = indexTensor("gather", indices);
  const shape = [...x.shape.slice(0, a), ...idx.shape, ...x.shape.slice(a + 1)];
  const out = emptyTensor(shape, x.dtype as "float32");
  const [A, K, inner] = [x.shape[a]!, idx.size, sizeOf(x.shape.slice(a + 1))];
  const lim = bindingElements(options.maxBindingBytes);
  if (K > lim) throw new RangeError(`gather: ${K} indices exceed one storage binding (${lim})`);
  const { recorder } = runtime();
  const ix = windowBinding(bufferOf(idx), 0, K);
  for (const [u0, u1] of spans(out.size, lim)) {
    const ys = windowBinding(bufferOf(out), u0, u1);
    for (const [w0, w1] of spans(Math.max(x.size, 1), lim)) {
      const xs = windowBinding(bufferOf(x), w0, Math.min(w1, x.size));
      const params = [u1 - u0, u0, A, K, inner, w0, w1, +(w0 === 0)];
      recorder.dispatch(gatherWgsl(), grid1d(u1 - u0), params, [xs.binding, ix.binding, ys.binding]);
    }
  }
  if (idx !== indices) idx.dispose();
  return out;
}

/**
 * Rows of `x` [N, ...] picked by `indices` [K] → [K, ...]; an index outside [0, N) gives a row of zeros.
 *
 * @example
 * ```ts
 * import { ready } from "./runtime/runtime.ts";
 * import { readAll, upload } from "./runtime/tensor.ts";
 * import { gatherRows } from "./gather.ts";
 * await ready();
 * const x = upload(new Int32Array([1, 2, 3, 4, 5, 6]), [3, 2]);
 * const [rows] = await readAll([gatherRows(x, new Int32Array([2, 2, -1]))]);
 * console.log(rows); // Int32Array [5, 6, 5, 6, 0, 0]
 * ```
 */
export function gatherRows(x: tf.Tensor, indices: Indices, options: GatherOptions = {}): tf.Tensor {
  if (x.rank === 0) throw new RangeError("gatherRows: x is a scalar and has no rows");
  return gather(x, indices, 0, options);
}

/**
 * A copy of `target` [N, ...] with row `indices[k]` replaced by `values[k]` for every k. When an index
 * repeats, the last occurrence (largest k) wins — deterministically. Indices outside [0, N) are ignored.
 *
 * @example
 * ```ts
 * import { ready } from "./runtime/runtime.ts";
 * import { readAll, upload } from "./runtime/tensor.ts";
 * import { scatterRows } from "./gather.ts";
 * await ready();
 * const target = upload(new Float32Array([0, 0, 0]), [3]);
 * const [y] = await readAll([scatterRows(target, new Int32Array([2, 0, 2]), upload(new Float32Array([7, 8, 9]), [3]))]);
 * console.log(y); // Float32Array [8, 0, 9]
 * ```
 */
export function scatterRows(
  target: tf.Tensor,
  indices: Indices,
  values: tf.Tensor,
  options: GatherOptions = {},
): tf.Tensor {
  return scatter("scatterRows", target, indices, values, 0, options);
}

/**
 * A copy of `target` [N, ...] (float32 or int32) with `values[k]` added to row `indices[k]` for every k.
 * Repeated indices accumulate in increasing k, one rounding per addition (float32), so the result is the
 * same on every run and adapter. Indices outside [0, N) are ignored.
 *
 * @example
 * ```ts
 * import { ready } from "./runtime/runtime.ts";
 * import { readAll, upload } from "./runtime/tensor.ts";
 * import { scatterAddRows } from "./gather.ts";
 * await ready();
 * const target = upload(new Float32Array([1, 1, 1]), [3]);
 * const [y] = await readAll([scatterAddRows(target, new Int32Array([2, 0, 2]), upload(new Float32Array([7, 8, 9]), [3]))]);
 * console.log(y); // Float32Array [9, 1, 17]
 * ```
 */
export function scatterAddRows(
  target: tf.Tensor,
  indices: Indices,
  values: tf.Tensor,
  options: GatherOptions = {},
): tf.Tensor {
  if (target.dtype !== "float32" && target.dtype !== "int32") {
    throw new TypeError(`scatterAddRows: adds float32 or int32 tensors, not ${target.dtype}`);
  }
  return scatter("scatterAddRows", target, indices, values, target.dtype === "float32" ? 1 : 2, options);
}

function scatter(
  name: string,
  target: tf.Tensor,
  indices: Indices,
  values: tf.Tensor,
  mode: number,
  options: GatherOptions,
): tf.Tensor {
  if (target.rank === 0) throw new RangeError(`${name}: target is a scalar and has no rows`);
  const idx = indexTensor(name, indices);
  const [N, K, D] = [target.shape[0]!, idx.size, sizeOf(target.shape.slice(1))];
  const want = [K, ...target.shape.slice(1)];
  if (idx.rank !== 1 || values.dtype !== target.dtype || values.shape.join() !== want.join()) {
    throw new RangeError(
      `${name}: for a ${target.dtype} target [${target.shape}] and ${K} indices, values must be ` +
        `${target.dtype} [${want}], got ${values.dtype} [${values.shape}] and indices [${idx.shape}]`,
    );
  }
  const out = emptyTensor(target.shape, target.dtype as "float32");
  const { pool, recorder } = runtime();
  recorder.copy(bufferOf(target), 0, bufferOf(out), 0, 4 * target.size);
  if (K > 0 && target.size > 0) {
    const lim = bindingElements(options.maxBindingBytes);
    const P = 2 ** Math.ceil(Math.log2(K));
    if (2 * P > lim) throw new RangeError(`${name}: ${K} indices exceed one storage binding`);
    const buffer = pool.acquire(8 * P);
    const keys = windowBinding(buffer, 0, 2 * P).binding;
    const ix = windowBinding(bufferOf(idx), 0, K).binding;
    recorder.dispatch(scatterKeysWgsl(), grid1d(P), [P, K, N], [ix, keys]);
    for (let k = 2; k <= P; k *= 2) {
      for (let j = k / 2; j >= 1; j /= 2) {
        recorder.dispatch(bitonicStepWgsl(), grid1d(P / 2), [P / 2, j, k], [keys]);
      }
    }
    for (const [u0, u1] of spans(out.size, lim)) {
      const ys = windowBinding(bufferOf(out), u0, u1);
      for (const [w0, w1] of spans(values.size, lim)) {
        const vs = windowBinding(bufferOf(values), w0, w1);
        const params = [u1 - u0, u0, D, P, w0, w1, mode];
        recorder.dispatch(scatterApplyWgsl(), grid1d(u1 - u0), params, [keys, vs.binding, ys.binding]);
      }
    }
    pool.release(buffer);
  }
  if (idx !== indices) idx.dispose();
  return out;
}

/** Consecutive [start, end) spans of [0, n) of at most `lim` elements, starting at multiples of ALIGN. */
function* spans(n: number, lim: number): Generator<[number, number]> {
  const step = Math.floor(lim / ALIGN) * ALIGN;
  for (let s = 0; s < n; s += step) yield [s, Math.min(n, s + step)];
}

function indexTensor(name: string, indices: Indices): tf.Tensor {
  if (indices instanceof Int32Array) return upload(indices, [indices.length]);
  if (indices.dtype !== "int32") throw new TypeError(`${name}: indices must be int32, got ${indices.dtype}`);
  return indices;
}

/**
 * TypeScript reference of `gather` on a row-major array of `shape`; returns the values and the shape.
 *
 * @example
 * ```ts
 * import { gatherReference } from "./gather.ts";
 * console.log(gatherReference(new Float32Array([1, 2, 3, 4]), [2, 2], [1, 5], 0)); // { values: Float32Array [3, 4, 0, 0], shape: [2, 2] }
 * ```
 */
export function gatherReference<T extends Float32Array | Int32Array>(
  x: T,
  shape: number[],
  indices: ArrayLike<number>,
  axis = 0,
): { values: T; shape: number[] } {
  const a = axis < 0 ? axis + shape.length : axis;
  const [outer, A, inner, K] = [
    sizeOf(shape.slice(0, a)),
    shape[a]!,
    sizeOf(shape.slice(a + 1)),
    indices.length,
  ];
  const values = new (x.constructor as new (n: number) => T)(outer * K * inner);
  for (let o = 0; o < outer; o++) {
    for (let k = 0; k < K; k++) {
      const i = indices[k]!;
      if (i < 0 || i >= A) continue;
      values.set(x.subarray((o * A + i) * inner, (o * A + i + 1) * inner), (o * K + k) * inner);
    }
  }
  return { values, shape: [...shape.slice(0, a), K, ...shape.slice(a + 1)] };
}

/**
 * TypeScript reference of `scatterRows` (`add` false) and `scatterAddRows` (`add` true, adding in
 * increasing k with float32 rounding, or int32 wrap-around, after each addition) on row-major arrays.
 *
 * @example
 * ```ts
 * import { scatterReference } from "./gather.ts";
 * console.log(scatterReference(new Float32Array(3), [3], [2, 2], new Float32Array([1, 2]), false)); // Float32Array [0, 0, 2]
 * ```
 */
export function scatterReference<T extends Float32Array | Int32Array>(
  target: T,
  shape: number[],
  indices: ArrayLike<number>,
  values: T,
  add: boolean,
): T {
  const out = target.slice() as T;
  const D = sizeOf(shape.slice(1));
  for (let k = 0; k < indices.length; k++) {
    const i = indices[k]!;
    if (i < 0 || i >= shape[0]!) continue;
    for (let c = 0; c < D; c++) {
      out[i * D + c] = add ? out[i * D + c]! + values[k * D + c]! : values[k * D + c]!;
    }
  }
  return out;
}
