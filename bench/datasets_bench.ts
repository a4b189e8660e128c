/**
 * Dataset loading: cold loads of MNIST (embedded) and Fashion-MNIST (Debian's package) up to GPU-ready
 * batches, each in a fresh process; JPEG decoding speed of `@jsquash/jpeg` (ours) beside `jpeg-js` and
 * `@cwasm/jpeg-turbo`; and the streamed TinyImageNet / ImageNet pipelines (read + decode + resize) with 0,
 * 1 and 2 decoding workers. Prints a table; with `--save`, merges it into bench/results/latest.json.
 *
 * ```sh
 * deno run -A bench/datasets_bench.ts [--save]
 * ```
 *
 * @module
 */

import { parseArgs } from "node:util";
import { join } from "node:path";
import encodeJpeg from "npm:@jsquash/jpeg@1.6.0/encode.js";
import jpegJs from "npm:jpeg-js@0.4.4";
import * as cwasm from "npm:@cwasm/jpeg-turbo@0.1.3";
import { decodeImage } from "../datasets/image_decode.ts";
import { loadImageNet } from "../datasets/imagenet.ts";
import { loadDataset } from "../datasets/registry.ts";
import { loadTinyImageNet } from "../datasets/tiny_imagenet.ts";
import { ready } from "../kernels/runtime/runtime.ts";
import { bufferOf } from "../kernels/runtime/tensor.ts";
import { medianMs } from "./peers.ts";
import { type BenchRecord, formatTable, mergeResults } from "./report.ts";

const { values: flags } = parseArgs({
  args: Deno.args,
  options: { save: { type: "boolean" }, "cold-load": { type: "string" } },
});

/** In the child process: load one dataset cold, prepare every training image once, report timings. */
async function coldLoad(name: string): Promise<void> {
  const t0 = performance.now();
  const ds = await loadDataset(name);
  const t1 = performance.now();
  const rt = await ready();
  const first = await ds.train.images(Array.from({ length: 256 }, (_, i) => i));
  await rt.recorder.read([{ buffer: bufferOf(first), offset: 0, size: 4 }]);
  first.dispose();
  const t2 = performance.now();
  let last;
  for (let start = 0; start < ds.train.count; start += 256) {
    last?.dispose();
    last = await ds.train.images(
      Array.from({ length: Math.min(256, ds.train.count - start) }, (_, i) => start + i),
    );
  }
  await rt.recorder.read([{ buffer: bufferOf(last!), offset: 0, size: 4 }]);
  const t3 = performance.now();
  console.log(
    JSON.stringify({
      loadMs: t1 - t0,
      firstBatchMs: t2 - t1,
      epochImagesPerS: ds.train.count / ((t3 - t2) / 1000),
    }),
  );
}

if (flags["cold-load"]) {
  await coldLoad(flags["cold-load"]);
  Deno.exit(0);
}

const records: BenchRecord[] = [];

for (const name of ["MNIST", "FashionMNIST"]) {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", import.meta.filename!, "--cold-load", name],
    stdout: "piped",
    stderr: "piped",
  }).output();
  if (out.code !== 0) {
    console.error(`${name}: ${new TextDecoder().decode(out.stderr).trim().split("\n").at(-1)}`);
    continue;
  }
  const r = JSON.parse(new TextDecoder().decode(out.stdout).trim().split("\n").at(-1)!);
  records.push({ name: `${name} cold load (files → memory)`, unit: "ms", ours: r.loadMs, peers: {} });
  records.push({ name: `${name} first GPU batch of 256`, unit: "ms", ours: r.firstBatchMs, peers: {} });
  records.push({
    name: `${name} GPU batches, whole train set`,
    unit: "images/s",
    ours: r.epochImagesPerS,
    peers: {},
  });
}

