/**
 * Sorting without workgroup memory (it compiles for tens of seconds on llvmpipe's GL backend): a bitonic
 * network over (key, index) pairs, one row of `P` = 2^p pairs per input row, every compare-exchange in
 * registers and every pass a dispatch of its own.
 *
 * Keys are u32 made so that unsigned order is the wanted order (see `keysWgsl`), and pairs compare as
 * (key, index): within a row no two pairs are equal, so the network's output is fully determined, which is
 * what makes ties go to the lower index in both directions and the result identical on every adapter.
 *
 * @module
 */

import { MAIN_1D, PRELUDE } from "./prelude_wgsl.ts";

/** Most network steps one bitonic pass performs in registers (2^STEPS pairs per invocation). */
export const MAX_STEPS = 4;

/** How `keysWgsl` turns input words into sort keys. */
export const KeyMode = { ascending: 0, descending: 1, bits: 2 } as const;

/**
 * WGSL `sort_key(bits, mode)`: a u32 whose unsigned order is the wanted order of the input word, for the
 * modes of `KeyMode` (see `keysWgsl`).
 */
export const SORT_KEY: string = /* wgsl */ `
fn sort_key(b: u32, mode: u32) -> u32 {
  if (mode == ${KeyMode.bits}u) { return b; }
  // bit tests, not x != x: some shader compilers assume floats are never NaN
  if ((b & 0x7fffffffu) > 0x7f800000u) { return 0xffffffffu; }
  let m = select(b, 0u, b == 0x80000000u);
  let flipped = select(m ^ 0x80000000u, ~m, (m & 0x80000000u) != 0u);
  return select(flipped, ~flipped, mode == ${KeyMode.descending}u);
}
`;

const LESS = /* wgsl */ `
fn less(a: vec2<u32>, b: vec2<u32>) -> bool { return a.x < b.x || (a.x == b.x && a.y < b.y); }
`;

/**
 * Pairs `kv[r·P + c] = (key(xs[r·n + c]), c)` for c < n, and padding `(0xffffffff, c)` for n ≤ c < P, which
 * sorts after every real pair. Modes: float ascending (the IEEE bits flipped so that unsigned order is float
 * order, -0 made +0 so that the two zeros tie), float descending (those keys complemented), or raw u32 bits.
 * NaN keys become 0xffffffff in both float modes, above every number: NaN sorts last either way.
 */
export function keysWgsl(): string {
  return /* wgsl */ `${PRELUDE}${SORT_KEY}
struct Params { total: u32, n: u32, log_p: u32, mode: u32 }
@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read> xs: array<u32>;
@group(0) @binding(2) var<storage, read_write> kv: array<vec2<u32>>;
${MAIN_1D}
  if (i >= p.total) { return; }
  let r = i >> p.log_p;
  let c = i & ((1u << p.log_p) - 1u);
  var key = 0xffffffffu;
  if (c < p.n) { key = sort_key(xs[r * p.n + c], p.mode); }
  kv[i] = vec2<u32>(key, c);
}`;
}

/**
 * `steps` consecutive steps of stage `k` of the bitonic network, strides `2^(low+steps-1)` down to `2^low`:
 * each invocation loads the 2^steps pairs those strides connect, runs the steps in registers, and stores
 * them. Direction: ascending where `(index & row_mask) & k` is 0, so the last stage (`k` = P, row_mask =
 * P - 1) sorts every row ascending.
 */
export function bitonicWgsl(steps: number): string {
  const count = 1 << steps;
  const loads: string[] = [];
  const stores: string[] = [];
  for (let l = 0; l < count; l++) {
    loads.push(`  var v${l} = kv[base + ${l}u * jl];`);
    stores.push(`  kv[base + ${l}u * jl] = v${l};`);
  }
  const exchanges: string[] = [];
  for (let b = steps - 1; b >= 0; b--) {
    for (let l = 0; l < count; l++) {
      if (l & (1 << b)) continue;
      const a = `v${l}`, c = `v${l | (1 << b)}`;
      exchanges.push(
        `  { let s = less(${c}, ${a}) == asc; let t = ${a}; ${a} = select(${a}, ${c}, s); ` +
          `${c} = select(${c}, t, s); }`,
      );
    }
  }
  return /* wgsl */ `${PRELUDE}${LESS}
struct Params { threads: u32, k: u32, row_mask: u32, low: u32 }
@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read_write> kv: array<vec2<u32>>;
${MAIN_1D}
  if (i >= p.threads) { return; }
  let jl = 1u << p.low;
  let base = ((i >> p.low) << (p.low + ${steps}u)) | (i & (jl - 1u));
  let asc = ((base & p.row_mask) & p.k) == 0u;
${loads.join("\n")}
${exchanges.join("\n")}
${stores.join("\n")}
}`;
}

/**
 * One halving round of bitonic top-k: chunks of `K` = 2^log_k pairs alternate ascending and descending, and
 * the elementwise minimum of each (ascending, descending) couple is a bitonic chunk holding the K smallest
 * pairs of both: `dst[q·K + c] = min(src[2q·K + c], src[(2q+1)·K + c])`.
 */
export function topkMergeWgsl(): string {
  return /* wgsl */ `${PRELUDE}${LESS}
struct Params { threads: u32, log_k: u32 }
@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read> src: array<vec2<u32>>;
@group(0) @binding(2) var<storage, read_write> dst: array<vec2<u32>>;
${MAIN_1D}
  if (i >= p.threads) { return; }
  let a = ((i >> p.log_k) << (p.log_k + 1u)) | (i & ((1u << p.log_k) - 1u));
  let x = src[a];
  let y = src[a + (1u << p.log_k)];
  dst[i] = select(x, y, less(y, x));
}`;
}

/**
 * The first `k` pairs of each sorted row of `L` = 2^log_l pairs: `idx[r·k + c] = kv[r·L + c].y`, and with
 * `values` also `vals[r·k + c] = xs[r·n + idx]` (the input's own bits: NaN payloads and -0 survive).
 */
export function gatherWgsl(values: boolean): string {
  return /* wgsl */ `${PRELUDE}
struct Params { total: u32, k: u32, log_l: u32, n: u32 }
@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read> kv: array<vec2<u32>>;
@group(0) @binding(2) var<storage, read_write> idx: array<u32>;${
    values
      ? `
@group(0) @binding(3) var<storage, read> xs: array<u32>;
@group(0) @binding(4) var<storage, read_write> vals: array<u32>;`
      : ""
  }
${MAIN_1D}
  if (i >= p.total) { return; }
  let r = i / p.k;
  let j = kv[(r << p.log_l) + (i - r * p.k)].y;
  idx[i] = j;${values ? "\n  vals[i] = xs[r * p.n + j];" : ""}
}`;
}
