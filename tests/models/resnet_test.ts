import assert from "node:assert/strict";
import { ready } from "../../kernels/runtime/runtime.ts";
import { Classifier } from "../../models/classifier.ts";
import { ActivationLayer } from "../../models/layers/activation.ts";
import { BatchNorm } from "../../models/layers/batchnorm.ts";
import { Conv2d } from "../../models/layers/conv2d.ts";
import { Flatten } from "../../models/layers/flatten.ts";
import { Linear } from "../../models/layers/linear.ts";
import { AdaptiveAvgPool2d } from "../../models/layers/pool.ts";
import { Residual } from "../../models/layers/residual.ts";
import { Sequential } from "../../models/layers/sequential.ts";
import { createModel } from "../../models/registry.ts";
import { randomArray } from "../kernels/util.ts";
import { gradCheck } from "./gradcheck.ts";

await ready();

function count(name: string, channels: number, size: number, numClasses: number): number {
  const model = createModel(name, { channels, imageSize: [size, size], numClasses, seed: 0 });
  const n = model.parameterCount;
  for (const s of model.state) s.value.dispose();
  return n;
}

Deno.test("ResNet parameter counts equal DeepCore's", () => {
  assert.equal(count("ResNet18", 1, 28, 10), 11172810);
  assert.equal(count("ResNet18", 3, 32, 10), 11173962);
  assert.equal(count("ResNet18", 3, 224, 1000), 11689512);
  assert.equal(count("ResNet34", 3, 32, 100), 21328292);
  assert.equal(count("ResNet50", 3, 32, 10), 23520842);
  assert.equal(count("ResNet50", 3, 224, 1000), 25557032);
});

Deno.test("ResNet refuses inputs it has no variant for", () => {
  assert.throws(
    () => createModel("ResNet18", { channels: 3, imageSize: [64, 64], numClasses: 10, seed: 0 }),
    /no variant/,
  );
});

// Tanh instead of ReLU: with batch norm over a few samples many pre-activations sit near 0, and finite
// differences across ReLU's kink are off by several percent for any usable step; ReLU's backward has its
// own test (tests/kernels/activation_test.ts), the composition is what this checks.
Deno.test("a tiny residual network with batch norm: gradients match finite differences", async () => {
  const i = (stream: number) => ({ seed: 3, stream });
  const block = new Residual(
    new Sequential([
      new Conv2d(
        "b.conv1",
        { inChannels: 3, outChannels: 4, kernel: 3, stride: 2, padding: 1, bias: false },
        i(2),
      ),
      new BatchNorm("b.bn1", 4),
      new ActivationLayer("tanh"),
      new Conv2d("b.conv2", { inChannels: 4, outChannels: 4, kernel: 3, padding: 1, bias: false }, i(4)),
      new BatchNorm("b.bn2", 4),
    ]),
    new Sequential([
      new Conv2d("b.sc", { inChannels: 3, outChannels: 4, kernel: 1, stride: 2, bias: false }, i(6)),
      new BatchNorm("b.scbn", 4),
    ]),
    "tanh",
  );
  const features = new Sequential([
    new Conv2d("stem", { inChannels: 2, outChannels: 3, kernel: 3, padding: 1, bias: false }, i(0)),
    new BatchNorm("stem.bn", 3),
    new ActivationLayer("tanh"),
    block,
    new AdaptiveAvgPool2d(1),
    new Flatten(),
  ]);
  const model = new Classifier("tiny", features, new Linear("fc", 4, 3, i(8)));
  await gradCheck(model, randomArray(4 * 2 * 36, 5), [4, 2, 6, 6], Int32Array.from([0, 1, 2, 1]), 3);
});
