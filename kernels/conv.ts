/**
 * 2-D convolution (NCHW, OIHW weights as in PyTorch, float32): forward with optional bias, stride, padding,
 * dilation and groups (depthwise included), and the gradients w.r.t. the input, the weights (summed over
 * the batch) and the bias, each beside the plain TypeScript reference its test compares against. The
 * three kernel families are described in `conv_wgsl.ts`.
 *
 * Which family runs a pass: "rows" wherever it applies (W and Wo multiples of 4, stride and dilation 1
 * along W; the input pass also stride 1 along H) — every 3×3/1×1/5×5 stride-1 layer of the small-image
 * networks at 32/28/16/8/4 pixels; else "gemm", except the filter pass of groups with < 4 output channels
 * (depthwise) and the input pass of a strided *and* dilated axis, which run "direct". Blocks: `blockOf`.
 *
 * Measured on llvmpipe (LLVM 15, 256-bit, 2 cores shared with other jobs), batch 32, GFLOP (2·MAC) per
 * CPU-second of the process — wall-clock figures on this shared machine varied 2× between runs, CPU time
 * far less; with 2 idle cores wall-clock GFLOP/s would be about twice these. For scale, `matmul` on the
 * equivalent 64 × 32768 × 576 product: 5–6 (vec4 layout), 4.5–5 (scalar layout).
 *
 * | layer (batch 32)              | forward: auto / gemm / direct | input: a / g / d   | filter: a / g / d |
 * |-------------------------------|-------------------------------|--------------------|-------------------|
 * | 3→64, 32×32, 3×3 p1 (rows)    | 4.9 / 2.9 / 0.3               | 2.4 / 1.4 / 0.4    | 3.7 / 2.5 / 0.5   |
 * | 64→64, 32×32, 3×3 p1 (rows)   | 7.9 / 4.9 / 0.4               | 7.6 / 5.0 / 0.4    | 10.5 / 4.7 / 0.5  |
 * | 1→6, 28×28, 5×5 p2 (rows)     | 2.5 / 1.1 / 0.3               | 1.8 / 0.8 / 0.4    | 1.9 / 0.6 / 0.5   |
 * | 6→16, 14×14, 5×5 (gemm)       | 3.3 / 3.4 / 0.4               | 1.2 / 1.1 / 0.2    | 1.0 / 1.0 / 0.5   |
 * | 64→128, 32×32, 3×3 s2 (gemm)  | 4.9 / 4.9 / 0.4               | 3.4 / 3.3 / 0.1    | 4.7 / 4.7 / 0.5   |
 *
 * Tried and dropped (same metric, forward 64→64): 8 × 8 GEMM blocks with 8 × 8 lanes 2.9 (16 × 16 with 64
 * lanes along columns: 4.9); uniform-address weight loads (rows taken from the workgroup id) no gain;
 * unrolling kw no gain; dropping the padding `select`s +6 %; vec4 weight loads +10 % (not worth a
 * transposed weight copy next to the row kernel's ×1.6). The input GEMM tested every tap for
 * divisibility by the stride before it was split into pixel classes: 0.9 → 2.6 at stride 2 with the same
 * block (3.3 with today's).
 * Reproduce the wall-clock table with `deno run -A bench/conv_bench.ts [--kernel gemm] [--batch 32]`.
 *
 * Batches whose activations exceed one storage binding are processed in chunks of samples, each bound as a
 * window (`runtime/window.ts`); the weights, one sample's activations and the filter pass's partials must
 * each fit in one binding.
 *
 * @module
 */

import type * as tf from "npm:@tensorflow/tfjs-core@4.22.0";
import {
  convDirectWgsl,
  convGemmWgsl,
  type ConvPass,
  convRowFilterWgsl,
  convRowWgsl,
  lanes,
  PARAMS,
  partialSumWgsl,
  rowSumWgsl,
  type Tile,
  WG,
} from "./conv_wgsl.ts";
import { grid1d } from "./prelude_wgsl.ts";
import type { Binding } from "./runtime/recorder.ts";
import { runtime } from "./runtime/runtime.ts";
import { bufferOf, emptyTensor, sizeOf } from "./runtime/tensor.ts";
import { ALIGN, bindingElements, windowBinding } from "./runtime/window.ts";

/** A size given once for both spatial dimensions or as [height, width]. */
export type Pair = number | readonly [number, number];

