/**
 * 2-D pooling kernels over NCHW planes: max (with argmax indices), average and adaptive average, forward
 * and backward. One invocation per output element (forwards) or per input element (backwards), a 1-D grid.
 *
 * Every backward *gathers*: an input element visits the outputs whose windows contain it (a range of oh
 * and ow computed from its position, so no search) and sums their contributions in a fixed order. Windows
 * overlap when the stride is smaller than the kernel, so a scatter would need float atomics (not in WGSL)
 * and would sum in a racy order; the gather is deterministic.
 *
 * Params of every kernel: n (invocations), H, W, Ho, Wo, kh, kw, sh, sw, ph, pw (adaptive kernels ignore
 * the last six), flag (average: count_include_pad), xoff, yoff (first element of the bound windows of the
 * input-sized and output-sized buffers; indices share the output's).
 *
 * @module
 */

import { MAIN_1D, PRELUDE } from "./prelude_wgsl.ts";

/** Which pooling kernel. */
export type PoolKernel =
  | "maxForward"
  | "maxBackward"
  | "maxBackwardTiles"
  | "avgForward"
  | "avgBackward"
  | "adaptiveForward"
  | "adaptiveBackward";

/**
 * Parameter names, in order (all u32).
 *
 * @example
 * ```ts
 * import { POOL_PARAMS } from "./pool_wgsl.ts";
 * console.log(POOL_PARAMS[0]); // n
 * ```
 */
export const POOL_PARAMS = [
  "n",
  "H",
  "W",
  "Ho",
  "Wo",
  "kh",
  "kw",
  "sh",
  "sw",
  "ph",
  "pw",
  "flag",
  "xoff",
  "yoff",
] as const;

