/**
 * Trains a network on the full MNIST training set (the embedded copy) with DeepCore's optimizer settings
 * — SGD, momentum 0.9, Nesterov, weight decay 5e-4, batch 128, per-iteration cosine annealing — and
 * prints the test accuracy after every epoch, ending with `test_accuracy: 0.xxxx`.
 *
 * ```sh
 * deno run -A bench/train_mnist.ts --model LeNet --epochs 3 --lr 0.01
 * ```
 *
 * @module
 */

import { parseArgs } from "node:util";
import { loadMnist } from "../datasets/mnist.ts";
import { ready } from "../kernels/runtime/runtime.ts";
import { createModel } from "../models/registry.ts";
import { Optimizer } from "../training/optimizer.ts";
import { annealedLr } from "../training/schedule.ts";
import { evaluate, trainEpoch } from "../training/train.ts";

const { values } = parseArgs({
  args: Deno.args,
  options: {
    model: { type: "string", default: "LeNet" },
    epochs: { type: "string", default: "3" },
    lr: { type: "string", default: "0.01" },
    batch: { type: "string", default: "128" },
    seed: { type: "string", default: "0" },
    quiet: { type: "boolean", default: false },
  },
});
const [epochs, lr, batch, seed] = [
  Number(values.epochs),
  Number(values.lr),
  Number(values.batch),
  Number(values.seed),
];

const rt = await ready();
const mnist = await loadMnist();
const model = createModel(values.model!, {
  channels: mnist.channels,
  imageSize: [...mnist.imageSize] as [number, number],
  numClasses: mnist.classCount,
  seed,
});
const optimizer = new Optimizer(model.params, { momentum: 0.9, nesterov: true, weightDecay: 5e-4 });
const itersPerEpoch = Math.ceil(mnist.train.count / batch);
console.log(`${model.name} (${model.parameterCount} parameters) on MNIST, ${rt.info.description}`);
const start = performance.now();
let accuracy = 0;
for (let epoch = 0; epoch < epochs; epoch++) {
  const stats = await trainEpoch(model, mnist.train, optimizer, {
    batchSize: batch,
    lr: (t) => annealedLr(t, { lr, minLr: 1e-4, itersPerEpoch, epochs }),
    iteration: epoch * itersPerEpoch,
    seed,
    epoch,
    quiet: values.quiet,
  });
  const test = await evaluate(model, mnist.test, batch);
  accuracy = test.accuracy;
  console.log(
    `epoch ${epoch + 1}: train loss ${stats.loss.toFixed(4)} acc ${stats.accuracy.toFixed(4)} ` +
      `(${(stats.samples / stats.seconds).toFixed(0)} images/s) test acc ${test.accuracy.toFixed(4)}`,
  );
}
console.log(`time: ${((performance.now() - start) / 1000).toFixed(1)} s`);
console.log(`test_accuracy: ${accuracy.toFixed(4)}`);
