/**
 * Submodular greedy selection on the GPU — FacilityLocation, GraphCut and LogDeterminant over DeepCore's
 * cosine similarity s(i, j) = 0.5 + 0.5·cos(x_i, x_j), with NaiveGreedy, LazyGreedy, StochasticGreedy and
 * ApproximateLazyGreedy — picking what `selectors/reference/greedy.ts` picks over
 * `selectors/reference/submodular_functions.ts` (see "Exactness"). A whole run is recorded into one pass with
 * the loop state on the GPU (`submodular_wgsl.ts`): no readback until the caller reads the picks.
 *
 * Every function keeps all its gains exact from step to step, each at a cost the function allows:
 * - GraphCut: column sums once (on the fly: Σ_i s(i, c) = m/2 + x_c·Σ_i x_i/‖x_i‖ / 2‖x_c‖, O(m·d)), then
 *   Σ_{j∈S} s(j, ·) grows by the new pick's column; every gain is O(1).
 * - LogDeterminant: incremental Cholesky (Chen et al. 2018): each pick j appends e[c] = (s(c, j) −
 *   Σ_t e_t[c]·e_t[j]) / √r_j to every candidate's row and r_c −= e[c]²; gain log max(r_c, δ), the
 *   reference's clamp. O(m·t) per step.
 * - FacilityLocation over {knn: K}: O(K) per gain.
 * - FacilityLocation, dense or on the fly: coverage deltas (`submodular_cover_wgsl.ts`). A pick changes
 *   g(c) = Σ_i max(0, s(i, c) − cur_i) only through the rows whose coverage it raises — all m at the first
 *   step, then ~m/t at step t on spread-out data (6.5 passes over the matrix in all at m = 6000, k = 600) —
 *   so a step reads (dense) or recomputes (on the fly, R rows × 8 candidates per invocation, register-tiled
 *   like a matmul) those rows' similarities with every candidate. Each term is added exactly into a TwoSum
 *   pair, so that gains equal in real arithmetic (two candidates that only cover each other) come out as
 *   equal floats and tie to the lower index, as in the reference.
 * So NaiveGreedy and LazyGreedy both pick the argmax (lazy evaluation would only skip gains that are already
 * known), and ApproximateLazyGreedy is decided by one "walk" over the exact gains:
 * - With (a*, G*) the argmax of the exact gains, only bounds ≥ (G*, a*) can be visited before a* wins, and
 *   the reference stops at the first of them that is fresh or passes β's test: the largest-bound such
 *   candidate, found with a second argmax. No sort, no readback. ApproximateLazyGreedy updates exactly the
 *   bounds the reference updates, since its picks depend on which bounds are stale.
 * - StochasticGreedy: the reference's draws (`CounterRng(seed, stream)`, partial Fisher–Yates of the
 *   unpicked positions in ascending order) fix *ranks* among the unpicked positions, whatever the data;
 *   they are drawn on the CPU, uploaded once, and turned into positions on the GPU with the sorted picks.
 *
 * Similarities: "dense" holds the m × m cosines (row windows of one binding each, filled symmetrically:
 * tiles of rows against the rows from their first on, written in place by `pairwiseInto`, then mirrored);
 * "onthefly" recomputes them from the features (O(m·d) memory, feature windows); `{knn: K}` keeps each candidate's K
 * most similar rows (FacilityLocation only: f(S) = Σ_i max_{j∈S} s'(i, j), s'(i, j) = s(i, j) if i is among
 * the K rows most similar to j, ties to the lower index, else 0), built from tiles of `pairwise` with an
 * insertion list per row — exact kNN, O(m²·d) time, O(m·K) memory. Default: FacilityLocation dense when
 * m² floats fit `memoryBudgetBytes` (1 GiB), else on the fly; GraphCut and LogDeterminant on the fly (they
 * read k columns: k·m·d work instead of m²·d to fill the matrix).
 *
 * Measured on llvmpipe (2 shared cores, m = 6000, d = 128, k = 600; `bench/submodular_bench.ts`):
 * FacilityLocation dense 2.0–2.3 s with every optimiser (LazyGreedy 1.98 s against farthest-first's
 * 0.61 s in the same run): ~0.85 s fill half of the matrix (2.3 G multiply-adds, five times farthest-first's
 * whole run), ~0.1 s mirror it, ~0.45 s stream the raised rows (~9 dispatches a step). Before the coverage
 * deltas, LazyGreedy took 6.2 s (lazy walks that evaluated ~20 passes' worth of gains in ~54 dispatches a
 * step) and NaiveGreedy 90 s. On the fly at m = 3000: ~2.5 s with every optimiser (~8.6 G multiply-adds at
 * matmul speed), against 19.7 s (LazyGreedy), 335 s (NaiveGreedy), 11 s (StochasticGreedy) and 29.6 s
 * (ApproximateLazyGreedy) for the lazy walks. The N = 200 000, d = 64, K = 10, k = 2000 kNN run took 22
 * minutes (510 MB), nearly all of it the exact kNN graph (N²·d = 2.6·10¹² multiply-adds).
 *
 * Exactness: float32 here, float64 in the reference, so picks agree where no two competing gains (or a
 * gain and β's threshold) are within float32 rounding. Random features are such inputs, except
 * LogDeterminant once the picks span the similarity's rank (d + 1 for cosine) — the residuals are then
 * O(δ) differences of O(1) numbers — unless δ is large (tests use 0.3). Gains equal in real arithmetic
 * (FacilityLocation near the end of a budget-m run: two candidates that only cover each other) tie
 * exactly: FacilityLocation's sums are exact. The
 * diagonal s(i, i) is exactly 1 (0.5 for a zero vector) here and in the reference (whose float64 division
 * gave 1 − 2⁻⁵³ for ~9 % of rows, deciding LogDeterminant's all-tied first step by rounding noise).
 *
 * @module
 */

