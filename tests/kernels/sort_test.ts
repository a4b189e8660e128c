import * as tf from "npm:@tensorflow/tfjs-core@4.22.0";
import assert from "node:assert/strict";
import { ready, runtime } from "../../kernels/runtime/runtime.ts";
import { emptyTensor, readAll, upload } from "../../kernels/runtime/tensor.ts";
import {
  argsort,
  argsortBits,
  argsortBitsReference,
  argsortReference,
  sort,
  topk,
  topkReference,
} from "../../kernels/sort.ts";
import { testRandom } from "./util.ts";

await ready();

const SIZES = [0, 1, 2, 3, 63, 64, 65, 1000, 4097];

/** `n` keys of a kind: continuous, drawn from 5 values (many ties), or with NaN, ±0 and ±Infinity mixed in. */
function keys(n: number, seed: number, kind: "continuous" | "ties" | "special"): Float32Array {
  const r = testRandom(seed);
  const special = [NaN, -0, 0, Infinity, -Infinity, 1, -1];
  return Float32Array.from({ length: n }, () => {
    if (kind === "ties") return Math.floor(r() * 5) - 2;
    if (kind === "special" && r() < 0.3) return special[Math.floor(r() * special.length)]!;
    return r() * 200 - 100;
  });
}

/** The values a float row takes at `indices`, compared by bits so that NaN and -0 must match too. */
function bitsAt(x: Float32Array, indices: ArrayLike<number>): Uint32Array {
  const u = new Uint32Array(x.buffer, x.byteOffset, x.length);
  return Uint32Array.from(indices, (i) => u[i]!);
}

Deno.test("argsort and sort match the reference on awkward sizes, ties, NaN and both directions", async () => {
  for (const n of SIZES) {
    for (const kind of ["continuous", "ties", "special"] as const) {
      for (const descending of [false, true]) {
        const x = keys(n, n + 1, kind);
        const t = upload(x, [n]);
        const i = argsort(t, { descending });
        const s = sort(t, { descending });
        const [gi, gv, gsi] = await readAll([i, s.values, s.indices]);
        const want = argsortReference(x, { descending });
        const what = `n=${n} ${kind} descending=${descending}`;
        assert.deepEqual(gi, want, `argsort ${what}`);
        assert.deepEqual(gsi, want, `sort indices ${what}`);
        assert.deepEqual(new Uint32Array(gv!.buffer), bitsAt(x, want), `sort values ${what}`);
        tf.dispose([t, i, s.values, s.indices]);
      }
    }
  }
});

Deno.test("the tie rule: equal keys (and -0, +0) keep index order, NaN last, in both directions", async () => {
  const x = new Float32Array([2, NaN, -0, 2, 0, NaN, -1, 2]);
  const [up, down] = await readAll([argsort(upload(x, [8])), argsort(upload(x, [8]), { descending: true })]);
  assert.deepEqual(Array.from(up!), [6, 2, 4, 0, 3, 7, 1, 5]);
  assert.deepEqual(Array.from(down!), [0, 3, 7, 2, 4, 6, 1, 5]);
});

Deno.test("large sorts: 2^17 + 3 keys, and 2^18 keys with ties", async () => {
  for (const [n, kind, descending] of [[2 ** 17 + 3, "special", false], [2 ** 18, "ties", true]] as const) {
    const x = keys(n, 5, kind);
    const t = upload(x, [n]);
    const i = argsort(t, { descending });
    const [got] = await readAll([i]);
    assert.deepEqual(got, argsortReference(x, { descending }), `n=${n}`);
    tf.dispose([t, i]);
  }
});

Deno.test("rows sort independently", async () => {
  for (const [rows, n] of [[3, 65], [5, 1000], [7, 1], [2, 0], [0, 4], [4, 4097]]) {
    const x = keys(rows! * n!, rows! + n!, "ties");
    const t = upload(x, [rows!, n!]);
    const { values, indices } = sort(t, { descending: true });
    assert.deepEqual(indices.shape, [rows, n]);
    const [gv, gi] = await readAll([values, indices]);
    for (let r = 0; r < rows!; r++) {
      const row = x.subarray(r * n!, (r + 1) * n!);
      const want = argsortReference(row, { descending: true });
      assert.deepEqual(gi!.subarray(r * n!, (r + 1) * n!), want, `row ${r} of [${rows}, ${n}]`);
      assert.deepEqual(gv!.subarray(r * n!, (r + 1) * n!), Float32Array.from(want, (i) => row[i]!));
    }
    tf.dispose([t, values, indices]);
  }
});

