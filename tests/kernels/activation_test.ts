import assert from "node:assert/strict";
import {
  type Activation,
  activation,
  activationBackward,
  activationBackwardReference,
  activationReference,
  dropout,
  dropoutBackward,
  dropoutReference,
} from "../../kernels/activation.ts";
import { ACTIVATION_WGSL } from "../../kernels/activation_wgsl.ts";
import { ready } from "../../kernels/runtime/runtime.ts";
import { readAll, upload } from "../../kernels/runtime/tensor.ts";
import { assertClose, randomArray } from "./util.ts";

await ready();

const KINDS = Object.keys(ACTIVATION_WGSL) as Activation[];

/** Points within this distance of a kink (0, 6, ±3) are moved away from it, for finite differences. */
const H = 1e-2;
const KINKS = [0, 6, 3, -3];

function awayFromKinks(x: Float32Array): Float32Array {
  return x.map((v) => (KINKS.some((k) => Math.abs(v - k) < 2 * H) ? v + 4 * H : v));
}

Deno.test("activations match the reference on odd sizes, including values at the kinks", async () => {
  for (const n of [1, 7, 63, 65, 1001]) {
    const x = randomArray(n, n, -8, 8);
    x.set([0, 6, 3, -3, 1e-5, -20, 20].slice(0, n));
    for (const kind of KINDS) {
      const [got] = await readAll([activation(kind, upload(x, [n]))]);
      // exp on a GPU is not correctly rounded: a few ulps
      assertClose(got!, activationReference(kind, x), { atol: 1e-7, rtol: 2e-6, what: `${kind}(n=${n})` });
    }
  }
});

Deno.test("backward matches the reference, including PyTorch's values at the kinks", async () => {
  for (const n of [1, 65, 333]) {
    const x = randomArray(n, n + 1, -8, 8);
    x.set([0, 6, 3, -3, -6, 2.5].slice(0, n));
    const dy = randomArray(n, n + 2);
    for (const kind of KINDS) {
      const yRef = activationReference(kind, x);
      const saved = ACTIVATION_WGSL[kind].saves === "input" ? x : yRef;
      const dx = activationBackward(kind, upload(dy, [n]), upload(saved, [n]));
      const [got] = await readAll([dx]);
      assertClose(got!, activationBackwardReference(kind, dy, saved), { atol: 1e-7, rtol: 1e-6, what: kind });
    }
  }
});

Deno.test("backward matches central finite differences of the forward", async () => {
  // L = Σ y·r with fixed random r. Activations act elementwise, so ∂L/∂x_i = r_i·(f(x_i + h) − f(x_i − h))/2h
  // for every i from just two perturbed forwards. Tolerance 2e-4: f32 rounding of y (~6e-8) divided by
  // 2h = 0.02 gives ~3e-6, and the O(h²) truncation error is ≤ h²·max|f'''|/6 < 2e-5 (f''' ≤ 2 for tanh);
  // the piecewise ReLU-type functions are piecewise linear or quadratic away from the kinks, where central
  // differences are exact.
  const n = 200;
  const x = awayFromKinks(randomArray(n, 3, -7, 7));
  const r = randomArray(n, 4);
  const xp = x.map((v) => v + H), xm = x.map((v) => v - H);
  for (const kind of KINDS) {
    const X = upload(x, [n]);
    const y = activation(kind, X);
    const saved = ACTIVATION_WGSL[kind].saves === "input" ? X : y;
    const dx = activationBackward(kind, upload(r, [n]), saved);
    const [yp, ym, got] = await readAll([
      activation(kind, upload(xp, [n])),
      activation(kind, upload(xm, [n])),
      dx,
    ]);
    const fd = Float64Array.from(r, (ri, i) => (ri * (yp![i]! - ym![i]!)) / (xp[i]! - xm[i]!));
    assertClose(got!, fd, { atol: 2e-4, rtol: 0, what: `${kind} finite differences` });
  }
});

