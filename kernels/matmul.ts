/**
 * Matrix multiply (batched, with transposes) and pairwise distances / cosine similarities, each beside the
 * plain TypeScript reference its test compares against. The WGSL and the choice of tiling are explained in
 * `matmul_wgsl.ts`.
 *
 * @module
 */

import type * as tf from "npm:@tensorflow/tfjs-core@4.22.0";
import { blockOf, type MatmulLayout, type MatmulVariant, matmulWgsl, WG } from "./matmul_wgsl.ts";
import { runtime } from "./runtime/runtime.ts";
import { bufferOf, emptyTensor } from "./runtime/tensor.ts";
import { ALIGN, allFit, bindingElements, windowBinding } from "./runtime/window.ts";

/** Options of `matmul`. */
export interface MatmulOptions {
  /** Use Aᵀ: `a` is stored [batch?, K, M]. */
  transposeA?: boolean;
  /** Use Bᵀ: `b` is stored [batch?, N, K]. */
  transposeB?: boolean;
  /** Largest binding in bytes (default: the device's); lowered by tests to exercise tiling. */
  maxBindingBytes?: number;
}

/**
 * C = op(A) · op(B) for rank-2 or batched rank-3 tensors; a batch of 1 broadcasts.
 *
 * @example
 * ```ts
 * import { ready } from "./runtime/runtime.ts";
 * import { readAll, upload } from "./runtime/tensor.ts";
 * import { matmul } from "./matmul.ts";
 * await ready();
 * const a = upload(new Float32Array([1, 2, 3, 4]), [2, 2]);
 * const c = matmul(a, a, { transposeB: true });
 * console.log((await readAll([c]))[0]); // Float32Array [5, 11, 11, 25]
 * ```
 */
export function matmul(a: tf.Tensor, b: tf.Tensor, options: MatmulOptions = {}): tf.Tensor {
  const { transposeA = false, transposeB = false } = options;
  if (a.rank < 2 || a.rank > 3 || b.rank < 2 || b.rank > 3) {
    throw new RangeError(`matmul takes rank-2 or rank-3 tensors, got [${a.shape}] and [${b.shape}]`);
  }
  const [batchA, rA, cA] = a.rank === 3 ? a.shape : [1, ...a.shape];
  const [batchB, rB, cB] = b.rank === 3 ? b.shape : [1, ...b.shape];
  const [M, K] = transposeA ? [cA!, rA!] : [rA!, cA!];
  const [K2, N] = transposeB ? [cB!, rB!] : [rB!, cB!];
  if (K !== K2) {
    throw new RangeError(
      `matmul: inner dimensions differ: [${a.shape}]${transposeA ? "ᵀ" : ""} · [${b.shape}]${
        transposeB ? "ᵀ" : ""
      }`,
    );
  }
  if (batchA !== batchB && batchA !== 1 && batchB !== 1) {
    throw new RangeError(`matmul: batch sizes ${batchA} and ${batchB} do not broadcast`);
  }
  const batch = Math.max(batchA!, batchB!);
  const c = emptyTensor(a.rank === 3 || b.rank === 3 ? [batch, M!, N!] : [M!, N!]);
  const layout: MatmulLayout = !transposeB && N! % 4 === 0
    ? "vec4n"
    : !transposeA && transposeB && K % 4 === 0
    ? "vec4k"
    : "scalar";
  record(
    { layout, transA: transposeA, transB: transposeB, epilogue: "none" },
    { M: M!, N: N!, K: K!, batch, strideA: batchA === 1 ? 0 : M! * K, strideB: batchB === 1 ? 0 : K * N! },
    [bufferOf(a), bufferOf(b), bufferOf(c)],
    options.maxBindingBytes,
  );
  return c;
}

/** Options of `pairwise`. */
export interface PairwiseOptions {
  /** "sqeuclidean": ‖x_i − y_j‖² (default); "cosine": x_i·y_j / (‖x_i‖‖y_j‖), 0 for a zero vector. */
  metric?: "sqeuclidean" | "cosine";
  /** Compute only rows [start, start + count) of the result: one tile of a matrix too big to hold. */
  rows?: { start: number; count: number };
  /** Largest binding in bytes (default: the device's); lowered by tests to exercise tiling. */
  maxBindingBytes?: number;
}

