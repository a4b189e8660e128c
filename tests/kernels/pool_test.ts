import assert from "node:assert/strict";
import type * as tf from "npm:@tensorflow/tfjs-core@4.22.0";
import {
  adaptiveAvgPool2d,
  adaptiveAvgPool2dBackward,
  adaptiveGeometry,
  avgPool2d,
  avgPool2dBackward,
  avgPool2dBackwardReference,
  avgPool2dReference,
  globalAvgPool2d,
  globalAvgPool2dBackward,
  maxPool2d,
  maxPool2dBackward,
  maxPool2dBackwardReference,
  maxPool2dReference,
  type PoolGeometry,
  poolGeometry,
  type PoolOptions,
} from "../../kernels/pool.ts";
import { ready } from "../../kernels/runtime/runtime.ts";
import { readAll, sizeOf, upload } from "../../kernels/runtime/tensor.ts";
import { assertClose, randomArray, testRandom } from "./util.ts";

await ready();

/** [input shape, options]: odd sizes, overlapping windows (stride < kernel), padding, non-square. */
const CASES: [number[], PoolOptions][] = [
  [[3, 5, 9, 11], { kernel: 3, stride: 2, padding: 1 }], // ResNet-224's stem pool
  [[1, 4, 7, 7], { kernel: 2 }], // LeNet's, on an odd size (floor: 3 × 3)
  [[3, 3, 8, 9], { kernel: 3, stride: 1, padding: 1 }], // InceptionV3's branch pool
  [[2, 2, 5, 6], { kernel: [3, 2], stride: [2, 1], padding: [1, 0] }],
  [[1, 3, 4, 4], { kernel: 4 }], // ResNet's head
  [[3, 6, 10, 8], { kernel: 2 }], // windows that tile the input: one invocation per window in backward
  [[2, 2, 6, 6], { kernel: [3, 2] }], // the same with unequal sides
];

/** Adaptive cases: [input shape, output size]; windows overlap when the sizes do not divide. */
const ADAPTIVE: [number[], [number, number]][] = [
  [[3, 5, 9, 11], [4, 3]],
  [[1, 3, 7, 7], [7, 7]],
  [[2, 2, 5, 3], [3, 5]], // more outputs than inputs along W
  [[2, 3, 6, 7], [1, 1]],
];

/** Distinct multiples of 2^-6 in random order: maxima are unique, and x ± 2^-8 is exact in float32. */
function distinct(n: number, seed: number): Float32Array {
  const r = testRandom(seed);
  const v = Float32Array.from({ length: n }, (_, i) => (i - n / 2) / 64);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(r() * (i + 1));
    [v[i], v[j]] = [v[j]!, v[i]!];
  }
  return v;
}

const outShape = (g: PoolGeometry) => [g.N, g.C, g.Ho, g.Wo];

Deno.test("max pool: values and indices exactly as the reference, ties to the first, NaN wins", async () => {
  for (const [k, [xShape, options]] of CASES.entries()) {
    const g = poolGeometry(xShape, options);
    // small integers: many ties, where the first maximum in row-major order must win
    const r = testRandom(k);
    const x = Float32Array.from({ length: sizeOf(xShape) }, () => Math.floor(r() * 7) - 3);
    x[5] = NaN;
    const { y, indices } = maxPool2d(upload(x, xShape), options);
    assert.equal(indices.dtype, "int32");
    const [gotY, gotI] = await readAll([y, indices]);
    const want = maxPool2dReference(x, g);
    assertClose(gotY!, want.y, { atol: 0, rtol: 0, what: `max pool [${xShape}] values` });
    assert.deepEqual(Array.from(gotI!), Array.from(want.indices), `max pool [${xShape}] indices`);
  }
});

