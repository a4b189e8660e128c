/**
 * Random tensors from a seed: raw bits, uniforms, normals and permutations, each beside the plain TypeScript
 * reference that produces the very same numbers on the CPU (so CPU-side code, e.g. a selector working on
 * plain arrays, can draw the same samples as the GPU).
 *
 * How a seed becomes numbers: the seed, an integer in [0, 2^53], is the 64-bit Threefry key
 * `(seed mod 2^32, floor(seed / 2^32))`. Element `i` of a bits or uniform tensor is word `i mod 2` of
 * `threefry2x32(key, (floor(i / 2), stream))`, so a shorter draw is a prefix of a longer one. `stream`
 * (an integer in [0, 2^32), default 0) is the counter's high word: different streams of one seed use disjoint
 * counters and are independent sequences, e.g. one stream per epoch or per class. Draws of different kinds
 * from one seed and stream share counters (uniform `i` is bits `i` scaled; normal `i` comes from uniforms
 * `2i`, `2i+1`; a permutation sorts the bits): give them different streams when they must be independent.
 *
 * @module
 */

import type * as tf from "npm:@tensorflow/tfjs-core@4.22.0";
import { grid1d } from "./prelude_wgsl.ts";
import {
  type RandomKind,
  randomWgsl,
  THREEFRY_PARITY,
  THREEFRY_ROTATIONS,
  THREEFRY_ROUNDS,
} from "./rng_wgsl.ts";
import { f32 } from "./runtime/recorder.ts";
import { runtime } from "./runtime/runtime.ts";
import { bufferOf, emptyTensor, sizeOf } from "./runtime/tensor.ts";
import { argsortBits, argsortBitsReference } from "./sort.ts";

/** Options of the random generators. */
export interface RandomOptions {
  /** Independent sequence id in [0, 2^32); default 0. */
  stream?: number;
}

/** Options of `randomNormal`. */
export interface NormalOptions extends RandomOptions {
  /** Mean; default 0. */
  mean?: number;
  /** Standard deviation; default 1. */
  std?: number;
}

/**
 * The Threefry key of a seed: `[seed mod 2^32, floor(seed / 2^32)]`. Throws a RangeError for a seed that is
 * not an integer in [0, 2^53].
 *
 * @example
 * ```ts
 * import { seedKey } from "./rng.ts";
 * console.log(seedKey(2 ** 32 + 7)); // [7, 1]
 * ```
 */
export function seedKey(seed: number): [number, number] {
  if (!Number.isInteger(seed) || seed < 0 || seed > 2 ** 53) {
    throw new RangeError(`seed ${seed} is not an integer in [0, 2^53]; pass a non-negative integer seed`);
  }
  return [seed >>> 0, Math.floor(seed / 2 ** 32)];
}

function checkStream(stream: number): number {
  if (!Number.isInteger(stream) || stream < 0 || stream > 0xffffffff) {
    throw new RangeError(`stream ${stream} is not an integer in [0, 2^32)`);
  }
  return stream;
}

function record(kind: RandomKind, shape: number[], seed: number, stream: number, extra: number[] = []) {
  const [k0, k1] = seedKey(seed);
  const n = sizeOf(shape);
  if (n > 0xffffffff) throw new RangeError(`cannot draw ${n} random numbers: at most 2^32 - 1 per tensor`);
  const out = emptyTensor(shape, kind === "uniform" || kind === "normal" ? "float32" : "int32");
  const invocations = kind === "normal" ? n : Math.ceil(n / 2);
  const params = [n, k0, k1, checkStream(stream), ...extra.map(f32)];
  runtime().recorder.dispatch(randomWgsl(kind), grid1d(invocations), params, [bufferOf(out)]);
  return out;
}

/**
 * Raw random u32 words, stored in an int32 tensor (read them back with `>>> 0` for the unsigned value).
 *
 * @example
 * ```ts
 * import { ready } from "./runtime/runtime.ts";
 * import { readAll } from "./runtime/tensor.ts";
 * import { bitsReference, randomBits } from "./rng.ts";
 * await ready();
 * const [bits] = await readAll([randomBits([4], 42)]);
 * console.log(Uint32Array.from(bits!), bitsReference(4, 42)); // the same four words
 * ```
 */
export function randomBits(shape: number[], seed: number, { stream = 0 }: RandomOptions = {}): tf.Tensor {
  return record("bits", shape, seed, stream);
}

/**
 * Uniform float32 numbers in [0, 1): `(bits >>> 8) · 2^-24` of `randomBits` with the same seed and stream,
 * exact on every adapter.
 *
 * @example
 * ```ts
 * import { ready } from "./runtime/runtime.ts";
 * import { readAll } from "./runtime/tensor.ts";
 * import { randomUniform, uniformReference } from "./rng.ts";
 * await ready();
 * const [u] = await readAll([randomUniform([2, 3], 7, { stream: 1 })]);
 * console.log(u, uniformReference(6, 7, 1)); // equal, bit for bit
 * ```
 */
