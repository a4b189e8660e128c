/**
 * Saving and loading a model's weights (parameters and batch-norm running statistics) as safetensors,
 * written atomically, with names like PyTorch's state dict keys.
 *
 * @module
 */

import { decodeSafetensors, encodeSafetensors, type NamedArray } from "../io/safetensors.ts";
import { writeFileAtomic } from "../io/atomic_write.ts";
import { readAll, upload } from "../kernels/runtime/tensor.ts";
import type { Classifier } from "./classifier.ts";

/** Every state tensor of `model`, read back in one submit. */
export async function modelState(model: Classifier): Promise<Record<string, NamedArray>> {
  const state = model.state;
  const values = await readAll(state.map((s) => s.value));
  return Object.fromEntries(state.map((s, i) => [s.name, { data: values[i]!, shape: s.value.shape }]));
}

/**
 * Replaces `model`'s weights by `tensors` (every name present, every shape equal); `file` names the
 * source in errors.
 */
export function loadModelState(model: Classifier, tensors: Record<string, NamedArray>, file: string): void {
  for (const s of model.state) {
    const t = tensors[s.name];
    if (!t) throw new Error(`${file}: no tensor '${s.name}' — is it a checkpoint of ${model.name}?`);
    if (t.shape.join() !== s.value.shape.join()) {
      throw new Error(`${file}: '${s.name}' has shape [${t.shape}], the model expects [${s.value.shape}]`);
    }
  }
  for (const s of model.state) {
    s.value.dispose();
    s.value = upload(tensors[s.name]!.data, tensors[s.name]!.shape);
  }
}

/**
 * Writes `model`'s weights to `path` (safetensors; atomically) with string `metadata`.
 *
 * @example
 * ```ts
 * import { ready } from "../kernels/runtime/runtime.ts";
 * import { createModel } from "./registry.ts";
 * import { loadModel, saveModel } from "./checkpoint.ts";
 * await ready();
 * const spec = { channels: 1, imageSize: [4, 4] as [number, number], numClasses: 2, seed: 0 };
 * const path = `${await Deno.makeTempDir()}/mlp.safetensors`;
 * await saveModel(createModel("MLP", spec), path);
 * const copy = createModel("MLP", { ...spec, seed: 1 });
 * await loadModel(copy, path); // now equal to the seed-0 model
 * ```
 */
export async function saveModel(
  model: Classifier,
  path: string,
  metadata: Record<string, string> = {},
): Promise<void> {
  await writeFileAtomic(path, encodeSafetensors(await modelState(model), { model: model.name, ...metadata }));
}

/** Loads weights written by `saveModel` into `model`; returns the file's metadata. */
export async function loadModel(model: Classifier, path: string): Promise<Record<string, string>> {
  const { tensors, metadata } = decodeSafetensors(await Deno.readFile(path), path);
  loadModelState(model, tensors, path);
  return metadata;
}