import type * as tf from "npm:@tensorflow/tfjs-core@4.22.0";
import { CounterRng } from "./rng.ts";
import { pairwise, pairwiseInto } from "./matmul.ts";
import { grid1d } from "./prelude_wgsl.ts";
import { type Binding, f32, type Param, type PreparedDispatch } from "./runtime/recorder.ts";
import { runtime } from "./runtime/runtime.ts";
import { bufferOf, emptyTensor } from "./runtime/tensor.ts";
import { ALIGN, bindingElements, windowBinding } from "./runtime/window.ts";
import * as W from "./submodular_wgsl.ts";
import * as C from "./submodular_cover_wgsl.ts";

/** The submodular functions. */
export type SubmodularFunction = "FacilityLocation" | "GraphCut" | "LogDeterminant";
/** The greedy optimisers. */
export type GreedyOptimizer = "NaiveGreedy" | "LazyGreedy" | "StochasticGreedy" | "ApproximateLazyGreedy";
/** Where similarities come from (see the module comment). */
export type SimilarityMode = "dense" | "onthefly" | { knn: number };

/** Options of `submodularGreedy`; defaults are the reference selector's. */
export interface SubmodularGreedyOptions {
  /** Default "GraphCut". */
  fn?: SubmodularFunction;
  /** Default "LazyGreedy". */
  greedy?: GreedyOptimizer;
  /** GraphCut's λ (default 1). */
  lambda?: number;
  /** LogDeterminant's ridge δ > 0 (default 1e-6). */
  ridge?: number;
  /** StochasticGreedy's ε in (0, 1) (default 0.01). */
  epsilon?: number;
  /** ApproximateLazyGreedy's β in (0, 1] (default 0.9). */
  beta?: number;
  /** StochasticGreedy's stream is `CounterRng(seed, stream)`, as the reference draws it (default 0, 0). */
  seed?: number;
  /** See `seed`; the reference selector passes the class (or 0). */
  stream?: number;
  /** Default: FacilityLocation "dense" if m² floats fit `memoryBudgetBytes`, else "onthefly". */
  similarity?: SimilarityMode;
  /** Bytes the dense matrix (and LogDeterminant's k × m factor) may take; default 1 GiB. */
  memoryBudgetBytes?: number;
  /** Largest binding in bytes (default: the device's); lowered by tests to exercise windows. */
  maxBindingBytes?: number;
}

const GIB = 2 ** 30;
const SLOT = W.SLOT;
/** Rows per tile of the symmetric dense fill (smaller: fewer multiply-adds past the diagonal, more tiles). */
const SYMMETRIC_TILE = 512;

/**
 * Greedy maximisation of a submodular function of the cosine similarity of the rows of `x` [m, d] on the
 * GPU: the k picks in pick order as an int32 tensor (recorded, not yet computed), equal to the reference's
 * (`greedyMaximize` over `selectors/reference/submodular_functions.ts`) on inputs without near-ties.
 *
 * @example
 * ```ts
 * import { ready } from "./runtime/runtime.ts";
 * import { readAll, upload } from "./runtime/tensor.ts";
 * import { submodularGreedy } from "./submodular.ts";
 * await ready();
 * // Two near-duplicates and one orthogonal row: LogDeterminant takes row 0, then the diverse row 2.
 * const x = upload(new Float32Array([1, 0, 1, 0.1, 0, 1]), [3, 2]);
 * const picks = submodularGreedy(x, 2, { fn: "LogDeterminant", greedy: "NaiveGreedy" });
 * console.log((await readAll([picks]))[0]); // Int32Array [0, 2]
 * ```
 */
