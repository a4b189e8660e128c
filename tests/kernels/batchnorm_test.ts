import assert from "node:assert/strict";
import type * as tf from "npm:@tensorflow/tfjs-core@4.22.0";
import {
  batchNormBackward,
  batchNormBackwardReference,
  batchNormEval,
  batchNormEvalReference,
  batchNormInvstd,
  type BatchNormParams,
  batchNormTrain,
  batchNormTrainReference,
} from "../../kernels/batchnorm.ts";
import { ready } from "../../kernels/runtime/runtime.ts";
import { readAll, upload } from "../../kernels/runtime/tensor.ts";
import { assertClose, randomArray, testRandom } from "./util.ts";

await ready();

const size = (shape: number[]) => shape.reduce((a, b) => a * b, 1);

/** Random layer state for C channels, as CPU arrays and fresh GPU tensors. */
function layer(C: number, seed: number) {
  const host = {
    gamma: randomArray(C, seed, 0.5, 2),
    beta: randomArray(C, seed + 1),
    runningMean: randomArray(C, seed + 2),
    runningVar: randomArray(C, seed + 3, 0.5, 2),
  };
  const gpu = (): BatchNormParams => ({
    gamma: upload(host.gamma, [C]),
    beta: upload(host.beta, [C]),
    runningMean: upload(host.runningMean, [C]),
    runningVar: upload(host.runningVar, [C]),
  });
  return { host, gpu };
}

/** Inputs whose channels have different offsets and scales (so a wrong channel index shows). */
function input(shape: number[], seed: number): Float32Array {
  const C = shape[1]!, S = size(shape.slice(2));
  const x = randomArray(size(shape), seed, -1, 1);
  return x.map((v, i) => {
    const c = Math.floor(i / S) % C;
    return v * (1 + c) + 3 * c - 2;
  });
}

const SHAPES = [[1, 3, 5, 7], [4, 6], [3, 5, 11], [5, 13, 9, 9], [2, 70, 3, 3], [9, 2, 31, 33]];

Deno.test("training forward, batch statistics and running update match the reference", async () => {
  for (const [k, shape] of SHAPES.entries()) {
    const C = shape[1]!;
    const x = input(shape, k);
    const { host, gpu } = layer(C, 10 * k);
    const params = gpu();
    const { y, mean, invstd } = batchNormTrain(upload(x, shape), params, { eps: 1e-3, momentum: 0.01 });
    const got = await readAll([y, mean, invstd, params.runningMean, params.runningVar]);
    const want = batchNormTrainReference(x, shape, host.gamma, host.beta, host.runningMean, host.runningVar, {
      eps: 1e-3,
      momentum: 0.01,
    });
    const what = `[${shape}]`;
    // y = (x − μ)·invstd·γ + β is O(1–10): a few f32 ulps of the inputs' magnitude
    assertClose(got[0]!, want.y, { atol: 1e-5, rtol: 1e-5, what: `${what} y` });
    assertClose(got[1]!, want.mean, { atol: 1e-6, rtol: 1e-6, what: `${what} mean` });
    assertClose(got[2]!, want.invstd, { rtol: 2e-6, what: `${what} invstd` });
    assertClose(got[3]!, want.runningMean, { atol: 1e-6, rtol: 1e-6, what: `${what} running mean` });
    assertClose(got[4]!, want.runningVar, { rtol: 2e-6, what: `${what} running var` });
  }
});

