/**
 * Batch-norm kernels over an NCHW input viewed as [N, C, S] (S = H·W; S = 1 for BatchNorm1d on [N, C]).
 * Channel c's M = N·S values are in m-order m = n·S + s at address (n·C + c)·S + s.
 *
 * No workgroup memory (it compiles for tens of seconds on llvmpipe): per-channel statistics take two
 * dispatches. A chunk pass gives one invocation to each (channel, chunk of `CHUNK` consecutive m) and
 * writes a partial result; a combine pass gives one invocation to each channel, which folds that channel's
 * partials. Summation is blocked everywhere — runs of 32 terms summed into a local that is then added to
 * the total — so a rounding error passes through ≈ 32 + len/32 additions instead of len.
 *
 * Statistics are numerically careful: a chunk computes its mean in two passes over its (cache-hot) values,
 * the first shifted by the chunk's first value, the second summing d = x − μ_b and d² and correcting with
 * Σd (the "corrected two-pass" algorithm of Chan, Golub and LeVeque), so M2_b = Σd² − (Σd)²/n_b; the
 * combine computes μ = Σ n_b μ_b / M and then M2 = Σ M2_b + n_b (μ_b − μ)² (Chan's parallel variance).
 *
 * Inputs larger than one storage binding are processed in windows of whole samples: `off` is the bound
 * window's offset from the binding start (the window starts on a 256-byte boundary at or before sample
 * n0), and partials of window w start at chunk `P` of each channel's `B` partials.
 *
 * @module
 */

import { MAIN_1D, PRELUDE } from "./prelude_wgsl.ts";

/** Values of one channel a chunk-pass invocation reduces. */
export const CHUNK = 512;

const CHUNK_PARAMS = "struct Params { n: u32, C: u32, S: u32, Mw: u32, Bw: u32, B: u32, P: u32, off: u32 }";

/**
 * WGSL `chunk_sum(c, m0, m1, shift) -> vec2<f32>`: the blocked sum over m ∈ [m0, m1) of channel c of the
 * pair `term`, a WGSL expression of the element address `at` and `shift`. Walks addresses incrementally
 * (one division per chunk, none per element).
 */
function chunkSum(term: string): string {
  return /* wgsl */ `
fn chunk_sum(c: u32, m0: u32, m1: u32, shift: f32) -> vec2<f32> {
  var s = m0 % p.S;
  var at = ((m0 / p.S) * p.C + c) * p.S + s + p.off;
  let jump = (p.C - 1u) * p.S;
  var total = vec2<f32>(0.0);
  var m = m0;
  while (m < m1) {
    let end = min(m + 32u, m1);
    var run = vec2<f32>(0.0);
    for (; m < end; m++) {
      run += ${term};
      at++;
      s++;
      if (s == p.S) { s = 0u; at += jump; }
    }
    total += run;
  }
  return total;
}`;
}

/** The chunk pass's prologue: channel c, chunk b of this window, its m range and element count. */
const CHUNK_HEAD = /* wgsl */ `
  if (i >= p.n) { return; }
  let c = i / p.Bw;
  let b = i % p.Bw;
  let m0 = b * ${CHUNK}u;
  let m1 = min(m0 + ${CHUNK}u, p.Mw);
  let count = f32(m1 - m0);
  let slot = c * p.B + p.P + b;`;

/**
 * Chunk pass of the statistics: partial `(n_b, μ_b, M2_b)` of each (channel, chunk) at
 * `parts[3·(c·B + P + b) ..]`. Bindings: x, parts.
 *
 * @example
 * ```ts
 * import { bnChunkStatsWgsl } from "./batchnorm_wgsl.ts";
 * console.log(bnChunkStatsWgsl().includes("chunk_sum")); // true
 * ```
 */
export function bnChunkStatsWgsl(): string {
  return /* wgsl */ `${PRELUDE}
${CHUNK_PARAMS}
@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read> xs: array<f32>;
@group(0) @binding(2) var<storage, read_write> parts: array<f32>;
${chunkSum("vec2<f32>(xs[at] - shift, (xs[at] - shift) * (xs[at] - shift))")}
${MAIN_1D}${CHUNK_HEAD}
  let x0 = xs[((m0 / p.S) * p.C + c) * p.S + m0 % p.S + p.off];
  let mu = x0 + chunk_sum(c, m0, m1, x0).x / count;
  let d = chunk_sum(c, m0, m1, mu);
  parts[3u * slot] = count;
  parts[3u * slot + 1u] = mu + d.x / count;
  parts[3u * slot + 2u] = max(d.y - d.x * d.x / count, 0.0);
}`;
}

