/**
 * The WGSL of the submodular greedy loops' steps (`submodular.ts`): argmaxes, the dense batch gains
 * (GraphCut's column sums), row fetches, the gains kept by each function, ApproximateLazyGreedy's walk,
 * the commit and StochasticGreedy's sample. The state layout and the WGSL
 * they share are in `submodular_common_wgsl.ts`; what runs after a pick (similarity columns, LogDeterminant
 * updates, kNN lists) in `submodular_columns_wgsl.ts`; both are re-exported here.
 *
 * @module
 */

import { bindings, COMMON, LAST_PICK } from "./submodular_common_wgsl.ts";
import { MAIN_1D } from "./prelude_wgsl.ts";

export { NONE, SLOT } from "./submodular_common_wgsl.ts";
export * from "./submodular_columns_wgsl.ts";

// ---------------------------------------------------------------------------------------------------------
// Argmax (ties → lowest index, or lowest position when the values come with a position list).

/**
 * Per-chunk argmax of `values[0..n)`; with `list`, entry j stands for candidate `pos[j]` (NONE: skip) and
 * ties go to the lowest candidate. Exits when the step is DONE.
 *
 * @example
 * ```ts
 * import { argmaxPartialWgsl } from "./submodular_wgsl.ts";
 * console.log(argmaxPartialWgsl(true).includes("pos[j]")); // true
 * ```
 */
export function argmaxPartialWgsl(list: boolean): string {
  return /* wgsl */ `${COMMON}
struct Params { n: u32, chunk: u32, parts: u32 }
@group(0) @binding(0) var<uniform> p: Params;
${
    bindings([["values", "f32"], ["state", "u32"], ...(list ? [["pos", "u32"]] as [string, string][] : []), [
      "partVal",
      "f32",
      true,
    ], ["partIdx", "u32", true]])
  }
${MAIN_1D}
  if (i >= p.parts || state[DONE] != 0u) { return; }
  let start = i * p.chunk;
  let end = min(start + p.chunk, p.n);
  var best = TAKEN;
  var at = NONE;
  for (var j = start; j < end; j++) {
    let v = values[j];
    let q = ${list ? "pos[j]" : "j"};
    if (q != NONE && (at == NONE || v > best || (v == best && q < at))) { best = v; at = q; }
  }
  partVal[i] = best;
  partIdx[i] = at;
}`;
}

/**
 * One invocation: the argmax over the partials (ties → lowest index) into state[slot], state[slot + 1],
 * unless the step is decided.
 *
 * @example
 * ```ts
 * import { argmaxFinalWgsl } from "./submodular_wgsl.ts";
 * console.log(argmaxFinalWgsl.includes("state[p.slot] = at")); // true
 * ```
 */
export const argmaxFinalWgsl: string = /* wgsl */ `${COMMON}
struct Params { parts: u32, slot: u32 }
@group(0) @binding(0) var<uniform> p: Params;
${bindings([["partVal", "f32"], ["partIdx", "u32"], ["state", "u32", true]])}
@compute @workgroup_size(1)
fn main() {
  if (state[DONE] != 0u) { return; }
  var best = TAKEN;
  var at = NONE;
  for (var j = 0u; j < p.parts; j++) {
    let q = partIdx[j];
    let v = partVal[j];
    if (q != NONE && (at == NONE || v > best || (v == best && q < at))) { best = v; at = q; }
  }
  state[p.slot] = at;
  state[p.slot + 1u] = bitcast<u32>(best);
}`;

/**
 * Copies the newest pick's feature row into `xs` (d; `vec4` counts d and skip in vec4s), from the window of
 * rows [r0, r0 + rows) if it holds it.
 *
 * @example
 * ```ts
 * import { fetchPickWgsl } from "./submodular_wgsl.ts";
 * console.log(fetchPickWgsl(false).includes("xs[i] = x[")); // true
 * ```
 */