Deno.test("statistics over 2^20 values per channel stay accurate with a large offset", async () => {
  // 3 channels × N·H·W = 64·128·128 = 1 048 576; values 1000 + U(−1, 1)·(c + 1). A sequential f32 sum is
  // off by ~10^5 ulps here, and Σx² − (Σx)²/M would lose the variance entirely; the chunked two-pass
  // statistics give the mean to within 0.5 ulp and 1/σ to ~1e-7 (measured on llvmpipe)
  const shape = [64, 3, 128, 128];
  const r = testRandom(5);
  const x = Float32Array.from(
    { length: size(shape) },
    (_, i) => 1000 + (2 * r() - 1) * (1 + (Math.floor(i / 16384) % 3)),
  );
  const { host, gpu } = layer(3, 1);
  const params = gpu();
  const { mean, invstd } = batchNormTrain(upload(x, shape), params);
  const [gm, gi, grv] = await readAll([mean, invstd, params.runningVar]);
  const want = batchNormTrainReference(x, shape, host.gamma, host.beta, host.runningMean, host.runningVar);
  // tolerances: the mean to one ulp (6e-8 relative), 1/σ and the running variance to 1e-6
  assertClose(gm!, want.mean, { atol: 0, rtol: 6e-8, what: "mean of 2^20 values" });
  assertClose(gi!, want.invstd, { atol: 0, rtol: 1e-6, what: "invstd of 2^20 values" });
  assertClose(grv!, want.runningVar, { atol: 0, rtol: 1e-6, what: "running var of 2^20 values" });
});

Deno.test("running statistics over several training steps", async () => {
  const shape = [6, 5, 3, 4];
  const { host, gpu } = layer(5, 3);
  const params = gpu();
  let rm: ArrayLike<number> = host.runningMean, rv: ArrayLike<number> = host.runningVar;
  for (let step = 0; step < 4; step++) {
    const x = input(shape, 100 + step).map((v) => v * (step + 1));
    batchNormTrain(upload(x, shape), params);
    const want = batchNormTrainReference(
      x,
      shape,
      host.gamma,
      host.beta,
      Float32Array.from(rm),
      Float32Array.from(rv),
    );
    [rm, rv] = [want.runningMean, want.runningVar];
  }
  const [grm, grv] = await readAll([params.runningMean, params.runningVar]);
  assertClose(grm!, rm, { atol: 1e-6, rtol: 1e-6, what: "running mean after 4 steps" });
  assertClose(grv!, rv, { rtol: 4e-6, what: "running var after 4 steps" });
});

Deno.test("evaluation forward matches the reference", async () => {
  for (const [k, shape] of SHAPES.entries()) {
    const x = input(shape, 50 + k);
    const { host, gpu } = layer(shape[1]!, 7 * k);
    const [got] = await readAll([batchNormEval(upload(x, shape), gpu())]);
    const want = batchNormEvalReference(x, shape, host.gamma, host.beta, host.runningMean, host.runningVar);
    assertClose(got!, want, { atol: 1e-5, rtol: 1e-5, what: `eval [${shape}]` });
  }
});

Deno.test("backward (training and evaluation) matches the reference", async () => {
  for (const [k, shape] of SHAPES.entries()) {
    const C = shape[1]!;
    const x = input(shape, 70 + k), dy = randomArray(size(shape), 80 + k);
    const { host, gpu } = layer(C, 9 * k);
    const params = gpu();
    const X = upload(x, shape), DY = upload(dy, shape);
    const { mean, invstd } = batchNormTrain(X, params);
    const train = batchNormBackward(DY, X, params.gamma, mean, invstd);
    const evalInvstd = batchNormInvstd(upload(host.runningVar, [C]));
    const evalGrads = batchNormBackward(DY, X, params.gamma, upload(host.runningMean, [C]), evalInvstd, {
      training: false,
    });
    const got = await readAll([
      mean,
      invstd,
      evalInvstd,
      train.dx,
      train.dgamma,
      train.dbeta,
      evalGrads.dx,
      evalGrads.dgamma,
      evalGrads.dbeta,
    ]);
    const [m, is, eis] = got;
    const wt = batchNormBackwardReference(dy, x, shape, host.gamma, m!, is!, true);
    const we = batchNormBackwardReference(dy, x, shape, host.gamma, host.runningMean, eis!, false);
    const what = `[${shape}]`;
    // dγ and dβ are sums of up to 3000 terms of size ≤ 1: absolute 1e-4 is ~30 f32 ulps of the sum's scale
    assertClose(got[3]!, wt.dx, { atol: 2e-5, rtol: 1e-4, what: `${what} dx` });
    assertClose(got[4]!, wt.dgamma, { atol: 1e-4, rtol: 1e-5, what: `${what} dgamma` });
    assertClose(got[5]!, wt.dbeta, { atol: 1e-4, rtol: 1e-5, what: `${what} dbeta` });
    assertClose(got[6]!, we.dx, { atol: 1e-6, rtol: 1e-6, what: `${what} eval dx` });
    assertClose(got[7]!, we.dgamma, { atol: 1e-4, rtol: 1e-5, what: `${what} eval dgamma` });
    assertClose(got[8]!, we.dbeta, { atol: 1e-4, rtol: 1e-5, what: `${what} eval dbeta` });
  }
});

