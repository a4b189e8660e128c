/**
 * Radix select: the k smallest (key, index) pairs of one row of u32 sort keys, without sorting the row.
 *
 * Three histogram rounds find the k-th smallest key T exactly — its top 12 bits, then the next 12 among
 * the keys that share them, then the last 8 — and how many of the keys equal to T are taken (r, the lowest
 * indices first). A block count, a scan and an emit pass then write exactly the k pairs with key < T or with
 * key = T among the first r such indices, each at a position fixed by index order (no atomics there, so the
 * output is the same on every adapter); only those k pairs are then sorted (`topk` in `sort.ts`).
 *
 * The work buffer `sel` holds the three histograms then the state: `[SEL_STATE]` = T's bits found so far,
 * `[SEL_STATE + 1]` = the rank still to find among the keys that share them (1-based), r after the last round.
 *
 * @module
 */

import { MAIN_1D, PRELUDE, WG } from "./prelude_wgsl.ts";
import { SORT_KEY } from "./sort_wgsl.ts";

/** The three rounds: which bits each histogram counts, and where it lives in `sel`. */
export const SELECT_ROUNDS = [
  { shift: 20, bins: 4096, offset: 0, above: 0x00000000 },
  { shift: 8, bins: 4096, offset: 4096, above: 0xfff00000 },
  { shift: 0, bins: 256, offset: 8192, above: 0xffffff00 },
] as const;

/** Index of the state words in `sel`, after the last histogram; its length is SEL_STATE + 2. */
export const SEL_STATE: number = SELECT_ROUNDS[2].offset + SELECT_ROUNDS[2].bins;

/** Keys counted sequentially by one invocation of the count and emit passes. */
export const SELECT_BLOCK = 128;

/** Keys each invocation of the keys and histogram passes handles (strided by the invocation count). */
export const SELECT_PER_INVOCATION = 16;

/**
 * Keys of `xs` into `keys`, counted by their top 12 bits into round 0's histogram. Params: n, mode,
 * invocations (⌈n / SELECT_PER_INVOCATION⌉).
 */
export function selectKeysWgsl(): string {
  return /* wgsl */ `${PRELUDE}${SORT_KEY}
struct Params { n: u32, mode: u32, threads: u32 }
@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read> xs: array<u32>;
@group(0) @binding(2) var<storage, read_write> keys: array<u32>;
@group(0) @binding(3) var<storage, read_write> sel: array<atomic<u32>>;
${MAIN_1D}
  if (i >= p.threads) { return; }
  for (var j = i; j < p.n; j += p.threads) {
    let key = sort_key(xs[j], p.mode);
    keys[j] = key;
    atomicAdd(&sel[key >> ${SELECT_ROUNDS[0].shift}u], 1u);
  }
}`;
}

/**
 * Round `round` (1 or 2) counts the keys whose higher bits equal those found so far. Params: n,
 * invocations.
 */
export function selectHistWgsl(round: 1 | 2): string {
  const { shift, bins, offset, above } = SELECT_ROUNDS[round];
  return /* wgsl */ `${PRELUDE}
struct Params { n: u32, threads: u32 }
@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read> keys: array<u32>;
@group(0) @binding(2) var<storage, read_write> sel: array<atomic<u32>>;
${MAIN_1D}
  if (i >= p.threads) { return; }
  let prefix = atomicLoad(&sel[${SEL_STATE}u]);
  for (var j = i; j < p.n; j += p.threads) {
    let key = keys[j];
    if ((key & ${above}u) == prefix) {
      atomicAdd(&sel[${offset}u + ((key >> ${shift}u) & ${bins - 1}u)], 1u);
    }
  }
}`;
}

/**
 * Walks round `round`'s histogram to the bin holding the wanted rank, appends the bin to T's bits and
 * keeps the rank left within it: one workgroup, each of its WG invocations sums bins/WG bins (workgroup
 * memory), then one walks the WG sums and the bins of the chosen group. Params (round 0 only): k, the rank it
 * starts from.
 */
