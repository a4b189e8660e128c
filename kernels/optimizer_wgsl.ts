/**
 * In-place optimizer updates, one invocation per parameter element: the parameter and its state buffers
 * are bound read-write and overwritten. Every hyper-parameter (learning rate included) and the first-step
 * flag are uniforms, so a schedule changing the learning rate every step reuses the same pipeline.
 *
 * @module
 */

import { MAIN_1D, PRELUDE } from "./prelude_wgsl.ts";

/**
 * PyTorch's SGD step (training.md §2): `g = ∇ + wd·θ`; with momentum, `buf = g` on the first step, else
 * `buf = μ·buf + (1 − dampening)·g`, and the direction is `g + μ·buf` (Nesterov) or `buf`; `θ ← θ − lr·d`.
 * Without momentum (`momentum` false) there is no state buffer and `d = g`. Bindings: grads, params,
 * and (with momentum) the momentum buffer.
 *
 * @example
 * ```ts
 * import { sgdWgsl } from "./optimizer_wgsl.ts";
 * console.log(sgdWgsl(true).includes("bufs")); // true
 * ```
 */
export function sgdWgsl(momentum: boolean): string {
  const state = momentum
    ? /* wgsl */ `
  var b = g;
  if (p.first == 0u) { b = p.mu * bufs[i] + p.omd * g; }
  bufs[i] = b;
  let d = select(b, g + p.mu * b, p.nesterov != 0u);`
    : "\n  let d = g;";
  return /* wgsl */ `${PRELUDE}
struct Params { n: u32, first: u32, nesterov: u32, lr: f32, wd: f32, mu: f32, omd: f32 }
@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read> grads: array<f32>;
@group(0) @binding(2) var<storage, read_write> params: array<f32>;
${momentum ? "@group(0) @binding(3) var<storage, read_write> bufs: array<f32>;" : ""}
${MAIN_1D}
  if (i >= p.n) { return; }
  let theta = params[i];
  let g = grads[i] + p.wd * theta;${state}
  params[i] = theta - p.lr * d;
}`;
}

/**
 * PyTorch's Adam step (L2 variant, training.md §2): `g = ∇ + wd·θ`; `m = β₁m + (1−β₁)g`;
 * `v = β₂v + (1−β₂)g²`; `θ ← θ − stepSize·m / (√v / bc2sqrt + eps)` with `stepSize = lr/(1 − β₁ᵗ)` and
 * `bc2sqrt = √(1 − β₂ᵗ)` computed on the CPU in double precision as PyTorch does. On the first step the old
 * m and v are taken as 0 whatever the buffers hold. Bindings: grads, params, m, v.
 *
 * @example
 * ```ts
 * import { adamWgsl } from "./optimizer_wgsl.ts";
 * console.log(adamWgsl().includes("bc2sqrt")); // true
 * ```
 */
export function adamWgsl(): string {
  return /* wgsl */ `${PRELUDE}
struct Params { n: u32, first: u32, wd: f32, beta1: f32, beta2: f32, omb1: f32, omb2: f32, stepSize: f32,
  bc2sqrt: f32, eps: f32 }
@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read> grads: array<f32>;
@group(0) @binding(2) var<storage, read_write> params: array<f32>;
@group(0) @binding(3) var<storage, read_write> ms: array<f32>;
@group(0) @binding(4) var<storage, read_write> vs: array<f32>;
${MAIN_1D}
  if (i >= p.n) { return; }
  let theta = params[i];
  let g = grads[i] + p.wd * theta;
  let fresh = p.first != 0u;
  let m = select(p.beta1 * ms[i], 0.0, fresh) + p.omb1 * g;
  let v = select(p.beta2 * vs[i], 0.0, fresh) + p.omb2 * g * g;
  ms[i] = m;
  vs[i] = v;
  params[i] = theta - p.stepSize * (m / (sqrt(v) / p.bc2sqrt + p.eps));
}`;
}