export function randomUniform(shape: number[], seed: number, { stream = 0 }: RandomOptions = {}): tf.Tensor {
  return record("uniform", shape, seed, stream);
}

/**
 * Normal float32 numbers by Box–Muller: element `i` is
 * `mean + std · sqrt(-2 ln(1 - u[2i])) · cos(π (2 u[2i+1] - 1))` where `u` are the uniforms of the same seed
 * and stream (`1 - u` lies in (0, 1], so the log never sees 0, and |z| ≤ sqrt(48 ln 2) ≈ 5.77). log, cos
 * and sqrt are not correctly rounded (the log is our own few-ulp series, see `LN_UNIT_WGSL`; cos and sqrt
 * are the adapter's), so normals agree across adapters and with `normalReference` only to about 1e-6, not
 * bit for bit (llvmpipe: at most 4.8e-7 apart over 2^20 draws).
 *
 * @example
 * ```ts
 * import { ready } from "./runtime/runtime.ts";
 * import { readAll } from "./runtime/tensor.ts";
 * import { normalReference, randomNormal } from "./rng.ts";
 * await ready();
 * const [z] = await readAll([randomNormal([3], 1, { mean: 10, std: 2 })]);
 * console.log(z, normalReference(3, 1, { mean: 10, std: 2 })); // equal to ~1e-6
 * ```
 */
export function randomNormal(
  shape: number[],
  seed: number,
  { mean = 0, std = 1, stream = 0 }: NormalOptions = {},
): tf.Tensor {
  return record("normal", shape, seed, stream, [mean, std]);
}

/**
 * A uniformly random permutation of 0..n-1 (int32 [n]): the argsort of `randomBits([n], seed, {stream})`
 * as unsigned keys, ties broken by lower index. Bit-identical on every adapter and to
 * `permutationReference`. (Equal 32-bit keys, about n²/2^33 pairs of them, keep index order: a bias far
 * below anything a selection could notice.)
 *
 * @example
 * ```ts
 * import { ready } from "./runtime/runtime.ts";
 * import { readAll } from "./runtime/tensor.ts";
 * import { permutationReference, randomPermutation } from "./rng.ts";
 * await ready();
 * const [perm] = await readAll([randomPermutation(5, 3)]);
 * console.log(perm, permutationReference(5, 3)); // the same order of 0..4
 * ```
 */
export function randomPermutation(n: number, seed: number, { stream = 0 }: RandomOptions = {}): tf.Tensor1D {
  const bits = randomBits([n], seed, { stream });
  const perm = argsortBits(bits) as tf.Tensor1D;
  bits.dispose();
  return perm;
}

/**
 * Threefry-2x32-20 of counter `(ctr0, ctr1)` under key `(key0, key1)`, all u32; returns the two output words.
 *
 * @example
 * ```ts
 * import { threefry2x32 } from "./rng.ts";
 * // Random123 known-answer vector
 * console.log(threefry2x32(0, 0, 0, 0).map((w) => w.toString(16))); // ["6b200159", "99ba4efe"]
 * ```
 */
export function threefry2x32(key0: number, key1: number, ctr0: number, ctr1: number): [number, number] {
  // int32 arithmetic throughout (`| 0`, made unsigned once at the end) and the 20 rounds unrolled as five
  // blocks of four: ~2.5× faster per draw in V8 than u32 words (`>>> 0`) in a loop, the same bits
  const k = [key0 | 0, key1 | 0, (THREEFRY_PARITY ^ key0 ^ key1) | 0];
  let x0 = (ctr0 + k[0]!) | 0;
  let x1 = (ctr1 + k[1]!) | 0;
  for (let block = 0; block < THREEFRY_ROUNDS / 4; block++) {
    const r = (block & 1) * 4, a = THREEFRY_ROTATIONS[r]!, b = THREEFRY_ROTATIONS[r + 1]!;
    const c = THREEFRY_ROTATIONS[r + 2]!, d = THREEFRY_ROTATIONS[r + 3]!;
    x0 = (x0 + x1) | 0;
    x1 = ((x1 << a) | (x1 >>> (32 - a))) ^ x0;
    x0 = (x0 + x1) | 0;
    x1 = ((x1 << b) | (x1 >>> (32 - b))) ^ x0;
    x0 = (x0 + x1) | 0;
    x1 = ((x1 << c) | (x1 >>> (32 - c))) ^ x0;
    x0 = (x0 + x1) | 0;
    x1 = ((x1 << d) | (x1 >>> (32 - d))) ^ x0;
    const i = block + 1;
    x0 = (x0 + k[i % 3]!) | 0;
    x1 = (x1 + k[(i + 1) % 3]! + i) | 0;
  }
  return [x0 >>> 0, x1 >>> 0];
}

/**
 * TypeScript reference of `randomBits([n], seed, {stream})`.
 *
 * @example
 * ```ts
 * import { bitsReference } from "./rng.ts";
 * console.log(bitsReference(3, 0)); // Uint32Array of 3 words
 * ```
 */
