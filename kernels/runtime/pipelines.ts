/**
 * Compiled compute pipelines, one per distinct shader text. Shader compilation on a software adapter takes
 * from milliseconds to tens of seconds, so every kernel variant is compiled once per process and reused.
 * Kernel "constants" (tile sizes, the op of an elementwise kernel) are baked into the shader text by its
 * generator, so the text is the whole key.
 *
 * @module
 */

/** A cache of compute pipelines keyed by WGSL source. */
export class PipelineCache {
  #device: GPUDevice;
  #pipelines = new Map<string, GPUComputePipeline>();

  /** Creates an empty cache for `device`. */
  constructor(device: GPUDevice) {
    this.#device = device;
  }

  /** The pipeline for `code` (entry point `main`), compiled on first request. */
  get(code: string, label = "deepcore"): GPUComputePipeline {
    let pipeline = this.#pipelines.get(code);
    if (!pipeline) {
      const module = this.#device.createShaderModule({ code, label });
      pipeline = this.#device.createComputePipeline({
        label,
        layout: "auto",
        compute: { module, entryPoint: "main" },
      });
      this.#pipelines.set(code, pipeline);
    }
    return pipeline;
  }

  /** Number of distinct pipelines compiled so far. */
  get size(): number {
    return this.#pipelines.size;
  }
}
