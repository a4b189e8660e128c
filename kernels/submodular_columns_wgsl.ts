/**
 * The WGSL of what a submodular greedy loop (`submodular.ts`) does after each pick: fold the newest pick's
 * similarity column into the function's state (Graph Cut's sum, LogDeterminant's Cholesky-style update,
 * kNN facility location's coverage), and the set-up kernels (inverse norms, the diagonal, the symmetric
 * fill's mirror, column sums, kNN lists).
 * The state layout and shared WGSL are in `submodular_common_wgsl.ts`.
 *
 * @module
 */

import { bindings, COMMON, dotLoop, LAST_PICK, SIM_FROM_DOT } from "./submodular_common_wgsl.ts";
import { MAIN_1D } from "./prelude_wgsl.ts";

// ---------------------------------------------------------------------------------------------------------
// After a pick: fold the similarity column of the newest pick into the function's state.

/**
 * What to do with s(i, pick): GraphCut's sum, or a copy (LogDeterminant's column, facility location's
 * raise on the fly).
 *
 * @example
 * ```ts
 * import { ColumnOp, columnDenseWgsl } from "./submodular_columns_wgsl.ts";
 * const op: ColumnOp = "add";
 * console.log(columnDenseWgsl(op).includes("dst[row] + v")); // true
 * ```
 */
export type ColumnOp = "add" | "set";
const OP: Record<ColumnOp, string> = {
  add: "dst[row] = dst[row] + v;",
  set: "dst[row] = v;",
};

/**
 * From the dense window of rows [r0, r0 + rows), if it holds the newest pick's row: op(s(i, pick)).
 *
 * @example
 * ```ts
 * import { columnDenseWgsl } from "./submodular_columns_wgsl.ts";
 * console.log(columnDenseWgsl("add").includes("dst[row] + v")); // true
 * ```
 */
export function columnDenseWgsl(op: ColumnOp): string {
  return /* wgsl */ `${COMMON}
struct Params { m: u32, r0: u32, rows: u32 }
@group(0) @binding(0) var<uniform> p: Params;
${bindings([["S", "f32"], ["state", "u32"], ["dst", "f32", true]])}
${LAST_PICK}
${MAIN_1D}
  let c = lastPick();
  if (i >= p.m || c < p.r0 || c >= p.r0 + p.rows) { return; }
  let row = i;
  let v = fma(0.5, S[(c - p.r0) * p.m + i], 0.5);
  ${OP[op]}
}`;
}

/**
 * For the rows of the window [r0, r0 + rows): op(s(i, pick)) with the pick's row in `xs`.
 *
 * @example
 * ```ts
 * import { columnOntheflyWgsl } from "./submodular_columns_wgsl.ts";
 * console.log(columnOntheflyWgsl("set", true).includes("dst[row] = v")); // true
 * ```
 */
export function columnOntheflyWgsl(op: ColumnOp, vec4: boolean): string {
  const T = vec4 ? "vec4<f32>" : "f32";
  return /* wgsl */ `${COMMON}
struct Params { d: u32, r0: u32, rows: u32, skip: u32 }
@group(0) @binding(0) var<uniform> p: Params;
${bindings([["x", T], ["xs", T], ["invn", "f32"], ["state", "u32"], ["dst", "f32", true]])}
${LAST_PICK}
${MAIN_1D}
  if (i >= p.rows) { return; }
  let row = p.r0 + i;
  let c = lastPick();
  ${dotLoop("x", "p.skip + i * p.d", "xs", "0u", vec4)}
  let v = ${SIM_FROM_DOT};
  ${OP[op]}
}`;
}

/**
 * kNN facility location after a pick: cur[i] = max(cur[i], s(i, pick)) over the pick's K rows.
 *
 * @example
 * ```ts
 * import { knnUpdateWgsl } from "./submodular_columns_wgsl.ts";
 * console.log(knnUpdateWgsl.includes("cur[nbr[q]]")); // true
 * ```
 */