const BODY: Record<PoolKernel, { bindings: string; body: string }> = {
  // PyTorch's rule: a later element wins if it is greater or NaN, so the result is the first maximum, or
  // the last NaN; the index is ih·W + iw within the plane.
  maxForward: {
    bindings: `@group(0) @binding(1) var<storage, read> X: array<f32>;
@group(0) @binding(2) var<storage, read_write> Y: array<f32>;
@group(0) @binding(3) var<storage, read_write> I: array<i32>;`,
    body: `${outputPosition()}
  let xb = p.xoff + plane * p.H * p.W;
  let h0 = i32(oh * p.sh) - i32(p.ph);
  let w0 = i32(ow * p.sw) - i32(p.pw);
  let hs = u32(max(h0, 0));
  let ws = u32(max(w0, 0));
  let he = u32(min(h0 + i32(p.kh), i32(p.H)));
  let we = u32(min(w0 + i32(p.kw), i32(p.W)));
  var best = bitcast<f32>(0xff800000u);
  var idx = hs * p.W + ws;
  for (var h = hs; h < he; h++) {
    for (var w = ws; w < we; w++) {
      let v = X[xb + h * p.W + w];
      if (v > best || is_nan(v)) { best = v; idx = h * p.W + w; }
    }
  }
  Y[p.yoff + i] = best;
  I[p.yoff + i] = i32(idx);`,
  },
  maxBackward: {
    bindings: `@group(0) @binding(1) var<storage, read> DY: array<f32>;
@group(0) @binding(2) var<storage, read> I: array<i32>;
@group(0) @binding(3) var<storage, read_write> DX: array<f32>;`,
    body: `${windowRange()}
  let me = i32(ih * p.W + iw);
  var acc = 0.0;
  for (var oh = oh0; oh < oh1; oh++) {
    for (var ow = ow0; ow < ow1; ow++) {
      let o = yb + oh * p.Wo + ow;
      if (I[o] == me) { acc += DY[o]; }
    }
  }
  DX[p.xoff + i] = acc;`,
  },
  // Windows that tile the input exactly (kernel = stride, no padding, H = Ho·kh, W = Wo·kw): one invocation
  // per output writes its whole window — dy at the maximum, 0 elsewhere — instead of one per input pixel
  // searching the windows that contain it (a quarter of the invocations for 2 × 2, and no divisions but two).
  maxBackwardTiles: {
    bindings: `@group(0) @binding(1) var<storage, read> DY: array<f32>;
@group(0) @binding(2) var<storage, read> I: array<i32>;
@group(0) @binding(3) var<storage, read_write> DX: array<f32>;`,
    body: `${outputPosition()}
  let at = I[p.yoff + i];
  let g = DY[p.yoff + i];
  let xb = p.xoff + plane * p.H * p.W;
  for (var a = 0u; a < p.kh; a++) {
    let r = (oh * p.kh + a) * p.W + ow * p.kw;
    for (var b = 0u; b < p.kw; b++) { DX[xb + r + b] = select(0.0, g, i32(r + b) == at); }
  }`,
  },
  // count_include_pad (flag = 1): divide by kh·kw; else by the number of elements inside the input
  avgForward: {
    bindings: `@group(0) @binding(1) var<storage, read> X: array<f32>;
@group(0) @binding(2) var<storage, read_write> Y: array<f32>;`,
    body: `${outputPosition()}
  let xb = p.xoff + plane * p.H * p.W;
  let w = avg_window(oh, ow);
  var acc = 0.0;
  for (var h = w.x; h < w.y; h++) {
    for (var c = w.z; c < w.w; c++) { acc += X[xb + h * p.W + c]; }
  }
  Y[p.yoff + i] = acc / avg_divisor(w);`,
  },
  avgBackward: {
    bindings: `@group(0) @binding(1) var<storage, read> DY: array<f32>;
@group(0) @binding(2) var<storage, read_write> DX: array<f32>;`,
    body: `${windowRange()}
  var acc = 0.0;
  for (var oh = oh0; oh < oh1; oh++) {
    for (var ow = ow0; ow < ow1; ow++) {
      acc += DY[yb + oh * p.Wo + ow] / avg_divisor(avg_window(oh, ow));
    }
  }
  DX[p.xoff + i] = acc;`,
  },
  // window of output o along an axis of In inputs and Out outputs: [⌊o·In/Out⌋, ⌈(o+1)·In/Out⌉)
  adaptiveForward: {
    bindings: `@group(0) @binding(1) var<storage, read> X: array<f32>;
@group(0) @binding(2) var<storage, read_write> Y: array<f32>;`,
    body: `${outputPosition()}
  let xb = p.xoff + plane * p.H * p.W;
  let hs = ad_start(oh, p.H, p.Ho);
  let he = ad_end(oh, p.H, p.Ho);
  let ws = ad_start(ow, p.W, p.Wo);
  let we = ad_end(ow, p.W, p.Wo);
  var acc = 0.0;
  for (var h = hs; h < he; h++) {
    for (var c = ws; c < we; c++) { acc += X[xb + h * p.W + c]; }
  }
  Y[p.yoff + i] = acc / f32((he - hs) * (we - ws));`,
  },
  // outputs whose window holds ih: oh from ⌊ih·Ho/H⌋ to ⌈(ih+1)·Ho/H⌉ − 1
  adaptiveBackward: {
    bindings: `@group(0) @binding(1) var<storage, read> DY: array<f32>;
@group(0) @binding(2) var<storage, read_write> DX: array<f32>;`,
    body: `
  let row = udiv(i, p.W);
  let plane = udiv(row, p.H);
  let iw = i - row * p.W;
  let ih = row - plane * p.H;
  let yb = p.yoff + plane * p.Ho * p.Wo;
  let oh1 = min(udiv((ih + 1u) * p.Ho + p.H - 1u, p.H), p.Ho);
  let ow1 = min(udiv((iw + 1u) * p.Wo + p.W - 1u, p.W), p.Wo);
  var acc = 0.0;
  for (var oh = udiv(ih * p.Ho, p.H); oh < oh1; oh++) {
    let hs = ad_start(oh, p.H, p.Ho);
    let he = ad_end(oh, p.H, p.Ho);
    for (var ow = udiv(iw * p.Wo, p.W); ow < ow1; ow++) {
      let ws = ad_start(ow, p.W, p.Wo);
      let we = ad_end(ow, p.W, p.Wo);
      acc += DY[yb + oh * p.Wo + ow] / f32((he - hs) * (we - ws));
    }
  }
  DX[p.xoff + i] = acc;`,
  },
};

