import assert from "node:assert/strict";
import {
  augmentDraw,
  prepareBatch,
  prepareBatchReference,
  type PrepareOptions,
} from "../../kernels/augment.ts";
import { threefry2x32 } from "../../kernels/rng.ts";
import { ready } from "../../kernels/runtime/runtime.ts";
import { readAll } from "../../kernels/runtime/tensor.ts";
import { assertClose, testRandom } from "./util.ts";

await ready();

function bytes(n: number, seed: number): Uint8Array {
  const r = testRandom(seed);
  return Uint8Array.from({ length: n }, () => Math.floor(r() * 256));
}

async function check(shape: [number, number, number, number], options: PrepareOptions, seed = 1) {
  const [B, C, H, W] = shape;
  const data = bytes(B * C * H * W, seed);
  const ids = Int32Array.from({ length: B }, (_, i) => 1000 + 37 * i);
  const [got] = await readAll([prepareBatch(data, shape, ids, options)]);
  const want = prepareBatchReference(data, shape, ids, options);
  assertClose(got!, want, { atol: 1e-6, rtol: 0, what: JSON.stringify({ shape, options }) });
  return { data, ids, got: got as Float32Array };
}

Deno.test("normalisation equals (v/255 - mean)/std within 1e-6", async () => {
  const mean = [0.4914, 0.4822, 0.4465], std = [0.247, 0.2435, 0.2616];
  const { data, got } = await check([3, 3, 5, 7], { mean, std });
  for (let i = 0; i < data.length; i++) {
    const c = Math.floor(i / 35) % 3;
    assert.ok(Math.abs(got[i]! - (data[i]! / 255 - mean[c]!) / std[c]!) <= 1e-6, `element ${i}`);
  }
});

Deno.test("one mean/std broadcasts over channels; sizes not a multiple of 4 bytes", async () => {
  await check([1, 1, 3, 3], { mean: [0.1307], std: [0.3081] });
  await check([5, 2, 3, 1], { mean: [0.5], std: [0.25] });
});

Deno.test("crop with reflect and zero padding, and flip, equal the reference draws", async () => {
  for (const padding of ["reflect", "zero"] as const) {
    await check([4, 3, 6, 9], { mean: [0.5], std: [0.5], augment: { seed: 7, stream: 3, padding } });
  }
  await check([4, 1, 28, 28], { mean: [0.1], std: [0.3], augment: { seed: 2 ** 40 + 9, pad: 6 } });
  await check([6, 3, 5, 5], { mean: [0], std: [1], augment: { seed: 1, crop: false } });
  await check([6, 3, 5, 5], {
    mean: [0],
    std: [1],
    augment: { seed: 1, flip: false, padding: "zero", pad: 9 },
  });
});

Deno.test("the output is written in windows when it exceeds one binding", async () => {
  await check([3, 3, 17, 19], { mean: [0.2], std: [0.7], augment: { seed: 5 }, maxBindingBytes: 4096 });
});

Deno.test("a crop is a shifted copy of the padded image and a flip mirrors it (hand-built)", async () => {
  const H = 4, W = 5, pad = 2;
  const img = Uint8Array.from({ length: H * W }, (_, i) => i + 1);
  for (const padding of ["zero", "reflect"] as const) {
    const options: PrepareOptions = { mean: [0], std: [1 / 255], augment: { seed: 3, pad, padding } };
    const mirror = (v: number, n: number) => padding === "zero" ? v : v < 0 ? -v : v >= n ? 2 * n - 2 - v : v;
    for (let id = 0; id < 8; id++) {
      const { top, left, flip } = augmentDraw(3, 0, id, pad);
      const [got] = await readAll([prepareBatch(img, [1, 1, H, W], [id], options)]);
      for (let y = 0; y < H; y++) {
        for (let x = 0; x < W; x++) {
          const xx = flip ? W - 1 - x : x;
          const sy = mirror(y + top - pad, H), sx = mirror(xx + left - pad, W);
          const want = sy >= 0 && sy < H && sx >= 0 && sx < W ? img[sy * W + sx]! : 0;
          assert.ok(Math.abs(got![y * W + x]! - want) < 1e-4, `${padding} id ${id} (${y}, ${x})`);
        }
      }
    }
  }
});

Deno.test("augmentation draws are uniform offsets and fair flips keyed by (seed, id, stream)", () => {
  const counts = new Array(9).fill(0);
  let flips = 0;
  for (let id = 0; id < 9000; id++) {
    const d = augmentDraw(11, 2, id, 4);
    counts[d.top]++;
    counts[d.left]++;
    if (d.flip) flips++;
  }
  for (const c of counts) assert.ok(Math.abs(c - 2000) < 200, `offset counts ${counts}`);
  assert.ok(Math.abs(flips - 4500) < 250, `flips ${flips}`);
  const [x, y] = threefry2x32(11, 0, 5, 2);
  assert.deepEqual(augmentDraw(11, 2, 5, 4), {
    top: Math.floor((x >>> 8) * 9 / 2 ** 24),
    left: Math.floor((y >>> 8) * 9 / 2 ** 24),
    flip: (y & 1) === 1,
  });
  assert.notDeepEqual(
    Array.from({ length: 20 }, (_, i) => augmentDraw(11, 0, i, 4)),
    Array.from({ length: 20 }, (_, i) => augmentDraw(11, 1, i, 4)),
  );
});

Deno.test("bad shapes and options are RangeErrors", () => {
  const ok = { mean: [0], std: [1] };
  assert.throws(() => prepareBatch(new Uint8Array(3), [1, 1, 2, 2], [0], ok), RangeError);
  assert.throws(() => prepareBatch(new Uint8Array(4), [1, 1, 2, 2], [0, 1], ok), RangeError);
  assert.throws(
    () => prepareBatch(new Uint8Array(8), [1, 2, 2, 2], [0], { mean: [0, 0, 0], std: [1] }),
    RangeError,
  );
  assert.throws(
    () => prepareBatch(new Uint8Array(4), [1, 1, 2, 2], [0], { ...ok, augment: { seed: 1 } }),
    RangeError,
  );
});
