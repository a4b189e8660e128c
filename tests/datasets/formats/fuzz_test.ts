/**
 * Mutation fuzzing of every reader: each mutated file must either parse (to a self-consistent result)
 * or throw a FormatError — never another exception, never a hang.
 */

import assert from "node:assert/strict";
import { FormatError } from "../../../datasets/formats/format_error.ts";
import { maybeGunzip } from "../../../datasets/formats/gzip.ts";
import { readIdx, readIdxImages, readIdxLabels, writeIdx } from "../../../datasets/formats/idx.ts";
import { readQmnistLabels } from "../../../datasets/formats/qmnist.ts";
import { readCifar10, readCifar100 } from "../../../datasets/formats/cifar.ts";
import { readMat } from "../../../datasets/formats/mat.ts";
import { svhnFromMat } from "../../../datasets/formats/svhn_mat.ts";
import { readNpy, writeNpy } from "../../../datasets/formats/npy.ts";
import { cifarBytes, compress, MI, MX, prng, svhnMat, writeMat } from "./fixtures.ts";

const ITERATIONS = 2500;
/** A parse of these tiny files takes well under a millisecond; anything near this is a runaway loop. */
const SLOW_MS = 1000;

type Parse = (bytes: Uint8Array) => unknown;

/** Returns a mutated copy of `base`: byte flips, truncation, insertion, deletion or a large word. */
function mutate(base: Uint8Array, random: () => number): Uint8Array {
  const int = (n: number) => Math.floor(random() * n);
  // Half the mutations land in the first 200 bytes, where the headers and tags are.
  const pos = (n: number) => (random() < 0.5 ? int(Math.min(n, 200)) : int(n));
  let bytes = base.slice();
  const steps = 1 + int(3);
  for (let s = 0; s < steps; s++) {
    const n = bytes.length;
    switch (int(6)) {
      case 0: // flip bits
        if (n > 0) bytes[pos(n)] ^= 1 + int(255);
        break;
      case 1: // truncate
        bytes = bytes.slice(0, int(n + 1));
        break;
      case 2: { // insert random bytes
        const at = pos(n + 1);
        const extra = Uint8Array.from({ length: 1 + int(16) }, () => int(256));
        const out = new Uint8Array(n + extra.length);
        out.set(bytes.subarray(0, at));
        out.set(extra, at);
        out.set(bytes.subarray(at), at + extra.length);
        bytes = out;
        break;
      }
      case 3: { // delete a range
        const at = pos(n + 1);
        const end = Math.min(n, at + 1 + int(16));
        const out = new Uint8Array(n - (end - at));
        out.set(bytes.subarray(0, at));
        out.set(bytes.subarray(end), at);
        bytes = out;
        break;
      }
      case 4: { // overwrite a 4-byte word with an extreme value
        if (n < 4) break;
        const at = pos(n - 3);
        const values = [0xffffffff, 0x7fffffff, 0x80000000, 0x00010000, 0, int(2 ** 32)];
        new DataView(bytes.buffer).setUint32(at, values[int(values.length)], random() < 0.5);
        break;
      }
      case 5: // set a byte to an edge value
        if (n > 0) bytes[pos(n)] = [0, 0xff, 0x7f, 0x80][int(4)];
        break;
    }
  }
  return bytes;
}

async function fuzz(name: string, base: Uint8Array, parse: Parse, seed: number): Promise<void> {
  await parse(base); // the unmutated file must parse
  const random = prng(seed);
  let parsed = 0;
  let rejected = 0;
  for (let i = 0; i < ITERATIONS; i++) {
    const bytes = mutate(base, random);
    const start = performance.now();
    try {
      await parse(bytes);
      parsed++;
    } catch (e) {
      if (!(e instanceof FormatError)) {
        assert.fail(`${name} iteration ${i} (seed ${seed}): ${e instanceof Error ? e.stack : String(e)}`);
      }
      assert.ok(!e.message.includes("\n"), `${name} iteration ${i}: multi-line message ${e.message}`);
      rejected++;
    }
    const ms = performance.now() - start;
    assert.ok(ms < SLOW_MS, `${name} iteration ${i} (seed ${seed}) took ${ms.toFixed(0)} ms`);
  }
  assert.ok(rejected > ITERATIONS / 4, `${name}: only ${rejected} of ${ITERATIONS} mutations rejected`);
  assert.ok(parsed + rejected === ITERATIONS);
}

