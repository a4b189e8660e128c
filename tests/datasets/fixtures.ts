/**
 * Builders of tiny datasets in every layout the loaders accept, and golden values computed with Pillow 9.4
 * (libjpeg-turbo) for the JPEG and resize checks.
 *
 * @module
 */

import { join } from "node:path";
import encodeJpeg from "npm:@jsquash/jpeg@1.6.0/encode.js";
import encodePng from "npm:@jsquash/png@3.1.1/encode.js";
import { writeIdx } from "../../datasets/formats/idx.ts";
import { compress, fromBase64 } from "./formats/fixtures.ts";

export { compress, fromBase64 };

/** SHA-256 of bytes, hex. */
export async function sha256(bytes: Uint8Array): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", bytes as Uint8Array<ArrayBuffer>);
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, "0")).join("");
}

/** A fresh temporary folder; `using` removes it. */
export async function tempDir(): Promise<{ path: string } & AsyncDisposable> {
  const path = await Deno.makeTempDir({ prefix: "deepcore-datasets-" });
  return { path, [Symbol.asyncDispose]: () => Deno.remove(path, { recursive: true }) };
}

/** Writes `bytes` at `path`, creating folders. */
export async function put(path: string, bytes: Uint8Array | string): Promise<void> {
  await Deno.mkdir(join(path, ".."), { recursive: true });
  if (typeof bytes === "string") await Deno.writeTextFile(path, bytes);
  else await Deno.writeFile(path, bytes);
}

/** Pixel j of image i of the IDX fixtures. */
export const idxPixel = (i: number, j: number): number => (i * 31 + j * 3) & 255;

/** IDX images (count × rows × cols) and labels. */
export function idxFiles(labels: number[], rows = 28, cols = 28): { images: Uint8Array; labels: Uint8Array } {
  const n = labels.length;
  const pixels = Uint8Array.from(
    { length: n * rows * cols },
    (_, k) => idxPixel(Math.floor(k / (rows * cols)), k % (rows * cols)),
  );
  return {
    images: writeIdx({ dtype: "uint8", dims: [n, rows, cols], data: pixels }),
    labels: writeIdx({ dtype: "uint8", dims: [n], data: Uint8Array.from(labels) }),
  };
}

/** The four MNIST-style files in `folder` with the given names (gzipped when `gz`). */
export async function writeIdxSet(
  folder: string,
  names: { trainImages: string; trainLabels: string; testImages: string; testLabels: string },
  train: number[],
  test: number[],
  gz = false,
  qmnist = false,
): Promise<void> {
  const files: [string, Uint8Array][] = [];
  for (const [split, labels] of [["train", train], ["test", test]] as const) {
    const { images, labels: l } = idxFiles(labels);
    const labelFile = qmnist
      ? writeIdx({
        dtype: "int32",
        dims: [labels.length, 8],
        data: Int32Array.from(labels.flatMap((v) => [v, 4, 2100, 3, 30 + v, 9, 0, 0])),
      })
      : l;
    files.push([split === "train" ? names.trainImages : names.testImages, images]);
    files.push([split === "train" ? names.trainLabels : names.testLabels, labelFile]);
  }
  for (const [name, bytes] of files) {
    await put(join(folder, gz ? `${name}.gz` : name), gz ? await compress(bytes, "gzip") : bytes);
  }
}

/** MNIST's file names. */
export const MNIST_NAMES = {
  trainImages: "train-images-idx3-ubyte",
  trainLabels: "train-labels-idx1-ubyte",
  testImages: "t10k-images-idx3-ubyte",
  testLabels: "t10k-labels-idx1-ubyte",
};

/** Pixel j of image i of the CIFAR fixtures (same as `cifarBytes` of the format fixtures). */
export const cifarPixel = (i: number, j: number): number => (i * 7 + j) & 255;

/**
 * A CIFAR batch pickled as Python 2's cPickle (protocol 2) writes the real `cifar-*-python` files:
 * `{'data': ndarray uint8 (N, 3072), <labelKey>: [..], ...}`, pixels as `cifarPixel(start + i, j)`.
 */
