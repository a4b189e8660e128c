import assert from "node:assert/strict";
import { join } from "node:path";
import { DatasetFilesError } from "../../datasets/files.ts";
import { loadImageNet } from "../../datasets/imagenet.ts";
import { loadTinyImageNet } from "../../datasets/tiny_imagenet.ts";
import { prepareBatchReference } from "../../kernels/augment.ts";
import { ready } from "../../kernels/runtime/runtime.ts";
import { readAll } from "../../kernels/runtime/tensor.ts";
import {
  colour,
  fromBase64,
  J64,
  J90,
  JPEG_GOLDEN,
  put,
  sha256,
  solidJpeg,
  tempDir,
  whichColour,
} from "./fixtures.ts";
import { rejectsFormat } from "./formats/fixtures.ts";

await ready();

/** Planar C×H×W to interleaved. */
function interleave(planar: Uint8Array, channels: number): Uint8Array {
  const plane = planar.length / channels, out = new Uint8Array(planar.length);
  for (let c = 0; c < channels; c++) {
    for (let i = 0; i < plane; i++) out[i * channels + c] = planar[c * plane + i]!;
  }
  return out;
}

/** The colour index of each image of a planar batch (from its centre pixel). */
function colours(pixels: Uint8Array, count: number, side: number): number[] {
  const image = 3 * side * side, mid = (side >> 1) * side + (side >> 1);
  return Array.from({ length: count }, (_, b) => {
    const at = b * image + mid;
    return whichColour([pixels[at]!, pixels[at + side * side]!, pixels[at + 2 * side * side]!]);
  });
}

/**
 * A TinyImageNet folder: classes n03 (first in wnids.txt), n01, n02; train images <wnid>_<k>.JPEG for
 * k = 0, 1, 2, 10 coloured colour(4·class + k mod 4) where class is the sorted rank; val images val_0..4;
 * an unlabelled test/ folder.
 */
async function tinyImageNet(root: string): Promise<void> {
  const wnids = ["n03000000", "n01000000", "n02000000"];
  await put(join(root, "wnids.txt"), wnids.join("\n") + "\n");
  const sorted = [...wnids].sort();
  for (const [rank, wnid] of sorted.entries()) {
    await put(join(root, "train", wnid, `${wnid}_boxes.txt`), "");
    for (const k of [0, 1, 2, 10]) {
      await put(
        join(root, "train", wnid, "images", `${wnid}_${k}.JPEG`),
        await solidJpeg(64, 64, colour(4 * rank + (k % 4))),
      );
    }
  }
  const val = ["n02000000", "n03000000", "n01000000", "n01000000", "n03000000"];
  const lines = val.map((w, k) => `val_${k}.JPEG\t${w}\t0\t0\t63\t63`);
  await put(join(root, "val", "val_annotations.txt"), lines.join("\n") + "\n");
  for (let k = 0; k < val.length; k++) {
    await put(join(root, "val", "images", `val_${k}.JPEG`), await solidJpeg(64, 64, colour(20 + k)));
  }
  await put(join(root, "test", "images", "test_0.JPEG"), await solidJpeg(64, 64, colour(0)));
}

Deno.test("TinyImageNet: sorted classes, torchvision's file order, val labels from val_annotations.txt", async () => {
  await using dir = await tempDir();
  await tinyImageNet(join(dir.path, "tiny-imagenet-200"));
  const ds = await loadTinyImageNet({ dataPath: dir.path, workers: 0 });
  try {
    assert.deepEqual(ds.classNames, ["n01000000", "n02000000", "n03000000"]);
    assert.deepEqual([ds.train.count, ds.test.count], [12, 5]);
    assert.deepEqual([...ds.train.labels], [0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2]);
    assert.deepEqual([...ds.test.labels], [1, 2, 0, 0, 2]);
    const px = await ds.train.pixels(Array.from({ length: 12 }, (_, i) => i));
    assert.equal(px.length, 12 * 3 * 32 * 32);
    // string order within a class: _0, _1, _10, _2
    assert.deepEqual(
      colours(px, 12, 32),
      [0, 1, 2, 2, 4, 5, 6, 6, 8, 9, 10, 10].map((c, i) => (i % 4 === 2 ? c : c)),
    );
    assert.deepEqual(colours(await ds.test.pixels([0, 4]), 2, 32), [20, 24]);

    const ids = [3, 11, 0];
    const [x] = await readAll([await ds.train.images(ids)]);
    const want = prepareBatchReference(await ds.train.pixels(ids), [3, 3, 32, 32], ids, ds);
    for (let i = 0; i < want.length; i++) assert.ok(Math.abs(x![i]! - want[i]!) <= 1e-6);
  } finally {
    ds.close();
  }
});

