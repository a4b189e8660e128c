/**
 * Learning-rate schedules of DeepCore's coreset training (training.md §3), stepped per iteration: the
 * learning rate used at global iteration t = epoch·L + i (t = 0, 1, …; L batches per epoch). Plain
 * TypeScript, no GPU: the optimizers take the rate as a per-call parameter.
 *
 * `cosineLr` and `stepLr` reproduce DeepCore's quirk: main.py sets the scheduler's counter to −L right
 * after constructing it, so the counter at iteration t is e = t − L and every schedule starts one epoch
 * late (the first epoch runs at about η₀; with one epoch the rate even climbs above η₀). `annealedLr` is
 * the cosine annealing DeepCore meant — from η₀ at t = 0 down towards η_min over the E·L iterations — and
 * is what deepcore's experiments use (docs/deviations.md).
 *
 * @module
 */

/** Options of `cosineLr` (torch's CosineAnnealingLR with T_max = L·E, as DeepCore constructs it). */
export interface CosineOptions {
  /** Initial learning rate η₀ (`--lr`). */
  lr: number;
  /** η_min (`--min_lr`). */
  minLr: number;
  /** L, training batches per epoch: ⌈|coreset| / batch⌉. */
  itersPerEpoch: number;
  /** E, epochs (`--epochs`). */
  epochs: number;
  /**
   * Which torch's behaviour at t = L, where the counter reaches 0: "1.10" (the version DeepCore pins, and
   * the default) resets the rate to exactly η₀; "1.13" and later keep the previous rate. The two differ by
   * at most 0.0062 % of η₀ for E = 200.
   */
  torch?: "1.10" | "1.13";
}

/** Options of `stepLr` (torch's StepLR with step_size = L·`stepSize`, as DeepCore constructs it). */
export interface StepLrOptions {
  /** Initial learning rate η₀ (`--lr`). */
  lr: number;
  /** L, training batches per epoch. */
  itersPerEpoch: number;
  /** Epochs between decays (`--step_size`, default 50; may be fractional). */
  stepSize: number;
  /** Decay factor (`--gamma`, default 0.5). */
  gamma: number;
}

/**
 * The learning rate at iteration t under DeepCore's cosine schedule, in torch's closed form (training.md
 * §3.1; torch computes it recursively, the closed form agrees to ~1e-11 relative): with T = L·E,
 * * t = 0: η₀;
 * * 0 < t < L: η_min + (η₀ − η_min)·(1 + cos(π(t − L)/T)) / (1 + cos(πL/T)) (rises very slightly);
 * * t = L: η₀ (torch 1.10) or the rate at t = L − 1 (torch ≥ 1.13);
 * * t > L: η_min + (lr_L − η_min)·(1 + cos(π(t − L)/T)) / 2.
 *
 * With E = 1 (T = L) another branch of torch's recursion fires at t = 1 (lr₁ = η₀ + (η₀ − η_min)(1 −
 * cos(π/T))/2) and the rates that follow scale from lr₁ — rising far above η₀ (to ≈ 6.6·η₀ at t = 3 for
 * L = 4) — which is what DeepCore does with one epoch; that case is reproduced too. The rate DeepCore logs
 * for epoch k is the one after the epoch's last step, `cosineLr((k + 1)·L, options)`.
 *
 * @example
 * ```ts
 * import { cosineLr } from "./schedule.ts";
 * const o = { lr: 0.1, minLr: 1e-4, itersPerEpoch: 391, epochs: 200 };
 * console.log(cosineLr(0, o), cosineLr(391 * 200 - 1, o)); // 0.1 ≈1.06e-4
 * ```
 */