export function cifarPickle(labels: Record<string, number[]>, start = 0): Uint8Array {
  const enc = new TextEncoder();
  const out: number[] = [];
  const str = (s: string) => out.push(0x55, s.length, ...enc.encode(s));
  const u16 = (v: number) => out.push(0x4d, v & 255, v >> 8);
  const n = Object.values(labels)[0]!.length;
  out.push(0x80, 2, 0x7d, 0x71, 1, 0x28);
  str("data");
  out.push(0x63, ...enc.encode("numpy.core.multiarray\n_reconstruct\n"));
  out.push(0x63, ...enc.encode("numpy\nndarray\n"), 0x4b, 0, 0x85, 0x55, 1, 98, 0x87, 0x52);
  out.push(0x28, 0x4b, 1);
  u16(n);
  u16(3072);
  out.push(0x86, 0x63, ...enc.encode("numpy\ndtype\n"));
  str("u1");
  out.push(0x4b, 0, 0x4b, 1, 0x87, 0x52, 0x28, 0x4b, 3);
  str("|");
  out.push(0x4e, 0x4e, 0x4e, 0x4a, 255, 255, 255, 255, 0x4a, 255, 255, 255, 255, 0x4b, 0, 0x74, 0x62, 0x89);
  const size = n * 3072;
  out.push(0x54, size & 255, (size >> 8) & 255, (size >> 16) & 255, size >>> 24);
  const head = Uint8Array.from(out);
  const pixels = Uint8Array.from(
    { length: size },
    (_, k) => cifarPixel(start + Math.floor(k / 3072), k % 3072),
  );
  const tail: number[] = [0x74, 0x62];
  for (const [key, values] of Object.entries(labels)) {
    tail.push(0x55, key.length, ...enc.encode(key), 0x5d, 0x28);
    for (const v of values) tail.push(0x4b, v);
    tail.push(0x65);
  }
  tail.push(0x55, 11, ...enc.encode("batch_label"), 0x55, 1, 120, 0x75, 0x2e);
  const bytes = new Uint8Array(head.length + size + tail.length);
  bytes.set(head);
  bytes.set(pixels, head.length);
  bytes.set(tail, head.length + size);
  return bytes;
}

/** A baseline JPEG of a solid colour. */
export async function solidJpeg(
  width: number,
  height: number,
  rgb: [number, number, number],
): Promise<Uint8Array> {
  const data = new Uint8ClampedArray(width * height * 4);
  for (let i = 0; i < width * height; i++) data.set([...rgb, 255], 4 * i);
  return new Uint8Array(
    await encodeJpeg({ width, height, data, colorSpace: "srgb" } as ImageData, { quality: 95 }),
  );
}

/** A PNG of the given RGBA pixels. */
export async function png(width: number, height: number, rgba: Uint8ClampedArray): Promise<Uint8Array> {
  return new Uint8Array(await encodePng({ width, height, data: rgba, colorSpace: "srgb" } as ImageData));
}

/** The colour of fixture image k: distinct and far apart for k < 64. */
export function colour(k: number): [number, number, number] {
  return [20 + 60 * (k % 4), 20 + 60 * (Math.floor(k / 4) % 4), 20 + 60 * (Math.floor(k / 16) % 4)];
}

/** Which `colour(k)` an RGB triple is closest to. */
export function whichColour(rgb: ArrayLike<number>): number {
  let best = 0, dist = Infinity;
  for (let k = 0; k < 64; k++) {
    const c = colour(k);
    const d = (c[0] - rgb[0]!) ** 2 + (c[1] - rgb[1]!) ** 2 + (c[2] - rgb[2]!) ** 2;
    if (d < dist) [best, dist] = [k, d];
  }
  return best;
}

/**
 * Golden values from Pillow 9.4: `pattern(w, h)` is the RGB image with pixel (x, y, c) =
 * (x·7 + y·13 + c·29 + (x·y mod 11)) mod 256; each key `WxH->OWxOH` (with an optional crop box
 * left, top, right, bottom) maps to the SHA-256 of `image.crop(box).resize((OW, OH), BILINEAR)`.
 */
export const RESIZE_GOLDEN: [
  number,
  number,
  number,
  number,
  [number, number, number, number] | null,
  string,
][] = [
  [64, 64, 32, 32, null, "0baac4d2811973f6b2e3d239baa1523d3872b45899c494fc686fe21cabc5c7c0"],
  [90, 60, 384, 256, null, "8816ba24bb06036a70c5d65b086794c9cd103ff570768faebd577c4a58e1ef42"],
  [37, 53, 100, 80, null, "ecb52d2ea79b3683499d018117565e64ce8b034dbe6ad787327a633d24307a97"],
  [300, 200, 224, 224, [13, 7, 250, 190], "657821ba02f6a41d3484e8e8a91d70f93e0622514047a9aa8c81ae11af232b43"],
  [500, 375, 341, 256, null, "21290931988d7d100e294fa552df1ce07fb497bd82c01470f6fac213ce95a0b7"],
];

