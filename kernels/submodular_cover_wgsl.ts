/**
 * The WGSL of facility location with every gain kept exact from step to step (`submodular.ts`, "coverage
 * deltas"), over the dense cosines or recomputing them. A gain g(c) = Σ_i max(0, s(i, c) − cur_i) changes
 * after a pick p only through the rows whose coverage p raised (s(i, p) > cur_i), each by
 *
 *   − max(0, min(s(i, c), new_i) − old_i),
 *
 * so a step reads (or recomputes) |raised| rows of similarities, not m per evaluated candidate as a lazy
 * step does. Raised rows are few once a few picks are in (each row is raised when the new pick is its most
 * similar one so far: ~m/t rows at step t on spread-out data, ~m·ln k over a run).
 *
 * Every term is added exactly into an unevaluated pair (G, E) — a float32 sum and its rounding error
 * (TwoSum) — so the running subtraction of deltas loses nothing, and gains equal in real arithmetic come out
 * as equal floats.
 *
 * The raised rows of a step are listed in chunks of L ≤ `COVER_CHUNK` rows: chunk q's entries (row, old,
 * new; the floats as bits) at raised[q·L …], their number in count[q], then moved into one list in row order
 * (`coverCompactWgsl`); rows and their order are fixed by the data, so the run is deterministic.
 *
 * @module
 */

import { bindings, COMMON, LAST_PICK } from "./submodular_common_wgsl.ts";
import { MAIN_1D } from "./prelude_wgsl.ts";
import type { CheapGain } from "./submodular_wgsl.ts";

/**
 * The gain kept by `coverGainsWgsl`, for the cheap-gain kernels: G[c] + E[c].
 *
 * @example
 * ```ts
 * import { COVER_FACILITY } from "./submodular_cover_wgsl.ts";
 * console.log(COVER_FACILITY.body); // return G[c] + E[c];
 * ```
 */
export const COVER_FACILITY: CheapGain = {
  params: "",
  buffers: [["G", "f32"], ["E", "f32"]],
  body: "return G[c] + E[c];",
};

/**
 * Most rows per chunk of the raised-rows list; the chunk actually used, `p.L`, also divides every window's
 * row count.
 *
 * @example
 * ```ts
 * import { COVER_CHUNK } from "./submodular_cover_wgsl.ts";
 * console.log(COVER_CHUNK); // 64
 * ```
 */
export const COVER_CHUNK = 64;

/** Candidates per invocation of `coverGainsWgsl`. */
export const COVER_CANDIDATES = 16;

/**
 * After a pick: invocation q raises cur_i to s(i, pick) where that is larger for the rows of chunk q,
 * listing (row, old, new) in order. `dense`: s(i, pick) from the dense window of rows [r0, r0 + rows), if
 * it holds the pick's row (one dispatch per window); else from `sp`, the pick's similarities computed for
 * every row (`columnOntheflyWgsl`).
 *
 * @example
 * ```ts
 * import { coverRaiseWgsl } from "./submodular_cover_wgsl.ts";
 * console.log(coverRaiseWgsl(true).includes("count[i] = n")); // true
 * ```
 */
export function coverRaiseWgsl(dense: boolean): string {
  return /* wgsl */ `${COMMON}
struct Params { m: u32, r0: u32, rows: u32, chunks: u32, L: u32 }
@group(0) @binding(0) var<uniform> p: Params;
${
    bindings([[dense ? "S" : "sp", "f32"], ["state", "u32"], ["cur", "f32", true], [
      "raised",
      "vec4<u32>",
      true,
    ], [
      "count",
      "u32",
      true,
    ]])
  }
${LAST_PICK}
${MAIN_1D}
  let c = lastPick();
  if (i >= p.chunks${dense ? " || c < p.r0 || c >= p.r0 + p.rows" : ""}) { return; }
  let base = ${dense ? "(c - p.r0) * p.m" : "0u"};
  let start = i * p.L;
  let end = min(start + p.L, p.m);
  var n = 0u;
  for (var row = start; row < end; row++) {
    let v = ${dense ? "fma(0.5, S[base + row], 0.5)" : "sp[row]"};
    let old = cur[row];
    if (v > old) {
      raised[start + n] = vec4(row, bitcast<u32>(old), bitcast<u32>(v), 0u);
      cur[row] = v;
      n++;
    }
  }
  count[i] = n;
}`;
}