/** Options of the convolution functions. */
export interface ConvOptions {
  /** Stride (default 1). */
  stride?: Pair;
  /** Zero padding on each side (default 0). */
  padding?: Pair;
  /** Dilation of the kernel taps (default 1). */
  dilation?: Pair;
  /** Groups: Cin and Cout must both be multiples; Cin for depthwise (default 1). */
  groups?: number;
  /** Largest binding in bytes (default: the device's); lowered by tests to exercise batch chunks. */
  maxBindingBytes?: number;
  /** Prefer a kernel family where it applies (tests and benchmarks); default "auto". */
  kernel?: "auto" | "rows" | "gemm" | "direct";
  /** Block and lanes of a GEMM or row invocation (benchmarks); default: chosen per pass (`conv_wgsl.ts`). */
  tile?: Tile;
}

/** Every size of one convolution. */
export interface ConvGeometry {
  N: number;
  Cin: number;
  H: number;
  W: number;
  Cout: number;
  KH: number;
  KW: number;
  Ho: number;
  Wo: number;
  sh: number;
  sw: number;
  ph: number;
  pw: number;
  dh: number;
  dw: number;
  groups: number;
  /** Input channels per group. */
  Cig: number;
  /** Output channels per group. */
  Cog: number;
}

const pair = (v: Pair | undefined, d: number): [number, number] =>
  v === undefined ? [d, d] : typeof v === "number" ? [v, v] : [v[0], v[1]];

/**
 * The geometry of convolving an input of `xShape` [N, Cin, H, W] with weights of `wShape`
 * [Cout, Cin/groups, KH, KW]; throws naming both shapes when they do not fit together.
 *
 * @example
 * ```ts
 * import { convGeometry } from "./conv.ts";
 * const g = convGeometry([8, 3, 32, 32], [16, 3, 3, 3], { stride: 2, padding: 1 });
 * console.log(g.Ho, g.Wo); // 16 16
 * ```
 */
export function convGeometry(
  xShape: readonly number[],
  wShape: readonly number[],
  options: ConvOptions = {},
): ConvGeometry {
  const what = `conv2d of input [${xShape}] with weights [${wShape}]`;
  if (xShape.length !== 4 || wShape.length !== 4) {
    throw new RangeError(`${what}: expected [N, Cin, H, W] and [Cout, Cin/groups, KH, KW]`);
  }
  const [N, Cin, H, W] = xShape as [number, number, number, number];
  const [Cout, Cig, KH, KW] = wShape as [number, number, number, number];
  const groups = options.groups ?? 1;
  const [sh, sw] = pair(options.stride, 1), [ph, pw] = pair(options.padding, 0);
  const [dh, dw] = pair(options.dilation, 1);
  if (!(groups >= 1 && Cin % groups === 0 && Cout % groups === 0 && Cig === Cin / groups)) {
    throw new RangeError(`${what}: ${groups} groups need Cin, Cout multiples of it and Cin/groups = ${Cig}`);
  }
  if (![sh, sw, dh, dw].every((v) => Number.isInteger(v) && v >= 1) || ![ph, pw].every((v) => v >= 0)) {
    throw new RangeError(`${what}: stride and dilation must be ≥ 1 and padding ≥ 0`);
  }
  const Ho = Math.floor((H + 2 * ph - dh * (KH - 1) - 1) / sh) + 1;
  const Wo = Math.floor((W + 2 * pw - dw * (KW - 1) - 1) / sw) + 1;
  if (Ho < 1 || Wo < 1) throw new RangeError(`${what}: the kernel is larger than the padded input`);
  return { N, Cin, H, W, Cout, KH, KW, Ho, Wo, sh, sw, ph, pw, dh, dw, groups, Cig, Cog: Cout / groups };
}

/**
 * y = conv2d(x, w) + bias: x [N, Cin, H, W], w [Cout, Cin/groups, KH, KW], bias [Cout] or null →
 * y [N, Cout, Ho, Wo].
 *
 * @example
 * ```ts
 * import { ready } from "./runtime/runtime.ts";
 * import { readAll, upload } from "./runtime/tensor.ts";
 * import { conv2d } from "./conv.ts";
 * await ready();
 * const x = upload(new Float32Array([1, 2, 3, 4]), [1, 1, 2, 2]);
 * const w = upload(new Float32Array([1, 1, 1, 1]), [1, 1, 2, 2]);
 * const y = conv2d(x, w, upload(new Float32Array([0.5]), [1]), { padding: 1 });
 * console.log((await readAll([y]))[0]); // Float32Array [1.5, 3.5, 2.5, 4.5, 10.5, 6.5, 3.5, 7.5, 4.5]
 * ```
 */
