/**
 * deepcore: coreset selection for deep learning, on Deno, with every heavy computation in WGSL compute
 * shaders dispatched through WebGPU.
 *
 * ```ts
 * import { matmul, readAll, ready, upload } from "./mod.ts";
 * await ready(); // acquires the GPU and registers the "deepcore" tfjs-core backend
 * const a = upload(new Float32Array([1, 2, 3, 4]), [2, 2]);
 * const [c] = await readAll([matmul(a, a)]);
 * console.log(c); // Float32Array [7, 10, 15, 22]
 * ```
 *
 * @module
 */

export { VERSION } from "./version.ts";
export { type Gpu, gpu, GpuUnavailableError } from "./kernels/runtime/device.ts";
export { ready, type Runtime, runtime } from "./kernels/runtime/runtime.ts";
export { BACKEND_NAME, DeepcoreBackend, type GpuDType } from "./kernels/runtime/backend.ts";
export { emptyTensor, type GpuArray, readAll, upload } from "./kernels/runtime/tensor.ts";
export { f32, i32, type Param } from "./kernels/runtime/recorder.ts";
export { binary, type BinaryOp, broadcastShape, unary, type UnaryOp } from "./kernels/elementwise.ts";
export { matmul, type MatmulOptions, pairwise, type PairwiseOptions } from "./kernels/matmul.ts";
export type { Matrix, SelectionInput, SelectionOptions, SelectionResult } from "./selectors/types.ts";
