/**
 * MLP (models.md §2.1): flatten → Linear(→128) → ReLU → Linear(128→128) → ReLU → [embedding, D = 128] →
 * Linear(128→C). No batch norm, no dropout; any input size.
 *
 * @module
 */

import { Classifier } from "./classifier.ts";
import { ActivationLayer } from "./layers/activation.ts";
import { Flatten } from "./layers/flatten.ts";
import { Linear } from "./layers/linear.ts";
import { Sequential } from "./layers/sequential.ts";
import type { ModelSpec } from "./spec.ts";

/**
 * DeepCore's MLP for `spec`'s input.
 *
 * @example
 * ```ts
 * import { ready } from "../kernels/runtime/runtime.ts";
 * import { mlp } from "./mlp.ts";
 * await ready();
 * console.log(mlp({ channels: 1, imageSize: [28, 28], numClasses: 10, seed: 0 }).parameterCount); // 118282
 * ```
 */
export function mlp(spec: ModelSpec): Classifier {
  const inputs = spec.channels * spec.imageSize[0] * spec.imageSize[1];
  const features = new Sequential([
    new Flatten(),
    new Linear("fc1", inputs, 128, { seed: spec.seed, stream: 0 }),
    new ActivationLayer("relu"),
    new Linear("fc2", 128, 128, { seed: spec.seed, stream: 2 }),
    new ActivationLayer("relu"),
  ]);
  return new Classifier(
    "MLP",
    features,
    new Linear("fc3", 128, spec.numClasses, { seed: spec.seed, stream: 4 }),
  );
}
