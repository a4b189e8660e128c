/**
 * ResNet-18/34/50/101/152 (models.md §2.6). The small-image variant (1×28×28, 3×32×32): a 3×3 stem
 * without max-pool, four stages of basic or bottleneck blocks (widths 64–512, stride 2 from the second
 * stage), average pool 4 → [embedding, D = 512·expansion] → fc; PyTorch's default initialisation. The
 * 224×224 variant is torchvision's: 7×7 stride-2 stem, max-pool, the same stages, adaptive average pool,
 * kaiming-normal (fan-out) convolutions.
 *
 * @module
 */

import { Classifier } from "./classifier.ts";
import { ActivationLayer } from "./layers/activation.ts";
import { BatchNorm } from "./layers/batchnorm.ts";
import { Conv2d } from "./layers/conv2d.ts";
import { Flatten } from "./layers/flatten.ts";
import type { Layer } from "./layers/layer.ts";
import { Linear } from "./layers/linear.ts";
import { AdaptiveAvgPool2d, AvgPool2d, MaxPool2d } from "./layers/pool.ts";
import { Residual } from "./layers/residual.ts";
import { Sequential } from "./layers/sequential.ts";
import type { ModelSpec } from "./spec.ts";

/** Blocks per stage and block kind of each depth. */
export const RESNET_DEPTHS: Record<
  string,
  { blocks: [number, number, number, number]; bottleneck: boolean }
> = {
  ResNet18: { blocks: [2, 2, 2, 2], bottleneck: false },
  ResNet34: { blocks: [3, 4, 6, 3], bottleneck: false },
  ResNet50: { blocks: [3, 4, 6, 3], bottleneck: true },
  ResNet101: { blocks: [3, 4, 23, 3], bottleneck: true },
  ResNet152: { blocks: [3, 8, 36, 3], bottleneck: true },
};

/**
 * The ResNet called `name` for `spec`'s input.
 *
 * @example
 * ```ts
 * import { ready } from "../kernels/runtime/runtime.ts";
 * import { resnet } from "./resnet.ts";
 * await ready();
 * console.log(resnet("ResNet18", { channels: 3, imageSize: [32, 32], numClasses: 10, seed: 0 }).parameterCount); // 11173962
 * ```
 */
export function resnet(name: string, spec: ModelSpec): Classifier {
  const depth = RESNET_DEPTHS[name];
  if (!depth) throw new Error(`unknown ResNet '${name}' (valid: ${Object.keys(RESNET_DEPTHS).join(", ")})`);
  const large = spec.imageSize[0] === 224 && spec.imageSize[1] === 224;
  const small = (spec.channels === 1 && spec.imageSize.join() === "28,28") ||
    (spec.channels === 3 && spec.imageSize.join() === "32,32");
  if (!large && !small) {
    throw new RangeError(
      `${name}: no variant for ${spec.channels}×${
        spec.imageSize.join("×")
      } inputs (1×28×28, 3×32×32 or 224×224)`,
    );
  }
  let stream = 0;
  const init = () => ({ seed: spec.seed, stream: stream += 2 });
  const convInit = large ? "kaiming-fan-out" as const : "default" as const;
  const conv = (n: string, inC: number, outC: number, k: number, s: number, p: number) =>
    new Conv2d(n, {
      inChannels: inC,
      outChannels: outC,
      kernel: k,
      stride: s,
      padding: p,
      bias: false,
      init: convInit,
    }, init());
  const expansion = depth.bottleneck ? 4 : 1;

  const block = (n: string, inC: number, width: number, s: number): Layer => {
    const outC = width * expansion;
    const main = depth.bottleneck
      ? [
        conv(`${n}.conv1`, inC, width, 1, 1, 0),
        new BatchNorm(`${n}.bn1`, width),
        new ActivationLayer("relu"),
        conv(`${n}.conv2`, width, width, 3, s, 1),
        new BatchNorm(`${n}.bn2`, width),
        new ActivationLayer("relu"),
        conv(`${n}.conv3`, width, outC, 1, 1, 0),
        new BatchNorm(`${n}.bn3`, outC),
      ]
      : [
        conv(`${n}.conv1`, inC, width, 3, s, 1),
        new BatchNorm(`${n}.bn1`, width),
        new ActivationLayer("relu"),
        conv(`${n}.conv2`, width, width, 3, 1, 1),
        new BatchNorm(`${n}.bn2`, width),
      ];
    const shortcut = s !== 1 || inC !== outC
      ? new Sequential([conv(`${n}.shortcut.0`, inC, outC, 1, s, 0), new BatchNorm(`${n}.shortcut.1`, outC)])
      : null;
    return new Residual(new Sequential(main), shortcut);
  };

  const stem: Layer[] = large
    ? [
      conv("conv1", spec.channels, 64, 7, 2, 3),
      new BatchNorm("bn1", 64),
      new ActivationLayer("relu"),
      new MaxPool2d(3, 2, 1),
    ]
    : [conv("conv1", spec.channels, 64, 3, 1, 1), new BatchNorm("bn1", 64), new ActivationLayer("relu")];
  const layers: Layer[] = [...stem];
  let inC = 64;
  [64, 128, 256, 512].forEach((width, stage) => {
    for (let b = 0; b < depth.blocks[stage]!; b++) {
      layers.push(block(`layer${stage + 1}.${b}`, inC, width, b === 0 && stage > 0 ? 2 : 1));
      inC = width * expansion;
    }
  });
  layers.push(large ? new AdaptiveAvgPool2d(1) : new AvgPool2d(4), new Flatten());
  const head = new Linear(large ? "fc" : "linear", inC, spec.numClasses, init());
  return new Classifier(name, new Sequential(layers), head);
}
