import assert from "node:assert/strict";
import { farthestFirst, herding } from "../../kernels/greedy.ts";
import { herding as herdingReference } from "../../selectors/reference/herding.ts";
import { ready } from "../../kernels/runtime/runtime.ts";
import { readAll, upload } from "../../kernels/runtime/tensor.ts";
import { farthestFirst as farthestFirstReference } from "../../selectors/reference/farthest_first.ts";
import { randomArray } from "./util.ts";

await ready();

function sqDistance(x: Float32Array, d: number) {
  return (a: number, b: number) => {
    let s = 0;
    for (let c = 0; c < d; c++) s += (x[a * d + c]! - x[b * d + c]!) ** 2;
    return s;
  };
}

function symKl(p: Float32Array, c: number, eps = 1e-12) {
  return (a: number, b: number) => {
    let s = 0;
    for (let j = 0; j < c; j++) {
      const u = Math.max(p[a * c + j]!, eps), v = Math.max(p[b * c + j]!, eps);
      s += (u - v) * (Math.log(u) - Math.log(v));
    }
    return s / 2;
  };
}

Deno.test("farthest-first on the GPU picks what the reference picks", async () => {
  for (
    const [m, d, k, first] of [[1, 3, 1, 0], [5, 1, 5, 2], [200, 7, 40, 13], [500, 16, 50, 7], [
      1000,
      33,
      100,
      999,
    ]]
  ) {
    const x = randomArray(m * d, m + d);
    const [got] = await readAll([farthestFirst(upload(x, [m, d]), k, first)]);
    assert.deepEqual(Array.from(got!), Array.from(farthestFirstReference(m, k, first, sqDistance(x, d))));
  }
});

Deno.test("farthest-first with windows smaller than the features", async () => {
  const [m, d, k] = [700, 12, 60];
  const x = randomArray(m * d, 4);
  const [got] = await readAll([farthestFirst(upload(x, [m, d]), k, 5, { maxBindingBytes: 4096 })]);
  assert.deepEqual(Array.from(got!), Array.from(farthestFirstReference(m, k, 5, sqDistance(x, d))));
});

/** m rows of c class probabilities; `peaked` rows put most of their mass on one class, as a model's do. */
function probabilities(m: number, c: number, seed: number, peaked = false): Float32Array {
  const raw = randomArray(m * c, seed, 0, 1);
  for (let i = 0; i < m; i++) {
    if (peaked) raw[i * c + (i % c)]! += 4 * c;
    let s = 0;
    for (let j = 0; j < c; j++) s += raw[i * c + j]!;
    for (let j = 0; j < c; j++) raw[i * c + j]! /= s;
  }
  return raw;
}

Deno.test("farthest-first with the symmetric KL distance on probabilities", async () => {
  // Rows stop summing once their partial divergence reaches their nearest distance: spread and peaked
  // probabilities (most rows stop after the centre's top class), one and two classes, small windows.
  const cases: [number, number, number, boolean, number?][] = [
    [300, 10, 30, false],
    [300, 10, 60, true],
    [257, 37, 40, true, 4096],
    [50, 1, 5, false],
    [90, 2, 20, true],
  ];
  for (const [m, c, k, peaked, maxBindingBytes] of cases) {
    const raw = probabilities(m, c, m + c, peaked);
    const options = { metric: "symkl" as const, maxBindingBytes };
    const [got] = await readAll([farthestFirst(upload(raw, [m, c]), k, 3, options)]);
    const want = farthestFirstReference(m, k, 3, symKl(raw, c));
    assert.deepEqual(Array.from(got!), Array.from(want), `m=${m} c=${c} peaked=${peaked}`);
  }
});

Deno.test("symmetric KL over duplicated rows: rows are reordered by class, ties still go to the lowest index", async () => {
  // 5 distinct distributions, each repeated in scattered rows: every pick after the first 5 is a tie at
  // distance 0, and the GPU works on the rows sorted by their two most probable classes
  const [m, c] = [60, 4];
  const distinct = probabilities(5, c, 9);
  const raw = new Float32Array(m * c);
  for (let i = 0; i < m; i++) raw.set(distinct.subarray(((i * 7) % 5) * c, ((i * 7) % 5 + 1) * c), i * c);
  for (const first of [0, 31, 59]) {
    const [got] = await readAll([farthestFirst(upload(raw, [m, c]), m, first, { metric: "symkl" })]);
    const want = farthestFirstReference(m, m, first, symKl(raw, c));
    assert.deepEqual(Array.from(got!), Array.from(want), `first=${first}`);
  }
});

Deno.test("duplicates: picked points are never picked again, ties go to the lowest index", async () => {
  const x = new Float32Array([1, 1, 1, 1, 2, 2]); // rows 0..5 in 1-D: three points at 1, ... all equal
  const [got] = await readAll([farthestFirst(upload(x, [6, 1]), 6, 3)]);
  assert.deepEqual(Array.from(got!), [3, 4, 0, 1, 2, 5]);
});

Deno.test("budget 0 gives an empty result; bad budgets are refused", async () => {
  const x = upload(new Float32Array(4), [2, 2]);
  const [got] = await readAll([farthestFirst(x, 0, 0)]);
  assert.equal(got!.length, 0);
  assert.throws(() => farthestFirst(x, 3, 0), /budget 3 not in 0..2/);
});

Deno.test("herding on the GPU picks what the reference picks, windowed or not", async () => {
  for (
    const [m, d, k, maxBindingBytes] of [
      [1, 2, 1, undefined],
      [6, 1, 6, undefined],
      [300, 7, 60, undefined],
      [
        400,
        16,
        80,
        undefined,
      ],
      [700, 12, 50, 4096],
      [500, 9, 40, 3000], // windows of 16·⌊(750 − 64)/9/16⌋ = 64 rows, a partial last one
    ]
  ) {
    const x = randomArray(m! * d!, m! + 3 * d!);
    const features = { data: x, rows: m!, cols: d! };
    const want = herdingReference({ features }, { budget: k! }).indices;
    const [got] = await readAll([herding(upload(x, [m!, d!]), k!, { maxBindingBytes })]);
    assert.deepEqual(Array.from(got!), Array.from(want), `m=${m} d=${d} k=${k}`);
  }
});
