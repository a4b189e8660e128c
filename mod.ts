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
export { f32, i32, type Param as KernelParam } from "./kernels/runtime/recorder.ts";
export { binary, type BinaryOp, broadcastShape, unary, type UnaryOp } from "./kernels/elementwise.ts";
// GPU runtime and kernels
export { matmul, type MatmulOptions, pairwise, type PairwiseOptions } from "./kernels/matmul.ts";
export { reduce, type ReduceOp, type ReduceOptions } from "./kernels/reduce.ts";
export { crossEntropy, crossEntropyBackward, logSoftmax, softmax } from "./kernels/softmax.ts";
export { gather, gatherRows, scatterAddRows, scatterRows } from "./kernels/gather.ts";
export { argsort, sort, type SortOptions, topk, type TopkOptions } from "./kernels/sort.ts";
export {
  type NormalOptions,
  randomBits,
  randomNormal,
  type RandomOptions,
  randomPermutation,
  randomUniform,
} from "./kernels/rng.ts";
export { farthestFirst, type FarthestOptions, herding as herdingOnGpu } from "./kernels/greedy.ts";
export { type UncertaintyKind, uncertaintyScores } from "./kernels/scores.ts";

// Selection
export type {
  Matrix,
  SelectionInput,
  SelectionOptions,
  SelectionResult,
  Selector,
} from "./selectors/types.ts";
export { budgetFromOptions, classBudgets, roundHalfEven } from "./selectors/budget.ts";
export { findMethod, type MethodInfo, METHODS } from "./selectors/registry.ts";
export { uniform } from "./selectors/uniform.ts";
export { full } from "./selectors/full.ts";
export { kCenterGreedy } from "./selectors/k_center_greedy.ts";
export { contextualDiversity, type ContextualDiversityOptions } from "./selectors/contextual_diversity.ts";
export { herding } from "./selectors/herding.ts";
export { entropy, type EntropyOptions, leastConfidence, margin } from "./selectors/uncertainty.ts";
export { type SelectFilesResult, type SelectFilesSpec, selectFromFiles } from "./selectors/files.ts";

// Datasets
export * from "./datasets/mod.ts";
export {
  type AugmentDraw,
  augmentDraw,
  type AugmentOptions,
  type BatchShape,
  prepareBatch,
  prepareBatchReference,
  type PrepareOptions,
} from "./kernels/augment.ts";

// Files
export * from "./datasets/formats/mod.ts";
export { writeFileAtomic } from "./io/atomic_write.ts";
export { decodeSafetensors, encodeSafetensors, type NamedArray } from "./io/safetensors.ts";

// Models and training
export type { ModelSpec } from "./models/spec.ts";
export { Classifier, type ForwardResult } from "./models/classifier.ts";
export { createModel, type ModelInfo, MODELS } from "./models/registry.ts";
export { loadModel, saveModel } from "./models/checkpoint.ts";
export type { Buffer, Layer, Mode, Param } from "./models/layers/layer.ts";
export type { LabeledImages } from "./training/data.ts";
export { Optimizer, type OptimizerOptions, type OptimizerState } from "./training/optimizer.ts";
export { annealedLr, cosineLr, stepLr } from "./training/schedule.ts";
export { type EpochOptions, type EpochStats, evaluate, trainEpoch } from "./training/train.ts";

// Experiments
export { type ExperimentConfig, parseExperimentArgs } from "./experiment/options.ts";
export { runExperiments, type RunOptions } from "./experiment/pipeline.ts";
export * from "./experiment/results.ts";
export { resultsCsv, resultsMarkdown, writeReport } from "./experiment/report.ts";
export { accuracyPlot } from "./experiment/plot_svg.ts";