/** A noisy RGB test picture encoded as JPEG (quality 85, 4:2:0), like a photo more than a flat colour. */
async function picture(width: number, height: number, seed: number): Promise<Uint8Array> {
  const data = new Uint8ClampedArray(width * height * 4);
  let s = seed;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      s = (s * 1103515245 + 12345) >>> 0;
      const n = (s >>> 24) - 128;
      const i = 4 * (y * width + x);
      data[i] = 128 + 90 * Math.sin(x / 9 + seed) + n / 4;
      data[i + 1] = (255 * x) / width + n / 5;
      data[i + 2] = (255 * y) / height - n / 6;
      data[i + 3] = 255;
    }
  }
  return new Uint8Array(
    await encodeJpeg({ width, height, data, colorSpace: "srgb" } as ImageData, { quality: 85 }),
  );
}

const small = await Promise.all(Array.from({ length: 32 }, (_, k) => picture(64, 64, k)));
const large = await Promise.all(Array.from({ length: 8 }, (_, k) => picture(500, 375, k)));
for (const [label, set] of [["64×64", small], ["500×375", large]] as const) {
  const rate = async (decode: (b: Uint8Array) => unknown) => {
    const ms = await medianMs(async () => {
      for (const b of set) await decode(b);
    });
    return (set.length / ms) * 1000;
  };
  records.push({
    name: `JPEG decode ${label}`,
    unit: "images/s",
    ours: await rate((b) => decodeImage(b, "bench.jpg")),
    peers: {
      "jpeg-js": await rate((b) => jpegJs.decode(b, { useTArray: true })),
      "@cwasm/jpeg-turbo": await rate((b) => cwasm.decode(b)),
    },
  });
}

const dir = await Deno.makeTempDir({ prefix: "deepcore-bench-" });
try {
  const tiny = join(dir, "tiny-imagenet-200");
  await Deno.mkdir(join(tiny, "val", "images"), { recursive: true });
  await Deno.writeTextFile(join(tiny, "wnids.txt"), "n0\n");
  await Deno.writeTextFile(join(tiny, "val", "val_annotations.txt"), "val_0.JPEG\tn0\t0\t0\t1\t1\n");
  await Deno.writeFile(join(tiny, "val", "images", "val_0.JPEG"), small[0]!);
  await Deno.mkdir(join(tiny, "train", "n0", "images"), { recursive: true });
  for (let k = 0; k < 512; k++) {
    await Deno.writeFile(join(tiny, "train", "n0", "images", `n0_${k}.JPEG`), small[k % 32]!);
  }
  const imagenet = join(dir, "imagenet");
  for (const split of ["train", "val"]) {
    await Deno.mkdir(join(imagenet, split, "n01440764"), { recursive: true });
    for (let k = 0; k < 32; k++) {
      await Deno.writeFile(join(imagenet, split, "n01440764", `${k}.JPEG`), large[k % 8]!);
    }
  }
  for (const workers of [0, 1, 2]) {
    const t = await loadTinyImageNet({ dataPath: dir, workers });
    const i = await loadImageNet({ dataPath: imagenet, workers });
    try {
      const ids = (n: number) => Array.from({ length: n }, (_, k) => k);
      const tinyMs = await medianMs(async () => void (await t.train.pixels(ids(256))));
      const netMs = await medianMs(async () => void (await i.test.pixels(ids(32))));
      records.push({
        name: `TinyImageNet decode+resize, ${workers} workers`,
        unit: "images/s",
        ours: 256000 / tinyMs,
        peers: {},
      });
      records.push({
        name: `ImageNet decode+resize+crop, ${workers} workers`,
        unit: "images/s",
        ours: 32000 / netMs,
        peers: {},
      });
    } finally {
      t.close();
      i.close();
    }
  }
} finally {
  await Deno.remove(dir, { recursive: true });
}

console.log(formatTable(records));
console.log(`(${navigator.hardwareConcurrency} CPU cores; workers pay off only when cores are free)`);
if (flags.save) await mergeResults(new URL("./results/latest.json", import.meta.url).pathname, records);
