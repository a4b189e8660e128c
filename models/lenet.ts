/**
 * LeNet (models.md §2.2): conv(ch→6, 5×5, padding 2 for 1-channel input) → ReLU → max-pool 2 →
 * conv(6→16, 5×5) → ReLU → max-pool 2 → flatten → fc(→120) → ReLU → fc(120→84) → ReLU →
 * [embedding, D = 84] → fc(84→C).
 *
 * @module
 */

import { Classifier } from "./classifier.ts";
import { ActivationLayer } from "./layers/activation.ts";
import { Conv2d } from "./layers/conv2d.ts";
import { Flatten } from "./layers/flatten.ts";
import { Linear } from "./layers/linear.ts";
import { MaxPool2d } from "./layers/pool.ts";
import { Sequential } from "./layers/sequential.ts";
import type { ModelSpec } from "./spec.ts";

/**
 * DeepCore's LeNet for `spec`'s input (28×28×1, 32×32×3, 224×224×3, or any size that survives the
 * two 5×5 convolutions and pools).
 *
 * @example
 * ```ts
 * import { ready } from "../kernels/runtime/runtime.ts";
 * import { lenet } from "./lenet.ts";
 * await ready();
 * console.log(lenet({ channels: 1, imageSize: [28, 28], numClasses: 10, seed: 0 }).parameterCount); // 61706
 * ```
 */
export function lenet(spec: ModelSpec): Classifier {
  const padding = spec.channels === 1 ? 2 : 0;
  const after = (size: number) => Math.floor((Math.floor((size + 2 * padding - 4) / 2) - 4) / 2);
  const [h, w] = [after(spec.imageSize[0]), after(spec.imageSize[1])];
  if (h < 1 || w < 1) {
    throw new RangeError(
      `LeNet: a ${spec.imageSize.join("×")} input is too small for its two 5×5 convolutions`,
    );
  }
  const seed = spec.seed;
  const features = new Sequential([
    new Conv2d("conv1", { inChannels: spec.channels, outChannels: 6, kernel: 5, padding }, {
      seed,
      stream: 0,
    }),
    new ActivationLayer("relu"),
    new MaxPool2d(2),
    new Conv2d("conv2", { inChannels: 6, outChannels: 16, kernel: 5 }, { seed, stream: 2 }),
    new ActivationLayer("relu"),
    new MaxPool2d(2),
    new Flatten(),
    new Linear("fc1", 16 * h * w, 120, { seed, stream: 4 }),
    new ActivationLayer("relu"),
    new Linear("fc2", 120, 84, { seed, stream: 6 }),
    new ActivationLayer("relu"),
  ]);
  return new Classifier("LeNet", features, new Linear("fc3", 84, spec.numClasses, { seed, stream: 8 }));
}
