/**
 * Elementwise kernels: a unary op over one array, and a binary op over two arrays broadcast against each
 * other (numpy rules, rank ≤ 8). The op is a WGSL expression baked into the shader text, so each op is its
 * own pipeline, compiled once.
 *
 * @module
 */

import { MAIN_1D, PRELUDE } from "./prelude_wgsl.ts";

/** Maximum rank the broadcasting kernel handles. */
export const MAX_RANK = 8;

/** `y[i] = op(x[i])` where `op` is a WGSL expression of `x`. */
export function unaryWgsl(op: string): string {
  return /* wgsl */ `${PRELUDE}
struct Params { n: u32 }
@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read> xs: array<f32>;
@group(0) @binding(2) var<storage, read_write> ys: array<f32>;
${MAIN_1D}
  if (i >= p.n) { return; }
  let x = xs[i];
  ys[i] = ${op};
}`;
}

/**
 * `c[i] = op(a[ia], b[ib])` where `op` is a WGSL expression of `a` and `b`. With `broadcast` false both
 * inputs have the output's shape; otherwise the params carry the output dims and each input's strides (0
 * along broadcast dims), outermost first, padded to MAX_RANK. When the output is processed in windows
 * (`runtime/window.ts`), `base` is the window's first output element and `subA`/`subB` the first element
 * of each input's window (0 for an input bound whole).
 */
export function binaryWgsl(op: string, broadcast: boolean): string {
  const index = broadcast
    ? /* wgsl */ `
  var rest = i + p.base;
  var ia = 0u;
  var ib = 0u;
  for (var d = ${MAX_RANK - 1}; d >= 0; d--) {
    let dim = p.dims[d / 4][d % 4];
    let coord = rest % dim;
    rest = rest / dim;
    ia += coord * p.sa[d / 4][d % 4];
    ib += coord * p.sb[d / 4][d % 4];
  }
  ia -= p.subA;
  ib -= p.subB;`
    : "\n  let ia = i;\n  let ib = i;";
  const params = broadcast
    ? "struct Params { n: u32, base: u32, subA: u32, subB: u32, dims: array<vec4<u32>, 2>, " +
      "sa: array<vec4<u32>, 2>, sb: array<vec4<u32>, 2> }"
    : "struct Params { n: u32 }";
  return /* wgsl */ `${PRELUDE}
${params}
@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read> as_: array<f32>;
@group(0) @binding(2) var<storage, read> bs: array<f32>;
@group(0) @binding(3) var<storage, read_write> cs: array<f32>;
${MAIN_1D}
  if (i >= p.n) { return; }${index}
  let a = as_[ia];
  let b = bs[ib];
  cs[i] = ${op};
}`;
}