export const knnUpdateWgsl: string = /* wgsl */ `${COMMON}
struct Params { K: u32 }
@group(0) @binding(0) var<uniform> p: Params;
${bindings([["nbr", "u32"], ["nval", "f32"], ["state", "u32"], ["cur", "f32", true]])}
${LAST_PICK}
${MAIN_1D}
  if (i >= p.K) { return; }
  let q = lastPick() * p.K + i;
  cur[nbr[q]] = max(cur[nbr[q]], nval[q]);
}`;

/**
 * LogDeterminant, incremental Cholesky (Chen et al. 2018). E holds e_0[c], e_1[c], … for the candidates of
 * a window [c0, c0 + rows) as rows of `width` floats (a multiple of 16), e_t at t·width (zero past the
 * picks so far), so that neighbouring lanes of the update read neighbouring candidates: copies the newest
 * pick's column into `ej` from the window that holds it.
 *
 * @example
 * ```ts
 * import { ldFetchWgsl } from "./submodular_columns_wgsl.ts";
 * console.log(ldFetchWgsl.includes("ej[i] = E[")); // true
 * ```
 */
export const ldFetchWgsl: string = /* wgsl */ `${COMMON}
struct Params { k: u32, c0: u32, rows: u32, width: u32 }
@group(0) @binding(0) var<uniform> p: Params;
${bindings([["E", "f32"], ["state", "u32"], ["ej", "f32", true]])}
${LAST_PICK}
${MAIN_1D}
  let j = lastPick();
  if (i >= p.k || i >= state[T] || j < p.c0 || j >= p.c0 + p.rows) { return; }
  ej[i] = E[i * p.width + j - p.c0];
}`;

/**
 * With n picks before the newest pick j: e_n[c] = (s(c, j) − Σ_{t<n} e_t[c]·e_t[j]) / pivot appended for
 * every candidate c of the window, and r[c] −= e_n[c]². 16 candidates per invocation as 4 vec4s (vec4s
 * i, i + q, …: neighbouring lanes read neighbouring candidates), adding in index order; `col` and `r` hold
 * whole vec4s (the padding candidates past the window's rows compute harmless values).
 *
 * @example
 * ```ts
 * import { ldUpdateWgsl } from "./submodular_columns_wgsl.ts";
 * console.log(ldUpdateWgsl.includes("r[at] = r[at] - e * e")); // true
 * ```
 */
export const ldUpdateWgsl: string = /* wgsl */ `${COMMON}
struct Params { c0: u32, w4: u32 }
@group(0) @binding(0) var<uniform> p: Params;
${
  bindings([["ej", "f32"], ["col", "vec4<f32>"], ["state", "u32"], ["E", "vec4<f32>", true], [
    "r",
    "vec4<f32>",
    true,
  ]])
}
${MAIN_1D}
  let q = p.w4 / 4u;
  if (i >= q) { return; }
  let n = state[T] - 1u;
  var s0 = vec4<f32>(0.0); var s1 = vec4<f32>(0.0); var s2 = vec4<f32>(0.0); var s3 = vec4<f32>(0.0);
  for (var t = 0u; t < n; t++) {
    let y = vec4<f32>(ej[t]);
    let o = t * p.w4 + i;
    s0 = fma(E[o], y, s0); s1 = fma(E[o + q], y, s1); s2 = fma(E[o + 2u * q], y, s2); s3 = fma(E[o + 3u * q], y, s3);
  }
  let pivot = bitcast<f32>(state[PIVOT]);
  append(n, i, s0, pivot); append(n, i + q, s1, pivot);
  append(n, i + 2u * q, s2, pivot); append(n, i + 3u * q, s3, pivot);
}
fn append(n: u32, v: u32, s: vec4<f32>, pivot: f32) {
  let at = p.c0 / 4u + v;
  let e = (col[at] - s) / pivot;
  E[n * p.w4 + v] = e;
  r[at] = r[at] - e * e;
}`;

// ---------------------------------------------------------------------------------------------------------
// Set-up kernels.

