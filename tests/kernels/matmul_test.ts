import assert from "node:assert/strict";
import { matmul, matmulReference, pairwise, pairwiseInto, pairwiseReference } from "../../kernels/matmul.ts";
import { ready } from "../../kernels/runtime/runtime.ts";
import { runtime } from "../../kernels/runtime/runtime.ts";
import { bufferOf, emptyTensor, readAll, upload } from "../../kernels/runtime/tensor.ts";
import { assertClose, randomArray } from "./util.ts";

await ready();

// float32 products of K terms in [-1, 1]: rounding grows like sqrt(K)·2^-24·K; 1e-4 relative is ample for
// K ≤ 300 and still catches any indexing error (which shows up as O(1) differences).
const TOL = { atol: 1e-4, rtol: 1e-4 };

Deno.test("matmul matches the reference for every transpose and layout on awkward sizes", async () => {
  const sizes: [number, number, number][] = [[1, 1, 1], [3, 5, 7], [17, 12, 9], [65, 130, 33], [64, 64, 64], [
    2,
    129,
    300,
  ]];
  for (const [M, N, K] of sizes) {
    for (const transposeA of [false, true]) {
      for (const transposeB of [false, true]) {
        const a = randomArray(M * K, M + K), b = randomArray(K * N, N * K + 1);
        const c = matmul(upload(a, transposeA ? [K, M] : [M, K]), upload(b, transposeB ? [N, K] : [K, N]), {
          transposeA,
          transposeB,
        });
        assert.deepEqual(c.shape, [M, N]);
        const [got] = await readAll([c]);
        assertClose(got!, matmulReference(a, b, M, N, K, { transposeA, transposeB }), {
          ...TOL,
          what: `${M}x${N}x${K} tA=${transposeA} tB=${transposeB}`,
        });
      }
    }
  }
});

Deno.test("batched matmul, with a batch of 1 broadcasting", async () => {
  const [M, N, K] = [9, 8, 12];
  for (const [batchA, batchB] of [[3, 3], [1, 3], [3, 1]] as const) {
    const a = randomArray(batchA * M * K, 5), b = randomArray(batchB * K * N, 6);
    const c = matmul(upload(a, [batchA, M, K]), upload(b, [batchB, K, N]));
    assert.deepEqual(c.shape, [3, M, N]);
    const [got] = await readAll([c]);
    assertClose(got!, matmulReference(a, b, M, N, K, { batch: 3, batchA, batchB }), TOL);
  }
});

Deno.test("matmul tiles rows when an operand exceeds one binding", async () => {
  const [M, N, K] = [300, 20, 24];
  const a = randomArray(M * K, 7), b = randomArray(K * N, 8);
  for (const transposeB of [false, true]) {
    // 8 KiB bindings: A (28 KiB) and C (23 KiB) must be split into row windows; B (1.9 KiB) fits
    const c = matmul(upload(a, [M, K]), upload(b, transposeB ? [N, K] : [K, N]), {
      transposeB,
      maxBindingBytes: 8192,
    });
    const [got] = await readAll([c]);
    assertClose(got!, matmulReference(a, b, M, N, K, { transposeB }), { ...TOL, what: `tB=${transposeB}` });
  }
});

Deno.test("matmul refuses mismatched shapes with both shapes named", () => {
  assert.throws(
    () => matmul(upload(new Float32Array(6), [2, 3]), upload(new Float32Array(8), [4, 2])),
    /inner dimensions differ: \[2,3\] · \[4,2\]/,
  );
});

Deno.test("pairwise distances and cosine similarities match the reference, whole and by tiles", async () => {
  for (const [n, m, d] of [[1, 1, 1], [7, 5, 3], [70, 33, 128], [130, 65, 12]]) {
    const x = randomArray(n * d, n), y = randomArray(m * d, m + 1);
    for (const metric of ["sqeuclidean", "cosine"] as const) {
      const want = pairwiseReference(x, y, d, metric);
      const [got] = await readAll([pairwise(upload(x, [n, d]), upload(y, [m, d]), { metric })]);
      assertClose(got!, want, { ...TOL, what: `${metric} ${n}x${m}x${d}` });
      const start = Math.floor(n / 3), count = n - start - Math.floor(n / 4);
      const [tile] = await readAll([
        pairwise(upload(x, [n, d]), upload(y, [m, d]), {
          metric,
          rows: { start, count },
          maxBindingBytes: Math.max(4096, 4 * m * d + 256),
        }),
      ]);
      assertClose(tile!, want.subarray(start * m, (start + count) * m), { ...TOL, what: `${metric} tile` });
    }
  }
});

Deno.test("pairwiseInto writes the same values as pairwise into a block of a wider matrix, nothing else", async () => {
  for (const [n, m, d, metric] of [[37, 29, 12, "cosine"], [20, 33, 7, "sqeuclidean"]] as const) {
    const x = upload(randomArray(n * d, n), [n, d]), y = upload(randomArray(m * d, m), [m, d]);
    const [start, count, offset, stride] = [5, 11, 3, m + 6];
    const out = upload(new Float32Array(offset + count * stride + 4).fill(-7), [offset + count * stride + 4]);
    pairwiseInto(x, y, { buffer: bufferOf(out), offset, stride }, { metric, rows: { start, count } });
    const tile = pairwise(x, y, { metric, rows: { start, count } });
    const [got, want] = await readAll([out, tile]) as Float32Array[];
    for (let i = 0; i < got!.length; i++) {
      const r = Math.floor((i - offset) / stride), c = (i - offset) % stride;
      const inside = i >= offset && r < count && c < m;
      assert.equal(got![i], inside ? want![r * m + c] : -7, `${metric} element ${i}`);
    }
    [x, y, out, tile].forEach((t) => t.dispose());
  }
  const x = upload(randomArray(8, 1), [4, 2]);
  const small = emptyTensor([16]);
  runtime().recorder.clear(bufferOf(small));
  assert.throws(
    () => pairwiseInto(x, x, { buffer: bufferOf(small), offset: 0, stride: 3 }),
    /row stride ≥ 4/,
  );
  x.dispose();
  small.dispose();
});

Deno.test("pairwise distance of a point to itself is exactly 0, never negative", async () => {
  const x = randomArray(50 * 16, 3, 100, 101); // large norms: cancellation would go negative unclamped
  const [got] = await readAll([pairwise(upload(x, [50, 16]), upload(x, [50, 16]))]);
  for (let i = 0; i < 50; i++) assert.ok(got![i * 50 + i]! >= 0 && got![i * 50 + i]! < 1e-1);
  assert.ok(got!.every((v) => v >= 0));
});
