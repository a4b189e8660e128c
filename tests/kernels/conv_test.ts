import assert from "node:assert/strict";
import type * as tf from "npm:@tensorflow/tfjs-core@4.22.0";
import {
  conv2d,
  conv2dBackwardBias,
  conv2dBackwardBiasReference,
  conv2dBackwardFilter,
  conv2dBackwardFilterReference,
  conv2dBackwardInput,
  conv2dBackwardInputReference,
  conv2dReference,
  type ConvGeometry,
  convGeometry,
  type ConvOptions,
} from "../../kernels/conv.ts";
import { ready } from "../../kernels/runtime/runtime.ts";
import { readAll, sizeOf, upload } from "../../kernels/runtime/tensor.ts";
import { assertClose, randomArray, testRandom } from "./util.ts";

await ready();

// Sums of ≤ 300 products of values in [-1, 1] in float32: rounding stays below ~1e-5; 1e-4 still catches
// any indexing error, which shows up as O(0.1) differences.
const TOL = { atol: 1e-4, rtol: 1e-4 };

/**
 * [input shape, weight shape, options]: odd sizes, strides, paddings, 1×1/3×3/5×5, groups, depthwise,
 * batch 1 to 3. The row-segment kernel takes the cases whose width and output width are multiples of 4
 * and whose horizontal stride and dilation are 1 (marked "rows"); the others go to the GEMM. Channel
 * counts are chosen so that the cases share the few block shapes `conv.ts` uses (compiling dominates).
 */
const CASES: [number[], number[], ConvOptions][] = [
  [[3, 5, 9, 11], [10, 5, 3, 3], { padding: 1 }],
  [[3, 5, 8, 12], [10, 5, 3, 3], { padding: 1 }], // rows
  [[1, 6, 13, 10], [12, 3, 5, 5], { stride: 2, padding: 2, groups: 2 }],
  [[2, 6, 9, 8], [12, 3, 5, 5], { stride: [2, 1], padding: 2, groups: 2 }], // rows, but dx: GEMM
  [[3, 7, 8, 9], [7, 1, 3, 3], { stride: 2, padding: 1, groups: 7 }], // depthwise
  [[2, 6, 8, 8], [6, 1, 3, 3], { padding: 1, groups: 6 }], // depthwise, rows
  [[1, 9, 7, 7], [18, 1, 5, 5], { padding: 2, groups: 9 }], // depthwise, channel multiplier 2
  [[3, 6, 7, 5], [8, 6, 1, 1], {}],
  [[2, 7, 8, 8], [6, 7, 1, 1], {}], // rows
  [[2, 8, 9, 9], [12, 8, 1, 1], { stride: 2 }], // ResNet's projection shortcut
  [[2, 3, 11, 10], [8, 3, 3, 3], { stride: [2, 1], padding: [0, 1], dilation: 2 }],
  [[2, 3, 12, 12], [8, 3, 5, 5], { padding: [1, 0], dilation: [2, 1] }], // rows
  [[2, 1, 12, 12], [6, 1, 5, 5], { padding: 2 }], // LeNet's first layer, smaller; rows
];

/** Whether the row-segment kernel takes the forward pass of a case. */
const rowCase = (g: ConvGeometry) => g.sw === 1 && g.dw === 1 && g.W % 4 === 0 && g.Wo % 4 === 0;

interface Inputs {
  g: ConvGeometry;
  x: Float32Array;
  w: Float32Array;
  b: Float32Array;
  dy: Float32Array;
}

function inputs(xShape: number[], wShape: number[], options: ConvOptions, seed: number): Inputs {
  const g = convGeometry(xShape, wShape, options);
  return {
    g,
    x: randomArray(sizeOf(xShape), seed),
    w: randomArray(sizeOf(wShape), seed + 1),
    b: randomArray(g.Cout, seed + 2),
    dy: randomArray(g.N * g.Cout * g.Ho * g.Wo, seed + 3),
  };
}

const shapes = (g: ConvGeometry) => ({
  x: [g.N, g.Cin, g.H, g.W],
  w: [g.Cout, g.Cig, g.KH, g.KW],
  y: [g.N, g.Cout, g.Ho, g.Wo],
});

