import assert from "node:assert/strict";
import { cosineLr, stepLr } from "../../training/schedule.ts";
import { assertClose } from "../kernels/util.ts";

/**
 * torch's CosineAnnealingLR stepped as DeepCore does (constructed, counter overwritten with −L, stepped after
 * every iteration), transcribed from torch's recursive `get_lr`; returns the rate used at each iteration.
 */
function simulateCosine(eta0: number, etaMin: number, L: number, E: number, torch: "1.10" | "1.13") {
  const T = L * E;
  const lrs = [eta0];
  let lr = eta0;
  for (let e = 1 - L; lrs.length < T; e++) {
    if (e === 0) lr = torch === "1.10" ? eta0 : lr;
    else if ((((e - 1 - T) % (2 * T)) + 2 * T) % (2 * T) === 0) {
      lr = lr + ((eta0 - etaMin) * (1 - Math.cos(Math.PI / T))) / 2;
    } else {
      lr = ((1 + Math.cos((Math.PI * e) / T)) / (1 + Math.cos((Math.PI * (e - 1)) / T))) * (lr - etaMin) +
        etaMin;
    }
    lrs.push(lr);
  }
  return lrs;
}

/** torch's StepLR stepped as DeepCore does, from its `get_lr`. */
function simulateStep(eta0: number, L: number, stepSize: number, gamma: number, iterations: number) {
  const s = L * stepSize;
  const lrs = [eta0];
  let lr = eta0;
  for (let e = 1 - L; lrs.length < iterations; e++) {
    if (e !== 0 && e % s === 0) lr *= gamma; // Python's float % is zero exactly when fmod (JS %) is
    lrs.push(lr);
  }
  return lrs;
}

Deno.test("cosine schedule: hand-computed values (L = 3, E = 2, η₀ = 0.1, η_min = 0.001)", () => {
  const o = { lr: 0.1, minLr: 0.001, itersPerEpoch: 3, epochs: 2 };
  // T = 6; t < L: 0.001 + 0.099·(1 + cos(π(t−3)/6))/(1 + cos(π/2)); t = 3 resets; t > 3: 0.001 + 0.099·(1 + cos(π(t−3)/6))/2
  const want = [0.1, 0.1495, 0.18573651497465946, 0.1, 0.09336825748732973, 0.07525];
  assertClose(want.map((_, t) => cosineLr(t, o)), want, { atol: 0, rtol: 1e-14, what: "torch 1.10" });
  const newer = { ...o, torch: "1.13" as const };
  assert.equal(cosineLr(3, newer), cosineLr(2, newer));
  // t = 4 scales from lr₃ = lr₂ instead of η₀
  assertClose(
    [cosineLr(4, newer)],
    [0.001 + (0.18573651497465946 - 0.001) * (1 + Math.cos(Math.PI / 6)) / 2],
    {
      rtol: 1e-14,
    },
  );
});

Deno.test("cosine schedule: E = 1 takes torch's other branch at t = 1", () => {
  const o = { lr: 0.1, minLr: 0.001, itersPerEpoch: 4, epochs: 1 };
  // lr₁ = 0.1 + 0.099·(1 − cos(π/4))/2; then lr_t = 0.001 + (lr₁ − 0.001)(1 + cos(π(t−4)/4))/(1 + cos(−3π/4))
  const want = [0.1, 0.1144982143312659, 0.38850714267493636, 0.6625160710186068];
  assertClose(want.map((_, t) => cosineLr(t, o)), want, { atol: 0, rtol: 1e-13, what: "E = 1" });
});

Deno.test("cosine schedule matches torch's recursion over whole runs", () => {
  for (const [L, E] of [[1, 5], [7, 3], [391, 200], [5, 1], [2, 2]] as const) {
    for (const torch of ["1.10", "1.13"] as const) {
      const o = { lr: 0.1, minLr: 1e-4, itersPerEpoch: L, epochs: E, torch };
      const sim = simulateCosine(0.1, 1e-4, L, E, torch);
      // the recursion accumulates rounding over 78 200 steps; training.md measured 4e-11 against torch
      assertClose(sim.map((_, t) => cosineLr(t, o)), sim, {
        atol: 0,
        rtol: 1e-10,
        what: `L=${L} E=${E} ${torch}`,
      });
    }
  }
  // DeepCore's CIFAR-10 run: the last rate is ≈ 1.06e-4 and min_lr is never reached
  const last = cosineLr(391 * 200 - 1, { lr: 0.1, minLr: 1e-4, itersPerEpoch: 391, epochs: 200 });
  assert.ok(Math.abs(last - 1.06e-4) < 5e-7, `last lr ${last}`);
});

Deno.test("StepLR: hand-computed decay points, one epoch late", () => {
  const o = { lr: 0.1, itersPerEpoch: 10, stepSize: 2, gamma: 0.5 };
  // step_size = 20 iterations; counter e = t − 10, decays at e = 20, 40, … → t = 30, 50, …
  const got = [0, 9, 10, 29, 30, 49, 50, 70].map((t) => stepLr(t, o));
  assert.deepEqual(got, [0.1, 0.1, 0.1, 0.1, 0.05, 0.05, 0.025, 0.0125]);
});

Deno.test("StepLR matches torch's stepping, fractional step sizes included", () => {
  for (const [L, stepSize] of [[10, 2], [391, 50], [7, 0.5], [6, 0.3], [3, 1.5], [1, 1]] as const) {
    const n = Math.min(5000, Math.ceil(L * Math.max(stepSize, 1) * 6));
    const sim = simulateStep(0.1, L, stepSize, 0.5, n);
    const o = { lr: 0.1, itersPerEpoch: L, stepSize, gamma: 0.5 };
    assert.deepEqual(sim.map((_, t) => stepLr(t, o)), sim, `L=${L} step=${stepSize}`);
  }
  // a step of half an epoch already decays inside the first epoch (counter −L/2 is a multiple)
  assert.equal(stepLr(4, { lr: 1, itersPerEpoch: 8, stepSize: 0.5, gamma: 0.1 }), 0.1);
});

Deno.test("schedules refuse bad arguments", () => {
  assert.throws(() => cosineLr(-1, { lr: 0.1, minLr: 0, itersPerEpoch: 3, epochs: 2 }), /iteration -1/);
  assert.throws(() => cosineLr(0, { lr: 0.1, minLr: 0, itersPerEpoch: 0, epochs: 2 }), /itersPerEpoch/);
  assert.throws(() => stepLr(0, { lr: 0.1, itersPerEpoch: 3, stepSize: 0, gamma: 0.5 }), /not positive/);
});