export function submodularGreedy(x: tf.Tensor, k: number, options: SubmodularGreedyOptions = {}): tf.Tensor {
  const plan = resolve(x, k, options);
  const picks = emptyTensor([k], "int32");
  if (k === 0) return picks;
  const run = new Run(x, plan);
  run.record();
  runtime().recorder.copy(run.state, 4 * SLOT.H, bufferOf(picks), 0, 4 * k);
  run.release();
  return picks;
}

/** Validated options. */
interface Plan {
  m: number;
  d: number;
  k: number;
  fn: SubmodularFunction;
  greedy: GreedyOptimizer;
  lambda: number;
  ridge: number;
  epsilon: number;
  beta: number;
  seed: number;
  stream: number;
  similarity: "dense" | "onthefly" | "knn";
  K: number;
  limit: number;
}

function resolve(x: tf.Tensor, k: number, o: SubmodularGreedyOptions): Plan {
  if (x.rank !== 2 || x.dtype !== "float32") {
    throw new RangeError(`submodularGreedy: expected float32 [m, d] features, got ${x.dtype} [${x.shape}]`);
  }
  const [m, d] = x.shape as [number, number];
  if (!Number.isInteger(k) || k < 0 || k > m) {
    throw new RangeError(`submodularGreedy: budget ${k} not in 0..${m} (the number of rows)`);
  }
  const fn = o.fn ?? "GraphCut", greedy = o.greedy ?? "LazyGreedy";
  if (!["FacilityLocation", "GraphCut", "LogDeterminant"].includes(fn)) {
    throw new RangeError(
      `submodularGreedy: unknown fn "${fn}"; expected FacilityLocation, GraphCut or LogDeterminant`,
    );
  }
  if (!["NaiveGreedy", "LazyGreedy", "StochasticGreedy", "ApproximateLazyGreedy"].includes(greedy)) {
    throw new RangeError(
      `submodularGreedy: unknown greedy "${greedy}"; expected NaiveGreedy, LazyGreedy, StochasticGreedy or ApproximateLazyGreedy`,
    );
  }
  const { lambda = 1, ridge = 1e-6, epsilon = 0.01, beta = 0.9, seed = 0, stream = 0 } = o;
  const check = (ok: boolean, what: string) => {
    if (!ok) throw new RangeError(`submodularGreedy: ${what}`);
  };
  check(Number.isFinite(lambda), `lambda must be finite, got ${lambda}`);
  check(ridge > 0 && Number.isFinite(ridge), `ridge must be > 0, got ${ridge}`);
  check(epsilon > 0 && epsilon < 1, `epsilon must be in (0, 1), got ${epsilon}`);
  check(beta > 0 && beta <= 1, `beta must be in (0, 1], got ${beta}`);
  for (const [name, v] of [["seed", seed], ["stream", stream]] as const) {
    check(Number.isInteger(v) && v >= 0 && v < 2 ** 32, `${name} must be an integer in [0, 2^32), got ${v}`);
  }
  const budget = o.memoryBudgetBytes ?? GIB;
  const denseBytes = 4 * m * m;
  // GraphCut and LogDeterminant read k similarity columns (k·m·d work on the fly, m²·d to fill a dense
  // matrix); FacilityLocation reads ~7 passes' worth, each similarity recomputed at d multiply-adds, so it
  // takes the matrix if it fits.
  const mode = o.similarity ?? (fn === "FacilityLocation" && denseBytes <= budget ? "dense" : "onthefly");
  let similarity: Plan["similarity"], K = 0;
  if (typeof mode === "object") {
    K = mode.knn;
    check(
      Number.isInteger(K) && K >= 1 && K <= Math.min(m, 256),
      `knn must be an integer in 1..${Math.min(m, 256)}, got ${K}`,
    );
    check(
      fn === "FacilityLocation",
      `the knn similarity is implemented for FacilityLocation only, not ${fn}`,
    );
    similarity = "knn";
  } else if (mode === "dense" || mode === "onthefly") {
    similarity = mode;
  } else {
    throw new RangeError(
      `submodularGreedy: unknown similarity ${JSON.stringify(mode)}; expected "dense", "onthefly" or {knn}`,
    );
  }
  check(
    similarity !== "dense" || denseBytes <= budget,
    `a dense ${m} × ${m} similarity takes ${denseBytes} bytes, over memoryBudgetBytes = ${budget}; ` +
      `use similarity "onthefly" or {knn: K}, or raise the budget`,
  );
  check(
    fn !== "LogDeterminant" || 4 * k * m <= budget,
    `LogDeterminant's ${k} × ${m} Cholesky rows take ${4 * k * m} bytes, over memoryBudgetBytes = ${budget}`,
  );
  const limit = bindingElements(o.maxBindingBytes);
  return { m, d, k, fn, greedy, lambda, ridge, epsilon, beta, seed, stream, similarity, K, limit };
}