/** Runs the four kernels with `options` and compares each with its reference. */
async function checkAll(v: Inputs, options: ConvOptions, what: string) {
  const s = shapes(v.g);
  const [x, w, b, dy] = [upload(v.x, s.x), upload(v.w, s.w), upload(v.b, [v.g.Cout]), upload(v.dy, s.y)];
  const outs = [
    conv2d(x, w, b, options),
    conv2d(x, w, null, options),
    conv2dBackwardInput(dy, w, s.x, options),
    conv2dBackwardFilter(x, dy, s.w, options),
    conv2dBackwardBias(dy, options),
  ];
  assert.deepEqual(outs[0]!.shape, s.y);
  const [y, yNoBias, dx, dw, db] = await readAll(outs);
  assertClose(y!, conv2dReference(v.x, v.w, v.b, v.g), { ...TOL, what: `${what} forward` });
  assertClose(yNoBias!, conv2dReference(v.x, v.w, null, v.g), { ...TOL, what: `${what} forward, no bias` });
  assertClose(dx!, conv2dBackwardInputReference(v.dy, v.w, v.g), { ...TOL, what: `${what} dx` });
  assertClose(dw!, conv2dBackwardFilterReference(v.x, v.dy, v.g), { ...TOL, what: `${what} dW` });
  assertClose(db!, conv2dBackwardBiasReference(v.dy, s.y), { ...TOL, what: `${what} db` });
  [x, w, b, dy, ...outs].forEach((t) => t.dispose());
}

Deno.test("forward, dx, dW and db match the references, with every kernel family", async () => {
  for (const [k, [xShape, wShape, options]] of CASES.entries()) {
    const v = inputs(xShape, wShape, options, 10 * k);
    // the GEMM is what "auto" runs off the row path; forced on the row cases it runs on more shapes
    for (const kernel of rowCase(v.g) ? ["auto", "gemm", "direct"] as const : ["auto", "direct"] as const) {
      await checkAll(
        v,
        { ...options, kernel },
        `[${xShape}]*[${wShape}] ${JSON.stringify(options)} ${kernel}`,
      );
    }
  }
});

Deno.test("batches larger than one binding are processed in chunks of samples", async () => {
  // one sample: y 726 (576) elements; 4 KiB bindings hold 1 sample, 8 KiB hold 2 (chunks 2, 2, 1)
  for (const xShape of [[5, 4, 11, 11], [5, 4, 8, 12]]) {
    const v = inputs(xShape, [6, 4, 3, 3], { padding: 1 }, 99);
    for (const maxBindingBytes of [4096, 8192]) {
      for (const kernel of ["auto", "gemm", "direct"] as const) {
        await checkAll(
          v,
          { padding: 1, kernel, maxBindingBytes },
          `[${xShape}] limit ${maxBindingBytes} ${kernel}`,
        );
      }
    }
  }
});

/** Σ y·r in float64. */
function loss(y: ArrayLike<number>, r: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < y.length; i++) s += y[i]! * r[i]!;
  return s;
}

// The loss L = Σ conv2d(x, w, b)·r is linear in each of x, w and b, so a central difference has no
// truncation error whatever the step: the only error is rounding. On the CPU (float64) that is ~1e-12; on
// the GPU it is the float32 rounding of the few outputs the perturbed element touches (≤ 36 outputs of
// ≤ 30 terms, ~1e-6 each) over 2h = 1, so 1e-3 is far above it and far below an O(0.1) wrong gradient.
const H = 0.5;

