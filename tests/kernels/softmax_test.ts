import assert from "node:assert/strict";
import { ready } from "../../kernels/runtime/runtime.ts";
import { readAll, sizeOf, upload } from "../../kernels/runtime/tensor.ts";
import {
  crossEntropy,
  crossEntropyBackward,
  crossEntropyBackwardReference,
  crossEntropyReference,
  logSoftmax,
  logSoftmaxReference,
  softmax,
  softmaxReference,
} from "../../kernels/softmax.ts";
import { assertClose, randomArray, testRandom } from "./util.ts";

await ready();

// WGSL's exp and log are accurate to a few ulp plus 2 ulp per unit of |x|: for |x − max| ≲ 20 that is
// below 5e-6 relative, and log-probabilities of magnitude ≲ 20 are off by ≲ 2e-6 absolute
const PROB = { rtol: 1e-5, atol: 1e-7 };
const LOGP = { rtol: 1e-6, atol: 5e-6 };

function randomLabels(n: number, C: number, seed: number): Int32Array {
  const r = testRandom(seed);
  return Int32Array.from({ length: n }, () => Math.floor(r() * C));
}

Deno.test("softmax and log-softmax match the reference; rows sum to 1", async () => {
  for (const shape of [[1], [1, 1], [7, 1], [65, 10], [3, 5, 129], [2, 1000]]) {
    const C = shape.at(-1)!;
    const x = randomArray(sizeOf(shape), sizeOf(shape), -8, 8);
    const t = upload(x, shape);
    const [p, lp] = (await readAll([softmax(t), logSoftmax(t)])) as Float32Array[];
    assertClose(p!, softmaxReference(x, C), { ...PROB, what: `softmax [${shape}]` });
    assertClose(lp!, logSoftmaxReference(x, C), { ...LOGP, what: `logSoftmax [${shape}]` });
    for (let r = 0; r * C < p!.length; r++) {
      const s = p!.subarray(r * C, (r + 1) * C).reduce((a, b) => a + b, 0);
      assert.ok(Math.abs(s - 1) < 1e-5, `softmax [${shape}] row ${r} sums to ${s}`);
    }
  }
});

Deno.test("extreme logits (±1e4) give no NaN", async () => {
  const x = Float32Array.from([1e4, -1e4, 0, 1e4, 1e4, 1e4, -1e4, -1e4, -1e4, 1e4, 1e4 - 1, -1e4]);
  const t = upload(x, [4, 3]);
  const labels = new Int32Array([1, 0, 2, 2]);
  const [p, lp, loss, grad] = await readAll([
    softmax(t),
    logSoftmax(t),
    crossEntropy(t, labels),
    crossEntropyBackward(t, labels, null, 1),
  ]);
  for (const a of [p!, lp!, loss!, grad!]) assert.ok(a.every(Number.isFinite), `${a}`);
  assertClose(p!, softmaxReference(x, 3), { ...PROB, what: "softmax" });
  assertClose(lp!, logSoftmaxReference(x, 3), { ...LOGP, what: "logSoftmax" });
  assertClose(loss!, crossEntropyReference(x, 3, labels), { ...LOGP, what: "crossEntropy" });
  assertClose(grad!, crossEntropyBackwardReference(x, 3, labels, null, 1), { ...PROB, what: "backward" });
});

Deno.test("cross-entropy and its gradient match the reference, with and without weights", async () => {
  for (const [N, C] of [[1, 1], [1, 7], [67, 10], [129, 3]] as const) {
    const x = randomArray(N * C, N + C, -5, 5);
    const labels = randomLabels(N, C, N);
    const weights = randomArray(N, 2 * N, 0, 2);
    const t = upload(x, [N, C]);
    const labelTensor = upload(labels, [N]);
    const [l0, l1, g0, g1] = await readAll([
      crossEntropy(t, labels),
      crossEntropy(t, labelTensor, upload(weights, [N])),
      crossEntropyBackward(t, labelTensor, null, 1 / N),
      crossEntropyBackward(t, labels, weights, 0.5),
    ]);
    const what = `[${N}, ${C}]`;
    assertClose(l0!, crossEntropyReference(x, C, labels), { ...LOGP, what: `loss ${what}` });
    assertClose(l1!, crossEntropyReference(x, C, labels, weights), {
      ...LOGP,
      what: `weighted loss ${what}`,
    });
    const want0 = crossEntropyBackwardReference(x, C, labels, null, 1 / N);
    assertClose(g0!, want0, { ...PROB, what: `grad ${what}` });
    const want1 = crossEntropyBackwardReference(x, C, labels, weights, 0.5);
    assertClose(g1!, want1, { ...PROB, what: `weighted grad ${what}` });
  }
});