Deno.test("every backward matches its reference, whole and in chunks of planes", async () => {
  // ~one sum of a few dy per input element: 1e-6 covers float32 rounding and the divisions
  const tol = { atol: 1e-6, rtol: 1e-5 };
  for (const maxBindingBytes of [undefined, 2048]) {
    for (const [k, [xShape, options]] of CASES.entries()) {
      const opts = { ...options, maxBindingBytes };
      const g = poolGeometry(xShape, opts);
      const x = distinct(sizeOf(xShape), k), dy = randomArray(sizeOf(outShape(g)), k + 1);
      const xt = upload(x, xShape), dyt = upload(dy, outShape(g));
      const { y, indices } = maxPool2d(xt, opts);
      const outs = [y, indices, maxPool2dBackward(dyt, indices, xShape, opts)];
      for (const countIncludePad of [true, false]) {
        outs.push(
          avgPool2d(xt, { ...opts, countIncludePad }),
          avgPool2dBackward(dyt, xShape, { ...opts, countIncludePad }),
        );
      }
      const got = await readAll(outs);
      const what = `[${xShape}] ${JSON.stringify(opts)}`;
      const want = maxPool2dReference(x, g);
      assertClose(got[0]!, want.y, { atol: 0, rtol: 0, what: `${what} max` });
      assertClose(got[2]!, maxPool2dBackwardReference(dy, want.indices, g), {
        ...tol,
        what: `${what} max dx`,
      });
      [true, false].forEach((countIncludePad, j) => {
        const w = `${what} avg, countIncludePad ${countIncludePad}`;
        assertClose(got[3 + 2 * j]!, avgPool2dReference(x, g, { countIncludePad }), { ...tol, what: w });
        assertClose(got[4 + 2 * j]!, avgPool2dBackwardReference(dy, g, { countIncludePad }), {
          ...tol,
          what: `${w} dx`,
        });
      });
      [xt, dyt, ...outs].forEach((t) => t.dispose());
    }
    for (const [k, [xShape, size]] of ADAPTIVE.entries()) {
      const g = adaptiveGeometry(xShape, size);
      const x = randomArray(sizeOf(xShape), k), dy = randomArray(sizeOf(outShape(g)), k + 1);
      const global = size[0] === 1 && size[1] === 1;
      const opts = { maxBindingBytes };
      const outs = global
        ? [
          globalAvgPool2d(upload(x, xShape), opts),
          globalAvgPool2dBackward(upload(dy, outShape(g)), xShape, opts),
        ]
        : [
          adaptiveAvgPool2d(upload(x, xShape), size, opts),
          adaptiveAvgPool2dBackward(upload(dy, outShape(g)), xShape, opts),
        ];
      assert.deepEqual(outs[0]!.shape, outShape(g));
      const [y, dx] = await readAll(outs);
      const what = `adaptive [${xShape}] → ${size}, limit ${maxBindingBytes}`;
      assertClose(y!, avgPool2dReference(x, g, { adaptive: true }), { ...tol, what });
      assertClose(dx!, avgPool2dBackwardReference(dy, g, { adaptive: true }), { ...tol, what: `${what} dx` });
    }
  }
});

/** Σ y·r in float64. */
function loss(y: ArrayLike<number>, r: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < y.length; i++) s += y[i]! * r[i]!;
  return s;
}

// Central differences of L = Σ y·r. Average pools are linear, so any step is exact but for rounding: with
// h = 0.5 the float32 rounding of the few outputs an element touches (~1e-7 each) over 2h stays ~1e-6. Max
// pools are linear while no window's maximum changes: inputs on a 2^-6 grid and h = 2^-8 keep every
// argmax, x ± h is exact in float32 and so is the pooled output — the difference is exact. 1e-4 is far
// above both and far below a wrong gradient (≥ 1/(kernel area) ≈ 0.06).
const H_MAX = 1 / 256, H_AVG = 0.5;

