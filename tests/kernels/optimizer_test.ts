import assert from "node:assert/strict";
import {
  type AdamOptions,
  adamReference,
  adamStep,
  type SgdOptions,
  sgdReference,
  sgdStep,
} from "../../kernels/optimizer.ts";
import { ready } from "../../kernels/runtime/runtime.ts";
import { emptyTensor, readAll, upload } from "../../kernels/runtime/tensor.ts";
import { assertClose, randomArray } from "./util.ts";

await ready();

/** Runs `steps` steps on the GPU and on the reference with fresh random gradients and a changing lr. */
async function compareSgd(
  n: number,
  options: Omit<SgdOptions, "lr" | "step">,
  steps = 5,
  maxBindingBytes?: number,
) {
  const theta = randomArray(n, n, -2, 2);
  const w = upload(theta, [n]);
  // the buffer's contents before step 1 must not matter: start from garbage on the GPU
  const buf = options.momentum ? upload(randomArray(n, 99, 1e6, 1e7), [n]) : null;
  const refBuf = options.momentum ? new Float32Array(n) : null;
  for (let step = 1; step <= steps; step++) {
    const grad = randomArray(n, 1000 * step + n);
    const lr = 0.1 / step; // a schedule changes lr every step
    const o = { ...options, lr, step, ...(maxBindingBytes ? { maxBindingBytes } : {}) };
    sgdStep(w, upload(grad, [n]), buf, o);
    sgdReference(theta, grad, refBuf, o);
  }
  const [got, gotBuf] = await readAll(buf ? [w, buf] : [w]);
  // f32 GPU arithmetic against f64 arithmetic rounded to f32 at each step
  const what = `SGD n=${n} ${JSON.stringify(options)}`;
  assertClose(got!, theta, { atol: 1e-6, rtol: 1e-6, what });
  if (refBuf) assertClose(gotBuf!, refBuf, { atol: 1e-6, rtol: 1e-6, what: `${what} momentum buffer` });
}

Deno.test("SGD matches PyTorch's rule: plain, momentum, Nesterov, weight decay, dampening", async () => {
  for (const n of [1, 67, 1000]) {
    await compareSgd(n, {});
    await compareSgd(n, { weightDecay: 5e-4 });
    await compareSgd(n, { momentum: 0.9 });
    await compareSgd(n, { momentum: 0.9, weightDecay: 5e-4, nesterov: true });
    await compareSgd(n, { momentum: 0.5, dampening: 0.3, weightDecay: 1e-2 });
  }
});

Deno.test("SGD first steps by hand: buffer = g on step 1, then μ·buf + g; Nesterov uses g + μ·buf", async () => {
  const w = upload(new Float32Array([1]), [1]), buf = emptyTensor([1]);
  const o = { lr: 0.1, momentum: 0.9, weightDecay: 0.5, nesterov: true };
  sgdStep(w, upload(new Float32Array([1]), [1]), buf, { ...o, step: 1 });
  // g = 1 + 0.5·1 = 1.5; buf = 1.5; d = 1.5 + 0.9·1.5 = 2.85; θ = 1 − 0.285 = 0.715
  const [w1, b1] = await readAll([w, buf]);
  assertClose(w1!, [0.715], { what: "θ after step 1" });
  assertClose(b1!, [1.5], { what: "buf after step 1" });
  sgdStep(w, upload(new Float32Array([-1]), [1]), buf, { ...o, step: 2 });
  // g = −1 + 0.3575 = −0.6425; buf = 1.35 − 0.6425 = 0.7075; d = −0.6425 + 0.63675 = −0.00575
  const [w2, b2] = await readAll([w, buf]);
  assertClose(b2!, [0.7075], { what: "buf after step 2" });
  assertClose(w2!, [0.715575], { what: "θ after step 2" });
});

Deno.test("Adam matches PyTorch's rule with bias correction and weight decay", async () => {
  const cases: Omit<AdamOptions, "lr" | "step">[] = [{}, { weightDecay: 5e-4 }, {
    beta1: 0.8,
    beta2: 0.99,
    eps: 1e-6,
    weightDecay: 1e-2,
  }];
  for (const n of [1, 67, 1000]) {
    for (const options of cases) {
      const theta = randomArray(n, n, -2, 2);
      const [m, v] = [new Float32Array(n), new Float32Array(n)];
      const w = upload(theta, [n]);
      // old m and v are ignored on step 1: start from garbage
      const [M, V] = [upload(randomArray(n, 5, 10, 20), [n]), upload(randomArray(n, 6, 10, 20), [n])];
      for (let step = 1; step <= 6; step++) {
        const grad = randomArray(n, 77 * step + n);
        const o = { ...options, lr: 1e-3 * (1 + step), step };
        adamStep(w, upload(grad, [n]), M, V, o);
        adamReference(theta, grad, m, v, o);
      }
      const [gw, gm, gv] = await readAll([w, M, V]);
      const what = `Adam n=${n} ${JSON.stringify(options)}`;
      assertClose(gm!, m, { atol: 1e-7, rtol: 1e-6, what: `${what} m` });
      assertClose(gv!, v, { atol: 1e-9, rtol: 1e-6, what: `${what} v` });
      assertClose(gw!, theta, { atol: 1e-6, rtol: 1e-6, what });
    }
  }
});

Deno.test("Adam's first step moves every weight by lr·sign(g) (bias correction)", async () => {
  const w = upload(new Float32Array([1, 1, 1]), [3]);
  adamStep(w, upload(new Float32Array([1e-3, -5, 40]), [3]), emptyTensor([3]), emptyTensor([3]), {
    lr: 0.01,
    step: 1,
  });
  const [got] = await readAll([w]);
  assertClose(got!, [0.99, 1.01, 0.99], { atol: 1e-6, what: "first Adam step" });
});

Deno.test("updates over several binding windows", async () => {
  await compareSgd(3000, { momentum: 0.9, weightDecay: 5e-4, nesterov: true }, 3, 4096);
  const n = 3000, theta = randomArray(n, 1, -1, 1), grad = randomArray(n, 2);
  const [m, v] = [new Float32Array(n), new Float32Array(n)];
  const [w, M, V] = [upload(theta, [n]), emptyTensor([n]), emptyTensor([n])];
  adamStep(w, upload(grad, [n]), M, V, { lr: 0.01, step: 1, maxBindingBytes: 4096 });
  adamReference(theta, grad, m, v, { lr: 0.01, step: 1 });
  assertClose((await readAll([w]))[0]!, theta, { atol: 1e-6, rtol: 1e-6, what: "windowed Adam" });
});

Deno.test("bad arguments are refused", () => {
  const w = upload(new Float32Array(2), [2]), g = upload(new Float32Array(3), [3]);
  assert.throws(() => sgdStep(w, g, null, { lr: 1, step: 1 }), /does not match the parameter/);
  assert.throws(() => sgdStep(w, w, null, { lr: 1, step: 1, momentum: 0.9 }), /needs a momentum buffer/);
  assert.throws(() => sgdStep(w, w, null, { lr: 1, step: 1, nesterov: true }), /Nesterov/);
  assert.throws(() => sgdStep(w, w, null, { lr: 1, step: 0 }), /step 0/);
});
