/**
 * What the WGSL of the submodular greedy loops (`submodular.ts`; kernels in `submodular_wgsl.ts`,
 * `submodular_columns_wgsl.ts` and `submodular_cover_wgsl.ts`) shares: the loop state, WGSL constants and
 * helpers. A whole run is recorded into one pass; the loop state lives in the storage buffer `state` (u32
 * words; float slots hold f32 bit patterns):
 *
 * | word | slot     | meaning                                                                  |
 * | ---- | -------- | ------------------------------------------------------------------------ |
 * | 0    | T        | step t (number of picks so far)                                          |
 * | 1    | DONE     | 1 once this step's pick is decided (every later kernel of the step exits) |
 * | 2    | CHOSEN   | the pick, when DONE                                                      |
 * | 3, 4 | TOP      | argmax result: index, value (a* and G* of a walk)                        |
 * | 6    | PIVOT    | LogDeterminant: √max(r_pick, δ) of the newest pick                        |
 * | 7, 8 | TRIG     | the walk's stopping candidate c* and its bound (TAKEN when none)         |
 * | 16…  | H        | the picks, in pick order                                                 |
 *
 * Per candidate c: `ub[c]` is its last evaluated gain (ApproximateLazyGreedy's upper bound; TAKEN once
 * picked), `stamp[c]` the step in which it was evaluated ("fresh" when it equals T), `g[c]` its exact
 * current gain.
 *
 * Similarities s(i, c) = 0.5 + 0.5·cos(x_i, x_c) come from a dense matrix of cosines (row windows, each its
 * own buffer), are recomputed from the features ("onthefly", rows bound in windows), or come from a kNN list
 * per candidate. The diagonal is exactly 1 (0.5 for a zero vector) on every path.
 *
 * Facility location's sums over the ground set are exact (TwoSum pairs, `submodular_cover_wgsl.ts`), so
 * that gains equal in real arithmetic are equal floats on every path.
 *
 * @module
 */

import { TAKEN } from "./greedy_wgsl.ts";
import { PRELUDE } from "./prelude_wgsl.ts";

/**
 * Word offsets of the state buffer (see the module comment).
 *
 * @example
 * ```ts
 * import { SLOT } from "./submodular_common_wgsl.ts";
 * console.log(SLOT.H); // 16: the picks start at word 16
 * ```
 */
export const SLOT = {
  T: 0,
  DONE: 1,
  CHOSEN: 2,
  TOP: 3,
  PIVOT: 6,
  TRIG: 7,
  H: 16,
} as const;
/**
 * "No candidate" in index lists.
 *
 * @example
 * ```ts
 * import { NONE } from "./submodular_common_wgsl.ts";
 * console.log(NONE === 0xffffffff); // true
 * ```
 */
export const NONE = 0xffffffff;

/** WGSL every submodular kernel starts with: the prelude, TAKEN, NONE and the state slots. */
export const COMMON: string = /* wgsl */ `${PRELUDE}
const TAKEN: f32 = ${TAKEN};
const NONE: u32 = 0xffffffffu;
const T: u32 = ${SLOT.T}u;
const DONE: u32 = ${SLOT.DONE}u;
const CHOSEN: u32 = ${SLOT.CHOSEN}u;
const TOP: u32 = ${SLOT.TOP}u;
const PIVOT: u32 = ${SLOT.PIVOT}u;
const TRIG: u32 = ${SLOT.TRIG}u;
const H: u32 = ${SLOT.H}u;
`;

/** The newest pick (needs the `state` binding). */
export const LAST_PICK: string = "fn lastPick() -> u32 { return state[H + state[T] - 1u]; }";

const storage = (binding: number, name: string, type: string, write = false) =>
  `@group(0) @binding(${binding}) var<storage, ${write ? "read_write" : "read"}> ${name}: array<${type}>;`;

/** Declarations of storage bindings 1..n in order: [name, element type, writable?]. */
export function bindings(list: [string, string, boolean?][]): string {
  return list.map(([name, type, write], i) => storage(i + 1, name, type, write)).join("\n");
}

/**
 * WGSL accumulating x[xa..xa+d)·y[ya..ya+d) into `s` with one fma per element in index order (`vec4`: d and
 * the offsets counted in vec4s), so that every kernel computes the same float for the same pair.
 */
export function dotLoop(x: string, xa: string, y: string, ya: string, vec4: boolean): string {
  const body = vec4
    ? `let dx = ${x}[${xa} + k]; let dy = ${y}[${ya} + k];
      s = fma(dx.x, dy.x, s); s = fma(dx.y, dy.y, s); s = fma(dx.z, dy.z, s); s = fma(dx.w, dy.w, s);`
    : `s = fma(${x}[${xa} + k], ${y}[${ya} + k], s);`;
  return `var s = 0.0;
    for (var k = 0u; k < p.d; k++) { ${body} }`;
}

/** s(i, c) from the dot product `s` of the rows and the inverse norms (0 for a zero row); exact diagonal. */
export const SIM_FROM_DOT: string =
  "select(fma(0.5, s * (invn[row] * invn[c]), 0.5), select(0.5, 1.0, invn[c] > 0.0), row == c)";