/** Output element i's plane and position (oh, ow) in it. */
function outputPosition(): string {
  return `
  let row = udiv(i, p.Wo);
  let plane = udiv(row, p.Ho);
  let ow = i - row * p.Wo;
  let oh = row - plane * p.Ho;`;
}

/**
 * The outputs (oh ∈ [oh0, oh1), ow ∈ [ow0, ow1)) whose windows contain input element i of a plane:
 * oh·sh − ph ≤ ih ≤ oh·sh − ph + kh − 1.
 */
function windowRange(): string {
  return `
  let row = udiv(i, p.W);
  let plane = udiv(row, p.H);
  let iw = i - row * p.W;
  let ih = row - plane * p.H;
  let yb = p.yoff + plane * p.Ho * p.Wo;
  let th = ih + p.ph;
  let tw = iw + p.pw;
  let oh0 = udiv(u32(max(i32(th) - i32(p.kh) + 1, 0)) + p.sh - 1u, p.sh);
  let ow0 = udiv(u32(max(i32(tw) - i32(p.kw) + 1, 0)) + p.sw - 1u, p.sw);
  let oh1 = min(udiv(th, p.sh) + 1u, p.Ho);
  let ow1 = min(udiv(tw, p.sw) + 1u, p.Wo);`;
}

const HELPERS = `
fn is_nan(v: f32) -> bool { return (bitcast<u32>(v) & 0x7fffffffu) > 0x7f800000u; }
// the window of an output clamped to the input, as (hs, he, ws, we)
fn avg_window(oh: u32, ow: u32) -> vec4<u32> {
  let h0 = i32(oh * p.sh) - i32(p.ph);
  let w0 = i32(ow * p.sw) - i32(p.pw);
  let he = min(h0 + i32(p.kh), i32(p.H));
  let we = min(w0 + i32(p.kw), i32(p.W));
  return vec4<u32>(u32(max(h0, 0)), u32(he), u32(max(w0, 0)), u32(we));
}
// PyTorch divides by the size of the window clipped to the *padded* input, which without ceil_mode is
// always kh·kw
fn avg_divisor(w: vec4<u32>) -> f32 {
  if (p.flag != 0u) { return f32(p.kh * p.kw); }
  return f32((w.y - w.x) * (w.w - w.z));
}
fn ad_start(o: u32, n: u32, out: u32) -> u32 { return udiv(o * n, out); }
fn ad_end(o: u32, n: u32, out: u32) -> u32 { return udiv((o + 1u) * n + out - 1u, out); }
// ⌊a / b⌋ for a, b < 2^26 (b ≥ 1) without an integer division, which llvmpipe runs lane by lane when b
// is not a constant (backward passes ran 20–40 % faster): a float estimate, off by < 32 so the remainder
// stays far from i32 overflow; the float quotient of that remainder, off by ≤ 1; an exact fix.
fn udiv(a: u32, b: u32) -> u32 {
  let fb = f32(b);
  var q = i32(f32(a) / fb);
  q += i32(floor(f32(i32(a) - q * i32(b)) / fb));
  let r = i32(a) - q * i32(b);
  return u32(q + select(0, 1, r >= i32(b)) - select(0, 1, r < 0));
}
`;

/**
 * The WGSL of one pooling kernel.
 *
 * @example
 * ```ts
 * import { poolWgsl } from "./pool_wgsl.ts";
 * console.log(poolWgsl("maxBackward").includes("var<storage, read> I: array<i32>")); // true
 * ```
 */
export function poolWgsl(kernel: PoolKernel): string {
  const { bindings, body } = BODY[kernel];
  return `${PRELUDE}
struct Params { ${POOL_PARAMS.map((k) => `${k}: u32`).join(", ")} }
@group(0) @binding(0) var<uniform> p: Params;
${bindings}
${HELPERS}
${MAIN_1D}
  if (i >= p.n) { return; }${body}
}`;
}
