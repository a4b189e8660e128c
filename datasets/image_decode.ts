/**
 * Decoding JPEG and PNG files to RGB (or grey) pixels, in WebAssembly, with no native addon.
 *
 * JPEG: `@jsquash/jpeg`, the MozJPEG build of libjpeg-turbo compiled to WebAssembly. Pillow (what DeepCore
 * decodes with) uses libjpeg-turbo too, and on our test images the two agree on every pixel, whereas
 * the pure-JavaScript `jpeg-js` differs by up to 79 levels near sharp colour edges (it upsamples chroma by
 * repetition, libjpeg by interpolation) and decodes 2.5× (64×64) to 5× (500×375) slower. EXIF orientation
 * is not applied, as in Pillow. A truncated file is an error (Pillow's "image file is truncated");
 * libjpeg's other warnings (extraneous bytes, …) are not, as in Pillow. The WebAssembly build cannot convert
 * four-channel (CMYK/YCCK, Adobe) JPEGs to RGB — 22 of ImageNet's training images are such — so those
 * go through `jpeg-js`, whose CMYK → RGB conversion agrees with Pillow's on our test file.
 *
 * PNG: `@jsquash/png` (the Rust `png` crate in WebAssembly), 8 bits per channel.
 *
 * @module
 */

import jpegFactory from "npm:@jsquash/jpeg@1.6.0/codec/dec/mozjpeg_dec.js";
import decodePngWasm from "npm:@jsquash/png@3.1.1/decode.js";
import { FormatError } from "./formats/format_error.ts";
import type { Image } from "./resize.ts";

interface JpegModule {
  decode(
    data: BufferSource,
    preserveOrientation: boolean,
  ): { width: number; height: number; data: Uint8ClampedArray } | null;
}

const messages: string[] = [];
let jpegModule: Promise<JpegModule> | undefined;

function jpeg(): Promise<JpegModule> {
  jpegModule ??= (jpegFactory as unknown as (o: object) => Promise<JpegModule>)({
    noInitialRun: true,
    // libjpeg reports errors and warnings through stderr: keep them for our own messages.
    printErr: (m: string) => messages.push(m),
    print: () => {},
  });
  return jpegModule;
}

/** The file kinds {@linkcode decodeImage} reads. */
export type ImageKind = "jpeg" | "png";

/**
 * The kind of an image file from its first bytes, or undefined.
 *
 * @example
 * ```ts
 * import { imageKind } from "./image_decode.ts";
 * console.log(imageKind(new Uint8Array([0xff, 0xd8, 0xff])), imageKind(new Uint8Array([1, 2]))); // jpeg undefined
 * ```
 */
export function imageKind(bytes: Uint8Array): ImageKind | undefined {
  if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return "jpeg";
  const png = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
  if (bytes.length >= 8 && png.every((b, i) => bytes[i] === b)) return "png";
  return undefined;
}

/**
 * Decodes a JPEG or PNG file to interleaved pixels with `channels` channels: 3 converts to RGB (grey and
 * CMYK JPEGs, palette and grey PNGs included), 1 to grey by ITU-R 601-2 luma as Pillow's
 * `convert("L")` (L = (R·19595 + G·38470 + B·7471 + 2^15) >> 16). Damaged or unknown data is a
 * {@linkcode FormatError} naming `file`.
 *
 * @example
 * ```ts
 * import { decodeImage } from "./image_decode.ts";
 * await decodeImage(new Uint8Array([0xff, 0xd8, 0xff, 0xe0]), "cut.jpg").catch((e) => console.log(e.message));
 * // cut.jpg: expected a complete JPEG image, found … — the file is damaged or truncated; …
 * ```
 */
export async function decodeImage(bytes: Uint8Array, file: string, channels: 1 | 3 = 3): Promise<Image> {
  const kind = imageKind(bytes);
  let rgba: { width: number; height: number; data: Uint8ClampedArray };
  if (kind === "jpeg") rgba = await decodeJpeg(bytes, file);
  else if (kind === "png") rgba = await decodePng(bytes, file);
  else {
    throw new FormatError(file, {
      offset: 0,
      expected: "a JPEG (ff d8 ff) or PNG (89 50 4e 47) signature",
      found: Array.from(bytes.subarray(0, 4), (b) => b.toString(16).padStart(2, "0")).join(" ") ||
        "an empty file",
      hint: "only JPEG and PNG images are read; convert the file or remove it",
    });
  }
  const { width, height, data } = rgba;
  const out = new Uint8Array(width * height * channels);
  if (channels === 3) {
    for (let i = 0, j = 0; j < out.length; i += 4, j += 3) {
      out[j] = data[i]!;
      out[j + 1] = data[i + 1]!;
      out[j + 2] = data[i + 2]!;
    }
  } else {
    for (let i = 0, j = 0; j < out.length; i += 4, j++) {
      out[j] = (data[i]! * 19595 + data[i + 1]! * 38470 + data[i + 2]! * 7471 + 0x8000) >>> 16;
    }
  }
  return { width, height, channels, data: out };
}

async function decodeJpeg(bytes: Uint8Array, file: string) {
  const module = await jpeg();
  messages.length = 0;
  let result: ReturnType<JpegModule["decode"]> = null;
  let thrown: unknown;
  try {
    result = module.decode(bytes as Uint8Array<ArrayBuffer>, false);
  } catch (e) {
    thrown = e;
  }
  const problems = messages.splice(0);
  if (result === null && problems.some((m) => /unsupported color conversion/i.test(m))) {
    return await decodeFourChannelJpeg(bytes, file);
  }
  const truncated = problems.find((m) => /premature end of jpeg file/i.test(m));
  if (result === null || thrown !== undefined || truncated !== undefined) {
    const reason = truncated ?? problems[0] ??
      (thrown instanceof Error ? thrown.message : "nothing decodable");
    throw new FormatError(file, {
      expected: "a complete JPEG image",
      found: `${reason.replace(/\.$/, "")} (libjpeg)`,
      hint: "the file is damaged or truncated; download it again or remove it",
    });
  }
  return result;
}

/** CMYK/YCCK JPEGs, which the WebAssembly libjpeg build cannot turn into RGB. */
async function decodeFourChannelJpeg(bytes: Uint8Array, file: string) {
  const { default: jpegJs } = await import("npm:jpeg-js@0.4.4");
  try {
    const { width, height, data } = jpegJs.decode(bytes, { useTArray: true, formatAsRGBA: true });
    return { width, height, data: new Uint8ClampedArray(data.buffer, data.byteOffset, data.length) };
  } catch (e) {
    throw new FormatError(file, {
      expected: "a complete four-channel (CMYK) JPEG image",
      found: `data jpeg-js rejects (${e instanceof Error ? e.message : String(e)})`,
      hint: "the file is damaged or truncated; download it again or remove it",
    });
  }
}

async function decodePng(bytes: Uint8Array, file: string) {
  try {
    return await decodePngWasm(bytes.slice().buffer) as {
      width: number;
      height: number;
      data: Uint8ClampedArray;
    };
  } catch (e) {
    throw new FormatError(file, {
      expected: "a complete PNG image",
      found: `data the PNG decoder rejects (${e instanceof Error ? e.message : String(e)})`,
      hint: "the file is damaged or truncated; download it again or remove it",
    });
  }
}