Deno.test("topk matches the reference for k = 0, 1, small, N, rows, largest and smallest", async () => {
  const cases: [number, number][] = [[1, 1], [1, 3], [1, 64], [1, 65], [1, 1000], [3, 4097], [4, 300], [
    1,
    2 ** 17 + 3,
  ]];
  for (const [rows, n] of cases) {
    const ks = n > 10000 ? [1, 17, n] : [0, 1, 2, 5, 17, 64, n - 1, n];
    for (const k of ks.filter((k) => k >= 0 && k <= n)) {
      for (const largest of [true, false]) {
        const kind = k % 2 === 0 ? "ties" : "special";
        const x = keys(rows * n, n + k, kind);
        const t = upload(x, rows === 1 ? [n] : [rows, n]);
        const { values, indices } = topk(t, k, { largest });
        assert.deepEqual(indices.shape, rows === 1 ? [k] : [rows, k]);
        const [gv, gi] = await readAll([values, indices]);
        const want = topkReference(x, rows, n, k, { largest });
        const what = `topk [${rows}, ${n}] k=${k} largest=${largest} ${kind}`;
        assert.deepEqual(gi, want.indices, what);
        const wantBits = new Uint32Array(want.values.buffer);
        assert.deepEqual(new Uint32Array(gv!.buffer), wantBits, `${what} values`);
        tf.dispose([t, values, indices]);
      }
    }
  }
});

Deno.test("argsortBits sorts u32 bit patterns ascending, ties by index", async () => {
  for (const n of [...SIZES, 70000]) {
    const r = testRandom(n);
    // few distinct values in small sizes (ties), and the extremes 0 and 0xffffffff
    const pool = [0, 1, 0x7fffffff, 0x80000000, 0xffffffff, 12345];
    const u = Uint32Array.from({ length: n }, () => (r() < 0.5 ? pool[Math.floor(r() * 6)]! : r() * 2 ** 32));
    const t = upload(new Int32Array(u.buffer), [n]);
    const i = argsortBits(t);
    const [got] = await readAll([i]);
    assert.deepEqual(got, argsortBitsReference(u), `n=${n}`);
    tf.dispose([t, i]);
  }
});

Deno.test("bad inputs are refused with what was wrong", () => {
  const x = upload(new Float32Array(8), [2, 2, 2]);
  assert.throws(() => argsort(x), /expected a \[n\] or \[rows, n\] tensor, got shape \[2,2,2\]/);
  const y = upload(new Float32Array(4), [4]);
  assert.throws(() => topk(y, 5), /k = 5 is not an integer in \[0, 4\]/);
  assert.throws(() => argsortBits(y), /expected int32 keys/);
  assert.throws(() => argsort(upload(new Int32Array(2), [2])), /expected float32 keys/);
  tf.dispose([x, y]);
  // 2^12 rows of 2^12 + 1 keys pad to 2^12 x 2^13 pairs: 256 MiB, over the 128 MiB a binding holds on
  // llvmpipe (a real GPU's limit, 2 GiB or more, would need an input of half a GiB: not tried there)
  if ((runtime().limits.maxStorageBufferBindingSize ?? 2 ** 27) >= 2 ** 28) return;
  const big = emptyTensor([2 ** 12, 2 ** 12 + 1]);
  assert.throws(() => topk(big, 1), /268435456 bytes .* binding limit: pass fewer or shorter rows/);
  big.dispose();
});

Deno.test("scratch buffers go back to the pool", async () => {
  const { pool } = runtime();
  const x = upload(keys(5000, 1, "continuous"), [5, 1000]);
  await readAll([x]);
  const long = upload(keys(5000, 2, "continuous"), [5000]); // radix-selected
  await readAll([long]);
  const before = pool.usedBytes;
  const outs = [topk(x, 3), topk(x, 600), sort(x), topk(long, 100)].flatMap((r) => [r.values, r.indices]);
  await readAll(outs);
  tf.dispose(outs);
  assert.equal(pool.usedBytes, before);
  tf.dispose([x, long]);
});

Deno.test("topk of one long row (radix select, then a sort of k) matches the reference", async () => {
  const r = testRandom(7);
  const rows: [string, Float32Array][] = [
    ["continuous 5000", keys(5000, 11, "continuous")],
    ["ties 9000", keys(9000, 12, "ties")],
    ["special 70001", keys(70001, 13, "special")],
    ["all equal 4096", new Float32Array(4096).fill(0.25)],
    ["all NaN 3000", new Float32Array(3000).fill(NaN)],
    // keys that share their top 20 bits: only the last round tells them apart
    ["close 6000", Float32Array.from({ length: 6000 }, () => 1 + Math.floor(r() * 200) * 2 ** -23)],
  ];
  for (const [what, x] of rows) {
    const n = x.length;
    for (const k of [1, 2, 37, 512, Math.floor(n / 4) - 3, 2 ** Math.floor(Math.log2(n / 4))]) {
      for (const largest of [true, false]) {
        const t = upload(x, [n]);
        const { values, indices } = topk(t, k, { largest });
        const [gv, gi] = await readAll([values, indices]);
        const want = topkReference(x, 1, n, k, { largest });
        assert.deepEqual(gi, want.indices, `${what} k=${k} largest=${largest}`);
        assert.deepEqual(new Uint32Array(gv!.buffer), new Uint32Array(want.values.buffer), `${what} values`);
        tf.dispose([t, values, indices]);
      }
    }
  }
});