/** A window of rows [r0, r0 + rows) of a row-major matrix, bound at `binding`, starting `skip` elements in. */
interface RowWindow {
  r0: number;
  rows: number;
  binding: Binding;
  skip: number;
}

/** One recorded run: its buffers, its set-up, and the dispatches of one step. */
class Run {
  readonly state: GPUBuffer;
  readonly #p: Plan;
  readonly #x: tf.Tensor;
  readonly #rt = runtime();
  readonly #buffers: GPUBuffer[] = [];
  readonly #prepared: PreparedDispatch[] = [];
  readonly #ub: GPUBuffer;
  readonly #stamp: GPUBuffer;
  readonly #g: GPUBuffer;
  /** Rows per chunk of facility location's raised-row lists (a power of two ≤ 64); windows hold whole chunks. */
  readonly #chunk: number;
  #dense: { S: GPUBuffer; r0: number; rows: number }[] = [];
  #xw: RowWindow[] = [];
  #invn: GPUBuffer | null = null;
  #trig: GPUBuffer | null = null;
  readonly #vec4: boolean;

  constructor(x: tf.Tensor, plan: Plan) {
    this.#p = plan;
    this.#x = x;
    const { m, d, k, limit } = plan;
    this.#vec4 = d % 4 === 0;
    const fit = plan.similarity === "dense"
      ? Math.floor(limit / m)
      : Math.floor((limit - ALIGN) / Math.max(d, 1));
    if (fit < 1) {
      throw new RangeError(
        `submodularGreedy: one row of ${4 * Math.max(m, d)} bytes exceeds a binding (${4 * limit})`,
      );
    }
    // Row windows hold whole chunks: facility location lists its raised rows by chunks.
    this.#chunk = Math.min(2 ** Math.floor(Math.log2(fit)), C.COVER_CHUNK);
    this.state = this.#buffer(4 * (SLOT.H + k));
    this.#rt.device.queue.writeBuffer(this.state, 0, new Uint32Array(SLOT.H)); // step 0, nothing decided
    this.#ub = this.#buffer(4 * m);
    this.#stamp = this.#buffer(4 * m);
    this.#g = this.#buffer(4 * m);
  }

  /** Records the set-up and all k steps. */
  record(): void {
    const { fn, greedy, similarity } = this.#p;
    const { recorder } = this.#rt;
    recorder.clear(this.#ub);
    recorder.clear(this.#stamp);
    if (similarity === "dense") this.#buildDense();
    else if (similarity === "onthefly") this.#buildOnthefly();
    const f = fn === "GraphCut"
      ? this.#graphCut()
      : fn === "LogDeterminant"
      ? this.#logDet()
      : similarity === "knn"
      ? this.#knnFacility()
      : this.#coverFacility();
    recorder.copy(this.#g, 0, this.#ub, 0, 4 * this.#p.m); // initial gains, fresh at step 0
    let step: PreparedDispatch[];
    if (greedy === "StochasticGreedy") step = this.#stochastic(f);
    // With every gain exact each step, LazyGreedy picks what NaiveGreedy picks: the argmax.
    else if (greedy === "NaiveGreedy" || greedy === "LazyGreedy") {
      step = [...f.all(), ...this.#argmax(this.#g, this.#p.m, SLOT.TOP)];
    } else step = this.#lazy(f);
    const commit = W.commitWgsl({ sorted: greedy === "StochasticGreedy", pivot: fn === "LogDeterminant" });
    const buffers = [this.state, this.#ub, ...f.commitBuffers];
    step.push(this.#prep(commit, [1], [f32(this.#p.ridge)], buffers), ...f.update);
    for (let t = 0; t < this.#p.k; t++) for (const s of step) recorder.record(s);
  }

  /** Gives back every buffer, prepared dispatch and tensor (reusable after the next submit). */
  release(): void {
    this.#rt.recorder.release(...this.#prepared);
    for (const b of this.#buffers) this.#rt.pool.release(b);
  }

  // -- optimisers ------------------------------------------------------------------------------------------

  /** ApproximateLazyGreedy: every gain is exact each step, so one walk decides it. */
  #lazy(f: Fn): PreparedDispatch[] {
    return [...f.all(), ...this.#walk()];
  }

  /** ApproximateLazyGreedy's walk over the exact gains in g (see `submodular_wgsl.ts`). */
  #walk(): PreparedDispatch[] {
    const { m, beta } = this.#p;
    this.#trig ??= this.#buffer(4 * m);
    return [
      ...this.#argmax(this.#g, m, SLOT.TOP),
      this.#prep(W.walkTriggerWgsl, m, [m, f32(beta)], [
        this.#ub,
        this.#stamp,
        this.#g,
        this.state,
        this.#trig,
      ]),
      ...this.#argmax(this.#trig, m, SLOT.TRIG),
      this.#prep(W.walkVisitWgsl, m, [m], [this.#g, this.state, this.#ub, this.#stamp]),
      this.#prep(W.walkAcceptWgsl, [1], [], [this.state]),
    ];
  }

  /** StochasticGreedy: ranks drawn here, positions and gains on the GPU. */
  #stochastic(f: Fn): PreparedDispatch[] {
    const { m, k, epsilon, seed, stream } = this.#p;
    const { size, ranks } = sampleRanks(m, k, epsilon, seed, stream);
    const rankBuf = this.#buffer(4 * ranks.length);
    this.#rt.device.queue.writeBuffer(rankBuf, 0, ranks);
    const sorted = this.#buffer(4 * k);
    const pos = this.#buffer(4 * size);
    const vals = this.#buffer(4 * size);
    f.commitBuffers.unshift(sorted);
    const gains = f.list(pos, size, vals);
    return [
      this.#prep(W.sampleWgsl, size, [size], [rankBuf, this.state, sorted, pos]),
      ...gains,
      ...this.#argmax(vals, size, SLOT.TOP, { list: pos }),
    ];
  }

  /** Two dispatches: argmax of values[0..n) into state[slot], state[slot + 1] (see `argmaxFinalWgsl`). */
  #argmax(values: GPUBuffer, n: number, slot: number, o: { list?: GPUBuffer } = {}) {
    const { dispatch, partVal, partIdx, parts } = this.#partials(values, n, o.list);
    return [
      dispatch,
      this.#prep(W.argmaxFinalWgsl, [1], [parts, slot], [partVal, partIdx, this.state]),
    ];
  }

  /** Per-chunk maxima (and their indices) of values[0..n), ~16 values per chunk, 1024 chunks at most. */
  #partials(values: GPUBuffer, n: number, list?: GPUBuffer) {
    const parts = Math.max(1, Math.min(1024, Math.ceil(n / 16)));
    const partVal = this.#buffer(4 * parts), partIdx = this.#buffer(4 * parts);
    const dispatch = this.#prep(W.argmaxPartialWgsl(!!list), parts, [n, Math.ceil(n / parts), parts], [
      values,
      this.state,
      ...(list ? [list] : []),
      partVal,
      partIdx,
    ]);
    return { dispatch, partVal, partIdx, parts };
  }