/** Checks that a parsed IDX/array result is self-consistent. */
function consistent(dims: number[], length: number): void {
  assert.equal(dims.reduce((a, b) => a * b, 1), length);
}

const images = writeIdx({
  dtype: "uint8",
  dims: [3, 4, 4],
  data: Uint8Array.from({ length: 48 }, (_, i) => i * 5),
});
const labels = writeIdx({ dtype: "uint8", dims: [6], data: new Uint8Array([5, 0, 4, 1, 9, 2]) });
const floats = writeIdx({
  dtype: "float64",
  dims: [2, 3],
  data: new Float64Array([0.5, -1, 2, 3, 4, 1e300]),
});
const qmnist = writeIdx({
  dtype: "int32",
  dims: [2, 8],
  data: new Int32Array([5, 4, 2100, 3, 35, 9, 0, 0, 7, 0, 1, 2, 37, 8, 0, 0]),
});

Deno.test("fuzz: IDX", async () => {
  await fuzz("idx images", images, (b) => {
    const r = readIdxImages(b, "f", { rows: 4, cols: 4 });
    assert.equal(r.pixels.length, r.count * 16);
  }, 1);
  await fuzz("idx labels", labels, (b) => assert.ok(readIdxLabels(b, "f", 10).every((l) => l < 10)), 2);
  await fuzz("idx float64", floats, (b) => {
    const r = readIdx(b, "f");
    consistent(r.dims, r.data.length);
  }, 3);
  await fuzz("qmnist", qmnist, (b) => {
    const r = readQmnistLabels(b, "f");
    assert.equal(r.records.length, r.count * 8);
  }, 4);
});

Deno.test("fuzz: gzipped IDX", async () => {
  const gz = await compress(images, "gzip");
  await fuzz("idx.gz", gz, async (b) => {
    const r = readIdx(await maybeGunzip(b, "f.gz"), "f.gz");
    consistent(r.dims, r.data.length);
  }, 5);
});

Deno.test("fuzz: CIFAR", async () => {
  await fuzz("cifar-10", cifarBytes([3, 9]), (b) => {
    const r = readCifar10(b, "f");
    assert.equal(r.pixels.length, r.count * 3072);
  }, 6);
  await fuzz("cifar-100", cifarBytes([99, 0], [19, 1]), (b) => readCifar100(b, "f"), 7);
});

Deno.test("fuzz: MAT", async () => {
  const vars = [
    { name: "a", classCode: MX.DOUBLE, dims: [2, 2], storage: MI.UINT8, values: [1, 2, 3, 4] },
    { name: "b", classCode: MX.INT64, dims: [1, 2], storage: MI.INT32, values: [-1, 5] },
    { name: "c", classCode: MX.SINGLE, dims: [1, 1], storage: MI.DOUBLE, values: [0.5] },
    { name: "s", classCode: MX.CHAR, dims: [1, 2], storage: MI.UINT16, values: [104, 105] },
  ];
  const check = async (b: Uint8Array) => {
    for (const v of (await readMat(b, "f.mat")).values()) consistent(v.dims, v.data.length);
  };
  await fuzz("mat plain BE", await writeMat(vars, { compressed: false, le: false }), check, 8);
  await fuzz("mat compressed", await writeMat(vars), check, 9);
});

Deno.test("fuzz: SVHN .mat", async () => {
  const check = async (b: Uint8Array) => {
    const r = await svhnFromMat(b, "f.mat");
    assert.equal(r.pixels.length, r.count * 3072);
    assert.ok(r.labels.every((l) => l < 10));
  };
  await fuzz("svhn compressed", await svhnMat([10, 3]), check, 10);
  await fuzz("svhn plain", await svhnMat([1], { compressed: false }), check, 11);
});

Deno.test("fuzz: NPY", async () => {
  const check = (b: Uint8Array) => {
    const r = readNpy(b, "f.npy");
    consistent(r.shape, r.data.length);
  };
  await fuzz("npy float32", writeNpy(new Float32Array([1, 2, 3, 4, 5, 6]), [2, 3]), check, 12);
  await fuzz("npy int64", writeNpy(new BigInt64Array([1n, -2n])), check, 13);
});