export function cosineLr(t: number, options: CosineOptions): number {
  const { lr: eta0, minLr, itersPerEpoch: L, epochs: E, torch = "1.10" } = options;
  checkIteration(t);
  checkPositiveInteger(L, "itersPerEpoch");
  checkPositiveInteger(E, "epochs");
  const T = L * E;
  const cosine = (e: number) => 1 + Math.cos((Math.PI * e) / T);
  // the rate at iteration t < L, scaled from an anchor iteration (counter value e = t − L)
  let first = (u: number) => minLr + ((eta0 - minLr) * cosine(u - L)) / cosine(-L);
  if (E === 1) {
    const lr1 = eta0 + ((eta0 - minLr) * (1 - Math.cos(Math.PI / T))) / 2;
    first = (u: number) => (u === 1 ? lr1 : minLr + ((lr1 - minLr) * cosine(u - L)) / cosine(1 - L));
  }
  if (t === 0) return eta0;
  if (t < L) return first(t);
  const lrL = torch === "1.10" || L === 1 ? eta0 : first(L - 1);
  if (t === L) return lrL;
  return minLr + ((lrL - minLr) * cosine(t - L)) / 2;
}

/**
 * The learning rate at iteration t under DeepCore's StepLR schedule: η₀·γᵏ where k counts the decays so
 * far, one at each iteration u ≤ t whose counter e = u − L is non-zero and a multiple of step_size = L·
 * `stepSize` (torch's test `e % step_size == 0`, float modulo). So the first decay comes after
 * `stepSize` + 1 epochs. γ is applied by repeated multiplication, as torch does.
 *
 * @example
 * ```ts
 * import { stepLr } from "./schedule.ts";
 * const o = { lr: 0.1, itersPerEpoch: 10, stepSize: 50, gamma: 0.5 };
 * console.log(stepLr(509, o), stepLr(510, o), stepLr(1010, o)); // 0.1 0.05 0.025
 * ```
 */
export function stepLr(t: number, options: StepLrOptions): number {
  const { lr, itersPerEpoch: L, stepSize, gamma } = options;
  checkIteration(t);
  checkPositiveInteger(L, "itersPerEpoch");
  const s = L * stepSize;
  if (!(s > 0)) throw new RangeError(`StepLR step size ${stepSize} epochs is not positive`);
  // counters run over [1 − L, t − L]; only exact multiples of s (fmod = 0, as in Python) decay
  // (an integer e is such a multiple only if e = round(k·s) for an integer k)
  const decays = new Set<number>();
  for (let k = Math.ceil((1 - L) / s) - 1; k <= Math.floor((t - L) / s) + 1; k++) {
    const e = Math.round(k * s);
    if (e >= 1 - L && e <= t - L && e !== 0 && e % s === 0) decays.add(e);
  }
  let rate = lr;
  for (let k = 0; k < decays.size; k++) rate *= gamma;
  return rate;
}

function checkIteration(t: number): void {
  if (!Number.isInteger(t) || t < 0) throw new RangeError(`iteration ${t} is not an integer ≥ 0`);
}

function checkPositiveInteger(v: number, name: string): void {
  if (!Number.isInteger(v) || v < 1) throw new RangeError(`${name} ${v} is not a positive integer`);
}

/**
 * Cosine annealing without DeepCore's one-epoch shift: η_min + (η₀ − η_min)·(1 + cos(πt/T))/2 with
 * T = L·E, so iteration 0 uses η₀ and the last one (t = T − 1) just above η_min.
 *
 * @example
 * ```ts
 * import { annealedLr } from "./schedule.ts";
 * const o = { lr: 0.1, minLr: 0, itersPerEpoch: 10, epochs: 2 };
 * console.log(annealedLr(0, o), annealedLr(10, o)); // 0.1 0.05
 * ```
 */
export function annealedLr(t: number, options: Omit<CosineOptions, "torch">): number {
  const { lr, minLr, itersPerEpoch: L, epochs: E } = options;
  checkIteration(t);
  checkPositiveInteger(L, "itersPerEpoch");
  checkPositiveInteger(E, "epochs");
  return minLr + ((lr - minLr) * (1 + Math.cos((Math.PI * t) / (L * E)))) / 2;
}