export function fetchPickWgsl(vec4: boolean): string {
  const T = vec4 ? "vec4<f32>" : "f32";
  return /* wgsl */ `${COMMON}
struct Params { d: u32, r0: u32, rows: u32, skip: u32 }
@group(0) @binding(0) var<uniform> p: Params;
${bindings([["x", T], ["state", "u32"], ["xs", T, true]])}
${LAST_PICK}
${MAIN_1D}
  let c = lastPick();
  if (i >= p.d || c < p.r0 || c >= p.r0 + p.rows) { return; }
  xs[i] = x[p.skip + (c - p.r0) * p.d + i];
}`;
}

// ---------------------------------------------------------------------------------------------------------
// Functions whose gain is O(1) or O(K) from maintained state: GraphCut, LogDeterminant, kNN facility location.

/**
 * A cheap gain: its uniform fields, its storage bindings and the body of `fn gain(c: u32) -> f32`.
 *
 * @example
 * ```ts
 * import { CheapGain, cheapAllWgsl } from "./submodular_wgsl.ts";
 * const half: CheapGain = { params: "", buffers: [["w", "f32"]], body: "return 0.5 * w[c];" };
 * console.log(cheapAllWgsl(half).includes("0.5 * w[c]")); // true
 * ```
 */
export interface CheapGain {
  /** Extra uniform fields, e.g. "lambda: f32". */
  params: string;
  /** Read-only storage bindings [name, element type]. */
  buffers: [string, string][];
  /** WGSL body returning the gain of candidate c. */
  body: string;
}

/**
 * GraphCut (DeepCore's): λ·Σ_i s(i, c) − 2·Σ_{j∈S} s(j, c).
 *
 * @example
 * ```ts
 * import { GRAPH_CUT } from "./submodular_wgsl.ts";
 * console.log(GRAPH_CUT.body); // return p.lambda * colsum[c] - 2.0 * sel[c];
 * ```
 */
export const GRAPH_CUT: CheapGain = {
  params: "lambda: f32",
  buffers: [["colsum", "f32"], ["sel", "f32"]],
  body: "return p.lambda * colsum[c] - 2.0 * sel[c];",
};

/**
 * LogDeterminant: log max(r_c, δ) with r_c the Schur complement kept by `ldUpdateWgsl`.
 *
 * @example
 * ```ts
 * import { LOG_DET } from "./submodular_wgsl.ts";
 * console.log(LOG_DET.buffers); // [["r", "f32"]]
 * ```
 */
export const LOG_DET: CheapGain = {
  params: "ridge: f32",
  buffers: [["r", "f32"]],
  body: "return log(max(r[c], p.ridge));",
};

/**
 * Facility location over candidate c's K nearest rows: Σ_q max(0, s(i_q, c) − cur_{i_q}).
 *
 * @example
 * ```ts
 * import { KNN_FACILITY } from "./submodular_wgsl.ts";
 * console.log(KNN_FACILITY.params); // K: u32
 * ```
 */
export const KNN_FACILITY: CheapGain = {
  params: "K: u32",
  buffers: [["nbr", "u32"], ["nval", "f32"], ["cur", "f32"]],
  body: `var s = 0.0;
  for (var q = c * p.K; q < (c + 1u) * p.K; q++) { s += max(0.0, nval[q] - cur[nbr[q]]); }
  return s;`,
};

/**
 * g[c] = gain(c) for every candidate (TAKEN once picked).
 *
 * @example
 * ```ts
 * import { cheapAllWgsl } from "./submodular_wgsl.ts";
 * console.log(cheapAllWgsl(GRAPH_CUT).includes("fn gain(c: u32) -> f32")); // true
 * ```
 */