/**
 * Pairwise squared euclidean distances (or cosine similarities) between the rows of `x` [N, D] and `y`
 * [M, D]: an [N, M] tensor, or the [count, M] tile given by `rows`.
 *
 * @example
 * ```ts
 * import { ready } from "./runtime/runtime.ts";
 * import { readAll, upload } from "./runtime/tensor.ts";
 * import { pairwise } from "./matmul.ts";
 * await ready();
 * const x = upload(new Float32Array([0, 0, 3, 4]), [2, 2]);
 * console.log((await readAll([pairwise(x, x)]))[0]); // Float32Array [0, 25, 25, 0]
 * ```
 */
export function pairwise(x: tf.Tensor, y: tf.Tensor, options: PairwiseOptions = {}): tf.Tensor {
  const { variant, dims } = pairwisePlan(x, y, options);
  const c = emptyTensor([dims.M, dims.N]);
  record(variant, dims, [bufferOf(x), bufferOf(y), bufferOf(c)], options.maxBindingBytes);
  return c;
}

/**
 * `pairwise` written into rows of an existing buffer instead of a new tensor: result row r at element
 * `offset + r·stride` of `buffer` (x, y and the buffer must each fit one binding). Fills a block of a
 * larger matrix without a copy.
 *
 * @example
 * ```ts
 * import { ready, runtime } from "./runtime/runtime.ts";
 * import { bufferOf, emptyTensor, readAll, upload } from "./runtime/tensor.ts";
 * import { pairwiseInto } from "./matmul.ts";
 * await ready();
 * const x = upload(new Float32Array([0, 0, 3, 4]), [2, 2]);
 * const out = emptyTensor([2, 3]);
 * runtime().recorder.clear(bufferOf(out));
 * pairwiseInto(x, x, { buffer: bufferOf(out), offset: 1, stride: 3 });
 * console.log((await readAll([out]))[0]); // Float32Array [0, 0, 25, 0, 25, 0]
 * ```
 */
export function pairwiseInto(
  x: tf.Tensor,
  y: tf.Tensor,
  into: { buffer: GPUBuffer; offset: number; stride: number },
  options: Omit<PairwiseOptions, "maxBindingBytes"> = {},
): void {
  const { variant, dims } = pairwisePlan(x, y, options);
  const buffers = [bufferOf(x), bufferOf(y), into.buffer];
  if (into.stride < dims.N || !allFit(buffers, bindingElements())) {
    throw new RangeError(`pairwiseInto: needs a row stride ≥ ${dims.N} and every operand within one binding`);
  }
  record(variant, { ...dims, offC: into.offset, ldc: into.stride }, buffers);
}

function pairwisePlan(x: tf.Tensor, y: tf.Tensor, options: PairwiseOptions) {
  if (x.rank !== 2 || y.rank !== 2 || x.shape[1] !== y.shape[1]) {
    throw new RangeError(`pairwise takes [N, D] and [M, D] tensors, got [${x.shape}] and [${y.shape}]`);
  }
  const [n, d] = x.shape as [number, number];
  const m = y.shape[0]!;
  const { start = 0, count = n - start } = options.rows ?? {};
  if (start < 0 || count < 0 || start + count > n) {
    throw new RangeError(`pairwise: rows [${start}, ${start + count}) are outside 0..${n}`);
  }
  const epilogue = options.metric === "cosine" ? "cosine" : "sqdist";
  const variant: MatmulVariant = {
    layout: d % 4 === 0 ? "vec4k" : "scalar",
    transA: false,
    transB: true,
    epilogue,
  };
  const dims: Dims = { M: count, N: m, K: d, batch: 1, strideA: 0, strideB: 0, rowOffset: start };
  return { variant, dims };
}

interface Dims {
  M: number;
  N: number;
  K: number;
  batch: number;
  strideA: number;
  strideB: number;
  /** First row of A to use (pairwise tiles). */
  rowOffset?: number;
  /** Where C starts and its row stride, in elements (default 0 and N; only when every operand fits). */
  offC?: number;
  ldc?: number;
}

