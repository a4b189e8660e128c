import assert from "node:assert/strict";
import { svhnFromMat } from "../../../datasets/formats/svhn_mat.ts";
import { fromBase64, MI, MX, rejectsFormat, svhnMat, svhnPixel, writeMat } from "./fixtures.ts";
import { MAT_SVHN_SCIPY } from "./golden.ts";

function assertPixels(pixels: Uint8Array, count: number): void {
  assert.equal(pixels.length, count * 3072);
  for (let n = 0; n < count; n++) {
    for (let ch = 0; ch < 3; ch++) {
      for (let r = 0; r < 32; r++) {
        for (let c = 0; c < 32; c++) {
          const got = pixels[((n * 3 + ch) * 32 + r) * 32 + c];
          if (got !== svhnPixel(r, c, ch, n)) assert.fail(`pixel [${n}, ${ch}, ${r}, ${c}] is ${got}`);
        }
      }
    }
  }
}

for (const compressed of [true, false]) {
  for (const le of [true, false]) {
    Deno.test(`svhnFromMat: column-major X to N×3×32×32, label 10 → 0 (${compressed ? "compressed" : "plain"}, ${le ? "LE" : "BE"})`, async () => {
      const set = await svhnFromMat(await svhnMat([10, 1, 5, 9], { compressed, le }), "train_32x32.mat");
      assert.equal(set.count, 4);
      assert.deepEqual(set.labels, new Uint8Array([0, 1, 5, 9]));
      assertPixels(set.pixels, 4);
    });
  }
}

Deno.test("svhnFromMat: a file written by scipy.io.savemat", async () => {
  const set = await svhnFromMat(fromBase64(MAT_SVHN_SCIPY), "scipy.mat");
  assert.equal(set.count, 2);
  assert.deepEqual(set.labels, new Uint8Array([0, 3]));
  assertPixels(set.pixels, 2);
});

Deno.test("svhnFromMat: one image (MATLAB drops the trailing dimension)", async () => {
  const x = Uint8Array.from({ length: 3072 }, (_, i) => svhnPixel(i % 32, (i >> 5) % 32, i >> 10, 0));
  const file = await writeMat([
    { name: "X", classCode: MX.UINT8, dims: [32, 32, 3], storage: MI.UINT8, values: x },
    { name: "y", classCode: MX.DOUBLE, dims: [1, 1], storage: MI.DOUBLE, values: [4] },
  ]);
  const set = await svhnFromMat(file, "one.mat");
  assert.equal(set.count, 1);
  assert.deepEqual(set.labels, new Uint8Array([4]));
  assertPixels(set.pixels, 1);
});

Deno.test("svhnFromMat: missing or malformed variables, bad labels", async () => {
  const x = {
    name: "X",
    classCode: MX.UINT8,
    dims: [32, 32, 3, 2],
    storage: MI.UINT8,
    values: new Uint8Array(6144),
  };
  const y = (values: number[]) => ({
    name: "y",
    classCode: MX.DOUBLE,
    dims: [values.length, 1],
    storage: MI.DOUBLE,
    values,
  });
  await rejectsFormat(
    async () => svhnFromMat(await writeMat([y([1, 2])]), "a.mat"),
    /^a\.mat: expected a variable 'X' \(uint8 32×32×3×N\), found variables \["y"\] — this is not an SVHN cropped-digit/,
  );
  await rejectsFormat(
    async () => svhnFromMat(await writeMat([x]), "a.mat"),
    /expected a variable 'y' \(N×1 labels\), found variables \["X"\]/,
  );
  await rejectsFormat(
    async () => svhnFromMat(await writeMat([{ ...x, classCode: MX.DOUBLE }, y([1, 2])]), "a.mat"),
    /expected 'X' of class uint8 and dims 32×32×3×N, found class double and dims 32×32×3×2/,
  );
  await rejectsFormat(
    async () => svhnFromMat(await writeMat([{ ...x, dims: [32, 32, 1, 6] }, y([1, 2])]), "a.mat"),
    /found class uint8 and dims 32×32×1×6/,
  );
  await rejectsFormat(
    async () => svhnFromMat(await writeMat([x, y([1, 2, 3])]), "a.mat"),
    /expected 'y' of dims 2×1 \(one label per image of 'X'\), found dims 3×1/,
  );
  await rejectsFormat(
    async () => svhnFromMat(await writeMat([x, y([1, 11])]), "a.mat"),
    /^a\.mat: expected labels 1–10 in 'y', found 11 for image 1/,
  );
  await rejectsFormat(
    async () => svhnFromMat(await writeMat([x, y([0, 1])]), "a.mat"),
    /found 0 for image 0/,
  );
  await rejectsFormat(
    async () => svhnFromMat(await writeMat([x, y([1.5, 1])]), "a.mat"),
    /found 1\.5 for image 0/,
  );
  await rejectsFormat(
    async () => svhnFromMat(await writeMat([{ ...x, classCode: MX.CELL }, y([1, 2])]), "a.mat"),
    /expected variable 'X' to be a real numeric array, found cell array/,
  );
});
