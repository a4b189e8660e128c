/**
 * A tfjs-core backend whose tensor data live in our GPU buffers. tfjs-core keeps the books (the `Tensor`
 * type, shapes, dtypes, `tidy`, `dispose`, `memory`); it does no arithmetic here: the only kernels this
 * backend registers with tfjs move no numbers (Reshape and Identity share the buffer). Every op is a
 * deepcore kernel.
 *
 * @module
 */

import * as tf from "npm:@tensorflow/tfjs-core@4.22.0";
import type { BufferPool } from "./buffer_pool.ts";
import type { Recorder } from "./recorder.ts";

/** The name this backend is registered under in tfjs-core. */
export const BACKEND_NAME = "deepcore";

/** Element types a deepcore tensor can hold; `bool` is stored as one i32 per element. */
export type GpuDType = "float32" | "int32" | "bool";

interface TensorData {
  buffer: GPUBuffer;
  /** Bytes holding data (4 per element); the buffer may be larger. */
  bytes: number;
  dtype: GpuDType;
  refCount: number;
}

/** See the module comment. */
export class DeepcoreBackend extends tf.KernelBackend {
  #device: GPUDevice;
  #pool: BufferPool;
  #recorder: Recorder;
  #data = new WeakMap<object, TensorData>();
  #count = 0;

  /** A backend on `device` whose buffers come from `pool`. */
  constructor(device: GPUDevice, pool: BufferPool, recorder: Recorder) {
    super();
    this.#device = device;
    this.#pool = pool;
    this.#recorder = recorder;
  }

  /** The GPU buffer and layout behind a dataId of this backend (undefined if not ours). */
  dataOf(dataId: object): { buffer: GPUBuffer; bytes: number; dtype: GpuDType } | undefined {
    return this.#data.get(dataId);
  }

  /** Registers a freshly written `buffer` as the data of a new dataId with one reference. */
  adopt(buffer: GPUBuffer, bytes: number, dtype: GpuDType): object {
    const dataId = {};
    this.#data.set(dataId, { buffer, bytes, dtype, refCount: 1 });
    this.#count++;
    return dataId;
  }

  override write(values: tf.backend_util.BackendValues, _shape: number[], dtype: tf.DataType): object {
    const typed = toGpuArray(values, dtype);
    const buffer = this.#pool.acquire(typed.byteLength);
    if (typed.byteLength > 0) this.#device.queue.writeBuffer(buffer, 0, typed as Float32Array<ArrayBuffer>);
    return this.adopt(buffer, typed.byteLength, dtype as GpuDType);
  }

  override move(
    dataId: object,
    values: tf.backend_util.BackendValues,
    _shape: number[],
    dtype: tf.DataType,
    refCount: number,
  ): void {
    const typed = toGpuArray(values, dtype);
    const buffer = this.#pool.acquire(typed.byteLength);
    if (typed.byteLength > 0) this.#device.queue.writeBuffer(buffer, 0, typed as Float32Array<ArrayBuffer>);
    this.#data.set(dataId, { buffer, bytes: typed.byteLength, dtype: dtype as GpuDType, refCount });
    this.#count++;
  }

  override async read(dataId: object): Promise<tf.backend_util.BackendValues> {
    const d = this.#need(dataId);
    const [bytes] = await this.#recorder.read([{ buffer: d.buffer, offset: 0, size: d.bytes }]);
    return fromGpuBytes(bytes!, d.dtype);
  }

  override readSync(_dataId: object): tf.backend_util.BackendValues {
    throw new Error(
      "deepcore tensors live on the GPU and WebGPU reads back asynchronously: use `await tensor.data()` " +
        "or `await tensor.array()` instead of dataSync()/arraySync()",
    );
  }

  override refCount(dataId: object): number {
    return this.#data.get(dataId)?.refCount ?? 0;
  }

  override incRef(dataId: object): void {
    this.#need(dataId).refCount++;
  }

  override disposeData(dataId: object, force = false): boolean {
    const d = this.#data.get(dataId);
    if (!d) return true;
    d.refCount = force ? 0 : d.refCount - 1;
    if (d.refCount > 0) return false;
    this.#pool.release(d.buffer);
    this.#data.delete(dataId);
    this.#count--;
    return true;
  }

  override numDataIds(): number {
    return this.#count;
  }

  override memory(): { unreliable: boolean; numBytesInGPU: number; numBytesInGPUFree: number } {
    return {
      unreliable: false,
      numBytesInGPU: this.#pool.usedBytes,
      numBytesInGPUFree: this.#pool.freeBytes,
    };
  }

  override floatPrecision(): 32 {
    return 32;
  }

  override epsilon(): number {
    return 1e-7;
  }

  override timerAvailable(): boolean {
    return false;
  }

  override async time(f: () => void): Promise<tf.BackendTimingInfo> {
    const start = performance.now();
    f();
    await this.#recorder.sync();
    return { kernelMs: performance.now() - start };
  }

  override dispose(): void {}

  #need(dataId: object): TensorData {
    const d = this.#data.get(dataId);
    if (!d) throw new Error("this tensor's data is not on the deepcore backend (was it disposed?)");
    return d;
  }
}

function toGpuArray(values: tf.backend_util.BackendValues, dtype: tf.DataType): Float32Array | Int32Array {
  if (dtype === "float32") {
    return values instanceof Float32Array ? values : Float32Array.from(values as never);
  }
  if (dtype === "int32" || dtype === "bool") {
    return values instanceof Int32Array ? values : Int32Array.from(values as ArrayLike<number>);
  }
  throw new TypeError(`deepcore tensors hold float32, int32 or bool values, not ${dtype}`);
}

function fromGpuBytes(bytes: ArrayBuffer, dtype: GpuDType): Float32Array | Int32Array | Uint8Array {
  if (dtype === "float32") return new Float32Array(bytes);
  if (dtype === "int32") return new Int32Array(bytes);
  return Uint8Array.from(new Int32Array(bytes));
}

/**
 * Registers the bookkeeping-only kernels tfjs-core needs for reshapes and clones on this backend.
 */
export function registerBookkeepingKernels(backend: DeepcoreBackend): void {
  if (tf.getKernel(tf.Reshape, BACKEND_NAME)) return;
  tf.registerKernel({
    kernelName: tf.Reshape,
    backendName: BACKEND_NAME,
    kernelFunc: ({ inputs, attrs }) => {
      const x = inputs.x as tf.TensorInfo;
      const shape = tf.util.inferFromImplicitShape(
        attrs!.shape as number[],
        tf.util.sizeFromShape(x.shape),
      );
      backend.incRef(x.dataId);
      return { dataId: x.dataId, shape, dtype: x.dtype };
    },
  });
  tf.registerKernel({
    kernelName: tf.Identity,
    backendName: BACKEND_NAME,
    kernelFunc: ({ inputs }) => {
      const x = inputs.x as tf.TensorInfo;
      backend.incRef(x.dataId);
      return { dataId: x.dataId, shape: x.shape, dtype: x.dtype };
    },
  });
}
