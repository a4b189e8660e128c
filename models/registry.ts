/**
 * Every network by DeepCore's name (case-insensitive), with the input sizes it supports.
 *
 * @module
 */

import type { Classifier } from "./classifier.ts";
import { lenet } from "./lenet.ts";
import { mlp } from "./mlp.ts";
import { resnet, RESNET_DEPTHS } from "./resnet.ts";
import type { ModelSpec } from "./spec.ts";

/** A registered architecture. */
export interface ModelInfo {
  /** DeepCore's name. */
  name: string;
  /** Builds the network for a spec (throws for an unsupported input). */
  build: (spec: ModelSpec) => Classifier;
}

/** The architectures deepcore has. */
export const MODELS: readonly ModelInfo[] = [
  { name: "MLP", build: mlp },
  { name: "LeNet", build: lenet },
  ...Object.keys(RESNET_DEPTHS).map((name) => ({ name, build: (spec: ModelSpec) => resnet(name, spec) })),
];

/**
 * Builds the model called `name` (case-insensitive) for `spec`; unknown names list the valid ones.
 *
 * @example
 * ```ts
 * import { ready } from "../kernels/runtime/runtime.ts";
 * import { createModel } from "./registry.ts";
 * await ready();
 * console.log(createModel("mlp", { channels: 3, imageSize: [32, 32], numClasses: 10, seed: 0 }).name); // "MLP"
 * ```
 */
export function createModel(name: string, spec: ModelSpec): Classifier {
  const info = MODELS.find((m) => m.name.toLowerCase() === name.toLowerCase());
  if (!info) throw new Error(`unknown model '${name}' (valid: ${MODELS.map((m) => m.name).join(", ")})`);
  return info.build(spec);
}