export function conv2d(
  x: tf.Tensor,
  w: tf.Tensor,
  bias: tf.Tensor | null = null,
  options: ConvOptions = {},
): tf.Tensor {
  const g = convGeometry(x.shape, w.shape, options);
  if (bias && (bias.rank !== 1 || bias.shape[0] !== g.Cout)) {
    throw new RangeError(`conv2d: bias [${bias.shape}] should be [${g.Cout}]`);
  }
  const y = emptyTensor([g.N, g.Cout, g.Ho, g.Wo]);
  const W = whole(bufferOf(w), sizeOf(w.shape));
  // without a bias the weights stand in as an unused read-only binding: one bind-group layout for both
  const B = bias ? whole(bufferOf(bias), g.Cout) : W;
  for (const c of chunks("forward", g, options, bufferOf(x), bufferOf(y), bias ? 1 : 0)) {
    runtime().recorder.dispatch(c.code, c.grid, c.params, [c.x, W, B, c.y]);
  }
  return y;
}

/**
 * dL/dx of `conv2d` given dy [N, Cout, Ho, Wo] and the weights: dx [N, Cin, H, W] (`xShape`).
 *
 * @example
 * ```ts
 * import { ready } from "./runtime/runtime.ts";
 * import { readAll, upload } from "./runtime/tensor.ts";
 * import { conv2dBackwardInput } from "./conv.ts";
 * await ready();
 * const dy = upload(new Float32Array([1, 1, 1, 1]), [1, 1, 2, 2]);
 * const w = upload(new Float32Array([1, 2, 3, 4]), [1, 1, 2, 2]);
 * const dx = conv2dBackwardInput(dy, w, [1, 1, 3, 3]);
 * console.log((await readAll([dx]))[0]); // Float32Array [1, 3, 2, 4, 10, 6, 3, 7, 4]
 * ```
 */
export function conv2dBackwardInput(
  dy: tf.Tensor,
  w: tf.Tensor,
  xShape: readonly number[],
  options: ConvOptions = {},
): tf.Tensor {
  const g = convGeometry(xShape, w.shape, options);
  checkDy(dy, g);
  const dx = emptyTensor([...xShape]);
  const W = whole(bufferOf(w), sizeOf(w.shape));
  for (const c of chunks("input", g, options, bufferOf(dx), bufferOf(dy))) {
    runtime().recorder.dispatch(c.code, c.grid, c.params, [c.y, W, c.x]);
  }
  return dx;
}

/**
 * dL/dw of `conv2d`, summed over the batch, given x [N, Cin, H, W] and dy [N, Cout, Ho, Wo]: dw of
 * `wShape` [Cout, Cin/groups, KH, KW].
 *
 * @example
 * ```ts
 * import { ready } from "./runtime/runtime.ts";
 * import { readAll, upload } from "./runtime/tensor.ts";
 * import { conv2dBackwardFilter } from "./conv.ts";
 * await ready();
 * const x = upload(new Float32Array([1, 2, 3, 4, 5, 6, 7, 8, 9]), [1, 1, 3, 3]);
 * const dy = upload(new Float32Array([1, 0, 0, 1]), [1, 1, 2, 2]);
 * const dw = conv2dBackwardFilter(x, dy, [1, 1, 2, 2]);
 * console.log((await readAll([dw]))[0]); // Float32Array [6, 8, 12, 14]
 * ```
 */
export function conv2dBackwardFilter(
  x: tf.Tensor,
  dy: tf.Tensor,
  wShape: readonly number[],
  options: ConvOptions = {},
): tf.Tensor {
  const g = convGeometry(x.shape, wShape, options);
  checkDy(dy, g);
  const dw = emptyTensor([...wShape]);
  const E = sizeOf(wShape);
  const { recorder, pool } = runtime();
  const DW = whole(bufferOf(dw), E);
  let first = true;
  for (const c of chunks("filter", g, options, bufferOf(x), bufferOf(dy))) {
    if (first && c.splits === 1 && c.samples === g.N) {
      recorder.dispatch(c.code, c.grid, c.params, [c.x, c.y, DW]); // one split of one chunk: dw itself
    } else {
      // partials, added up in a fixed order (deterministic); later chunks add to what is there
      const P = pool.acquire(4 * c.splits * E);
      recorder.dispatch(c.code, c.grid, c.params, [c.x, c.y, whole(P, c.splits * E)]);
      recorder.dispatch(partialSumWgsl(), grid1d(E), [E, c.splits, first ? 0 : 1], [
        whole(P, c.splits * E),
        DW,
      ]);
      pool.release(P);
    }
    first = false;
  }
  return dw;
}