export function cheapAllWgsl(f: CheapGain): string {
  return /* wgsl */ `${COMMON}
struct Params { m: u32, ${f.params} }
@group(0) @binding(0) var<uniform> p: Params;
${bindings([["ub", "f32"], ...f.buffers, ["g", "f32", true]])}
fn gain(c: u32) -> f32 {
  ${f.body}
}
${MAIN_1D}
  if (i >= p.m) { return; }
  g[i] = select(gain(i), TAKEN, ub[i] <= TAKEN);
}`;
}

/**
 * out[a] = gain(pos[a]) for a sampled list (TAKEN for NONE).
 *
 * @example
 * ```ts
 * import { cheapListWgsl } from "./submodular_wgsl.ts";
 * console.log(cheapListWgsl(LOG_DET).includes("log(max(r[c], p.ridge))")); // true
 * ```
 */
export function cheapListWgsl(f: CheapGain): string {
  return /* wgsl */ `${COMMON}
struct Params { count: u32, ${f.params} }
@group(0) @binding(0) var<uniform> p: Params;
${bindings([["pos", "u32"], ...f.buffers, ["out", "f32", true]])}
fn gain(c: u32) -> f32 {
  ${f.body}
}
${MAIN_1D}
  if (i >= p.count) { return; }
  let c = pos[i];
  if (c == NONE) { out[i] = TAKEN; return; }
  out[i] = gain(c);
}`;
}

// ---------------------------------------------------------------------------------------------------------
// ApproximateLazyGreedy's walk. The reference loop visits candidates in decreasing (bound, −index) order
// ("keys"): a stale one is evaluated and accepted if its gain passes β's test (else it gets its gain as a
// fresh bound), a fresh one is accepted. Every gain g is exact here, (a*, G*) = argmax g in TOP. Only keys
// ≥ (G*, −a*) can be visited before a* would win; the loop stops at the first of them that is fresh or
// passes the test: c*, the largest key among them. With no c*, a* wins.

/** WGSL: whether candidate i (bound u) has a key ≥ (G*, −a*), i.e. may be visited before a* wins. */
const IN_WALK =
  "u > TAKEN && (u > bitcast<f32>(state[TOP + 1u]) || (u == bitcast<f32>(state[TOP + 1u]) && i <= state[TOP]))";

/**
 * trig[c] = ub[c] when c is in the walk and would stop it (fresh, or passing β's test), else TAKEN.
 *
 * @example
 * ```ts
 * import { walkTriggerWgsl } from "./submodular_wgsl.ts";
 * console.log(walkTriggerWgsl.includes("p.beta")); // true
 * ```
 */
export const walkTriggerWgsl: string = /* wgsl */ `${COMMON}
struct Params { m: u32, beta: f32 }
@group(0) @binding(0) var<uniform> p: Params;
${bindings([["ub", "f32"], ["stamp", "u32"], ["g", "f32"], ["state", "u32"], ["trig", "f32", true]])}
${MAIN_1D}
  if (i >= p.m || state[DONE] != 0u) { return; }
  let u = ub[i];
  let stops = g[i] > TAKEN && (stamp[i] == state[T] || g[i] >= u - (1.0 - p.beta) * abs(u));
  trig[i] = select(TAKEN, u, ${IN_WALK} && stops);
}`;

/**
 * The candidates the walk visits get their exact gain as a fresh bound, as in the reference: those with
 * keys above c*'s, or the whole walk when a* wins (ApproximateLazyGreedy's picks depend on which bounds are
 * stale).
 *
 * @example
 * ```ts
 * import { walkVisitWgsl } from "./submodular_wgsl.ts";
 * console.log(walkVisitWgsl.includes("stamp[i] = state[T]")); // true
 * ```
 */
export const walkVisitWgsl: string = /* wgsl */ `${COMMON}
struct Params { m: u32 }
@group(0) @binding(0) var<uniform> p: Params;
${bindings([["g", "f32"], ["state", "u32"], ["ub", "f32", true], ["stamp", "u32", true]])}
${MAIN_1D}
  if (i >= p.m || state[DONE] != 0u || g[i] <= TAKEN) { return; }
  let u = ub[i];
  let stop = bitcast<f32>(state[TRIG + 1u]);
  if (!(${IN_WALK})) { return; }
  if (stop > TAKEN && !(u > stop || (u == stop && i < state[TRIG]))) { return; }
  ub[i] = g[i];
  stamp[i] = state[T];
}`;