Deno.test("activations over several binding windows", async () => {
  const n = 3000; // 12 000 bytes against 4 KiB bindings
  const x = randomArray(n, 8, -8, 8), dy = randomArray(n, 9);
  const small = { maxBindingBytes: 4096 };
  const y = activation("hardswish", upload(x, [n]), small);
  const dx = activationBackward("sigmoid", upload(dy, [n]), upload(x, [n]), small);
  const d = dropout(upload(x, [n]), { p: 0.4, seed: 3, stream: 1, ...small });
  const [gy, gdx, gd] = await readAll([y, dx, d]);
  assertClose(gy!, activationReference("hardswish", x), { rtol: 1e-6, what: "windowed hardswish" });
  assertClose(gdx!, activationBackwardReference("sigmoid", dy, x), { rtol: 1e-6, what: "windowed sigmoid'" });
  assert.deepEqual(gd, dropoutReference(x, { p: 0.4, seed: 3, stream: 1 }));
});

Deno.test("dropout: reference mask bit for bit, same seed same mask, keep rate ≈ 1 − p", async () => {
  const n = 20001;
  const x = randomArray(n, 10, 0.5, 2); // never 0, so zeros mark dropped elements
  const X = upload(x, [n]);
  const [a, b, c, d] = await readAll([
    dropout(X, { p: 0.3, seed: 42, stream: 7 }),
    dropout(X, { p: 0.3, seed: 42, stream: 7 }),
    dropout(X, { p: 0.3, seed: 43, stream: 7 }),
    dropout(X, { p: 0.3, seed: 42, stream: 8 }),
  ]);
  assert.deepEqual(a, dropoutReference(x, { p: 0.3, seed: 42, stream: 7 }));
  assert.deepEqual(a, b);
  const kept = (v: ArrayLike<number>) => Array.from(v, (e) => e !== 0);
  const [ka, kc, kd] = [kept(a!), kept(c!), kept(d!)];
  const rate = ka.filter(Boolean).length / n;
  // binomial standard deviation sqrt(0.21/20001) ≈ 0.0032: 5 sigma
  assert.ok(Math.abs(rate - 0.7) < 0.016, `keep rate ${rate}`);
  const agree = (u: boolean[], v: boolean[]) => u.filter((e, i) => e === v[i]).length / n;
  // independent masks agree on 0.7² + 0.3² = 58 % of elements
  assert.ok(agree(ka, kc) < 0.62, "a different seed gives a different mask");
  assert.ok(agree(ka, kd) < 0.62, "a different stream gives a different mask");
  for (let i = 0; i < n; i++) {
    if (ka[i]) assert.equal(a![i], Math.fround(x[i]! * Math.fround(1 / 0.7)));
  }
});

Deno.test("dropout backward applies the forward's mask and scale to dy", async () => {
  const n = 999;
  const x = randomArray(n, 11, 0.5, 2), dy = randomArray(n, 12, 0.5, 2);
  const options = { p: 0.5, seed: 9, stream: 3 };
  const [y, dx] = await readAll([
    dropout(upload(x, [n]), options),
    dropoutBackward(upload(dy, [n]), options),
  ]);
  for (let i = 0; i < n; i++) {
    assert.equal(y![i] === 0, dx![i] === 0, `element ${i}`);
    if (y![i] !== 0) assert.equal(dx![i], Math.fround(dy[i]! * 2));
  }
  // finite differences: L = Σ y·r is linear in x, so ∂L/∂x = dropoutBackward(r) exactly
  assert.deepEqual(dx, dropoutReference(dy, options));
});

Deno.test("dropout blocks (Dropout2d) drop whole channels; p = 0 and p = 1", async () => {
  const [N, C, S] = [3, 5, 7];
  const x = randomArray(N * C * S, 13, 0.5, 2);
  const X = upload(x, [N, C, S]);
  const [y, keepAll, dropAll] = await readAll([
    dropout(X, { p: 0.5, seed: 2, block: S }),
    dropout(X, { p: 0, seed: 2 }),
    dropout(X, { p: 1, seed: 2 }),
  ]);
  assert.deepEqual(y, dropoutReference(x, { p: 0.5, seed: 2, block: S }));
  for (let row = 0; row < N * C; row++) {
    const zeros = Array.from(y!.subarray(row * S, row * S + S), (v) => v === 0);
    assert.ok(zeros.every((z) => z === zeros[0]), `row ${row} is dropped or kept as a whole`);
  }
  assert.deepEqual(keepAll, x);
  assert.ok(dropAll!.every((v) => v === 0));
  assert.throws(() => dropout(X, { p: 1.5, seed: 0 }), /not in \[0, 1\]/);
});