/**
 * dL/dbias of `conv2d`: the sum of dy [N, Cout, Ho, Wo] over n, oh, ow → [Cout].
 *
 * @example
 * ```ts
 * import { ready } from "./runtime/runtime.ts";
 * import { readAll, upload } from "./runtime/tensor.ts";
 * import { conv2dBackwardBias } from "./conv.ts";
 * await ready();
 * const dy = upload(new Float32Array([1, 2, 3, 4, 5, 6, 7, 8]), [2, 2, 1, 2]);
 * console.log((await readAll([conv2dBackwardBias(dy)]))[0]); // Float32Array [14, 22]
 * ```
 */
export function conv2dBackwardBias(
  dy: tf.Tensor,
  options: Pick<ConvOptions, "maxBindingBytes"> = {},
): tf.Tensor {
  if (dy.rank !== 4) throw new RangeError(`conv2dBackwardBias: dy [${dy.shape}] should be [N, Cout, Ho, Wo]`);
  const [N, C, Ho, Wo] = dy.shape as [number, number, number, number];
  const L = Ho * Wo, per = C * L;
  const db = emptyTensor([C]);
  const rt = runtime();
  const DY = bufferOf(dy), DB = whole(bufferOf(db), C);
  const nb = chunkSamples(per, N, bindingElements(options.maxBindingBytes), "conv2dBackwardBias");
  const P = rt.pool.acquire(4 * nb * C);
  for (let n0 = 0; n0 < N; n0 += nb) {
    const count = Math.min(nb, N - n0);
    const win = windowBinding(DY, n0 * per, (n0 + count) * per);
    rt.recorder.dispatch(rowSumWgsl(), grid1d(count * C), [count * C, L, n0 * per - win.base], [
      win.binding,
      whole(P, count * C),
    ]);
    rt.recorder.dispatch(partialSumWgsl(), grid1d(C), [C, count, n0 === 0 ? 0 : 1], [
      whole(P, count * C),
      DB,
    ]);
  }
  rt.pool.release(P);
  return db;
}

function checkDy(dy: tf.Tensor, g: ConvGeometry): void {
  const want = [g.N, g.Cout, g.Ho, g.Wo];
  if (dy.rank !== 4 || dy.shape.some((d, i) => d !== want[i])) {
    throw new RangeError(`conv2d backward: dy [${dy.shape}] should be [${want}]`);
  }
}

/** Samples per chunk so that `perSample` elements × samples fit one binding of `limit` elements. */
function chunkSamples(perSample: number, N: number, limit: number, what: string): number {
  const fit = Math.floor((limit - ALIGN - 4) / perSample);
  if (fit < 1) {
    throw new RangeError(
      `${what}: one sample's ${4 * perSample} bytes exceed one storage binding (${4 * limit})`,
    );
  }
  return Math.min(N, fit);
}

/** A power of two ≥ x, at most `max`. */
const pow2 = (x: number, max: number) => Math.min(max, 2 ** Math.ceil(Math.log2(Math.max(1, x))));

/** Kernel family, shader and block of one pass (see the module comment for the rules). */
interface Plan {
  family: "rows" | "gemm" | "direct";
  code: string;
  tile: Required<Tile>;
  /** Pixels one GEMM/row column stands for (4 for row groups, 1 for GEMM columns). */
  perColumn: number;
}