Deno.test("every backward is the finite difference of its forward, on the GPU and for the references", async () => {
  type Pass = {
    name: string;
    h: number;
    g: PoolGeometry;
    forward: (x: tf.Tensor) => tf.Tensor;
    backward: (dy: tf.Tensor, x: tf.Tensor) => tf.Tensor;
    reference: (x: Float32Array) => ArrayLike<number>;
    referenceBackward: (dy: Float32Array, x: Float32Array) => ArrayLike<number>;
  };
  const passes: Pass[] = [];
  for (const [xShape, options] of [CASES[0]!, CASES[2]!, CASES[3]!]) {
    const g = poolGeometry(xShape, options);
    passes.push({
      name: `max [${xShape}] ${JSON.stringify(options)}`,
      h: H_MAX,
      g,
      forward: (x) => maxPool2d(x, options).y,
      backward: (dy, x) => maxPool2dBackward(dy, maxPool2d(x, options).indices, xShape, options),
      reference: (x) => maxPool2dReference(x, g).y,
      referenceBackward: (dy, x) => maxPool2dBackwardReference(dy, maxPool2dReference(x, g).indices, g),
    }, {
      name: `avg [${xShape}] ${JSON.stringify(options)}`,
      h: H_AVG,
      g,
      forward: (x) => avgPool2d(x, options),
      backward: (dy) => avgPool2dBackward(dy, xShape, options),
      reference: (x) => avgPool2dReference(x, g),
      referenceBackward: (dy) => avgPool2dBackwardReference(dy, g),
    });
  }
  const [xShape, size] = ADAPTIVE[0]!;
  const ga = adaptiveGeometry(xShape, size);
  passes.push({
    name: `adaptive [${xShape}] → ${size}`,
    h: H_AVG,
    g: ga,
    forward: (x) => adaptiveAvgPool2d(x, size),
    backward: (dy) => adaptiveAvgPool2dBackward(dy, xShape),
    reference: (x) => avgPool2dReference(x, ga, { adaptive: true }),
    referenceBackward: (dy) => avgPool2dBackwardReference(dy, ga, { adaptive: true }),
  });
  for (const [k, pass] of passes.entries()) {
    const { g, h } = pass;
    const xShape = [g.N, g.C, g.H, g.W];
    const x = distinct(sizeOf(xShape), k), r = randomArray(sizeOf(outShape(g)), k + 1);
    // references: every coordinate
    const fdRef = Array.from(x, (_, i) => {
      const [plus, minus] = [x.slice(), x.slice()];
      plus[i] += h;
      minus[i] -= h;
      return (loss(pass.reference(plus), r) - loss(pass.reference(minus), r)) / (2 * h);
    });
    assertClose(pass.referenceBackward(r, x), fdRef, {
      atol: 1e-9,
      rtol: 1e-9,
      what: `${pass.name} reference`,
    });
    // GPU: 24 random coordinates, all forwards recorded together and read back once
    const rand = testRandom(k);
    const picks = Array.from({ length: 24 }, () => Math.floor(rand() * x.length));
    const xt = upload(x, xShape);
    const outs = [pass.backward(upload(r, outShape(g)), xt)];
    for (const i of picks) {
      for (const sign of [1, -1]) {
        const xs = x.slice();
        xs[i] += sign * h;
        outs.push(pass.forward(upload(xs, xShape)));
      }
    }
    const got = await readAll(outs);
    picks.forEach((i, p) => {
      const fd = (loss(got[1 + 2 * p]!, r) - loss(got[2 + 2 * p]!, r)) / (2 * h);
      assertClose([got[0]![i]!], [fd], { atol: 1e-4, rtol: 1e-4, what: `${pass.name} dx[${i}]` });
    });
  }
});

Deno.test("pool arguments are validated with the shapes named", () => {
  assert.throws(() => poolGeometry([1, 1, 4, 4], { kernel: 2, padding: 2 }), /at most half the kernel/);
  assert.throws(() => poolGeometry([1, 1, 2, 2], { kernel: 3 }), /larger than the padded input/);
  assert.throws(() => poolGeometry([4, 4], { kernel: 3 }), /\[4,4\] should be \[N, C, H, W\]/);
  const dy = upload(new Float32Array(4), [1, 1, 2, 2]);
  assert.throws(
    () => avgPool2dBackward(dy, [1, 1, 6, 6], { kernel: 2 }),
    /\[1,1,2,2\] should be \[1,1,3,3\]/,
  );
});