Deno.test("TinyImageNet resizes 64×64 to 32×32 exactly as Pillow; workers give the same bytes", async () => {
  await using dir = await tempDir();
  await tinyImageNet(dir.path);
  await Deno.writeFile(join(dir.path, "train", "n02000000", "images", "n02000000_1.JPEG"), fromBase64(J64));
  const inline = await loadTinyImageNet({ dataPath: dir.path, workers: 0 });
  const pooled = await loadTinyImageNet({ dataPath: dir.path, workers: 2 });
  try {
    assert.equal(await sha256(interleave(await inline.train.pixels([5]), 3)), JPEG_GOLDEN.j64.resize32);
    const ids = [11, 5, 0, 7, 5, 2];
    assert.deepEqual(await pooled.train.pixels(ids), await inline.train.pixels(ids));
  } finally {
    inline.close();
    pooled.close();
  }
});

Deno.test("TinyImageNet errors: missing folder, damaged JPEG (inline and in a worker), bad annotations", async () => {
  await using dir = await tempDir();
  const e = await loadTinyImageNet({ dataPath: dir.path }).then(() => undefined, (e) => e);
  assert.ok(e instanceof DatasetFilesError);
  assert.match(e.message, /wnids\.txt, train\/, val\/images\/, val\/val_annotations\.txt/);
  assert.ok(e.message.includes(join(dir.path, "tiny-imagenet-200")));

  await tinyImageNet(dir.path);
  const bad = join(dir.path, "train", "n01000000", "images", "n01000000_2.JPEG");
  const jpeg = await Deno.readFile(bad);
  await Deno.writeFile(bad, jpeg.subarray(0, jpeg.length - 200));
  for (const workers of [0, 2]) {
    const ds = await loadTinyImageNet({ dataPath: dir.path, workers });
    try {
      const f = await rejectsFormat(() => ds.train.pixels([0, 1, 2, 3, 4, 5]), /premature end/i);
      assert.equal(f.file, bad);
      assert.equal((await ds.train.pixels([0, 1])).length, 2 * 3072, "the pool still works after an error");
    } finally {
      ds.close();
    }
  }
  await Deno.writeTextFile(
    join(dir.path, "val", "val_annotations.txt"),
    "val_0.JPEG\tn09999999\t0\t0\t1\t1\n",
  );
  await rejectsFormat(() => loadTinyImageNet({ dataPath: dir.path }), /val_annotations\.txt at byte 0/);
});

Deno.test("ImageNet: wnid folders, Resize(256) + CenterCrop(224) as Pillow, random resized crop + flip", async () => {
  await using dir = await tempDir();
  const root = join(dir.path, "imagenet");
  const wnids = ["n01440764", "n01443537"];
  for (const [c, wnid] of wnids.entries()) {
    await put(join(root, "train", wnid, `${wnid}_1.JPEG`), await solidJpeg(300, 200, colour(c)));
    await put(
      join(root, "train", wnid, `${wnid}_2.JPEG`),
      c === 0 ? fromBase64(J90) : await solidJpeg(120, 260, colour(5)),
    );
    await put(
      join(root, "val", wnid, `ILSVRC2012_val_0000000${c}.JPEG`),
      await solidJpeg(256, 256, colour(10 + c)),
    );
  }
  await put(
    join(root, "LOC_synset_mapping.txt"),
    "n01440764 tench, Tinca tinca\nn01443537 goldfish, Carassius auratus\n",
  );
  const ds = await loadImageNet({ dataPath: dir.path, workers: 0 });
  try {
    assert.equal(ds.source, root);
    assert.deepEqual(ds.classNames, ["tench, Tinca tinca", "goldfish, Carassius auratus"]);
    assert.deepEqual([...ds.train.labels], [0, 0, 1, 1]);
    assert.deepEqual([...ds.test.labels], [0, 1]);
    assert.equal(await sha256(interleave(await ds.train.pixels([1]), 3)), JPEG_GOLDEN.j90.resizeCenterCrop);
    assert.deepEqual(colours(await ds.test.pixels([1, 0]), 2, 224), [11, 10]);

    const augment = { seed: 3, stream: 1 };
    const a = await ds.train.pixels([1, 3], { augment });
    assert.equal(a.length, 2 * 3 * 224 * 224);
    assert.deepEqual(await ds.train.pixels([1, 3], { augment }), a);
    assert.notDeepEqual(await ds.train.pixels([1, 3], { augment: { seed: 3, stream: 2 } }), a);
    const [x] = await readAll([await ds.train.images([1, 3], { augment })]);
    const want = prepareBatchReference(a, [2, 3, 224, 224], [1, 3], {
      ...ds,
      augment: { ...augment, crop: false },
    });
    for (let i = 0; i < want.length; i += 7) assert.ok(Math.abs(x![i]! - want[i]!) <= 1e-6, `element ${i}`);
  } finally {
    ds.close();
  }
  await Deno.mkdir(join(root, "val", "n09999999"));
  await assert.rejects(() => loadImageNet({ dataPath: root }), /n09999999/);
});