/** The test pattern of `RESIZE_GOLDEN`, interleaved RGB. */
export function pattern(width: number, height: number): Uint8Array {
  const out = new Uint8Array(width * height * 3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      for (let c = 0; c < 3; c++) {
        out[(y * width + x) * 3 + c] = (x * 7 + y * 13 + c * 29 + ((x * y) % 11)) % 256;
      }
    }
  }
  return out;
}

/**
 * Pillow golden JPEGs (quality 90) of a smooth 64×64 RGB image (J64), a 90×60 one (J90) and a 64×64 grey
 * one (JGREY), with the SHA-256 of Pillow's decoding (`convert("RGB")`, interleaved), of its
 * resize to 32×32 (TinyImageNet) and of Resize(256) + CenterCrop(224) (ImageNet: 384×256, box 80, 16).
 */
export const JPEG_GOLDEN = {
  j64: {
    decode: "db91588a932a08251f93db13db46f6e718d561605b70d72e17d9a68f65da22ba",
    resize32: "68c6316be39a783735c766ef77269ff86d5202f1e00655f5e49a5b3343ec3adc",
  },
  jgrey: {
    decode: "15a18abdc07cd7733e6234e1f2a7c1036a401cf4750997dd5672408890493ea3",
    resize32: "980631f9f36001bd894537c1a31bc53224e637e4827006d09e948d21f3fcebf3",
  },
  j90: { resizeCenterCrop: "15a75e422c7ecd25ee493d545b8e11848d7436fe0f4f6124a521ea4b63c256b9" },
};

/** Interleaved H×W×C to planar C×H×W. */
export function planar(data: Uint8Array, width: number, height: number, channels: number): Uint8Array {
  const out = new Uint8Array(data.length);
  for (let c = 0; c < channels; c++) {
    for (let i = 0; i < width * height; i++) out[c * width * height + i] = data[i * channels + c]!;
  }
  return out;
}