/**
 * Combine pass of the statistics, one invocation per channel: the batch mean and 1/√(biased var + eps),
 * and, when `update` is 1, the running statistics updated in place with momentum:
 * `running = (1 − momentum)·running + momentum·batch`, the running variance taking the unbiased batch
 * variance M2/(M − 1) as PyTorch does. Bindings: parts, mean, invstd, runningMean, runningVar.
 *
 * @example
 * ```ts
 * import { bnCombineStatsWgsl } from "./batchnorm_wgsl.ts";
 * console.log(bnCombineStatsWgsl().includes("runningVar")); // true
 * ```
 */
export function bnCombineStatsWgsl(): string {
  return /* wgsl */ `${PRELUDE}
struct Params { C: u32, B: u32, M: f32, eps: f32, momentum: f32, update: u32 }
@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read> parts: array<f32>;
@group(0) @binding(2) var<storage, read_write> mean: array<f32>;
@group(0) @binding(3) var<storage, read_write> invstd: array<f32>;
@group(0) @binding(4) var<storage, read_write> runningMean: array<f32>;
@group(0) @binding(5) var<storage, read_write> runningVar: array<f32>;
${MAIN_1D}
  if (i >= p.C) { return; }
  let first = 3u * i * p.B;
  // shifted by the first chunk's mean, the sum holds only the chunks' small deviations
  let shift = parts[first + 1u];
  var total = 0.0;
  for (var b = 0u; b < p.B; b += 32u) {
    var run = 0.0;
    for (var k = b; k < min(b + 32u, p.B); k++) {
      run += parts[first + 3u * k] * (parts[first + 3u * k + 1u] - shift);
    }
    total += run;
  }
  let mu = shift + total / p.M;
  var m2 = 0.0;
  for (var b = 0u; b < p.B; b += 32u) {
    var run = 0.0;
    for (var k = b; k < min(b + 32u, p.B); k++) {
      let at = first + 3u * k;
      let d = parts[at + 1u] - mu;
      run += parts[at + 2u] + parts[at] * d * d;
    }
    m2 += run;
  }
  mean[i] = mu;
  invstd[i] = inverseSqrt(m2 / p.M + p.eps);
  if (p.update != 0u) {
    runningMean[i] = p.momentum * mu + (1.0 - p.momentum) * runningMean[i];
    runningVar[i] = p.momentum * (m2 / (p.M - 1.0)) + (1.0 - p.momentum) * runningVar[i];
  }
}`;
}

/**
 * `invstd[c] = 1/√(var[c] + eps)`, for evaluation mode from the running variance. Bindings: var, invstd.
 *
 * @example
 * ```ts
 * import { bnInvstdWgsl } from "./batchnorm_wgsl.ts";
 * console.log(bnInvstdWgsl().includes("inverseSqrt")); // true
 * ```
 */
export function bnInvstdWgsl(): string {
  return /* wgsl */ `${PRELUDE}
struct Params { C: u32, eps: f32 }
@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read> vars: array<f32>;
@group(0) @binding(2) var<storage, read_write> invstd: array<f32>;
${MAIN_1D}
  if (i >= p.C) { return; }
  invstd[i] = inverseSqrt(vars[i] + p.eps);
}`;
}

/** Channel of flat element `start + i` of a window (the prologue of the elementwise kernels). */
const CHANNEL = /* wgsl */ `
  if (i >= p.n) { return; }
  let c = ((p.start + i) / p.S) % p.C;`;

/**
 * `y = (x − mean[c])·invstd[c]·γ[c] + β[c]` elementwise over a window of `n` elements starting at flat
 * element `start`. Bindings: x, mean, invstd, gamma, beta, y.
 *
 * @example
 * ```ts
 * import { bnNormalizeWgsl } from "./batchnorm_wgsl.ts";
 * console.log(bnNormalizeWgsl().includes("gamma[c]")); // true
 * ```
 */
export function bnNormalizeWgsl(): string {
  return /* wgsl */ `${PRELUDE}
struct Params { n: u32, start: u32, C: u32, S: u32 }
@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read> xs: array<f32>;
@group(0) @binding(2) var<storage, read> mean: array<f32>;
@group(0) @binding(3) var<storage, read> invstd: array<f32>;
@group(0) @binding(4) var<storage, read> gamma: array<f32>;
@group(0) @binding(5) var<storage, read> beta: array<f32>;
@group(0) @binding(6) var<storage, read_write> ys: array<f32>;
${MAIN_1D}${CHANNEL}
  ys[i] = (xs[i] - mean[c]) * invstd[c] * gamma[c] + beta[c];
}`;
}