function plan(pass: ConvPass, g: ConvGeometry, options: ConvOptions): Plan {
  const M = pass === "input" ? g.Cig : g.Cog;
  const rows = g.sw === 1 && g.dw === 1 && g.W % 4 === 0 && g.Wo % 4 === 0 &&
    (pass !== "input" || g.sh === 1);
  // the input GEMM steps its taps by the stride, which needs dilation 1 along a strided axis
  const gemm = pass !== "input" || ((g.sh === 1 || g.dh === 1) && (g.sw === 1 || g.dw === 1));
  const kernel = options.kernel ?? "auto";
  const family = kernel === "direct" || (kernel === "gemm" && gemm) || (kernel === "rows" && rows)
    ? kernel
    : rows
    ? "rows"
    : gemm && (pass !== "filter" || M >= 4)
    ? "gemm"
    : "direct";
  const stride = [g.sh, g.sw] as const;
  if (family === "direct") {
    return { family, code: convDirectWgsl(pass, stride), tile: { tm: 1, tn: 1, ly: 1 }, perColumn: 1 };
  }
  const tile = { ...blockOf(family, pass, M, g), ...options.tile };
  if (family === "gemm") return { family, code: convGemmWgsl(pass, tile, stride), tile, perColumn: 1 };
  const v = { tm: tile.tm, tq: tile.tn / 4, KW: g.KW, pw: g.pw, ly: tile.ly };
  const code = pass === "filter" ? convRowFilterWgsl(v) : convRowWgsl(pass, v);
  return { family, code, tile, perColumn: pass === "filter" ? 1 : 4 };
}

/**
 * The block of one invocation and the lanes of a workgroup along rows (measured; see the module comment),
 * from a few shapes so that a network compiles few variants. A group with ≤ 8 rows puts them all in one
 * invocation (1 for depthwise, else 8) and the 64 lanes along columns. Wider groups: row kernels 8 × 8
 * lanes over blocks of up to 8 rows × 32 pixels; GEMM 16 × 16 blocks with lanes along columns, except
 * the filter pass (few columns, long k), which keeps 8 × 8 lanes over blocks of up to 8 × 16.
 */
function blockOf(family: "rows" | "gemm", pass: ConvPass, M: number, g: ConvGeometry): Required<Tile> {
  const few = M <= WG, ly = few ? 1 : WG;
  if (family === "rows") {
    const tm = M === 1 ? 1 : few ? WG : pow2(Math.ceil(M / WG), WG);
    if (pass !== "filter") return { tm, tn: few ? 16 : 32, ly };
    const columns = g.Cig * g.KH, { lx } = lanes(ly);
    return { tm, tn: 4 * (columns <= lx ? 1 : columns <= 2 * lx ? 2 : 8), ly };
  }
  if (pass !== "filter") return { tm: M === 1 ? 1 : few ? WG : 16, tn: 16, ly: 1 };
  return { tm: pow2(Math.ceil(M / WG), WG), tn: g.Cig * g.KH * g.KW <= 32 ? 4 : 16, ly: WG };
}

/** Output pixels (summed over its samples) below which a split of the filter pass is not worth its partial. */
const MIN_SPLIT_PIXELS = 2048;

/** Workgroups (GEMM, rows) or 64-invocation groups (direct) the splits of the filter pass should reach. */
const TARGET_GROUPS = 256;

/** One dispatch of a pass over a chunk of samples. */
interface Chunk {
  /** Window of the x-side buffer (x or dx). */
  x: Binding;
  /** Window of the y-side buffer (y or dy). */
  y: Binding;
  params: number[];
  grid: [number, number, number];
  code: string;
  /** Splits of the filter pass (1 otherwise). */
  splits: number;
  /** Samples in the chunk. */
  samples: number;
}

/**
 * The dispatches of `pass`: the batch in chunks whose activations fit one binding, each with the windows
 * of the x-side and y-side buffers, its parameters, grid and shader.
 */
