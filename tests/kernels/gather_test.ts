import assert from "node:assert/strict";
import {
  gather,
  gatherReference,
  gatherRows,
  scatterAddRows,
  scatterReference,
  scatterRows,
} from "../../kernels/gather.ts";
import { ready } from "../../kernels/runtime/runtime.ts";
import { readAll, sizeOf, upload } from "../../kernels/runtime/tensor.ts";
import { randomArray, testRandom } from "./util.ts";

await ready();

/** `k` indices in [lo, hi), with repeats. */
function randomIndices(k: number, lo: number, hi: number, seed: number): Int32Array {
  const r = testRandom(seed);
  return Int32Array.from({ length: k }, () => lo + Math.floor(r() * (hi - lo)));
}

Deno.test("gather along every axis of a rank-3 input, with out-of-range indices giving zeros", async () => {
  const shape = [3, 5, 7];
  const x = randomArray(sizeOf(shape), 1);
  const t = upload(x, shape);
  for (const axis of [0, 1, 2, -1]) {
    const A = shape.at(axis)!;
    for (const K of [1, 4, 67]) {
      const idx = randomIndices(K, -2, A + 2, K + A);
      const y = gather(t, idx, axis);
      const want = gatherReference(x, shape, idx, axis);
      assert.deepEqual(y.shape, want.shape);
      assert.deepEqual((await readAll([y]))[0], want.values, `gather axis ${axis}, K ${K}`);
    }
  }
});

Deno.test("gatherRows keeps dtype and bits; index tensors of any shape; empty cases", async () => {
  const ints = Int32Array.from({ length: 65 * 3 }, (_, i) => i * 2654435761);
  const idx = randomIndices(129, -1, 66, 2);
  const [rows] = await readAll([gatherRows(upload(ints, [65, 3]), idx)]);
  assert.deepEqual(rows, gatherReference(ints, [65, 3], idx).values);
  const nan = new Float32Array(new Uint32Array([0x7fc01234, 0xff800000, 0x80000000]).buffer);
  const [bits] = await readAll([gatherRows(upload(nan, [3]), new Int32Array([2, 0, 1]))]);
  assert.deepEqual([...new Uint32Array(bits!.buffer)], [0x80000000, 0x7fc01234, 0xff800000]);
  const y = gather(upload(randomArray(12, 3), [4, 3]), upload(new Int32Array([1, 0, 3, 2]), [2, 2]), 0);
  assert.deepEqual(y.shape, [2, 2, 3]);
  assert.deepEqual(gatherRows(upload(new Float32Array(6), [2, 3]), new Int32Array(0)).shape, [0, 3]);
  const [zeros] = await readAll([gatherRows(upload(new Float32Array(0), [0, 2]), new Int32Array([0, 1]))]);
  assert.deepEqual(zeros, new Float32Array(4));
  assert.throws(() => gather(upload(new Float32Array(2), [2]), upload(new Float32Array(1), [1])), /int32/);
  assert.throws(
    () => gather(upload(new Float32Array(2), [2]), new Int32Array(1), 1),
    /axis 1 is out of range/,
  );
});

Deno.test("scatterRows: last duplicate wins, deterministically; out-of-range indices ignored", async () => {
  for (const [N, D, K] of [[1, 1, 1], [10, 3, 37], [67, 5, 200]]) {
    const target = randomArray(N * D, N);
    const values = randomArray(K * D, K, 2, 3);
    const idx = randomIndices(K, -1, N + 1, N + K);
    const y = scatterRows(upload(target, [N, D]), idx, upload(values, [K, D]));
    const [got] = await readAll([y]);
    assert.deepEqual(got, scatterReference(target, [N, D], idx, values, false), `[${N}, ${D}] K ${K}`);
  }
});

Deno.test("scatterAddRows: duplicates summed in index order, bitwise reproducible; int32 too", async () => {
  const [N, D, K] = [13, 7, 301];
  const target = randomArray(N * D, 1);
  const values = randomArray(K * D, 2);
  const idx = randomIndices(K, -1, N + 1, 3);
  const t = upload(target, [N, D]);
  const v = upload(values, [K, D]);
  const [a, b] = await readAll([scatterAddRows(t, idx, v), scatterAddRows(t, idx, v)]);
  assert.deepEqual(a, b, "two runs differ");
  // each addition rounded to float32 in increasing k: the GPU's correctly rounded f32 add gives the same bits
  assert.deepEqual(a, scatterReference(target, [N, D], idx, values, true));
  const ti = Int32Array.from({ length: 12 }, (_, i) => i);
  const vi = Int32Array.from({ length: 10 }, (_, i) => 100 * i);
  const ii = new Int32Array([3, 0, 3, 3, 5]);
  const [isum] = await readAll([scatterAddRows(upload(ti, [6, 2]), ii, upload(vi, [5, 2]))]);
  assert.deepEqual(isum, scatterReference(ti, [6, 2], ii, vi, true));
  assert.throws(
    () => scatterAddRows(upload(ti, [6, 2]), ii, upload(vi, [2, 5])),
    /values must be int32 \[5,2\]/,
  );
  const [empty] = await readAll([
    scatterRows(upload(ti, [6, 2]), new Int32Array(0), upload(new Int32Array(0), [0, 2])),
  ]);
  assert.deepEqual(empty, ti);
});

Deno.test("inputs and outputs larger than one binding are handled window by window", async () => {
  const opts = { maxBindingBytes: 4096 }; // 1024 elements per binding
  const [N, D, K] = [150, 13, 170]; // x 1950 elements, output 2210, values 2210
  const x = randomArray(N * D, 4);
  const idx = randomIndices(K, -3, N + 3, 5);
  const [rows, cols] = await readAll([
    gatherRows(upload(x, [N, D]), idx, opts),
    gather(upload(x, [N, D]), randomIndices(200, -1, D + 1, 6), 1, opts),
  ]);
  assert.deepEqual(rows, gatherReference(x, [N, D], idx).values);
  assert.deepEqual(cols, gatherReference(x, [N, D], randomIndices(200, -1, D + 1, 6), 1).values);
  const values = randomArray(K * D, 7);
  const [put, add] = await readAll([
    scatterRows(upload(x, [N, D]), idx, upload(values, [K, D]), opts),
    scatterAddRows(upload(x, [N, D]), idx, upload(values, [K, D]), opts),
  ]);
  assert.deepEqual(put, scatterReference(x, [N, D], idx, values, false));
  assert.deepEqual(add, scatterReference(x, [N, D], idx, values, true));
});