  // -- functions -------------------------------------------------------------------------------------------

  /** GraphCut: column sums, then Σ_{j∈S} s(j, ·) grows by the new pick's column. */
  #graphCut(): Fn {
    const { m, lambda } = this.#p;
    const colsum = this.#buffer(4 * m), sel = this.#buffer(4 * m);
    this.#rt.recorder.clear(sel);
    this.#columnSums(colsum);
    return this.#cheap(W.GRAPH_CUT, [f32(lambda)], [colsum, sel], this.#column("add", sel));
  }

  /** LogDeterminant: residuals r and the Cholesky rows E, in row windows. */
  #logDet(): Fn {
    const { m, k, ridge, limit } = this.#p;
    const { recorder } = this.#rt;
    // r and col hold whole vec4s of candidates for the update (16 per invocation)
    const padded = 16 * Math.ceil(m / 16);
    const r = this.#buffer(4 * padded), col = this.#buffer(4 * padded);
    if (this.#invn) recorder.dispatch(W.ldInitWgsl(false), grid1d(m), [m, 0, m, f32(ridge)], [this.#invn, r]);
    for (const w of this.#dense) {
      recorder.dispatch(W.ldInitWgsl(true), grid1d(w.rows), [m, w.r0, w.rows, f32(ridge)], [w.S, r]);
    }
    // e_t for the candidates of a window [c0, c0 + rows) at t·width (zero until written): k rows of width.
    const per = 16 * Math.floor(limit / k / 16);
    if (per < 16) {
      throw new RangeError(`submodularGreedy: ${k} Cholesky rows of 16 candidates exceed a binding`);
    }
    const ej = this.#buffer(4 * k);
    const update = this.#column("set", col);
    const updates: PreparedDispatch[] = [];
    for (let c0 = 0; c0 < m; c0 += per) {
      const rows = Math.min(per, m - c0), width = 16 * Math.ceil(rows / 16);
      const E = this.#buffer(4 * k * width);
      recorder.clear(E);
      update.push(this.#prep(W.ldFetchWgsl, k, [k, c0, rows, width], [E, this.state, ej]));
      updates.push(this.#prep(W.ldUpdateWgsl, width / 16, [c0, width / 4], [ej, col, this.state, E, r]));
    }
    update.push(...updates); // every window's fetch before any update: the pick's row must be read first
    const f = this.#cheap(W.LOG_DET, [f32(ridge)], [r], update);
    f.commitBuffers.push(r);
    return f;
  }

  /** Facility location over kNN lists, built from tiles of cosines. */
  #knnFacility(): Fn {
    const { m, K, limit } = this.#p;
    const { recorder } = this.#rt;
    const nbr = this.#buffer(4 * m * K), nval = this.#buffer(4 * m * K), cur = this.#buffer(4 * m);
    recorder.clear(cur);
    const tileRows = Math.max(1, Math.min(4096, Math.floor(limit / m)));
    const select = W.knnSelectWgsl(K);
    for (let r0 = 0; r0 < m; r0 += tileRows) {
      const count = Math.min(tileRows, m - r0);
      const tile = pairwise(this.#x, this.#x, { metric: "cosine", rows: { start: r0, count } });
      recorder.dispatch(select, grid1d(count), [m, r0, count], [bufferOf(tile), nbr, nval]);
      tile.dispose();
      recorder.flush(); // released tiles are reused only after a submit
    }
    const update = [this.#prep(W.knnUpdateWgsl, K, [K], [nbr, nval, this.state, cur])];
    return this.#cheap(W.KNN_FACILITY, [K], [nbr, nval, cur], update);
  }

  /**
   * Facility location, dense or on the fly: every gain exact each step, kept up to date by the deltas of
   * the rows each pick raises (`submodular_cover_wgsl.ts`): raise cur and list those rows, move the list into
   * row order, then every candidate's drop over them.
   */
  #coverFacility(): Fn {
    const { m, d } = this.#p;
    const { recorder, device } = this.#rt;
    const L = this.#chunk, chunks = Math.ceil(m / L);
    const cur = this.#buffer(4 * m), raised = this.#buffer(16 * m), count = this.#buffer(4 * chunks);
    const flat = this.#buffer(16 * m), offsets = this.#buffer(4 * (chunks + 1));
    const G = this.#buffer(4 * m), E = this.#buffer(4 * m);
    recorder.clear(cur);
    const compact = this.#prep(C.coverCompactWgsl, chunks, [chunks, L], [raised, count, flat, offsets]);
    if (this.#dense.length > 0) {
      this.#exactColumnSums(G, E);
      const gains = this.#dense.map((w) =>
        this.#prep(C.coverGainsWgsl(m % 4 === 0, false), Math.ceil(m / C.COVER_CANDIDATES), [
          m,
          w.r0,
          w.rows,
          w.r0 / L,
          Math.ceil((w.r0 + w.rows) / L),
          0,
          f32(1),
        ], [w.S, flat, offsets, G, E])
      );
      const raise = this.#dense.map((w) =>
        this.#prep(C.coverRaiseWgsl(true), chunks, [m, w.r0, w.rows, chunks, L], [
          w.S,
          this.state,
          cur,
          raised,
          count,
        ])
      );
      return this.#cheap(C.COVER_FACILITY, [], [G, E], [...raise, compact, ...gains]);
    }
    // On the fly: the first gains are the same sums over a list of every row (old 0, new 2 > any s).
    const every = this.#buffer(16 * m), everyAt = this.#buffer(4 * (chunks + 1));
    const entries = new Uint32Array(4 * m), two = new Uint32Array(Float32Array.of(2).buffer)[0]!;
    for (let r = 0; r < m; r++) entries.set([r, 0, two, 0], 4 * r);
    device.queue.writeBuffer(every, 0, entries);
    device.queue.writeBuffer(
      everyAt,
      0,
      Uint32Array.from({ length: chunks + 1 }, (_, q) => Math.min(q * L, m)),
    );
    const v = this.#vec4 ? 4 : 1;
    const gains = (list: GPUBuffer, at: GPUBuffer, init: boolean) =>
      this.#xw.flatMap((cw) =>
        this.#xw.map((rw, i) =>
          this.#prep(C.coverGainsOntheflyWgsl(this.#vec4), Math.ceil(cw.rows / C.COVER_CANDIDATES_OTF), [
            d / v,
            cw.r0,
            cw.rows,
            cw.skip / v,
            rw.r0,
            rw.rows,
            rw.skip / v,
            rw.r0 / L,
            Math.ceil((rw.r0 + rw.rows) / L),
            init && i === 0 ? 1 : 0,
            f32(init ? 1 : -1),
            f32(1),
          ], [cw.binding, rw.binding, this.#invn!, list, at, G, E])
        )
      );
    for (const g of gains(every, everyAt, true)) recorder.record(g);
    const sp = this.#buffer(4 * m);
    const raise = this.#prep(C.coverRaiseWgsl(false), chunks, [m, 0, m, chunks, L], [
      sp,
      this.state,
      cur,
      raised,
      count,
    ]);
    return this.#cheap(C.COVER_FACILITY, [], [G, E], [
      ...this.#column("set", sp),
      raise,
      compact,
      ...gains(flat, offsets, false),
    ]);
  }

  /** A function with O(1)/O(K) gains from `buffers` (uniform fields `params` after m / count). */
  #cheap(gain: W.CheapGain, params: Param[], buffers: GPUBuffer[], update: PreparedDispatch[]): Fn {
    const { m } = this.#p;
    const all = this.#prep(W.cheapAllWgsl(gain), m, [m, ...params], [this.#ub, ...buffers, this.#g]);
    this.#rt.recorder.record(all); // the initial gains
    return {
      all: () => [all],
      list: (pos, count, out) => [
        this.#prep(W.cheapListWgsl(gain), count, [count, ...params], [pos, ...buffers, out]),
      ],
      update,
      commitBuffers: [],
    };
  }

  // -- similarities ----------------------------------------------------------------------------------------

  /**
   * The dense m × m cosines in row windows (multiples of the chunk), diagonal exactly 1, filled
   * symmetrically: tiles of `SYMMETRIC_TILE` rows against the rows from their first on, written in place
   * (about half the multiply-adds of the full product), each then copied transposed into the rows below.
   */
  #buildDense(): void {
    const { m, d, limit } = this.#p;
    const { recorder } = this.#rt;
    const perWindow = Math.floor(Math.floor(limit / m) / this.#chunk) * this.#chunk;
    for (let r0 = 0; r0 < m; r0 += perWindow) {
      const rows = Math.min(perWindow, m - r0);
      this.#dense.push({ S: this.#buffer(4 * rows * m), r0, rows });
    }
    const X = bufferOf(this.#x);
    for (let t0 = 0, count = 0; t0 < m; t0 += count) {
      const src = this.#dense.find((w) => t0 < w.r0 + w.rows)!;
      count = Math.min(SYMMETRIC_TILE, src.r0 + src.rows - t0);
      const below = emptyTensor([m - t0, d]);
      recorder.copy(X, 4 * t0 * d, bufferOf(below), 0, 4 * (m - t0) * d);
      pairwiseInto(this.#x, below, { buffer: src.S, offset: (t0 - src.r0) * m + t0, stride: m }, {
        metric: "cosine",
        rows: { start: t0, count },
      });
      below.dispose();
      for (const dst of this.#dense) {
        const from = Math.max(t0 + count, dst.r0), to = Math.min(m, dst.r0 + dst.rows);
        if (to <= from) continue;
        const same = dst === src;
        recorder.dispatch(
          W.mirrorWgsl(same),
          grid1d(Math.ceil((to - from) / W.MIRROR_RUN) * count),
          [m, t0, count, src.r0, dst.r0, from - t0, to - t0],
          same ? [dst.S] : [src.S, dst.S],
        );
      }
    }
    for (const w of this.#dense) {
      recorder.dispatch(W.diagonalWgsl, grid1d(w.rows), [m, w.r0, w.rows], [w.S]);
    }
  }

  /** Feature windows (multiples of the chunk) and inverse row norms. */
  #buildOnthefly(): void {
    const { m, d, limit } = this.#p;
    const X = bufferOf(this.#x);
    const perWindow = Math.floor(Math.floor((limit - ALIGN) / Math.max(d, 1)) / this.#chunk) * this.#chunk;
    for (let r0 = 0; r0 < m; r0 += perWindow) {
      const rows = Math.min(perWindow, m - r0);
      const w = windowBinding(X, r0 * d, (r0 + rows) * d);
      this.#xw.push({ r0, rows, binding: w.binding, skip: r0 * d - w.base });
    }
    this.#invn = this.#buffer(4 * m);
    const v = this.#vec4 ? 4 : 1;
    for (const w of this.#xw) {
      this.#rt.recorder.dispatch(W.inverseNormsWgsl(this.#vec4), grid1d(w.rows), [
        d / v,
        w.r0,
        w.rows,
        w.skip / v,
      ], [
        w.binding,
        this.#invn,
      ]);
    }
  }

  /** Records G + E = Σ_i s(i, c) exactly from the dense windows (facility location's first gains). */
  #exactColumnSums(G: GPUBuffer, E: GPUBuffer): void {
    const { m } = this.#p;
    this.#dense.forEach((w, i) =>
      this.#rt.recorder.dispatch(
        C.coverGainsWgsl(m % 4 === 0, true),
        grid1d(Math.ceil(m / C.COVER_CANDIDATES)),
        [
          m,
          w.r0,
          w.rows,
          0,
          0,
          i === 0 ? 1 : 0,
          f32(1),
        ],
        [w.S, G, E],
      )
    );
  }

  /** out[c] = Σ_i s(i, c): dense, exact sums (as facility location's first gains); else from the unit sum. */
  #columnSums(out: GPUBuffer): void {
    const { m, d } = this.#p;
    const { recorder } = this.#rt;
    if (this.#dense.length > 0) {
      // facility location's first gains, summed exactly, then rounded once
      const G = this.#buffer(4 * m), E = this.#buffer(4 * m);
      this.#exactColumnSums(G, E);
      recorder.dispatch(C.pairSumWgsl, grid1d(m), [m], [G, E, out]);
      return;
    }
    const u = this.#buffer(4 * d);
    this.#xw.forEach((w, i) =>
      recorder.dispatch(W.unitSumWgsl, grid1d(d), [d, w.r0, w.rows, w.skip, i === 0 ? 1 : 0], [
        w.binding,
        this.#invn!,
        u,
      ])
    );
    for (const w of this.#xw) {
      recorder.dispatch(W.columnSumsWgsl, grid1d(w.rows), [d, w.r0, w.rows, w.skip, m], [
        w.binding,
        u,
        this.#invn!,
        out,
      ]);
    }
  }

  /** After a pick: op(target[i], s(i, pick)) for every row i. */
  #column(op: W.ColumnOp, target: GPUBuffer): PreparedDispatch[] {
    const { m, d } = this.#p;
    if (this.#dense.length > 0) {
      return this.#dense.map((w) =>
        this.#prep(W.columnDenseWgsl(op), m, [m, w.r0, w.rows], [w.S, this.state, target])
      );
    }
    const v = this.#vec4 ? 4 : 1;
    const xs = this.#buffer(4 * d); // the pick's row, from the window that holds it
    return [
      ...this.#xw.map((w) =>
        this.#prep(W.fetchPickWgsl(this.#vec4), d / v, [d / v, w.r0, w.rows, w.skip / v], [
          w.binding,
          this.state,
          xs,
        ])
      ),
      ...this.#xw.map((w) =>
        this.#prep(W.columnOntheflyWgsl(op, this.#vec4), w.rows, [d / v, w.r0, w.rows, w.skip / v], [
          w.binding,
          xs,
          this.#invn!,
          this.state,
          target,
        ])
      ),
    ];
  }

  // -- plumbing --------------------------------------------------------------------------------------------

  #buffer(bytes: number): GPUBuffer {
    const b = this.#rt.pool.acquire(Math.max(4, bytes));
    this.#buffers.push(b);
    return b;
  }

  #prep(code: string, n: number | [number], params: Param[], buffers: Binding[]): PreparedDispatch {
    const d = this.#rt.recorder.prepare(code, typeof n === "number" ? grid1d(n) : n, params, buffers);
    this.#prepared.push(d);
    return d;
  }
}