Deno.test("crossEntropyBackward agrees with central differences of crossEntropy", async () => {
  const [N, C] = [5, 7];
  const h = 1e-2;
  const x = randomArray(N * C, 99, -3, 3);
  const labels = randomLabels(N, C, 5);
  const weights = randomArray(N, 6, 0.5, 2);
  // loss i depends on row i only, so one batch of 2C copies — copy (c, ±) shifts column c of every row by
  // ±h — gives every partial derivative in one call
  const batch = new Float32Array(2 * C * N * C);
  for (let k = 0; k < 2 * C; k++) {
    batch.set(x, k * N * C);
    for (let i = 0; i < N; i++) batch[k * N * C + i * C + (k >> 1)]! += k & 1 ? -h : h;
  }
  const rep = (a: Int32Array | Float32Array) =>
    a.constructor === Int32Array
      ? Int32Array.from({ length: 2 * C * N }, (_, j) => a[j % N]!)
      : Float32Array.from({ length: 2 * C * N }, (_, j) => a[j % N]!);
  const [losses, grad] = await readAll([
    crossEntropy(upload(batch, [2 * C * N, C]), rep(labels) as Int32Array, rep(weights) as Float32Array),
    crossEntropyBackward(upload(x, [N, C]), labels, weights, 1),
  ]);
  const fd = Float32Array.from({ length: N * C }, (_, e) => {
    const i = Math.floor(e / C), c = e % C;
    return (losses![(2 * c) * N + i]! - losses![(2 * c + 1) * N + i]!) / (2 * h);
  });
  // float32 losses of magnitude ≲ 5 are off by ≲ 1e-6 (a few ulp of exp/log), which the difference
  // quotient divides by 2h = 0.02: ≲ 1e-4 with weights ≤ 2; the truncation error h²/6·|L'''| with
  // |L'''| ≤ 0.1 for log-sum-exp is ≲ 2e-6 — 3e-4 bounds both, while a wrong gradient is off by ≥ 1e-2
  assertClose(grad!, fd, { atol: 3e-4, rtol: 0, what: "gradient vs finite differences" });
});

Deno.test("out-of-range labels: typed arrays throw, tensors give NaN without reading out of bounds", async () => {
  const t = upload(randomArray(12, 1), [3, 4]);
  assert.throws(() => crossEntropy(t, new Int32Array([0, 4, 1])), /labels\[1\] = 4 is outside \[0, 4\)/);
  assert.throws(() => crossEntropyBackward(t, new Int32Array([0, 1])), /2 labels for 3 rows/);
  assert.throws(() => crossEntropy(t, upload(new Float32Array(3), [3])), /labels must be an int32 tensor/);
  const bad = upload(new Int32Array([-1, 2, 1 << 30]), [3]);
  const [loss, grad] = await readAll([crossEntropy(t, bad), crossEntropyBackward(t, bad, null, 1)]);
  assert.ok(Number.isNaN(loss![0]) && Number.isFinite(loss![1]) && Number.isNaN(loss![2]), `${loss}`);
  assert.ok(grad!.every((g, e) => Number.isNaN(g) === (e < 4 || e >= 8)), `${grad}`);
});

Deno.test("inputs larger than one binding are processed window by window; empty inputs", async () => {
  const [N, C] = [301, 13]; // 3913 elements, 1024 per window
  const x = randomArray(N * C, 3, -5, 5);
  const labels = randomLabels(N, C, 4);
  const weights = randomArray(N, 5, 0, 2);
  const t = upload(x, [N, C]);
  const opts = { maxBindingBytes: 4096 };
  const [p, lp, loss, grad] = await readAll([
    softmax(t, opts),
    logSoftmax(t, opts),
    crossEntropy(t, labels, weights, opts),
    crossEntropyBackward(t, labels, weights, 0.25, opts),
  ]);
  assertClose(p!, softmaxReference(x, C), { ...PROB, what: "softmax" });
  assertClose(lp!, logSoftmaxReference(x, C), { ...LOGP, what: "logSoftmax" });
  assertClose(loss!, crossEntropyReference(x, C, labels, weights), { ...LOGP, what: "loss" });
  assertClose(grad!, crossEntropyBackwardReference(x, C, labels, weights, 0.25), { ...PROB, what: "grad" });
  assert.throws(() => softmax(upload(new Float32Array(2000), [2000]), opts), /rows of 2000 elements exceed/);
  const empty = softmax(upload(new Float32Array(0), [0, 5]));
  assert.deepEqual(empty.shape, [0, 5]);
  const [none] = await readAll([crossEntropy(upload(new Float32Array(0), [0, 5]), new Int32Array(0))]);
  assert.equal(none!.length, 0);
});
