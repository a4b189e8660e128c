/**
 * Counter-based random numbers: Threefry-2x32 with 20 rounds (Salmon, Moraes, Dror, Shaw, "Parallel random
 * numbers: as easy as 1, 2, 3", SC 2011). Only 32-bit adds, rotates and xors, so every adapter and the
 * TypeScript reference produce the same bits. Invocation `p` hashes the counter `(p, stream)` under the key
 * of the seed: no state, no sequential dependency, any element computable on its own.
 *
 * @module
 */

import { MAIN_1D, PRELUDE } from "./prelude_wgsl.ts";

/** Rotation distances of Threefry-2x32, one per round modulo 8 (Random123's R_32x2). */
export const THREEFRY_ROTATIONS: readonly number[] = [13, 15, 26, 6, 17, 29, 16, 24];
/** Threefry's key-schedule parity constant for 32-bit words (SKEIN_KS_PARITY32). */
export const THREEFRY_PARITY = 0x1bd11bda;
/** Rounds of Threefry-2x32 we run: Random123's default, with a wide margin over the 13 that pass BigCrush. */
export const THREEFRY_ROUNDS = 20;

/** WGSL `threefry2x32(k0, k1, c0, c1) -> vec2<u32>`, its rounds unrolled from the constants above. */
export const THREEFRY_WGSL: string = (() => {
  const lines: string[] = [];
  for (let r = 0; r < THREEFRY_ROUNDS; r++) {
    const s = THREEFRY_ROTATIONS[r % 8]!;
    lines.push(`  x0 += x1; x1 = (x1 << ${s}u) | (x1 >> ${32 - s}u); x1 ^= x0;`);
    if (r % 4 === 3) {
      const i = (r + 1) / 4;
      lines.push(`  x0 += ks[${i % 3}]; x1 += ks[${(i + 1) % 3}] + ${i}u;`);
    }
  }
  return /* wgsl */ `
fn threefry2x32(k0: u32, k1: u32, c0: u32, c1: u32) -> vec2<u32> {
  let ks = array<u32, 3>(k0, k1, ${THREEFRY_PARITY}u ^ k0 ^ k1);
  var x0 = c0 + k0;
  var x1 = c1 + k1;
${lines.join("\n")}
  return vec2<u32>(x0, x1);
}
`;
})();

/**
 * WGSL `ln_unit(x)`: ln x for x in [2^-24, 1] to a few ulps. The builtin `log` may be off by 2^-21 in absolute
 * terms near 1 (WGSL's and Vulkan's allowance, what GPUs' fast log delivers), and near 1 is where Box–Muller
 * takes its small radii, which would come out wrong by several percent. So: x = m·2^e with m in [√½, √2),
 * ln m = 2 atanh(s), s = (m - 1)/(m + 1), where m - 1 is exact and the odd series to s^9 is ample (|s| < 0.172).
 */
export const LN_UNIT_WGSL = /* wgsl */ `
fn ln_unit(x: f32) -> f32 {
  let b = bitcast<u32>(x);
  var e = f32(i32(b >> 23u) - 127);
  var m = bitcast<f32>((b & 0x007fffffu) | 0x3f800000u);
  if (m > 1.4142135) { m = 0.5 * m; e += 1.0; }
  let s = (m - 1.0) / (m + 1.0);
  let s2 = s * s;
  let series = 1.0 + s2 * (1.0 / 3.0 + s2 * (0.2 + s2 * (1.0 / 7.0 + s2 * (1.0 / 9.0))));
  return e * 0.6931471805599453 + 2.0 * s * series;
}
`;

/** What a random kernel writes: raw u32 bits, uniforms in [0, 1), or normals. */
export type RandomKind = "bits" | "uniform" | "normal";

/**
 * The kernel filling `out[0..n)`. For `bits` and `uniform`, invocation `p` writes elements `2p` and `2p+1`
 * from the two words of counter `(p, stream)`; for `normal`, invocation `i` writes element `i` from both
 * words of counter `(i, stream)` (Box–Muller on the uniforms `2i`, `2i+1`). Uniforms are `(bits >> 8)·2^-24`,
 * exact in f32 on every adapter.
 */
export function randomWgsl(kind: RandomKind): string {
  const uniform = (w: string) => `f32(${w} >> 8u) * ${2 ** -24}`;
  const body = kind === "normal"
    ? /* wgsl */ `
  if (i >= p.n) { return; }
  let w = threefry2x32(p.k0, p.k1, i, p.stream);
  // 1 - u maps [0, 1) onto (0, 1] exactly, so log never sees 0; |z| ≤ sqrt(48 ln 2) ≈ 5.77
  let u1 = f32(16777216u - (w.x >> 8u)) * ${2 ** -24};
  let u2 = ${uniform("w.y")};
  let z = sqrt(-2.0 * ln_unit(u1)) * cos(3.14159265358979 * (2.0 * u2 - 1.0));
  out[i] = p.mean + p.scale * z;`
    : /* wgsl */ `
  if (2u * i >= p.n) { return; }
  let w = threefry2x32(p.k0, p.k1, i, p.stream);
  out[2u * i] = ${kind === "bits" ? "w.x" : uniform("w.x")};
  if (2u * i + 1u < p.n) { out[2u * i + 1u] = ${kind === "bits" ? "w.y" : uniform("w.y")}; }`;
  const params = kind === "normal"
    ? "struct Params { n: u32, k0: u32, k1: u32, stream: u32, mean: f32, scale: f32 }"
    : "struct Params { n: u32, k0: u32, k1: u32, stream: u32 }";
  return /* wgsl */ `${PRELUDE}${THREEFRY_WGSL}${kind === "normal" ? LN_UNIT_WGSL : ""}
${params}
@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read_write> out: array<${kind === "bits" ? "u32" : "f32"}>;
${MAIN_1D}${body}
}`;
}