export function selectFindWgsl(round: 0 | 1 | 2): string {
  const { shift, bins, offset } = SELECT_ROUNDS[round];
  const per = bins / WG;
  // only round 0 has a parameter: a binding the shader never reads is dropped from its layout
  return /* wgsl */ `${PRELUDE}${
    round === 0 ? "\nstruct Params { k: u32 }\n@group(0) @binding(0) var<uniform> p: Params;" : ""
  }
@group(0) @binding(1) var<storage, read_write> sel: array<u32>;
var<workgroup> sums: array<u32, ${WG}>;
@compute @workgroup_size(${WG})
fn main(@builtin(local_invocation_id) lid: vec3<u32>) {
  var own = 0u;
  for (var b = lid.x * ${per}u; b < (lid.x + 1u) * ${per}u; b++) { own += sel[${offset}u + b]; }
  sums[lid.x] = own;
  workgroupBarrier();
  if (lid.x != 0u) { return; }
  var prefix = ${round === 0 ? "0u" : `sel[${SEL_STATE}u]`};
  var rank = ${round === 0 ? "p.k" : `sel[${SEL_STATE + 1}u]`};
  var g = 0u;
  for (; g < ${WG - 1}u; g++) {
    if (rank <= sums[g]) { break; }
    rank -= sums[g];
  }
  var b = g * ${per}u;
  for (; b < (g + 1u) * ${per}u - 1u; b++) {
    let c = sel[${offset}u + b];
    if (rank <= c) { break; }
    rank -= c;
  }
  sel[${SEL_STATE}u] = prefix | (b << ${shift}u);
  sel[${SEL_STATE + 1}u] = rank;
}`;
}

/** Per block of SELECT_BLOCK keys: how many are below T, and how many equal it. Params: n, blocks. */
export function selectCountWgsl(): string {
  return /* wgsl */ `${PRELUDE}
struct Params { n: u32, blocks: u32 }
@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read> keys: array<u32>;
@group(0) @binding(2) var<storage, read> sel: array<u32>;
@group(0) @binding(3) var<storage, read_write> counts: array<vec2<u32>>;
${MAIN_1D}
  if (i >= p.blocks) { return; }
  let t = sel[${SEL_STATE}u];
  var below = 0u;
  var equal = 0u;
  for (var j = i * ${SELECT_BLOCK}u; j < min(p.n, (i + 1u) * ${SELECT_BLOCK}u); j++) {
    let key = keys[j];
    below += select(0u, 1u, key < t);
    equal += select(0u, 1u, key == t);
  }
  counts[i] = vec2<u32>(below, equal);
}`;
}

/**
 * One invocation turns the block counts into exclusive prefix sums: where each block's pairs go. Params:
 * blocks.
 */
export function selectScanWgsl(): string {
  return /* wgsl */ `${PRELUDE}
struct Params { blocks: u32 }
@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read_write> counts: array<vec2<u32>>;
${MAIN_1D}
  if (i != 0u) { return; }
  var sum = vec2<u32>(0u, 0u);
  for (var b = 0u; b < p.blocks; b++) {
    let c = counts[b];
    counts[b] = sum;
    sum += c;
  }
}`;
}

/**
 * Per block: the pairs below T at their scanned positions, and the first r pairs equal to T (in index
 * order) after all k − r of those; the output is padded from k to its power-of-two length with pairs
 * that sort after every real one. Params: n, blocks, k, padded length.
 */
export function selectEmitWgsl(): string {
  return /* wgsl */ `${PRELUDE}
struct Params { n: u32, blocks: u32, k: u32, padded: u32 }
@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read> keys: array<u32>;
@group(0) @binding(2) var<storage, read> sel: array<u32>;
@group(0) @binding(3) var<storage, read> counts: array<vec2<u32>>;
@group(0) @binding(4) var<storage, read_write> out: array<vec2<u32>>;
${MAIN_1D}
  if (i >= p.blocks) { return; }
  for (var j = p.k + i; j < p.padded; j += p.blocks) { out[j] = vec2<u32>(0xffffffffu, p.n + j); }
  let t = sel[${SEL_STATE}u];
  let r = sel[${SEL_STATE + 1}u];
  var at = counts[i];
  for (var j = i * ${SELECT_BLOCK}u; j < min(p.n, (i + 1u) * ${SELECT_BLOCK}u); j++) {
    let key = keys[j];
    if (key < t) {
      out[at.x] = vec2<u32>(key, j);
      at.x += 1u;
    } else if (key == t) {
      if (at.y < r) { out[p.k - r + at.y] = vec2<u32>(key, j); }
      at.y += 1u;
    }
  }
}`;
}