/**
 * After `coverRaiseWgsl`: invocation q moves chunk q's entries to flat[offsets[q] …], offsets[q] = the
 * entries of the chunks before it (offsets[chunks] = all of them), so that the gains loop over one list.
 *
 * @example
 * ```ts
 * import { coverCompactWgsl } from "./submodular_cover_wgsl.ts";
 * console.log(coverCompactWgsl.includes("offsets[q + 1u]")); // true
 * ```
 */
export const coverCompactWgsl: string = /* wgsl */ `${COMMON}
struct Params { chunks: u32, L: u32 }
@group(0) @binding(0) var<uniform> p: Params;
${
  bindings([["raised", "vec4<u32>"], ["count", "u32"], ["flat", "vec4<u32>", true], ["offsets", "u32", true]])
}
${MAIN_1D}
  let q = i;
  if (q >= p.chunks) { return; }
  var off = 0u;
  for (var j = 0u; j < q; j++) { off += count[j]; }
  let n = count[q];
  offsets[q] = off;
  if (q + 1u == p.chunks) { offsets[q + 1u] = off + n; }
  for (var k = 0u; k < n; k++) { flat[off + k] = raised[q * p.L + k]; }
}`;

/**
 * Gains of `COVER_CANDIDATES` consecutive candidates per invocation (as vec4s when m % 4 = 0) from the
 * dense window of rows [r0, r0 + rows), read along rows (the matrix is symmetric). `init`: the first gains
 * Σ_i s(i, c) (the first window sets G, E, later ones add); else G, E −= the deltas of the raised rows
 * flat[offsets[q0] … offsets[q1]) (the window's chunks). Every term is added exactly into a TwoSum pair,
 * so gains that are equal in real arithmetic come out as equal floats. Loads past the last candidate are
 * clamped to it (no branch in the loop), stores skipped.
 *
 * @example
 * ```ts
 * import { coverGainsWgsl } from "./submodular_cover_wgsl.ts";
 * console.log(coverGainsWgsl(true, false).includes("two_sum")); // true
 * ```
 */
export function coverGainsWgsl(vec4: boolean, init: boolean): string {
  const T = vec4 ? "vec4<f32>" : "f32";
  const W = vec4 ? 4 : 1, groups = COVER_CANDIDATES / W;
  const all = (body: (g: number) => string) =>
    Array.from({ length: groups }, (_, g) => body(g)).join("\n    ");
  const sim = (g: number) => `fma(${T}(0.5), S[at + c${g}], ${T}(0.5))`;
  const loop = init
    ? `for (var row = p.r0; row < p.r0 + p.rows; row++) {
      let at = (row - p.r0) * cols;
      ${all((g) => `a${g} = two_sum(a${g}, ${sim(g)}, &b${g});`)}
    }
    ${all((g) => `g${g} = two_sum(g${g}, a${g}, &e${g}); e${g} += b${g};`)}`
    : `for (var k = offsets[p.q0]; k < offsets[p.q1]; k++) {
      let u = flat[k];
      let at = (u.x - p.r0) * cols;
      let old = ${T}(bitcast<f32>(u.y));
      let raisedTo = ${T}(bitcast<f32>(u.z));
      ${all((g) => `a${g} = drop(a${g}, ${sim(g)}, raisedTo, old, &b${g});`)}
    }
    ${all((g) => `g${g} = two_sum(g${g}, -a${g}, &e${g}); e${g} -= b${g};`)}`;
  const list: [string, string, boolean?][] = init ? [] : [["flat", "vec4<u32>"], ["offsets", "u32"]];
  return /* wgsl */ `${COMMON}
struct Params { m: u32, r0: u32, rows: u32, q0: u32, q1: u32, first: u32, one: f32 }
@group(0) @binding(0) var<uniform> p: Params;
${bindings([["S", T], ...list, ["G", T, true], ["E", T, true]])}
${exactSums(T)}
${MAIN_1D}
  let cols = p.m / ${W}u;
  let first = i * ${groups}u;
  if (first >= cols) { return; }
  ${all((g) => `let c${g} = min(first + ${g}u, cols - 1u);`)}
  ${all((g) => `var g${g} = ${T}(0.0); var e${g} = ${T}(0.0); var a${g} = ${T}(0.0); var b${g} = ${T}(0.0);`)}
  if (p.first == 0u) {
    ${all((g) => `g${g} = G[c${g}]; e${g} = E[c${g}];`)}
  }
  ${loop}
  ${all((g) => `if (first + ${g}u < cols) { G[c${g}] = g${g}; E[c${g}] = e${g}; }`)}
}`;
}