export const J64 = [
  "/9j/4AAQSkZJRgABAQAAAQABAAD/2wBDAAMCAgMCAgMDAwMEAwMEBQgFBQQEBQoHBwYIDAoMDAsKCwsNDhIQDQ4RDgsLEBYQERMU",
  "FRUVDA8XGBYUGBIUFRT/2wBDAQMEBAUEBQkFBQkUDQsNFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQU",
  "FBQUFBQUFBT/wAARCABAAEADASIAAhEBAxEB/8QAHwAAAQUBAQEBAQEAAAAAAAAAAAECAwQFBgcICQoL/8QAtRAAAgEDAwIEAwUF",
  "BAQAAAF9AQIDAAQRBRIhMUEGE1FhByJxFDKBkaEII0KxwRVS0fAkM2JyggkKFhcYGRolJicoKSo0NTY3ODk6Q0RFRkdISUpTVFVW",
  "V1hZWmNkZWZnaGlqc3R1dnd4eXqDhIWGh4iJipKTlJWWl5iZmqKjpKWmp6ipqrKztLW2t7i5usLDxMXGx8jJytLT1NXW19jZ2uHi",
  "4+Tl5ufo6erx8vP09fb3+Pn6/8QAHwEAAwEBAQEBAQEBAQAAAAAAAAECAwQFBgcICQoL/8QAtREAAgECBAQDBAcFBAQAAQJ3AAEC",
  "AxEEBSExBhJBUQdhcRMiMoEIFEKRobHBCSMzUvAVYnLRChYkNOEl8RcYGRomJygpKjU2Nzg5OkNERUZHSElKU1RVVldYWVpjZGVm",
  "Z2hpanN0dXZ3eHl6goOEhYaHiImKkpOUlZaXmJmaoqOkpaanqKmqsrO0tba3uLm6wsPExcbHyMnK0tPU1dbX2Nna4uPk5ebn6Onq",
  "8vP09fb3+Pn6/9oADAMBAAIRAxEAPwD5K8GyrFEgPFdxJOssOB6V5ZpuofZCBnGK7HR9T+1FVzmvicbkbc/aWP6gxuf044d4S+pP",
  "NYtLLkDvXY+DrBopUJHel0fRvtW07c5rstM0X7KAduK+axmGXJ7Ox/P2Pyap9YeLtoemeD51ihQH0rr55lliwK8w0zUvsuBnGK7L",
  "R9Q+17RnNfmeMyNqbqWOHMM/pvDvCX1HPYNLNkDvXdeC7JoZUJFR6Ron2nadtdlpmkfZMHbivmsbhk4OnY/n/G5NUhiHi+m5+QV2",
  "7RzED1rrPB0jPMmfWsZ9NNxJkDPNdd4V0owSoSK/0JxeXw9i1bU/qrM6dd5i5r4bnuHgyzWSFMiuzuLNY4eBXGeE7sW8aAnFdkbs",
  "Tx4Br8fxmVT9s3bQ+ux+Kof2c4fasYE8jRzcetdt4KdpJUz61zv9lmeTIFdr4T0w28iEjFebjcvh7Fq2p/IWNp1/7Rc/s3PcfB9m",
  "skKEjtXU3doscXArlfC16IIlBNdW9yLiPANfkGKyqXtm7aH1uaYqg8ucF8Vj8nvD2k/alU4zmu0tNGFsoIWs7wTCpiTNdxcQqIOB",
  "2r/QLG4OSq8lj+v8Zl9GWBdfrYy7XUDasBnFdl4f1A3TKM153dIwm4rsvBSMZkzXj4zJo+ycrH8r5hm1b688PfS57F4f0YXKqStd",
  "ja6QLVQQuKq+DIVMKZ9K667iUQ8elfk2LwcvauNj2Mxy+isC6/Wxn2epfZmAziu18O3xu2UZzXmsyMJ+PWu78DoxlTNePjsmiqTn",
  "Y/lnF5tWljnh29Ln5x+Gr0WqqCcV2tvqAuUABzXlIvDbSYBrrvDF81xIoJr+8MZkV71LH954/iNwbwd/I7CHSDcuCBmuy8N6QbZ1",
  "JXFS+F9KFzGhxmuzTSRbRggYr4TGUN6dj4HH5Fo8ZbzOk8N34tkUE4rsIr4XSAA5ryhL4wSAA4rtfC14bmRATXxOMyK16lj8ux/E",
  "bk3g7+R1VvoxuHBC5rt/DOlG1dSRipfDOkLPGh211o0wWyZAxXwmMoXvTsfA4/IlTTxlvM//2Q==",
].join("");

