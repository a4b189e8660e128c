import assert from "node:assert/strict";
import { decodeImage, imageKind } from "../../datasets/image_decode.ts";
import { randomResizedCropBox, transform } from "../../datasets/image_transform.ts";
import { resizeBilinear, resizeCenterCropGeometry } from "../../datasets/resize.ts";
import { FormatError } from "../../datasets/formats/format_error.ts";
import {
  CMYK_RGB_SHA,
  fromBase64,
  J64,
  J90,
  JCMYK,
  JGREY,
  JPEG_GOLDEN,
  pattern,
  png,
  RESIZE_GOLDEN,
  sha256,
  solidJpeg,
} from "./fixtures.ts";
import { rejectsFormat } from "./formats/fixtures.ts";

Deno.test("the resize equals Pillow's BILINEAR resize bit for bit (golden hashes), whole and windowed", async () => {
  for (const [w, h, ow, oh, box, hash] of RESIZE_GOLDEN) {
    const src = { width: w, height: h, channels: 3, data: pattern(w, h) };
    const b = box
      ? { left: box[0], top: box[1], width: box[2] - box[0], height: box[3] - box[1] }
      : undefined;
    const full = resizeBilinear(src, ow, oh, b);
    assert.equal(await sha256(full.data), hash, `${w}x${h} -> ${ow}x${oh}`);
    const win = { left: 3, top: 5, width: Math.floor(ow / 2), height: Math.floor(oh / 3) };
    const part = resizeBilinear(src, ow, oh, b, win);
    for (let y = 0; y < win.height; y++) {
      const row = part.data.subarray(y * win.width * 3, (y + 1) * win.width * 3);
      const start = ((y + win.top) * ow + win.left) * 3;
      assert.deepEqual(row, full.data.subarray(start, start + win.width * 3), `window row ${y}`);
    }
  }
});

Deno.test("Resize(256) + CenterCrop(224) geometry: floor of the long side, offsets rounded half to even", () => {
  assert.deepEqual(resizeCenterCropGeometry(500, 375, 256, 224), {
    width: 341,
    height: 256,
    window: { left: 58, top: 16, width: 224, height: 224 },
  });
  assert.deepEqual(resizeCenterCropGeometry(256, 300, 256, 224).window, {
    left: 16,
    top: 38,
    width: 224,
    height: 224,
  });
  // (257 - 224) / 2 = 16.5 rounds to 16; (259 - 224) / 2 = 17.5 rounds to 18
  assert.equal(resizeCenterCropGeometry(257, 256, 256, 224).window.left, 16);
  assert.equal(resizeCenterCropGeometry(259, 256, 256, 224).window.left, 18);
});

Deno.test("JPEG decoding equals Pillow (libjpeg-turbo) on colour, grey and CMYK files; resizes match too", async () => {
  const j64 = await decodeImage(fromBase64(J64), "j64.jpg");
  assert.deepEqual([j64.width, j64.height, j64.channels], [64, 64, 3]);
  assert.equal(await sha256(j64.data), JPEG_GOLDEN.j64.decode);
  assert.equal(await sha256(resizeBilinear(j64, 32, 32).data), JPEG_GOLDEN.j64.resize32);
  const grey = await decodeImage(fromBase64(JGREY), "grey.jpg");
  assert.equal(await sha256(grey.data), JPEG_GOLDEN.jgrey.decode);
  assert.equal(await sha256(resizeBilinear(grey, 32, 32).data), JPEG_GOLDEN.jgrey.resize32);
  const j90 = await decodeImage(fromBase64(J90), "j90.jpg");
  const job = {
    path: "j90.jpg",
    channels: 3 as const,
    transform: { kind: "resize-center-crop" as const, size: 256, crop: 224 },
  };
  assert.equal(await sha256(transform(j90, job).data), JPEG_GOLDEN.j90.resizeCenterCrop);
  const cmyk = await decodeImage(fromBase64(JCMYK), "cmyk.jpg");
  assert.deepEqual([cmyk.width, cmyk.height], [24, 16]);
  assert.equal(await sha256(cmyk.data), CMYK_RGB_SHA);
  const one = await decodeImage(fromBase64(JGREY), "grey.jpg", 1);
  assert.equal(one.channels, 1);
  for (let i = 0; i < one.data.length; i += 17) assert.equal(one.data[i], grey.data[3 * i]);
});

Deno.test("PNG decoding keeps the pixels; grey conversion uses Pillow's luma", async () => {
  const rgba = new Uint8ClampedArray([255, 0, 0, 255, 0, 255, 0, 255, 0, 0, 255, 255, 10, 20, 30, 255]);
  const bytes = await png(2, 2, rgba);
  assert.equal(imageKind(bytes), "png");
  const rgb = await decodeImage(bytes, "a.png");
  assert.deepEqual([...rgb.data], [255, 0, 0, 0, 255, 0, 0, 0, 255, 10, 20, 30]);
  const grey = await decodeImage(bytes, "a.png", 1);
  // Pillow: L = R * 299/1000 + G * 587/1000 + B * 114/1000, in 16-bit fixed point
  assert.deepEqual([...grey.data], [76, 150, 29, 18]);
});

Deno.test("damaged images are FormatErrors naming the file", async () => {
  const j = fromBase64(J64);
  const cut = await rejectsFormat(
    () => decodeImage(j.subarray(0, j.length >> 1), "cut.jpg"),
    /premature end/i,
  );
  assert.equal(cut.file, "cut.jpg");
  await rejectsFormat(() => decodeImage(j.subarray(0, 40), "head.jpg"), /JPEG/);
  await rejectsFormat(
    () => decodeImage(new Uint8Array([1, 2, 3, 4]), "x.gif"),
    /signature, found 01 02 03 04/,
  );
  const p = await png(1, 1, new Uint8ClampedArray([1, 2, 3, 255]));
  await rejectsFormat(() => decodeImage(p.subarray(0, 30), "cut.png"), /PNG/);
  // the decoder still works after errors
  assert.equal((await decodeImage(await solidJpeg(8, 8, [200, 30, 60]), "ok.jpg")).width, 8);
  assert.ok(new FormatError("f", { expected: "e", found: "f", hint: "h" }) instanceof Error);
});

Deno.test("RandomResizedCrop boxes: inside the image, deterministic, scale and ratio within torchvision's ranges", () => {
  const seen = new Set<string>();
  for (let id = 0; id < 300; id++) {
    const rc = { size: 224, seed: 5, stream: 2, id };
    const box = randomResizedCropBox(500, 375, rc);
    assert.deepEqual(randomResizedCropBox(500, 375, rc), box);
    assert.ok(box.left >= 0 && box.top >= 0 && box.left + box.width <= 500 && box.top + box.height <= 375);
    const area = (box.width * box.height) / (500 * 375);
    assert.ok(area > 0.07 && area <= 1.0001, `area ${area}`);
    const ratio = box.width / box.height;
    assert.ok(ratio > 0.74 && ratio < 1.35, `ratio ${ratio}`);
    seen.add(JSON.stringify(box));
  }
  assert.ok(seen.size > 290);
  // a very thin image falls back to the centred crop of the nearest allowed ratio
  const thin = randomResizedCropBox(1000, 10, { size: 224, seed: 1, stream: 0, id: 0 });
  assert.deepEqual(thin, { left: 493, top: 0, width: 13, height: 10 });
});