/**
 * Sets the diagonal of a dense window of cosines to exactly 1 (it stays 0 for a zero vector).
 *
 * @example
 * ```ts
 * import { diagonalWgsl } from "./submodular_columns_wgsl.ts";
 * console.log(diagonalWgsl.includes("select(S[at], 1.0, S[at] > 0.5)")); // true
 * ```
 */
export const diagonalWgsl: string = /* wgsl */ `${COMMON}
struct Params { m: u32, r0: u32, rows: u32 }
@group(0) @binding(0) var<uniform> p: Params;
${bindings([["S", "f32", true]])}
${MAIN_1D}
  if (i >= p.rows) { return; }
  let at = i * p.m + p.r0 + i;
  S[at] = select(S[at], 1.0, S[at] > 0.5);
}`;

/** Rows of the tile one invocation of `mirrorWgsl` reads (one run of its destination column). */
export const MIRROR_RUN = 64;

/**
 * The transposed half of one tile of the symmetric dense fill: the tile is rows [t0, t0 + count) of the
 * cosines, columns from t0 on, already in the window `src` (rows from sw0); its columns b in [lo, hi)
 * (b ≥ count) are copied into rows t0 + b of the window `dst` (rows from dw0). Neighbouring invocations
 * write neighbouring columns of a row, each a run of `MIRROR_RUN` rows (a launch per element costs llvmpipe
 * more than the copy). `same`: src and dst are one window (one binding: a buffer cannot be bound twice
 * when one binding writes).
 *
 * @example
 * ```ts
 * import { mirrorWgsl } from "./submodular_columns_wgsl.ts";
 * console.log(mirrorWgsl(true).includes("dst[")); // true
 * ```
 */
export function mirrorWgsl(same: boolean): string {
  const list: [string, string, boolean?][] = same
    ? [["dst", "f32", true]]
    : [["src", "f32"], ["dst", "f32", true]];
  return /* wgsl */ `${COMMON}
const RUN: u32 = ${MIRROR_RUN}u;
struct Params { m: u32, t0: u32, count: u32, sw0: u32, dw0: u32, lo: u32, hi: u32 }
@group(0) @binding(0) var<uniform> p: Params;
${bindings(list)}
${MAIN_1D}
  let a = i % p.count;
  let first = p.lo + (i / p.count) * RUN;
  if (first >= p.hi) { return; }
  let last = min(first + RUN, p.hi);
  let rowStart = (p.t0 + a - p.sw0) * p.m + p.t0;
  for (var b = first; b < last; b++) {
    dst[(p.t0 + b - p.dw0) * p.m + p.t0 + a] = ${same ? "dst" : "src"}[rowStart + b];
  }
}`;
}

/**
 * LogDeterminant's first residuals r[c] = s(c, c) + δ, from the dense window or from the norms.
 *
 * @example
 * ```ts
 * import { ldInitWgsl } from "./submodular_columns_wgsl.ts";
 * console.log(ldInitWgsl(false).includes("invn[c] > 0.0")); // true
 * ```
 */
export function ldInitWgsl(dense: boolean): string {
  return /* wgsl */ `${COMMON}
struct Params { m: u32, r0: u32, rows: u32, ridge: f32 }
@group(0) @binding(0) var<uniform> p: Params;
${bindings([[dense ? "S" : "invn", "f32"], ["r", "f32", true]])}
${MAIN_1D}
  if (i >= p.rows) { return; }
  let c = p.r0 + i;
  r[c] = ${dense ? "fma(0.5, S[i * p.m + c], 0.5)" : "select(0.5, 1.0, invn[c] > 0.0)"} + p.ridge;
}`;
}

/**
 * Inverse row norms of a window (0 for a zero row).
 *
 * @example
 * ```ts
 * import { inverseNormsWgsl } from "./submodular_columns_wgsl.ts";
 * console.log(inverseNormsWgsl(false).includes("inverseSqrt(s)")); // true
 * ```
 */