/**
 * Central finite differences of L = Σ y·r for every element of x, γ and β, with the forward run on the GPU
 * (all perturbed forwards recorded, then read back at once) or by the f64 reference.
 */
async function finiteDifferences(shape: number[], training: boolean, h: number, onGpu: boolean) {
  const C = shape[1]!;
  const x = input(shape, 1), r = randomArray(size(shape), 2);
  const { host } = layer(C, 4);
  const inputs = [x, host.gamma, host.beta];
  const forward = (xs: Float32Array[]) => {
    const [xx, g, b] = xs as [Float32Array, Float32Array, Float32Array];
    if (!onGpu) {
      return training
        ? batchNormTrainReference(xx, shape, g, b, host.runningMean, host.runningVar).y
        : batchNormEvalReference(xx, shape, g, b, host.runningMean, host.runningVar);
    }
    const params = {
      gamma: upload(g, [C]),
      beta: upload(b, [C]),
      runningMean: upload(host.runningMean, [C]),
      runningVar: upload(host.runningVar, [C]),
    };
    return training ? batchNormTrain(upload(xx, shape), params).y : batchNormEval(upload(xx, shape), params);
  };
  const outputs: (tf.Tensor | Float64Array)[] = [];
  const steps: number[] = [];
  inputs.forEach((arr, k) => {
    for (let i = 0; i < arr.length; i++) {
      for (const sign of [1, -1]) {
        const xs = inputs.map((a) => a.slice());
        xs[k]![i] = arr[i]! + sign * h;
        outputs.push(forward(xs));
      }
      steps.push(Math.fround(arr[i]! + h) - Math.fround(arr[i]! - h));
    }
  });
  const values = onGpu ? await readAll(outputs as tf.Tensor[]) : outputs as Float64Array[];
  const loss = (y: ArrayLike<number>) => Array.from(y).reduce((s, v, i) => s + v * r[i]!, 0);
  const fd = steps.map((d, j) => (loss(values[2 * j]!) - loss(values[2 * j + 1]!)) / d);
  return { x, r, host, fd };
}

async function analytic(
  shape: number[],
  training: boolean,
  x: Float32Array,
  r: Float32Array,
  host: ReturnType<typeof layer>["host"],
) {
  const C = shape[1]!;
  const ref = training
    ? batchNormTrainReference(x, shape, host.gamma, host.beta, host.runningMean, host.runningVar)
    : { mean: host.runningMean, invstd: Float64Array.from(host.runningVar, (v) => 1 / Math.sqrt(v + 1e-5)) };
  const cpu = batchNormBackwardReference(r, x, shape, host.gamma, ref.mean, ref.invstd, training);
  const params = {
    gamma: upload(host.gamma, [C]),
    beta: upload(host.beta, [C]),
    runningMean: upload(host.runningMean, [C]),
    runningVar: upload(host.runningVar, [C]),
  };
  const X = upload(x, shape);
  const stats = training
    ? batchNormTrain(X, params)
    : { mean: params.runningMean, invstd: batchNormInvstd(params.runningVar) };
  const g = batchNormBackward(upload(r, shape), X, params.gamma, stats.mean, stats.invstd, { training });
  const got = await readAll([g.dx, g.dgamma, g.dbeta]);
  return { cpu: [...cpu.dx, ...cpu.dgamma, ...cpu.dbeta], gpu: [...got[0]!, ...got[1]!, ...got[2]!] };
}