/**
 * WGSL of the exact sums (type T, needs a uniform `p.one` = 1): `two_sum` (Knuth's TwoSum: a + b = s + e
 * exactly; the products with p.one keep shader compilers, which may treat float arithmetic as associative,
 * from simplifying the error term to 0) and `drop` (a + max(0, min(s, raisedTo) − old), the difference
 * itself exact as a TwoSum pair; e gets the errors).
 */
function exactSums(T: string): string {
  return `fn two_sum(a: ${T}, b: ${T}, e: ptr<function, ${T}>) -> ${T} {
  let s = (a + b) * p.one;
  let bb = (s - a) * p.one;
  *e += (a - (s - bb)) + (b - bb);
  return s;
}
fn drop(a: ${T}, s: ${T}, raisedTo: ${T}, old: ${T}, e: ptr<function, ${T}>) -> ${T} {
  let hi = min(s, raisedTo);
  var lo = ${T}(0.0);
  let d = two_sum(hi, -old, &lo);
  let keep = d > ${T}(0.0);
  *e += select(${T}(0.0), lo, keep);
  return two_sum(a, select(${T}(0.0), d, keep), e);
}`;
}

/** Candidates per invocation of `coverGainsOntheflyWgsl`. */
export const COVER_CANDIDATES_OTF = 8;

/**
 * Gains from recomputed similarities: candidates [c0, c0 + crows) of the feature window `xc`
 * (`COVER_CANDIDATES_OTF` per invocation) against the listed rows flat[offsets[q0] … offsets[q1]) of the
 * window `xr` (rows [r0, r0 + rows)), 8 listed rows at a time (each candidate's features loaded once for
 * 8 rows, as a matmul's register tile): G, E += sign · Σ max(0, min(s(i, c), new_i) − old_i), summed
 * exactly. s(i, c) is computed as every on-the-fly kernel computes it (`dotLoop` order, `SIM_FROM_DOT`),
 * so that it is the same float as `columnOntheflyWgsl`'s. `first` starts G, E from 0. With the list of
 * every row, old 0 and new 2 (above any s), it gives the first gains Σ_i s(i, c) (sign +1); after a pick,
 * the drops of the raised rows (sign −1).
 * `vec4`: d a multiple of 4 (d and the skips counted in vec4s).
 *
 * @example
 * ```ts
 * import { coverGainsOntheflyWgsl } from "./submodular_cover_wgsl.ts";
 * console.log(coverGainsOntheflyWgsl(true).includes("drop(")); // true
 * ```
 */