/**
 * Chunk pass of the backward: partial `(Σ dy, Σ dy·(x − mean[c]))` of each (channel, chunk) at
 * `parts[2·(c·B + P + b) ..]`. Bindings: x, dy, mean, parts.
 *
 * @example
 * ```ts
 * import { bnChunkGradWgsl } from "./batchnorm_wgsl.ts";
 * console.log(bnChunkGradWgsl().includes("dys[at]")); // true
 * ```
 */
export function bnChunkGradWgsl(): string {
  return /* wgsl */ `${PRELUDE}
${CHUNK_PARAMS}
@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read> xs: array<f32>;
@group(0) @binding(2) var<storage, read> dys: array<f32>;
@group(0) @binding(3) var<storage, read> mean: array<f32>;
@group(0) @binding(4) var<storage, read_write> parts: array<f32>;
${chunkSum("vec2<f32>(dys[at], dys[at] * (xs[at] - shift))")}
${MAIN_1D}${CHUNK_HEAD}
  let sums = chunk_sum(c, m0, m1, mean[c]);
  parts[2u * slot] = sums.x;
  parts[2u * slot + 1u] = sums.y;
}`;
}

/**
 * Combine pass of the backward, one invocation per channel: `dβ = Σ dy`, `dγ = invstd·Σ dy·(x − mean)`
 * (= Σ dy·x̂). Bindings: parts, invstd, dgamma, dbeta.
 *
 * @example
 * ```ts
 * import { bnCombineGradWgsl } from "./batchnorm_wgsl.ts";
 * console.log(bnCombineGradWgsl().includes("dgamma[i]")); // true
 * ```
 */
export function bnCombineGradWgsl(): string {
  return /* wgsl */ `${PRELUDE}
struct Params { C: u32, B: u32 }
@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read> parts: array<f32>;
@group(0) @binding(2) var<storage, read> invstd: array<f32>;
@group(0) @binding(3) var<storage, read_write> dgamma: array<f32>;
@group(0) @binding(4) var<storage, read_write> dbeta: array<f32>;
${MAIN_1D}
  if (i >= p.C) { return; }
  let first = 2u * i * p.B;
  var total = vec2<f32>(0.0);
  for (var b = 0u; b < p.B; b += 32u) {
    var run = vec2<f32>(0.0);
    for (var k = b; k < min(b + 32u, p.B); k++) {
      run += vec2<f32>(parts[first + 2u * k], parts[first + 2u * k + 1u]);
    }
    total += run;
  }
  dbeta[i] = total.x;
  dgamma[i] = total.y * invstd[i];
}`;
}

/**
 * The input gradient over a window of `n` elements starting at flat element `start`. Training mode (batch
 * statistics, which depend on x): `dx = (dy − dβ/M − x̂·dγ/M)·invstd·γ` with `x̂ = (x − mean)·invstd`;
 * bindings x, dy, mean, invstd, gamma, dgamma, dbeta, dx. Evaluation mode (running statistics, constants):
 * `dx = dy·invstd·γ`; bindings dy, invstd, gamma, dx.
 *
 * @example
 * ```ts
 * import { bnDxWgsl } from "./batchnorm_wgsl.ts";
 * console.log(bnDxWgsl(false).includes("dgamma")); // false
 * ```
 */
export function bnDxWgsl(training: boolean): string {
  const bindings = training
    ? ["xs", "dys", "mean", "invstd", "gamma", "dgamma", "dbeta"]
    : ["dys", "invstd", "gamma"];
  const decls = bindings.map((name, k) =>
    `@group(0) @binding(${k + 1}) var<storage, read> ${name}: array<f32>;`
  );
  const body = training
    ? `let xhat = (xs[i] - mean[c]) * invstd[c];
  dx[i] = (dys[i] - dbeta[c] * p.invM - xhat * dgamma[c] * p.invM) * invstd[c] * gamma[c];`
    : "dx[i] = dys[i] * invstd[c] * gamma[c];";
  return /* wgsl */ `${PRELUDE}
struct Params { n: u32, start: u32, C: u32, S: u32, invM: f32 }
@group(0) @binding(0) var<uniform> p: Params;
${decls.join("\n")}
@group(0) @binding(${bindings.length + 1}) var<storage, read_write> dx: array<f32>;
${MAIN_1D}${CHANNEL}
  ${body}
}`;
}