/** What an optimiser needs from a function. */
interface Fn {
  /** The exact gains of every candidate into g (TAKEN once picked). */
  all(): PreparedDispatch[];
  /** Gains of the sampled positions `pos` into out. */
  list(pos: GPUBuffer, count: number, out: GPUBuffer): PreparedDispatch[];
  /** After the commit: fold the pick into the function's state. */
  update: PreparedDispatch[];
  /** Extra buffers of the commit kernel (sorted picks, LogDeterminant's residuals), in its binding order. */
  commitBuffers: GPUBuffer[];
}

/**
 * StochasticGreedy's sample of every step as ranks among the unpicked positions (ascending), drawn exactly
 * as `selectors/reference/greedy.ts` draws them: size = max(1, ⌈(m/k)·ln(1/ε)⌉), per step min(size, m − t)
 * draws of a partial Fisher–Yates on `CounterRng(seed, stream)`; unused slots hold NONE.
 *
 * @example
 * ```ts
 * import { sampleRanks } from "./submodular.ts";
 * const { size, ranks } = sampleRanks(10, 5, 0.5, 0, 0);
 * console.log(size, ranks.length); // 2 10
 * ```
 */
export function sampleRanks(
  m: number,
  k: number,
  epsilon: number,
  seed: number,
  stream: number,
): { size: number; ranks: Uint32Array<ArrayBuffer> } {
  const rng = new CounterRng(seed, stream);
  const size = Math.min(m, Math.max(1, Math.ceil((m / k) * Math.log(1 / epsilon))));
  const ranks = new Uint32Array(k * size).fill(W.NONE);
  for (let t = 0; t < k; t++) {
    const length = m - t, s = Math.min(size, length);
    const moved = new Map<number, number>(); // the positions a swap has displaced
    for (let a = 0; a < s; a++) {
      const j = a + rng.nextInt(length - a);
      const atJ = moved.get(j) ?? j;
      moved.set(j, moved.get(a) ?? a);
      ranks[t * size + a] = atJ;
    }
  }
  return { size, ranks };
}