Deno.test("backward matches central finite differences of the forward", async () => {
  for (const training of [true, false]) {
    for (const shape of [[3, 2, 2, 3], [5, 3], [1, 2, 7]]) {
      const what = `${training ? "train" : "eval"} [${shape}]`;
      // the f64 reference forward, h = 1e-4: truncation O(h²) ≈ 1e-8, rounding 1e-16/h: agreement to 1e-6
      // checks the reference backward's formulas
      const exact = await finiteDifferences(shape, training, 1e-4, false);
      const { cpu, gpu } = await analytic(shape, training, exact.x, exact.r, exact.host);
      assertClose(cpu, exact.fd, {
        atol: 1e-6,
        rtol: 1e-6,
        what: `${what} reference vs f64 finite differences`,
      });
      // the GPU forward in f32, h = 1e-2: y carries ~1e-7 rounding per element, which over ≤ 36 terms of
      // L divided by 2h = 0.02 gives ~3e-5, and the O(h²) truncation is ≲ 1e-4 for these O(1) inputs
      // (observed: ≤ 8e-5, so the tolerance has a 6× margin)
      const f32fd = await finiteDifferences(shape, training, 1e-2, true);
      assertClose(gpu, f32fd.fd, { atol: 5e-4, rtol: 1e-3, what: `${what} GPU vs f32 finite differences` });
    }
  }
});

Deno.test("inputs larger than one binding are processed in windows of whole samples", async () => {
  const shape = [7, 5, 5, 6]; // 150 values per sample against 1024-value bindings: windows of 6 and 1
  const small = { maxBindingBytes: 4096 };
  const x = input(shape, 3), dy = randomArray(size(shape), 4);
  const { host, gpu } = layer(5, 5);
  const params = gpu();
  const X = upload(x, shape);
  const { y, mean, invstd } = batchNormTrain(X, params, small);
  const g = batchNormBackward(upload(dy, shape), X, params.gamma, mean, invstd, small);
  const ye = batchNormEval(X, gpu(), small);
  const [gy, gm, gi, gdx, gdg, gdb, gye] = await readAll([y, mean, invstd, g.dx, g.dgamma, g.dbeta, ye]);
  const want = batchNormTrainReference(x, shape, host.gamma, host.beta, host.runningMean, host.runningVar);
  assertClose(gy!, want.y, { atol: 1e-5, rtol: 1e-5, what: "windowed y" });
  assertClose(gm!, want.mean, { atol: 1e-6, rtol: 1e-6, what: "windowed mean" });
  const wg = batchNormBackwardReference(dy, x, shape, host.gamma, gm!, gi!);
  assertClose(gdx!, wg.dx, { atol: 2e-5, rtol: 1e-4, what: "windowed dx" });
  assertClose(gdg!, wg.dgamma, { atol: 1e-4, rtol: 1e-5, what: "windowed dgamma" });
  assertClose(gdb!, wg.dbeta, { atol: 1e-4, rtol: 1e-5, what: "windowed dbeta" });
  const we = batchNormEvalReference(x, shape, host.gamma, host.beta, host.runningMean, host.runningVar);
  assertClose(gye!, we, { atol: 1e-5, rtol: 1e-5, what: "windowed eval" });
});

Deno.test("training mode refuses one value per channel; shapes are checked", () => {
  const { gpu } = layer(3, 0);
  assert.throws(
    () => batchNormTrain(upload(new Float32Array(3), [1, 3]), gpu()),
    /more than 1 value per channel/,
  );
  assert.throws(
    () => batchNormTrain(upload(new Float32Array(8), [2, 4]), gpu()),
    /gamma has 3 values for 4 channels/,
  );
});