export function inverseNormsWgsl(vec4: boolean): string {
  const T = vec4 ? "vec4<f32>" : "f32";
  return /* wgsl */ `${COMMON}
struct Params { d: u32, r0: u32, rows: u32, skip: u32 }
@group(0) @binding(0) var<uniform> p: Params;
${bindings([["x", T], ["invn", "f32", true]])}
${MAIN_1D}
  if (i >= p.rows) { return; }
  ${dotLoop("x", "p.skip + i * p.d", "x", "p.skip + i * p.d", vec4)}
  invn[p.r0 + i] = select(0.0, inverseSqrt(s), s > 0.0);
}`;
}

/**
 * u[k] (first window: =, later: +=) Σ_i x[i][k]·invn[i] — the sum of the unit rows.
 *
 * @example
 * ```ts
 * import { unitSumWgsl } from "./submodular_columns_wgsl.ts";
 * console.log(unitSumWgsl.includes("invn[p.r0 + r]")); // true
 * ```
 */
export const unitSumWgsl: string = /* wgsl */ `${COMMON}
struct Params { d: u32, r0: u32, rows: u32, skip: u32, first: u32 }
@group(0) @binding(0) var<uniform> p: Params;
${bindings([["x", "f32"], ["invn", "f32"], ["u", "f32", true]])}
${MAIN_1D}
  if (i >= p.d) { return; }
  var s = select(u[i], 0.0, p.first == 1u);
  for (var r = 0u; r < p.rows; r++) { s = fma(x[p.skip + r * p.d + i], invn[p.r0 + r], s); }
  u[i] = s;
}`;

/**
 * Column sums of the similarity without the m × m matrix: Σ_i s(i, c) = m/2 + (x_c·u)·invn[c]/2.
 *
 * @example
 * ```ts
 * import { columnSumsWgsl } from "./submodular_columns_wgsl.ts";
 * console.log(columnSumsWgsl.includes("0.5 * f32(p.m)")); // true
 * ```
 */
export const columnSumsWgsl: string = /* wgsl */ `${COMMON}
struct Params { d: u32, r0: u32, rows: u32, skip: u32, m: u32 }
@group(0) @binding(0) var<uniform> p: Params;
${bindings([["x", "f32"], ["u", "f32"], ["invn", "f32"], ["out", "f32", true]])}
${MAIN_1D}
  if (i >= p.rows) { return; }
  let c = p.r0 + i;
  ${dotLoop("x", "p.skip + i * p.d", "u", "0u", false)}
  out[c] = 0.5 * f32(p.m) + 0.5 * s * invn[c];
}`;

/**
 * The K most similar rows of each row r0 + r of a tile of cosines (rows × m), ties → lowest index, as
 * candidate lists: nbr[c·K + q] and their similarities nval. An insertion list per invocation.
 *
 * @example
 * ```ts
 * import { knnSelectWgsl } from "./submodular_columns_wgsl.ts";
 * console.log(knnSelectWgsl(8).includes("array<u32, 8>")); // true
 * ```
 */
export function knnSelectWgsl(K: number): string {
  return /* wgsl */ `${COMMON}
struct Params { m: u32, r0: u32, rows: u32 }
@group(0) @binding(0) var<uniform> p: Params;
${bindings([["tile", "f32"], ["nbr", "u32", true], ["nval", "f32", true]])}
${MAIN_1D}
  if (i >= p.rows) { return; }
  let c = p.r0 + i;
  var vals: array<f32, ${K}>;
  var ids: array<u32, ${K}>;
  var n = 0u;
  for (var j = 0u; j < p.m; j++) {
    var v = tile[i * p.m + j];
    if (j == c) { v = select(v, 1.0, v > 0.5); }
    let s = fma(0.5, v, 0.5);
    if (n < ${K}u || s > vals[${K - 1}]) {
      var q = min(n, ${K - 1}u);
      loop {
        if (q == 0u) { break; }
        let above = vals[q - 1u];
        if (above >= s) { break; }
        vals[q] = above;
        ids[q] = ids[q - 1u];
        q--;
      }
      vals[q] = s;
      ids[q] = j;
      n = min(n + 1u, ${K}u);
    }
  }
  for (var q = 0u; q < ${K}u; q++) {
    nbr[c * ${K}u + q] = ids[q];
    nval[c * ${K}u + q] = vals[q];
  }
}`;
}
