/**
 * Between `tf.Tensor` and GPU buffers: the buffer behind a tensor, new tensors on our backend, uploads and
 * batched readbacks.
 *
 * @module
 */

import * as tf from "npm:@tensorflow/tfjs-core@4.22.0";
import type { GpuDType } from "./backend.ts";
import { runtime } from "./runtime.ts";

/** A typed array a deepcore tensor can be made from. */
export type GpuArray = Float32Array | Int32Array;

/**
 * The GPU buffer holding `t`'s values. A tensor made on another tfjs backend that reads synchronously (cpu,
 * webgl) is moved to ours first, the way tfjs-core moves data between backends.
 */
export function bufferOf(t: tf.TensorInfo): GPUBuffer {
  const { backend } = runtime();
  let data = backend.dataOf(t.dataId);
  if (!data) {
    tf.engine().moveData(backend, t.dataId);
    data = backend.dataOf(t.dataId);
    if (!data) throw new Error("could not move the tensor to the deepcore backend");
  }
  if (t.dtype === "complex64" || t.dtype === "string") {
    throw new TypeError(`deepcore kernels take float32, int32 or bool tensors, not ${t.dtype}`);
  }
  return data.buffer;
}

/** A new tensor on the deepcore backend whose buffer the caller's kernel will fill. */
export function emptyTensor<R extends tf.Rank = tf.Rank>(
  shape: number[],
  dtype: GpuDType = "float32",
): tf.Tensor<R> {
  const { backend, pool } = runtime();
  const bytes = 4 * shape.reduce((a, b) => a * b, 1);
  const dataId = backend.adopt(pool.acquire(bytes), bytes, dtype);
  return tf.engine().makeTensorFromDataId(dataId, shape, dtype, backend) as tf.Tensor<R>;
}

/**
 * Uploads `values` as a tensor of `shape` on the deepcore backend, whichever tfjs backend is active.
 *
 * @example
 * ```ts
 * import { ready } from "./runtime.ts";
 * import { readAll, upload } from "./tensor.ts";
 * await ready();
 * const t = upload(new Float32Array([1, 2, 3]), [3]);
 * const [values] = await readAll([t]);
 * console.log(values); // Float32Array [1, 2, 3]
 * t.dispose();
 * ```
 */
export function upload<R extends tf.Rank = tf.Rank>(
  values: GpuArray,
  shape: number[],
  dtype: GpuDType = values instanceof Float32Array ? "float32" : "int32",
): tf.Tensor<R> {
  const size = shape.reduce((a, b) => a * b, 1);
  if (values.length !== size) {
    throw new RangeError(`upload: ${values.length} values do not fill shape [${shape}] (${size} elements)`);
  }
  const { backend } = runtime();
  const dataId = backend.write(values, shape, dtype);
  return tf.engine().makeTensorFromDataId(dataId, shape, dtype, backend) as tf.Tensor<R>;
}

/** Reads several tensors back with one submit (one synchronisation instead of one per tensor). */
export async function readAll(tensors: tf.Tensor[]): Promise<GpuArray[]> {
  const { recorder } = runtime();
  const buffers = tensors.map(bufferOf);
  const bytes = await recorder.read(
    tensors.map((t, i) => ({ buffer: buffers[i]!, offset: 0, size: 4 * t.size })),
  );
  return bytes.map((b, i) => (tensors[i]!.dtype === "float32" ? new Float32Array(b) : new Int32Array(b)));
}

/** Number of elements of a shape. */
export function sizeOf(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

/**
 * Stacks tensors of equal trailing shape along the first axis — a buffer copy per input, no arithmetic
 * (used to gather per-batch outputs into one matrix).
 *
 * @example
 * ```ts
 * import { ready } from "./runtime.ts";
 * import { concatRows, readAll, upload } from "./tensor.ts";
 * await ready();
 * const c = concatRows([upload(new Float32Array([1, 2]), [1, 2]), upload(new Float32Array([3, 4]), [1, 2])]);
 * console.log(c.shape, (await readAll([c]))[0]); // [2, 2] Float32Array [1, 2, 3, 4]
 * ```
 */
export function concatRows(tensors: tf.Tensor[]): tf.Tensor {
  if (tensors.length === 0) throw new RangeError("concatRows: nothing to concatenate");
  const [first] = tensors;
  const tail = first!.shape.slice(1);
  for (const t of tensors) {
    if (t.shape.slice(1).join() !== tail.join() || t.dtype !== first!.dtype) {
      throw new RangeError(
        `concatRows: [${t.shape}] ${t.dtype} does not stack with [${first!.shape}] ${first!.dtype}`,
      );
    }
  }
  const rows = tensors.reduce((s, t) => s + t.shape[0]!, 0);
  const out = emptyTensor([rows, ...tail], first!.dtype as GpuDType);
  const { recorder } = runtime();
  let offset = 0;
  for (const t of tensors) {
    recorder.copy(bufferOf(t), 0, bufferOf(out), offset, 4 * t.size);
    offset += 4 * t.size;
  }
  return out;
}