export const J90 = [
  "/9j/4AAQSkZJRgABAQAAAQABAAD/2wBDAAMCAgMCAgMDAwMEAwMEBQgFBQQEBQoHBwYIDAoMDAsKCwsNDhIQDQ4RDgsLEBYQERMU",
  "FRUVDA8XGBYUGBIUFRT/2wBDAQMEBAUEBQkFBQkUDQsNFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQU",
  "FBQUFBQUFBT/wAARCAA8AFoDASIAAhEBAxEB/8QAHwAAAQUBAQEBAQEAAAAAAAAAAAECAwQFBgcICQoL/8QAtRAAAgEDAwIEAwUF",
  "BAQAAAF9AQIDAAQRBRIhMUEGE1FhByJxFDKBkaEII0KxwRVS0fAkM2JyggkKFhcYGRolJicoKSo0NTY3ODk6Q0RFRkdISUpTVFVW",
  "V1hZWmNkZWZnaGlqc3R1dnd4eXqDhIWGh4iJipKTlJWWl5iZmqKjpKWmp6ipqrKztLW2t7i5usLDxMXGx8jJytLT1NXW19jZ2uHi",
  "4+Tl5ufo6erx8vP09fb3+Pn6/8QAHwEAAwEBAQEBAQEBAQAAAAAAAAECAwQFBgcICQoL/8QAtREAAgECBAQDBAcFBAQAAQJ3AAEC",
  "AxEEBSExBhJBUQdhcRMiMoEIFEKRobHBCSMzUvAVYnLRChYkNOEl8RcYGRomJygpKjU2Nzg5OkNERUZHSElKU1RVVldYWVpjZGVm",
  "Z2hpanN0dXZ3eHl6goOEhYaHiImKkpOUlZaXmJmaoqOkpaanqKmqsrO0tba3uLm6wsPExcbHyMnK0tPU1dbX2Nna4uPk5ebn6Onq",
  "8vP09fb3+Pn6/9oADAMBAAIRAxEAPwD5F8JyrFEoNdTdzrLDgGvO7K/+yHGcV0enal9pwuc18nicibn7Sx/VGJz+nHDvCX1K97Yt",
  "LNkA10XhSwaKVSRWhp2jfa8HbmukstF+y4O3FeXiMKuT2dj8UxeTVPrH1vpud74WmWKFAa6C+lWWLA9K8/stS+y4GcYro9O1D7WQ",
  "M5r4TEZE1P2ljbGcQU3h3hL6lK609pZiQO9dZ4SsmhlQkYq3p2h/acHbmujstI+yAHbivKxOFTh7Ox+KYjJqkMR9btoeheGZ1jhQ",
  "H0rX1CRZozjmuDstU+zELnFdLpt79swM5r4SvkTjP2ljbH5/Tq4f6onqZ02ntJNkDvWgumPtHB6V1Wn6D9oAbbmtkeHcAfL+lcFS",
  "hGPu2Pw/FcO1atV1Etz8ZdQdo5Tj1re8KuzyoD61VudNNxISBmt/w3pZgkUkd6/0mr5dH2Nran9q46nXeYua+G57D4StFkiTI7V0",
  "l9ZrHCcDtXN+GrsQRqCccV0s12J4yAc1+YYnKZe2vbQ/QsViqH9ncn2rHH3rtHNx611HhFmkmQGsybSzPJkDvXTeGdMNvKpIoxOX",
  "R9ja2p/LGJp1/wC0ef7Nz2LwrZq8K5HatvUbRY4uBWJ4cvFgiUZxW5c3IuI8A1+X18pl7a9tD9BzDFUHl3IvischcyMk+B612Pg5",
  "mklUGsSTSWmmyBXW+FtONtIpIpYvLoexslqfyzOnXWYub+G57F4ZsleBSRXQfYE9K53w/fLDEoJrf/tFPWvy3EZTN1HZH6v9cwqp",
  "QT3Pxy0TSBdqDjOa6WLRRbIGxim+D4VMS5rqr6FRAcCv9KcTgpe15LH9nYjL6MsD7d72OcjvzauBnFdHouoG6YDNcXqKMJuPWuj8",
  "IoxmXPrWGIyWPsuex/NuLzat9e9hfS56no2jC5RTtzXRx6QLVc4xUvhKFTAmfSt/UoVERx6V+bYjBS9ryWPrcbl9FYH2/Wxz8WpG",
  "2fGcV0+iXpu2UZzXCXqMJzj1rrfByMZUz61hisliqXNY/m2vm1aWO9g3pc9Q0fRBcKp21vppf2RcgYq34WhUwLn0rV1WFREcelfm",
  "1bBSdXksfWZll9GngfbrexiQambdgucVqrrB2j5u1cnco4n49a0EV9i9elOpkcHZ2P5jxueYiFeUE9Efm5oF6LVAM4rpxqAuYwM5",
  "rzwzPE+FOK6DQp3kdQxzX+g2Iyem/wB4f6V4vPasb4W2hu/2QblwdtdFoOkG2cHGKvaDaxyIpZc10gtY41+VcV8viaK+A+KxeT03",
  "/tXU3NBvxbIoJxXQm+F0oGc156J3jfCnFdLoEzyOu45r5bE5PTXvnx2Lz2q74W2mxrroxuHyFrqNA0o2rKcYxV3Q7WORBuXNdAba",
  "ONPlGK+YxFFP3D4rF5PTh/tXU6DRNRFuijNbrXYu1wDmvPEuHRwAcV1fh+VpGXcc18tiMnpx/eHx+Lz2rV/2VrQ0o9EM7g7a1F0B",
  "to+XtXS6LZxOikrmtz7FF/dr5yrBJ2Pja/D9KpL2je5//9k=",
].join("");