/**
 * Records the dispatches of one product. When a buffer exceeds one binding, the rows of A and C are
 * processed in chunks (batch item by batch item), each bound as a window (`window.ts`) with the rest of the
 * offset passed as a parameter; B must fit in one binding.
 */
function record(v: MatmulVariant, dims: Dims, [A, B, C]: GPUBuffer[], maxBinding?: number): void {
  const rt = runtime();
  const limit = bindingElements(maxBinding);
  const { M, N, K, batch, strideA, strideB, rowOffset = 0, offC = 0 } = dims;
  const code = matmulWgsl(v);
  const { tm, tn } = blockOf(v.layout);
  const ldc = (dims.ldc ?? N) / (v.layout === "vec4n" ? 4 : 1);
  if (allFit([A!, B!, C!], limit)) {
    const grid = [Math.ceil(N / (tn * WG)), Math.ceil(M / (tm * WG)), batch] as const;
    rt.recorder.dispatch(code, grid, [M, N, K, strideA, strideB, rowOffset * K, 0, offC, ldc], [A!, B!, C!]);
    return;
  }
  if (v.transA) throw new RangeError(`matmul: Aᵀ of ${4 * M * K} bytes exceeds one binding (${4 * limit})`);
  const chunk = Math.floor((limit - 2 * ALIGN) / Math.max(K, N));
  if (chunk < 1 || K * N > limit) {
    throw new RangeError(`matmul: operand B of ${4 * K * N} bytes exceeds one binding (${4 * limit})`);
  }
  for (let z = 0; z < batch; z++) {
    const b = windowBinding(B!, z * strideB, z * strideB + K * N);
    for (let m0 = 0; m0 < M; m0 += chunk) {
      const rows = Math.min(chunk, M - m0);
      const aStart = z * strideA + (rowOffset + m0) * K, cStart = z * M * N + m0 * N;
      const a = windowBinding(A!, aStart, aStart + rows * K);
      const c = windowBinding(C!, cStart, cStart + rows * N);
      const grid = [Math.ceil(N / (tn * WG)), Math.ceil(rows / (tm * WG)), 1] as const;
      rt.recorder.dispatch(
        code,
        grid,
        [rows, N, K, 0, 0, aStart - a.base, z * strideB - b.base, cStart - c.base, ldc],
        [a.binding, b.binding, c.binding],
      );
    }
  }
}

/** TypeScript reference of `matmul` on row-major arrays (float64 accumulation). */
export function matmulReference(
  a: Float32Array,
  b: Float32Array,
  M: number,
  N: number,
  K: number,
  opts: { transposeA?: boolean; transposeB?: boolean; batch?: number; batchA?: number; batchB?: number } = {},
): Float32Array {
  const { transposeA = false, transposeB = false, batch = 1 } = opts;
  const { batchA = batch, batchB = batch } = opts;
  const c = new Float32Array(batch * M * N);
  for (let z = 0; z < batch; z++) {
    const ao = batchA === 1 ? 0 : z * M * K, bo = batchB === 1 ? 0 : z * K * N;
    for (let i = 0; i < M; i++) {
      for (let j = 0; j < N; j++) {
        let s = 0;
        for (let k = 0; k < K; k++) {
          s += a[ao + (transposeA ? k * M + i : i * K + k)]! * b[bo + (transposeB ? j * K + k : k * N + j)]!;
        }
        c[z * M * N + i * N + j] = s;
      }
    }
  }
  return c;
}

/** TypeScript reference of `pairwise` (float64 accumulation). */
export function pairwiseReference(
  x: Float32Array,
  y: Float32Array,
  d: number,
  metric: "sqeuclidean" | "cosine" = "sqeuclidean",
): Float32Array {
  const n = x.length / d, m = y.length / d;
  const out = new Float32Array(n * m);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < m; j++) {
      let dot = 0, nx = 0, ny = 0, sq = 0;
      for (let k = 0; k < d; k++) {
        const a = x[i * d + k]!, b = y[j * d + k]!;
        dot += a * b;
        nx += a * a;
        ny += b * b;
        sq += (a - b) ** 2;
      }
      out[i * m + j] = metric === "cosine" ? dot / Math.max(Math.sqrt(nx * ny), 1e-12) : sq;
    }
  }
  return out;
}