/**
 * One invocation: the walk's verdict — c* if there is one, else a*.
 *
 * @example
 * ```ts
 * import { walkAcceptWgsl } from "./submodular_wgsl.ts";
 * console.log(walkAcceptWgsl.includes("state[DONE] = 1u")); // true
 * ```
 */
export const walkAcceptWgsl: string = /* wgsl */ `${COMMON}
@group(0) @binding(1) var<storage, read_write> state: array<u32>;
@compute @workgroup_size(1)
fn main() {
  if (state[DONE] != 0u) { return; }
  state[DONE] = 1u;
  state[CHOSEN] = select(state[TOP], state[TRIG], bitcast<f32>(state[TRIG + 1u]) > TAKEN);
}`;

/**
 * One invocation: the step's pick (the accepted candidate if DONE, else TOP) is appended to the picks and
 * marked taken; the step advances. `sorted` keeps the picks in ascending order (StochasticGreedy's rank →
 * position), `pivot` stores LogDeterminant's √max(r_pick, δ).
 *
 * @example
 * ```ts
 * import { commitWgsl } from "./submodular_wgsl.ts";
 * console.log(commitWgsl({ sorted: true, pivot: false }).includes("sorted[q] = c")); // true
 * ```
 */
export function commitWgsl(extra: { sorted: boolean; pivot: boolean }): string {
  const more: [string, string, boolean][] = [];
  if (extra.sorted) more.push(["sorted", "u32", true]);
  if (extra.pivot) more.push(["r", "f32", false]);
  return /* wgsl */ `${COMMON}
struct Params { ridge: f32 }
@group(0) @binding(0) var<uniform> p: Params;
${bindings([["state", "u32", true], ["ub", "f32", true], ...more])}
@compute @workgroup_size(1)
fn main() {
  let t = state[T];
  let c = select(state[TOP], state[CHOSEN], state[DONE] != 0u);
  state[H + t] = c;
  ub[c] = TAKEN;
  state[T] = t + 1u;
  state[DONE] = 0u;
  ${
    extra.sorted
      ? `var q = t;
  loop {
    if (q == 0u) { break; }
    let below = sorted[q - 1u];
    if (below < c) { break; }
    sorted[q] = below;
    q--;
  }
  sorted[q] = c;`
      : ""
  }
  ${extra.pivot ? "state[PIVOT] = bitcast<u32>(sqrt(max(r[c], p.ridge)));" : ""}
  _ = p.ridge;
}`;
}

// ---------------------------------------------------------------------------------------------------------
// StochasticGreedy's sample: the draws fix *ranks* among the unpicked positions (they do not depend on the
// data); the GPU turns them into positions with the sorted picks.

/**
 * pos[a] = the ranks[t·size + a]-th unpicked position (NONE stays NONE).
 *
 * @example
 * ```ts
 * import { sampleWgsl } from "./submodular_wgsl.ts";
 * console.log(sampleWgsl.includes("ranks[t * p.size + i]")); // true
 * ```
 */
export const sampleWgsl: string = /* wgsl */ `${COMMON}
struct Params { size: u32 }
@group(0) @binding(0) var<uniform> p: Params;
${bindings([["ranks", "u32"], ["state", "u32"], ["sorted", "u32"], ["pos", "u32", true]])}
${MAIN_1D}
  if (i >= p.size) { return; }
  let t = state[T];
  var at = ranks[t * p.size + i];
  if (at != NONE) {
    for (var q = 0u; q < t; q++) {
      if (sorted[q] > at) { break; }
      at++;
    }
  }
  pos[i] = at;
}`;