export function coverGainsOntheflyWgsl(vec4: boolean): string {
  const V = vec4 ? "vec4<f32>" : "f32";
  const C = Array.from({ length: COVER_CANDIDATES_OTF }, (_, j) => j);
  const R = 8, RS = Array.from({ length: R }, (_, r) => r);
  // one row's products in dotLoop's order, so that s(i, c) is the same float as every other kernel's
  const fmas = (x: string, j: number, s: string) =>
    vec4
      ? ["x", "y", "z", "w"].map((c) => `${s} = fma(${x}.${c}, y${j}.${c}, ${s});`).join(" ")
      : `${s} = fma(${x}, y${j}, ${s});`;
  return /* wgsl */ `${COMMON}
struct Params {
  d: u32, c0: u32, crows: u32, cskip: u32, r0: u32, rows: u32, rskip: u32, q0: u32, q1: u32,
  first: u32, sign: f32, one: f32,
}
@group(0) @binding(0) var<uniform> p: Params;
${
    bindings([["xc", V], ["xr", V], ["invn", "f32"], ["flat", "vec4<u32>"], ["offsets", "u32"], [
      "G",
      "f32",
      true,
    ], [
      "E",
      "f32",
      true,
    ]])
  }
${exactSums("f32")}
fn sim(s: f32, row: u32, c: u32) -> f32 {
  return select(fma(0.5, s * (invn[row] * invn[c]), 0.5), select(0.5, 1.0, invn[c] > 0.0), row == c);
}
${MAIN_1D}
  let first = i * ${COVER_CANDIDATES_OTF}u;
  if (first >= p.crows) { return; }
  ${C.map((j) => `let c${j} = p.c0 + min(first + ${j}u, p.crows - 1u);`).join("\n  ")}
  ${C.map((j) => `let at${j} = p.cskip + (c${j} - p.c0) * p.d;`).join("\n  ")}
  ${C.map((j) => `var a${j} = 0.0; var b${j} = 0.0;`).join(" ")}
  // listed rows R at a time (each candidate row loaded once for R of them), then one at a time
  let end = offsets[p.q1];
  var e = offsets[p.q0];
  for (; e + ${R}u <= end; e += ${R}u) {
    ${
    RS.map((r) => `let u${r} = flat[e + ${r}u]; let ar${r} = p.rskip + (u${r}.x - p.r0) * p.d;`).join(
      "\n    ",
    )
  }
    ${RS.map((r) => C.map((j) => `var s${r}_${j} = 0.0;`).join(" ")).join("\n    ")}
    for (var k = 0u; k < p.d; k++) {
      ${C.map((j) => `let y${j} = xc[at${j} + k];`).join(" ")}
      ${
    RS.map((r) =>
      `let x${r} = xr[ar${r} + k];\n      ${C.map((j) => fmas(`x${r}`, j, `s${r}_${j}`)).join("\n      ")}`
    ).join("\n      ")
  }
    }
    ${
    RS.map((r) =>
      C.map((j) =>
        `a${j} = drop(a${j}, sim(s${r}_${j}, u${r}.x, c${j}), bitcast<f32>(u${r}.z), bitcast<f32>(u${r}.y), &b${j});`
      ).join("\n    ")
    ).join("\n    ")
  }
  }
  for (; e < end; e++) {
    let u = flat[e];
    let ar = p.rskip + (u.x - p.r0) * p.d;
    ${C.map((j) => `var s${j} = 0.0;`).join(" ")}
    for (var k = 0u; k < p.d; k++) {
      let x = xr[ar + k];
      ${C.map((j) => `let y${j} = xc[at${j} + k]; ${fmas("x", j, `s${j}`)}`).join("\n      ")}
    }
    ${
    C.map((j) => `a${j} = drop(a${j}, sim(s${j}, u.x, c${j}), bitcast<f32>(u.z), bitcast<f32>(u.y), &b${j});`)
      .join("\n    ")
  }
  }
  ${
    C.map((j) =>
      `if (first + ${j}u < p.crows) {
    var g = select(G[c${j}], 0.0, p.first != 0u);
    var e = select(E[c${j}], 0.0, p.first != 0u);
    g = two_sum(g, p.sign * a${j}, &e);
    G[c${j}] = g;
    E[c${j}] = e + p.sign * b${j};
  }`
    ).join("\n  ")
  }
}`;
}

/**
 * out[c] = G[c] + E[c]: a pair of `coverGainsWgsl` rounded once (GraphCut's dense column sums).
 *
 * @example
 * ```ts
 * import { pairSumWgsl } from "./submodular_cover_wgsl.ts";
 * console.log(pairSumWgsl.includes("out[i] = G[i] + E[i]")); // true
 * ```
 */
export const pairSumWgsl: string = /* wgsl */ `${COMMON}
struct Params { m: u32 }
@group(0) @binding(0) var<uniform> p: Params;
${bindings([["G", "f32"], ["E", "f32"], ["out", "f32", true]])}
${MAIN_1D}
  if (i >= p.m) { return; }
  out[i] = G[i] + E[i];
}`;