function* chunks(
  pass: ConvPass,
  g: ConvGeometry,
  options: ConvOptions,
  X: GPUBuffer,
  Y: GPUBuffer,
  hasBias = 0,
): Generator<Chunk> {
  const limit = bindingElements(options.maxBindingBytes);
  const perX = g.Cin * g.H * g.W, perY = g.Cout * g.Ho * g.Wo;
  const Kg = g.Cig * g.KH * g.KW, E = Kg * g.Cout;
  if (E > limit) throw new RangeError(`conv2d: weights of ${4 * E} bytes exceed one binding (${4 * limit})`);
  if (g.groups > 65535) throw new RangeError(`conv2d: ${g.groups} groups exceed one dispatch (65535)`);
  const { family, code, tile, perColumn } = plan(pass, g, options);
  const { lx, ly } = lanes(tile.ly);
  const what = `conv2d [${g.N}, ${g.Cin}, ${g.H}, ${g.W}] → [${g.N}, ${g.Cout}, ${g.Ho}, ${g.Wo}]`;
  let nb = chunkSamples(Math.max(perX, perY), g.N, limit, what);
  // forward and input passes: a column per output (input) pixel or group of 4; grid x ≤ 65535 groups
  const pixels = pass === "forward" ? g.Ho * g.Wo : g.H * g.W;
  const columnsPerGroup = (tile.tn / (family === "rows" ? 4 : 1)) * lx;
  if (family !== "direct" && pass !== "filter") {
    nb = Math.min(nb, Math.floor((65535 * columnsPerGroup * perColumn) / pixels));
  }
  if (nb < 1) throw new RangeError(`${what}: one sample's ${pixels} pixels exceed one dispatch`);
  const M = pass === "input" ? g.Cig : g.Cog;
  // the input GEMM runs once per class of pixels (ih mod sh, iw mod sw); other passes once
  const classes = family === "gemm" && pass === "input" ? pixelClasses(g) : [{ ca: 0, cb: 0, Hc: 0, Wc: 0 }];
  for (let n0 = 0; n0 < g.N; n0 += nb) {
    const count = Math.min(nb, g.N - n0);
    const x = windowBinding(X, n0 * perX, (n0 + count) * perX);
    const y = windowBinding(Y, n0 * perY, (n0 + count) * perY);
    for (const cls of classes) {
      // n: GEMM/row columns, or invocations of the direct kernel
      let splits = 1, per = count, n = count * (pass === "forward" ? perY : perX);
      if (pass === "filter") {
        const columns = family === "rows" ? g.Cig * g.KH : Kg;
        const perSplit = family === "direct"
          ? Math.ceil(E / 64)
          : Math.ceil(M / (tile.tm * ly)) * Math.ceil(columns / columnsPerGroup) * g.groups;
        const byPixels = Math.ceil(count / Math.ceil(MIN_SPLIT_PIXELS / (g.Ho * g.Wo)));
        const most = Math.min(byPixels, Math.floor(limit / E), Math.floor(65535 / g.groups)); // grid z ≤ 65535
        splits = Math.max(1, Math.min(most, Math.ceil(TARGET_GROUPS / perSplit)));
        per = Math.ceil(count / splits);
        splits = Math.ceil(count / per);
        n = family === "direct" ? splits * E : columns;
      } else if (family === "gemm" && pass === "input") {
        n = count * cls.Hc * cls.Wc;
      } else if (family !== "direct") {
        n = (count * pixels) / perColumn;
      }
      const grid: [number, number, number] = family === "direct"
        ? [...grid1d(n), 1]
        : [Math.ceil(n / columnsPerGroup), Math.ceil(M / (tile.tm * ly)), g.groups * splits];
      const values: Record<string, number> = {
        ...g,
        ...cls,
        n,
        nb: count,
        per,
        xoff: n0 * perX - x.base,
        yoff: n0 * perY - y.base,
        hasBias,
      };
      const params = PARAMS.map((k) => values[k]!);
      yield { x: x.binding, y: y.binding, params, grid, code, splits, samples: count };
    }
  }
}

/** The classes of input pixels (ih mod sh, iw mod sw) that hold any pixel, with their sizes. */
function pixelClasses(g: ConvGeometry): { ca: number; cb: number; Hc: number; Wc: number }[] {
  const out = [];
  for (let ca = 0; ca < Math.min(g.sh, g.H); ca++) {
    for (let cb = 0; cb < Math.min(g.sw, g.W); cb++) {
      out.push({ ca, cb, Hc: Math.ceil((g.H - ca) / g.sh), Wc: Math.ceil((g.W - cb) / g.sw) });
    }
  }
  return out;
}

/** The first `elements` of `buffer` as a binding (pool buffers may be larger than the tensor). */
const whole = (buffer: GPUBuffer, elements: number) => windowBinding(buffer, 0, elements).binding;

// ---------------------------------------------------------------------------------------------------------
// TypeScript references (float64 accumulation), written as the plain loops of the definition; the
// backward ones as the adjoint (scatter) of the forward loop, unlike the kernels, which gather.

