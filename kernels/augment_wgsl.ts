/**
 * Batch preparation: uint8 images packed four to a u32 (N×C×H×W, byte k of the batch in bits
 * 8·(k mod 4) of word ⌊k/4⌋, i.e. a little-endian view of the bytes) become normalised float32 N×C×H×W,
 * optionally through DeepCore's training augmentation: a random H×W crop of the image padded by `pad`
 * pixels on every side (reflection or zeros), then a horizontal flip with probability ½.
 *
 * Each sample's draws come from Threefry-2x32-20 keyed by the seed, at counter (sample index, stream):
 * word x gives the crop's top, word y its left (`((w >> 8) · (2·pad + 1)) >> 24`, uniform on 0..2·pad,
 * exact in u32), and the low bit of y the flip. The draw depends on the dataset index and the stream, not
 * on the batch the sample lands in, so an epoch's augmentation is the same whatever the batching.
 *
 * @module
 */

import { MAIN_1D, PRELUDE } from "./prelude_wgsl.ts";
import { THREEFRY_WGSL } from "./rng_wgsl.ts";

/**
 * Bit flags of the kernel's `mode` parameter: crop randomly.
 *
 * @example
 * ```ts
 * import { AUGMENT_CROP, AUGMENT_FLIP, AUGMENT_REFLECT } from "./augment_wgsl.ts";
 * console.log(AUGMENT_CROP | AUGMENT_FLIP | AUGMENT_REFLECT); // 7: DeepCore's CIFAR augmentation
 * ```
 */
export const AUGMENT_CROP = 1;
/**
 * Mode flag: flip horizontally with probability ½.
 *
 * @example
 * ```ts
 * import { AUGMENT_FLIP } from "./augment_wgsl.ts";
 * console.log(AUGMENT_FLIP); // 2
 * ```
 */
export const AUGMENT_FLIP = 2;
/**
 * Mode flag: pad by reflection (mirror without repeating the edge) rather than with zeros.
 *
 * @example
 * ```ts
 * import { AUGMENT_REFLECT } from "./augment_wgsl.ts";
 * console.log(AUGMENT_REFLECT); // 4
 * ```
 */
export const AUGMENT_REFLECT = 4;

/**
 * The kernel. Invocation `i` writes output element `base + i` (of n in the window) at `out[base + i -
 * sub]`; `affine` holds per channel the scale 1/(255·std) and the bias −mean/std.
 *
 * @example
 * ```ts
 * import { augmentWgsl } from "./augment_wgsl.ts";
 * console.log(augmentWgsl().includes("fn threefry2x32")); // true
 * ```
 */
export function augmentWgsl(): string {
  return /* wgsl */ `${PRELUDE}${THREEFRY_WGSL}
struct Params { n: u32, base: u32, sub: u32, channels: u32, height: u32, width: u32, pad: u32, mode: u32,
                k0: u32, k1: u32, stream: u32 }
@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read> src: array<u32>;
@group(0) @binding(2) var<storage, read> ids: array<u32>;
@group(0) @binding(3) var<storage, read> affine: array<f32>;
@group(0) @binding(4) var<storage, read_write> out: array<f32>;

fn reflect_index(v: i32, size: i32) -> i32 {
  if (v < 0) { return -v; }
  if (v >= size) { return 2 * (size - 1) - v; }
  return v;
}

${MAIN_1D}
  if (i >= p.n) { return; }
  let e = p.base + i;
  let plane = p.height * p.width;
  let x = i32(e % p.width);
  let y = i32((e / p.width) % p.height);
  let c = (e / plane) % p.channels;
  let b = e / (plane * p.channels);
  var sy = y;
  var sx = x;
  if ((p.mode & ${AUGMENT_CROP | AUGMENT_FLIP}u) != 0u) {
    let w = threefry2x32(p.k0, p.k1, ids[b], p.stream);
    if ((p.mode & ${AUGMENT_FLIP}u) != 0u && (w.y & 1u) == 1u) { sx = i32(p.width) - 1 - x; }
    if ((p.mode & ${AUGMENT_CROP}u) != 0u) {
      let span = 2u * p.pad + 1u;
      sy += i32(((w.x >> 8u) * span) >> 24u) - i32(p.pad);
      sx += i32(((w.y >> 8u) * span) >> 24u) - i32(p.pad);
    }
  }
  var value = 0.0;
  if ((p.mode & ${AUGMENT_REFLECT}u) != 0u) {
    sy = reflect_index(sy, i32(p.height));
    sx = reflect_index(sx, i32(p.width));
  }
  if (sy >= 0 && sy < i32(p.height) && sx >= 0 && sx < i32(p.width)) {
    let k = ((b * p.channels + c) * p.height + u32(sy)) * p.width + u32(sx);
    value = f32((src[k >> 2u] >> ((k & 3u) * 8u)) & 255u);
  }
  out[e - p.sub] = value * affine[2u * c] + affine[2u * c + 1u];
}`;
}