export const JGREY = [
  "/9j/4AAQSkZJRgABAQAAAQABAAD/2wBDAAMCAgMCAgMDAwMEAwMEBQgFBQQEBQoHBwYIDAoMDAsKCwsNDhIQDQ4RDgsLEBYQERMU",
  "FRUVDA8XGBYUGBIUFRT/wAALCABAAEABAREA/8QAHwAAAQUBAQEBAQEAAAAAAAAAAAECAwQFBgcICQoL/8QAtRAAAgEDAwIEAwUF",
  "BAQAAAF9AQIDAAQRBRIhMUEGE1FhByJxFDKBkaEII0KxwRVS0fAkM2JyggkKFhcYGRolJicoKSo0NTY3ODk6Q0RFRkdISUpTVFVW",
  "V1hZWmNkZWZnaGlqc3R1dnd4eXqDhIWGh4iJipKTlJWWl5iZmqKjpKWmp6ipqrKztLW2t7i5usLDxMXGx8jJytLT1NXW19jZ2uHi",
  "4+Tl5ufo6erx8vP09fb3+Pn6/9oACAEBAAA/APkrwbKsUSA8V3Ek6yw4HpWJNYtLLkDvXY+DrBopUJHevf8AwfOsUKA+ldfPMssW",
  "BWI9g0s2QO9d14LsmhlQkV+ZOm6h9kIGcYrsdH1P7UVXOa7nR9G+1bTtzmuy0zRfsoB24rrNM1L7LgZxiuy0fUPte0ZzXcaRon2n",
  "adtdlpmkfZMHbivyCu3aOYgetdZ4OkZ5kz619C+DLNZIUyK7O4s1jh4Fc/PI0c3HrXbeCnaSVM+tfQng+zWSFCR2rqbu0WOLgV+N",
  "b6abiTIGea67wrpRglQkV7h4TuxbxoCcV2RuxPHgGqn9lmeTIFdr4T0w28iEjFe4eFr0QRKCa6t7kXEeAa/J7w9pP2pVOM5rtLTR",
  "hbKCFrTtdQNqwGcV2Xh/UDdMozXqHh/RhcqpK12NrpAtVBC4rUs9S+zMBnFdr4dvjdsozmvzf8EwqYkzXcXEKiDgdq5m6RhNxXZe",
  "CkYzJmvonwZCphTPpXXXcSiHj0rmpkYT8etd34HRjKma/OPw1ei1VQTiu1t9QFygAOasQ6QblwQM12XhvSDbOpK4r1zw3fi2RQTi",
  "uwivhdIADmrFvoxuHBC5rt/DOlG1dSRivykF4baTANdd4YvmuJFBNez+F9KFzGhxmuzTSRbRggYpiXxgkABxXa+Frw3MiAmvZvDO",
  "kLPGh211o0wWyZAxX//Z",
].join("");

/** A 24×16 CMYK (Adobe) JPEG written by Pillow; SHA-256 of Pillow's `convert("RGB")` in `CMYK_RGB_SHA`. */
export const JCMYK =
  "/9j/7gAOQWRvYmUAZAAAAAAA/9sAQwACAQEBAQECAQEBAgICAgIEAwICAgIFBAQDBAYFBgYGBQYGBgcJCAYHCQcGBggLCAkKCgoKCgYICwwLCgwJCgoK/8AAFAgAEAAYBEMRAE0RAFkRAEsRAP/EAB8AAAEFAQEBAQEBAAAAAAAAAAABAgMEBQYHCAkKC//EALUQAAIBAwMCBAMFBQQEAAABfQECAwAEEQUSITFBBhNRYQcicRQygZGhCCNCscEVUtHwJDNicoIJChYXGBkaJSYnKCkqNDU2Nzg5OkNERUZHSElKU1RVVldYWVpjZGVmZ2hpanN0dXZ3eHl6g4SFhoeIiYqSk5SVlpeYmZqio6Slpqeoqaqys7S1tre4ubrCw8TFxsfIycrS09TV1tfY2drh4uPk5ebn6Onq8fLz9PX29/j5+v/aAA4EQwBNAFkASwAAPwD9IK8Pr+f+v38oor2T9kr/AJmD/t0/9rUUUV7JRRX4318b0UUV7J+yV/zMH/bp/wC1qKKK9kor/9k=";

/** SHA-256 of Pillow's RGB decoding of `JCMYK`. */
export const CMYK_RGB_SHA = "9ed39a5e15faa5fe36bf0b70c35fee3036b3d17a2716fc80a3d3a8fe11f908d4";