export function bitsReference(n: number, seed: number, stream = 0): Uint32Array {
  const [k0, k1] = seedKey(seed);
  checkStream(stream);
  const out = new Uint32Array(n);
  for (let p = 0; 2 * p < n; p++) {
    const [a, b] = threefry2x32(k0, k1, p, stream);
    out[2 * p] = a;
    if (2 * p + 1 < n) out[2 * p + 1] = b;
  }
  return out;
}

/**
 * TypeScript reference of `randomUniform([n], seed, {stream})`, equal bit for bit.
 *
 * @example
 * ```ts
 * import { uniformReference } from "./rng.ts";
 * const u = uniformReference(1000, 5);
 * console.log(u.every((x) => x >= 0 && x < 1)); // true
 * ```
 */
export function uniformReference(n: number, seed: number, stream = 0): Float32Array {
  return Float32Array.from(bitsReference(n, seed, stream), (w) => (w >>> 8) * 2 ** -24);
}

/**
 * TypeScript reference of `randomNormal([n], seed, options)`, rounding to f32 where the kernel does; equal to
 * the kernel within about 1e-6 relative (see `randomNormal`).
 *
 * @example
 * ```ts
 * import { normalReference } from "./rng.ts";
 * console.log(normalReference(4, 9, { std: 0.1 })); // four draws from N(0, 0.01)
 * ```
 */
export function normalReference(
  n: number,
  seed: number,
  { mean = 0, std = 1, stream = 0 }: NormalOptions = {},
): Float32Array {
  const bits = bitsReference(2 * n, seed, stream);
  const fr = Math.fround;
  const pi = fr(Math.PI), m = fr(mean), s = fr(std);
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const u1 = (2 ** 24 - (bits[2 * i]! >>> 8)) * 2 ** -24;
    const u2 = (bits[2 * i + 1]! >>> 8) * 2 ** -24;
    const r = fr(Math.sqrt(fr(-2 * fr(Math.log(u1)))));
    const z = fr(r * fr(Math.cos(fr(pi * (2 * u2 - 1)))));
    out[i] = fr(m + fr(s * z));
  }
  return out;
}

/**
 * TypeScript reference of `randomPermutation(n, seed, {stream})`, equal bit for bit.
 *
 * @example
 * ```ts
 * import { permutationReference } from "./rng.ts";
 * console.log(permutationReference(6, 11).toSorted()); // Int32Array [0, 1, 2, 3, 4, 5]
 * ```
 */
export function permutationReference(n: number, seed: number, stream = 0): Int32Array {
  return argsortBitsReference(bitsReference(n, seed, stream));
}

/**
 * A counter-based random stream on the CPU keyed by `(seed, stream)` — draw i is word 0 of
 * Threefry-2x32-20(key = (seed, stream), counter = (i mod 2³², ⌊i / 2³²⌋)) — for choices made before any GPU
 * work (a first centre, a stochastic-greedy sample) that must be the same on every machine.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { CounterRng } from "./rng.ts";
 * const a = new CounterRng(7, 0), b = new CounterRng(7, 0);
 * assert.equal(a.nextU32(), b.nextU32());
 * const x = a.nextFloat();
 * assert.ok(x >= 0 && x < 1);
 * assert.ok(a.nextInt(10) < 10);
 * ```
 */
export class CounterRng {
  readonly #k0: number;
  readonly #k1: number;
  #counter = 0;

  /** A stream keyed by two unsigned 32-bit integers. */
  constructor(seed: number, stream: number) {
    this.#k0 = seed >>> 0;
    this.#k1 = stream >>> 0;
  }

  /** The number of 32-bit words drawn so far (the counter of the next draw). */
  get drawn(): number {
    return this.#counter;
  }

  /** The next unsigned 32-bit word. */
  nextU32(): number {
    const i = this.#counter++;
    return threefry2x32(this.#k0, this.#k1, i >>> 0, Math.floor(i / 2 ** 32) >>> 0)[0];
  }

  /** The next uniform float in [0, 1): the top 24 bits of a word, times 2⁻²⁴. */
  nextFloat(): number {
    return (this.nextU32() >>> 8) * 2 ** -24;
  }

  /** The next uniform integer in [0, m), 1 ≤ m ≤ 2³², by masked rejection (unbiased). */
  nextInt(m: number): number {
    if (!Number.isInteger(m) || m < 1 || m > 2 ** 32) {
      throw new RangeError(`CounterRng.nextInt: expected an integer 1 ≤ m ≤ 2^32, got ${m}`);
    }
    if (m === 1) return 0;
    let mask = (m - 1) >>> 0;
    mask |= mask >>> 1;
    mask |= mask >>> 2;
    mask |= mask >>> 4;
    mask |= mask >>> 8;
    mask |= mask >>> 16;
    for (;;) {
      const v = (this.nextU32() & mask) >>> 0;
      if (v < m) return v;
    }
  }
}
