/**
 * Activation kernels. Forward and backward of each pointwise activation are WGSL expressions baked into the
 * elementwise shaders of `elementwise_wgsl.ts` (`y = f(x)` is a unary kernel, `dx = f'(dy, saved)` a binary
 * one), so this file holds only the expressions and the dropout shader, whose keep/drop decision comes from
 * the counter-based Threefry generator of `rng_wgsl.ts`.
 *
 * @module
 */

import { MAIN_1D, PRELUDE } from "./prelude_wgsl.ts";
import { THREEFRY_WGSL } from "./rng_wgsl.ts";

/** A pointwise activation. */
export type Activation = "relu" | "relu6" | "hardswish" | "hardsigmoid" | "sigmoid" | "tanh";

/**
 * The WGSL of each activation: `forward` is an expression of `x`; `backward` an expression of `a` (the
 * incoming gradient dy) and `b` (the saved tensor, the forward's input or output as `saves` says). The
 * formulas are PyTorch's, including the values at the kinks (ReLU's and ReLU6's gradient is 0 at 0 and 6,
 * Hardswish's is x/3 + 1/2 on [−3, 3], Hardsigmoid's is 0 at ±3).
 *
 * @example
 * ```ts
 * import { ACTIVATION_WGSL } from "./activation_wgsl.ts";
 * console.log(ACTIVATION_WGSL.sigmoid.saves); // "output"
 * ```
 */
export const ACTIVATION_WGSL: Record<
  Activation,
  { forward: string; backward: string; saves: "input" | "output" }
> = {
  relu: { forward: "max(x, 0.0)", backward: "select(0.0, a, b > 0.0)", saves: "input" },
  relu6: { forward: "min(max(x, 0.0), 6.0)", backward: "select(0.0, a, b > 0.0 && b < 6.0)", saves: "input" },
  hardswish: {
    forward: "x * min(max(x + 3.0, 0.0), 6.0) / 6.0",
    backward: "select(select(a * (b / 3.0 + 0.5), a, b > 3.0), 0.0, b < -3.0)",
    saves: "input",
  },
  hardsigmoid: {
    forward: "min(max(x + 3.0, 0.0), 6.0) / 6.0",
    backward: "select(0.0, a / 6.0, b > -3.0 && b < 3.0)",
    saves: "input",
  },
  // exp of a non-positive number only: no overflow for any x
  sigmoid: {
    forward: "select(exp(x) / (1.0 + exp(x)), 1.0 / (1.0 + exp(-x)), x >= 0.0)",
    backward: "a * (1.0 - b) * b",
    saves: "output",
  },
  // (1 − t)/(1 + t) with t = e^{−2|x|} never overflows but cancels near 0, where the Taylor series to x⁵
  // is exact to 4e-9 relative (|x| < 1/16)
  tanh: {
    forward: "select(sign(x) * (1.0 - exp(-2.0 * abs(x))) / (1.0 + exp(-2.0 * abs(x))), " +
      "x * (1.0 + x * x * (-1.0 / 3.0 + x * x * (2.0 / 15.0))), abs(x) < 0.0625)",
    backward: "a * (1.0 - b * b)",
    saves: "output",
  },
};

/**
 * Inverted dropout of `xs[0..n)` (also its backward, applied to the gradient): element `start + i` belongs
 * to draw `g = (start + i) / block`, whose uniform `u` is word `g mod 2` of `threefry2x32(key, (g / 2,
 * stream))` as in `rng.ts`'s `randomUniform`; the element is kept, scaled by `scale` = 1/(1 − rate), when
 * `u ≥ rate`, else zeroed. `start` is the window's first element (the buffers are bound from there).
 *
 * @example
 * ```ts
 * import { dropoutWgsl } from "./activation_wgsl.ts";
 * console.log(dropoutWgsl().includes("threefry2x32")); // true
 * ```
 */
export function dropoutWgsl(): string {
  return /* wgsl */ `${PRELUDE}${THREEFRY_WGSL}
struct Params { n: u32, start: u32, block: u32, k0: u32, k1: u32, stream: u32, rate: f32, scale: f32 }
@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read> xs: array<f32>;
@group(0) @binding(2) var<storage, read_write> ys: array<f32>;
${MAIN_1D}
  if (i >= p.n) { return; }
  let g = (p.start + i) / p.block;
  let w = threefry2x32(p.k0, p.k1, g / 2u, p.stream);
  let u = f32(select(w.y, w.x, g % 2u == 0u) >> 8u) * ${2 ** -24};
  ys[i] = select(0.0, xs[i] * p.scale, u >= p.rate);
}`;
}
