import assert from "node:assert/strict";
import { reduce, type ReduceOp, reduceReference } from "../../kernels/reduce.ts";
import { ready } from "../../kernels/runtime/runtime.ts";
import { readAll, sizeOf, upload } from "../../kernels/runtime/tensor.ts";
import { assertClose, randomArray, testRandom } from "./util.ts";

await ready();

const OPS: ReduceOp[] = ["sum", "mean", "max", "min", "argmax", "argmin"];

/** Integer-valued floats in [-k, k]: sums stay exact in f32 (< 2^24) whatever the order, and ties abound. */
function randomInts(n: number, seed: number, k = 20): Float32Array {
  const r = testRandom(seed);
  return Float32Array.from({ length: n }, () => Math.floor(r() * (2 * k + 1)) - k);
}

/** Runs every op of `ops` on x, compares with the reference: exact except the mean (one f32 division). */
async function check(
  x: Float32Array,
  shape: number[],
  axis: number | null,
  { keepDims = false, maxBindingBytes = undefined as number | undefined, ops = OPS } = {},
) {
  const t = upload(x, shape);
  const outs = ops.map((op) => reduce(op, t, axis, { keepDims, maxBindingBytes }));
  const got = await readAll(outs);
  ops.forEach((op, k) => {
    const want = reduceReference(op, x, shape, axis, keepDims);
    const what = `${op}([${shape}], axis ${axis}${keepDims ? ", keepDims" : ""}, limit ${maxBindingBytes})`;
    assert.deepEqual(outs[k]!.shape, want.shape, `${what}: shape`);
    assert.equal(outs[k]!.dtype, op.startsWith("arg") ? "int32" : "float32", `${what}: dtype`);
    // the GPU's f32 division need not be correctly rounded (WGSL allows 2.5 ulp)
    const tol = op === "mean" ? { rtol: 1e-6, atol: 0 } : { rtol: 0, atol: 0 };
    assertClose(got[k]!, want.values, { ...tol, what });
  });
  t.dispose();
  outs.forEach((o) => o.dispose());
}

Deno.test("every axis of a rank-3 input, with and without keepDims", async () => {
  const shape = [3, 5, 7];
  const x = randomInts(sizeOf(shape), 1, 3);
  for (const axis of [0, 1, 2, -1, null]) {
    for (const keepDims of [false, true]) await check(x, shape, axis, { keepDims });
  }
});

Deno.test("many short rows and few long ones (the two-pass and three-pass split)", async () => {
  await check(randomInts(60000 * 10, 2), [60000, 10], 1);
  await check(randomInts(60000 * 10, 3), [60000, 10], 0); // 10 outputs, R = 60000: split
  await check(randomInts(3 * 3001, 4), [3, 3001], 1);
  await check(randomInts(200003, 5), [1, 200003], null); // 200003 → 781 → 3 → 1
  await check(randomInts(5 * 1001 * 3, 6), [5, 1001, 3], 1);
});

Deno.test("size 1, empty outputs and empty axes", async () => {
  await check(new Float32Array([4]), [1], null);
  await check(new Float32Array([4]), [1, 1, 1], 1, { keepDims: true });
  const empty = upload(new Float32Array(0), [4, 0]);
  assert.deepEqual(reduce("sum", empty, 0).shape, [0]);
  const alongEmpty = ["sum", "mean", "max", "min"].map((op) => reduce(op as ReduceOp, empty, 1));
  const got = await readAll(alongEmpty);
  assert.deepEqual([...got[0]!], [0, 0, 0, 0]);
  assert.ok(got[1]!.every(Number.isNaN));
  assert.deepEqual([...got[2]!], [-Infinity, -Infinity, -Infinity, -Infinity]);
  assert.deepEqual([...got[3]!], [Infinity, Infinity, Infinity, Infinity]);
  assert.throws(() => reduce("argmax", empty, 1), /argmax along an axis of length 0/);
  assert.throws(() => reduce("sum", empty, 2), /axis 2 is out of range for a tensor of shape \[4,0\]/);
});

Deno.test("inputs larger than one binding are reduced window by window", async () => {
  const lim = 4096; // 1024 elements per binding
  await check(randomInts(50 * 37, 7), [50, 37], 1, { maxBindingBytes: lim }); // windows of whole rows
  await check(randomInts(50 * 37, 8), [50, 37], 0, { maxBindingBytes: lim }); // rows of one slice
  await check(randomInts(3 * 2 * 1500, 9), [3, 2, 1500], 1, { maxBindingBytes: lim }); // column ranges
  await check(randomInts(5000, 10), [5000], null, { maxBindingBytes: lim }); // windows, then split
  await check(randomInts(7 * 3001, 11), [7, 3001], 1, { maxBindingBytes: lim, ops: ["mean", "argmin"] });
});

Deno.test("ties go to the lowest index, NaN wins, -inf is a value", async () => {
  const nan = NaN, inf = Infinity;
  const rows = [
    [1, 3, 3, 2, 3],
    [1, nan, 3, nan, -inf],
    [-inf, -inf, -inf, -inf, -inf],
    [inf, 0, inf, -inf, -inf],
  ];
  await check(Float32Array.from(rows.flat()), [4, 5], 1);
  // in the split path the maxima land in different strided chunks and meet in the combine pass
  const long = new Float32Array(9001);
  long[7000] = 5, long[700] = 5, long[8000] = -5, long[1234] = -5;
  await check(long, [9001], null);
  long[4321] = nan;
  long[8765] = nan;
  await check(long, [9001], null);
});

Deno.test("random floats: sums within float32 rounding, int32 inputs", async () => {
  const shape = [7, 20001];
  const x = randomArray(sizeOf(shape), 12);
  const t = upload(x, shape);
  const [sum, mean] = await readAll([reduce("sum", t, 1), reduce("mean", t, 1)]);
  // f32 partial sums of ~√R magnitude, each addition off by ≤ half an ulp: the error stays far below 1e-3
  // for R = 20001, while a dropped or doubled element would move the sum by ~0.5 on average
  assertClose(sum!, reduceReference("sum", x, shape, 1).values, { atol: 1e-3, rtol: 0, what: "sum" });
  assertClose(mean!, reduceReference("mean", x, shape, 1).values, { atol: 1e-7, rtol: 0, what: "mean" });
  const ints = Int32Array.from({ length: 999 }, (_, i) => (i * 7919) % 1000 - 500);
  const [isum, imax] = await readAll([
    reduce("sum", upload(ints, [999])),
    reduce("argmax", upload(ints, [999])),
  ]);
  assert.equal(isum![0], ints.reduce((a, b) => a + b, 0));
  assert.equal(imax![0], ints.indexOf(Math.max(...ints)));
});