/** Calls f(n, co, oh, ow, ci, kh, kw, xIndex, wIndex, yIndex) for every in-bounds tap of the convolution. */
function forEachTap(
  g: ConvGeometry,
  f: (xi: number, wi: number, yi: number) => void,
): void {
  for (let n = 0; n < g.N; n++) {
    for (let co = 0; co < g.Cout; co++) {
      const grp = Math.floor(co / g.Cog);
      for (let oh = 0; oh < g.Ho; oh++) {
        for (let ow = 0; ow < g.Wo; ow++) {
          const yi = ((n * g.Cout + co) * g.Ho + oh) * g.Wo + ow;
          for (let ci = 0; ci < g.Cig; ci++) {
            for (let kh = 0; kh < g.KH; kh++) {
              const ih = oh * g.sh - g.ph + kh * g.dh;
              if (ih < 0 || ih >= g.H) continue;
              for (let kw = 0; kw < g.KW; kw++) {
                const iw = ow * g.sw - g.pw + kw * g.dw;
                if (iw < 0 || iw >= g.W) continue;
                const xi = ((n * g.Cin + grp * g.Cig + ci) * g.H + ih) * g.W + iw;
                f(xi, ((co * g.Cig + ci) * g.KH + kh) * g.KW + kw, yi);
              }
            }
          }
        }
      }
    }
  }
}

/**
 * TypeScript reference of `conv2d` on row-major arrays.
 *
 * @example
 * ```ts
 * import { conv2dReference, convGeometry } from "./conv.ts";
 * const g = convGeometry([1, 1, 2, 2], [1, 1, 1, 1]);
 * console.log(conv2dReference([1, 2, 3, 4], [2], [1], g)); // Float64Array [3, 5, 7, 9]
 * ```
 */
export function conv2dReference(
  x: ArrayLike<number>,
  w: ArrayLike<number>,
  bias: ArrayLike<number> | null,
  g: ConvGeometry,
): Float64Array {
  const y = new Float64Array(g.N * g.Cout * g.Ho * g.Wo);
  if (bias) y.forEach((_, i) => (y[i] = bias[Math.floor(i / (g.Ho * g.Wo)) % g.Cout]!));
  forEachTap(g, (xi, wi, yi) => (y[yi] += x[xi]! * w[wi]!));
  return y;
}

/**
 * TypeScript reference of `conv2dBackwardInput`.
 *
 * @example
 * ```ts
 * import { conv2dBackwardInputReference, convGeometry } from "./conv.ts";
 * const g = convGeometry([1, 1, 2, 2], [1, 1, 2, 2]);
 * console.log(conv2dBackwardInputReference([1], [1, 2, 3, 4], g)); // Float64Array [1, 2, 3, 4]
 * ```
 */
export function conv2dBackwardInputReference(
  dy: ArrayLike<number>,
  w: ArrayLike<number>,
  g: ConvGeometry,
): Float64Array {
  const dx = new Float64Array(g.N * g.Cin * g.H * g.W);
  forEachTap(g, (xi, wi, yi) => (dx[xi] += dy[yi]! * w[wi]!));
  return dx;
}

/**
 * TypeScript reference of `conv2dBackwardFilter`.
 *
 * @example
 * ```ts
 * import { conv2dBackwardFilterReference, convGeometry } from "./conv.ts";
 * const g = convGeometry([2, 1, 1, 1], [1, 1, 1, 1]);
 * console.log(conv2dBackwardFilterReference([3, 4], [1, 2], g)); // Float64Array [11]
 * ```
 */
export function conv2dBackwardFilterReference(
  x: ArrayLike<number>,
  dy: ArrayLike<number>,
  g: ConvGeometry,
): Float64Array {
  const dw = new Float64Array(g.Cout * g.Cig * g.KH * g.KW);
  forEachTap(g, (xi, wi, yi) => (dw[wi] += dy[yi]! * x[xi]!));
  return dw;
}

/**
 * TypeScript reference of `conv2dBackwardBias` for dy of shape [N, C, Ho, Wo].
 *
 * @example
 * ```ts
 * import { conv2dBackwardBiasReference } from "./conv.ts";
 * console.log(conv2dBackwardBiasReference([1, 2, 3, 4], [2, 2, 1, 1])); // Float64Array [4, 6]
 * ```
 */
export function conv2dBackwardBiasReference(dy: ArrayLike<number>, shape: readonly number[]): Float64Array {
  const [N, C, Ho, Wo] = shape as [number, number, number, number];
  const db = new Float64Array(C);
  for (let i = 0; i < N * C * Ho * Wo; i++) db[Math.floor(i / (Ho * Wo)) % C] += dy[i]!;
  return db;
}
