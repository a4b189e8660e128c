/**
 * Whole-network gradient check: the analytic gradients of mean cross-entropy, from a model's backward
 * pass, against central finite differences of the forward pass, for a sample of coordinates of every
 * parameter.
 */
import assert from "node:assert/strict";
import type * as tf from "npm:@tensorflow/tfjs-core@4.22.0";
import { crossEntropy, crossEntropyBackward } from "../../kernels/softmax.ts";
import { readAll, upload } from "../../kernels/runtime/tensor.ts";
import type { Classifier } from "../../models/classifier.ts";

async function meanLoss(model: Classifier, x: tf.Tensor, labels: Int32Array): Promise<number> {
  const { logits } = model.forward(x, "train"); // train mode: batch statistics, as in the backward pass
  const losses = crossEntropy(logits, labels);
  const [values] = await readAll([losses]);
  logits.dispose();
  losses.dispose();
  let s = 0;
  for (const v of values!) s += v;
  return s / labels.length;
}

/**
 * Checks `coordinates` entries of every parameter. float32 forward passes with step h = 1e-2: rounding in
 * the loss (~1e-7 relative) over 2h gives ~1e-5, truncation h²/6·|f‴| ~1e-5 for these small networks, so
 * |analytic − numeric| ≤ 2e-3 + 2e-2·|analytic| leaves room and still catches any wrong term.
 */
export async function gradCheck(
  model: Classifier,
  input: Float32Array,
  shape: number[],
  labels: Int32Array,
  coordinates = 6,
): Promise<void> {
  const x = upload(input, shape);
  const { logits } = model.forward(x, "train");
  const dlogits = crossEntropyBackward(logits, labels, null, 1 / labels.length);
  model.backward(dlogits);
  logits.dispose();
  dlogits.dispose();
  const grads = await readAll(model.params.map((p) => p.grad!));
  const h = 1e-2;
  for (const [k, param] of model.params.entries()) {
    const [original] = await readAll([param.value]);
    const values = Float32Array.from(original!);
    for (let c = 0; c < coordinates; c++) {
      const at = Math.floor(((c + 0.5) / coordinates) * values.length);
      const loss = async (delta: number) => {
        const v = Float32Array.from(values);
        v[at] = v[at]! + delta;
        const old = param.value;
        param.value = upload(v, old.shape);
        const l = await meanLoss(model, x, labels);
        param.value.dispose();
        param.value = old;
        return l;
      };
      const numeric = ((await loss(h)) - (await loss(-h))) / (2 * h);
      const analytic = grads[k]![at]!;
      assert.ok(
        Math.abs(analytic - numeric) <= 2e-3 + 2e-2 * Math.abs(analytic),
        `${param.name}[${at}]: analytic ${analytic}, numeric ${numeric}`,
      );
    }
  }
  x.dispose();
}
