import assert from "node:assert/strict";
import { grid1d, MAIN_1D, PRELUDE } from "../../kernels/prelude_wgsl.ts";
import {
  bitsReference,
  normalReference,
  permutationReference,
  randomBits,
  randomNormal,
  randomPermutation,
  randomUniform,
  seedKey,
  threefry2x32,
  uniformReference,
} from "../../kernels/rng.ts";
import { THREEFRY_WGSL } from "../../kernels/rng_wgsl.ts";
import { ready, runtime } from "../../kernels/runtime/runtime.ts";
import { bufferOf, readAll, upload } from "../../kernels/runtime/tensor.ts";
import { assertClose, testRandom } from "./util.ts";

await ready();

const SIZES = [0, 1, 2, 3, 63, 64, 65, 1000, 4097, 2 ** 17 + 3];
// seeds across the key's two words, up to the largest allowed; streams up to the largest
const SEEDS: [number, number][] = [[0, 0], [42, 1], [2 ** 32 + 5, 7], [2 ** 53, 0xffffffff]];

// Random123 known-answer vectors for Threefry-2x32-20: [key0, key1, ctr0, ctr1, out0, out1]
// (random123 tests/kat_vectors, lines "threefry2x32 20 ctr ctr key key out out")
const KAT = [
  [0, 0, 0, 0, 0x6b200159, 0x99ba4efe],
  [0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff, 0x1cb996fc, 0xbb002be7],
  [0x13198a2e, 0x03707344, 0x243f6a88, 0x85a308d3, 0xc4923a9c, 0x483df7a0],
];

Deno.test("threefry2x32 reproduces the Random123 known-answer vectors", () => {
  for (const [k0, k1, c0, c1, o0, o1] of KAT) assert.deepEqual(threefry2x32(k0!, k1!, c0!, c1!), [o0, o1]);
});

Deno.test("the WGSL threefry2x32 equals the TypeScript one on the vectors and random inputs", async () => {
  const r = testRandom(1);
  const rows = [...KAT.map((v) => v.slice(0, 4))];
  for (let i = 0; i < 200; i++) rows.push([0, 0, 0, 0].map(() => Math.floor(r() * 2 ** 32)));
  const code = `${PRELUDE}${THREEFRY_WGSL}
struct Params { n: u32 }
@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read> xs: array<vec4<u32>>;
@group(0) @binding(2) var<storage, read_write> ys: array<vec2<u32>>;
${MAIN_1D}
  if (i >= p.n) { return; }
  let x = xs[i];
  ys[i] = threefry2x32(x.x, x.y, x.z, x.w);
}`;
  const input = upload(Int32Array.from(rows.flat()), [rows.length, 4]);
  const output = upload(new Int32Array(2 * rows.length), [rows.length, 2]);
  runtime().recorder.dispatch(code, grid1d(rows.length), [rows.length], [bufferOf(input), bufferOf(output)]);
  const got = new Uint32Array((await readAll([output]))[0]!.buffer);
  rows.forEach(([k0, k1, c0, c1], i) => {
    assert.deepEqual([got[2 * i], got[2 * i + 1]], threefry2x32(k0!, k1!, c0!, c1!), `row ${i}`);
  });
  const [g0, g1] = [got[0]!, got[1]!];
  assert.deepEqual([g0.toString(16), g1.toString(16)], ["6b200159", "99ba4efe"]);
});

Deno.test("bits and uniforms equal the reference bit for bit", async () => {
  for (const n of SIZES) {
    for (const [seed, stream] of SEEDS) {
      const bits = randomBits([n], seed, { stream });
      const u = randomUniform([n], seed, { stream });
      const [gotBits, gotU] = await readAll([bits, u]);
      const what = `n=${n} seed=${seed} stream=${stream}`;
      assert.deepEqual(new Uint32Array(gotBits!.buffer), bitsReference(n, seed, stream), `bits ${what}`);
      assert.deepEqual(gotU, uniformReference(n, seed, stream), `uniform ${what}`);
      bits.dispose();
      u.dispose();
    }
  }
});