Deno.test("the backward references are the finite differences of the forward reference", () => {
  for (const [xShape, wShape, options] of [CASES[0]!, CASES[4]!, CASES[10]!]) {
    const small = [2, xShape[1]!, Math.min(xShape[2]!, 7), Math.min(xShape[3]!, 6)];
    const v = inputs(small, wShape, options, 5);
    const r = randomArray(v.g.N * v.g.Cout * v.g.Ho * v.g.Wo, 6);
    const f = (x: ArrayLike<number>, w: ArrayLike<number>, b: ArrayLike<number>) =>
      loss(conv2dReference(x, w, b, v.g), r);
    const fd = (which: 0 | 1 | 2) => {
      const args = [Float64Array.from(v.x), Float64Array.from(v.w), Float64Array.from(v.b)];
      return Array.from(args[which]!, (_, i) => {
        const plus = args.map((a) => a.slice()), minus = args.map((a) => a.slice());
        plus[which]![i] += H;
        minus[which]![i] -= H;
        return (f(plus[0]!, plus[1]!, plus[2]!) - f(minus[0]!, minus[1]!, minus[2]!)) / (2 * H);
      });
    };
    const tol = { atol: 1e-9, rtol: 1e-9 };
    assertClose(conv2dBackwardInputReference(r, v.w, v.g), fd(0), { ...tol, what: "dx reference" });
    assertClose(conv2dBackwardFilterReference(v.x, r, v.g), fd(1), { ...tol, what: "dW reference" });
    assertClose(conv2dBackwardBiasReference(r, shapes(v.g).y), fd(2), { ...tol, what: "db reference" });
  }
});

Deno.test("the GPU gradients are the finite differences of the GPU forward", async () => {
  // the row-segment kernel (1), the GEMM with stride classes and groups (3), depthwise (4), dilation (10)
  for (const [k, [xShape, wShape, options]] of [CASES[1]!, CASES[3]!, CASES[4]!, CASES[10]!].entries()) {
    const small = [2, xShape[1]!, Math.min(xShape[2]!, 7), Math.min(xShape[3]!, 8)];
    const v = inputs(small, wShape, options, 20 + k);
    const s = shapes(v.g);
    const r = randomArray(s.y.reduce((a, b) => a * b), 7);
    const rt = upload(r, s.y);
    const base = [v.x, v.w, v.b];
    const argShapes = [s.x, s.w, [v.g.Cout]];
    const [x, w, b] = base.map((a, i) => upload(a, argShapes[i]!));
    const grads = [conv2dBackwardInput(rt, w!, s.x, options), conv2dBackwardFilter(x!, rt, s.w, options)];
    grads.push(conv2dBackwardBias(rt));
    // 10 random coordinates of each argument, plus its first and last
    const rand = testRandom(k);
    const picks = base.flatMap((a, which) =>
      [0, a.length - 1, ...Array.from({ length: 10 }, () => Math.floor(rand() * a.length))].map((
        i,
      ) => [which, i])
    );
    const runs: tf.Tensor[] = [];
    for (const [which, i] of picks) {
      for (const sign of [1, -1]) {
        const args = base.map((a) => a.slice());
        args[which!]![i!] += sign * H;
        const t = args.map((a, j) => upload(a, argShapes[j]!));
        runs.push(conv2d(t[0]!, t[1]!, t[2]!, options));
        t.forEach((u) => u.dispose());
      }
    }
    const got = await readAll([...grads, ...runs]);
    picks.forEach(([which, i], p) => {
      const fd = (loss(got[3 + 2 * p]!, r) - loss(got[4 + 2 * p]!, r)) / (2 * H);
      const what = `${JSON.stringify(options)}: d/d${["x", "w", "b"][which!]}[${i}]`;
      assertClose([got[which!]![i!]!], [fd], { atol: 1e-3, rtol: 1e-3, what });
    });
    [rt, x!, w!, b!, ...grads, ...runs].forEach((t) => t.dispose());
  }
});

Deno.test("shape errors name the shapes", () => {
  const x = upload(new Float32Array(2 * 4 * 5 * 5), [2, 4, 5, 5]);
  assert.throws(
    () => conv2d(x, upload(new Float32Array(6 * 3 * 9), [6, 3, 3, 3])),
    /input \[2,4,5,5\] with weights \[6,3,3,3\]/,
  );
  assert.throws(
    () => conv2d(x, upload(new Float32Array(6 * 2 * 9), [6, 2, 3, 3]), null, { groups: 4 }),
    /groups/,
  );
  assert.throws(
    () => conv2d(x, upload(new Float32Array(6 * 4 * 49), [6, 4, 7, 7])),
    /larger than the padded/,
  );
});