Deno.test("normals equal the reference within 1e-5", async () => {
  for (const n of SIZES) {
    for (const [seed, stream] of SEEDS) {
      const options = { mean: seed % 3, std: 0.5 + stream % 4, stream };
      const z = randomNormal([n], seed, options);
      const [got] = await readAll([z]);
      assertClose(got!, normalReference(n, seed, options), {
        atol: 1e-5,
        rtol: 1e-5,
        what: `normal n=${n} seed=${seed}`,
      });
      z.dispose();
    }
  }
});

Deno.test("the key is (seed mod 2^32, floor(seed / 2^32)); bad seeds and streams are refused", () => {
  assert.deepEqual(seedKey(0), [0, 0]);
  assert.deepEqual(seedKey(2 ** 32 - 1), [0xffffffff, 0]);
  assert.deepEqual(seedKey(2 ** 53), [0, 2 ** 21]);
  assert.deepEqual(seedKey(3 * 2 ** 32 + 9), [9, 3]);
  // seed 0 is key (0, 0): element 0 and 1 are the first known-answer vector
  assert.deepEqual(Array.from(bitsReference(2, 0)), [0x6b200159, 0x99ba4efe]);
  for (const bad of [-1, 0.5, 2 ** 53 + 2, NaN]) {
    assert.throws(() => seedKey(bad), /not an integer in \[0, 2\^53\]/);
  }
  assert.throws(() => randomUniform([3], 1, { stream: 2 ** 32 }), /stream .* not an integer/);
});

Deno.test("shapes, prefixes and streams", async () => {
  const a = randomUniform([2, 3, 5], 9);
  assert.deepEqual(a.shape, [2, 3, 5]);
  assert.equal(a.dtype, "float32");
  const b = randomBits([4, 2], 9);
  assert.equal(b.dtype, "int32");
  const [ga, gb] = await readAll([a, b]);
  assert.deepEqual(ga, uniformReference(100, 9).subarray(0, 30)); // a shorter draw is a prefix
  assert.deepEqual(new Uint32Array(gb!.buffer), bitsReference(8, 9));
  const s0 = uniformReference(1000, 9, 0), s1 = uniformReference(1000, 9, 1), t0 = uniformReference(1000, 10);
  const same = (x: Float32Array, y: Float32Array) => x.filter((v, i) => v === y[i]).length;
  assert.ok(same(s0, s1) < 3 && same(s0, t0) < 3, "streams and seeds give different sequences");
});

Deno.test("10^5 uniforms and normals have the right mean and variance", async () => {
  const n = 100_000;
  const u = randomUniform([n], 2024);
  const z = randomNormal([n], 2024, { stream: 1 });
  const [gu, gz] = await readAll([u, z]);
  const moments = (x: Float32Array) => {
    let s = 0, s2 = 0;
    for (const v of x) {
      s += v;
      s2 += v * v;
    }
    return [s / x.length, s2 / x.length - (s / x.length) ** 2];
  };
  // bounds are about 5 standard errors of each estimate
  const [mu, vu] = moments(gu as Float32Array);
  assert.ok(Math.abs(mu! - 0.5) < 0.005 && Math.abs(vu! - 1 / 12) < 0.002, `uniform mean ${mu} var ${vu}`);
  assert.ok(gu!.every((v) => v >= 0 && v < 1));
  const [mz, vz] = moments(gz as Float32Array);
  assert.ok(Math.abs(mz!) < 0.016 && Math.abs(vz! - 1) < 0.025, `normal mean ${mz} var ${vz}`);
  const tail = gz!.filter((v) => Math.abs(v) > 1.96).length / n;
  assert.ok(Math.abs(tail - 0.05) < 0.004, `P(|z| > 1.96) = ${tail}`);
});

Deno.test("permutations equal the reference and are permutations", async () => {
  for (const n of [...SIZES, 60000]) {
    for (const seed of [0, 77]) {
      const p = randomPermutation(n, seed, { stream: seed % 5 });
      assert.deepEqual(p.shape, [n]);
      const [got] = await readAll([p]);
      const want = permutationReference(n, seed, seed % 5);
      assert.deepEqual(got, want, `permutation n=${n} seed=${seed}`);
      const seen = new Uint8Array(n);
      for (const i of got!) seen[i] = 1;
      assert.ok(seen.every((s) => s === 1), `n=${n}: not a permutation`);
      p.dispose();
    }
  }
  assert.notDeepEqual(permutationReference(50, 1), permutationReference(50, 2));
});
