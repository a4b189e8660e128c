/**
 * Results files built in memory for the experiment tests: 3 methods × 3 fractions × 3 experiments with
 * accuracies chosen so that the means and standard deviations are easy to check by hand.
 *
 * @module
 */

import type { ResultsFile, RunRecord } from "../../experiment/results.ts";

export const METHODS = ["Herding", "Uniform", "GraNd"]; // first-seen order; the paper's is Uniform, Herding, GraNd
export const FRACTIONS = [0.1, 0.001, 0.01]; // out of order on purpose

/** Best accuracy (in percent) of `method` at fraction index (ascending) `f` in experiment `e`; 20 ± 1 for others. */
export function best(method: string, f: number, e: number): number {
  const base = { Uniform: [20, 36, 75], Herding: [19, 35, 64], GraNd: [17, 27, 52] }[method] ?? [20, 20, 20];
  return (base[f] ?? 20) + [-1, 0, 1][e] * (method === "GraNd" ? 2 : 1); // std 1, or 2 for GraNd
}

/** A complete run with every field set. */
export function run(
  method: string,
  fraction: number,
  experiment: number,
  extra: Partial<RunRecord> = {},
): RunRecord {
  const f = [0.001, 0.01, 0.1].indexOf(fraction);
  const acc = best(method, f, experiment) / 100;
  return {
    id: `CIFAR10/ResNet18/${method}/${fraction}/exp${experiment}`,
    experiment,
    seed: 1000 + experiment,
    dataset: "CIFAR10",
    model: "ResNet18",
    method,
    fraction,
    budget: Math.round(50000 * fraction),
    options: { selection: method, epochs: 3, lr: 0.1 },
    coreset: {
      size: Math.round(50000 * fraction),
      indicesFile: `coresets/${method}-${fraction}-${experiment}.npy`,
      weighted: false,
      selectionSeconds: 2 + experiment,
    },
    training: {
      seconds: 10 * (experiment + 1),
      history: [1, 2, 3].map((epoch) => ({ epoch, loss: 2 / epoch, accuracy: 0.2 * epoch, lr: 0.1 / epoch })),
      tests: [1, 2, 3].map((epoch) => ({ epoch, accuracy: epoch === 2 ? acc : acc - 0.01, loss: 1.5 })),
    },
    finalAccuracy: acc - 0.01,
    bestAccuracy: acc,
    finished: "2024-05-01T12:00:00.000Z",
    ...extra,
  };
}

/** The 27 runs, grouped by method, then fraction, then experiment. */
export function results(): ResultsFile {
  const runs = METHODS.flatMap((m) => FRACTIONS.flatMap((f) => [0, 1, 2].map((e) => run(m, f, e))));
  return { version: 1, command: "deepcore run --num_exp 3", started: "2024-05-01T10:00:00.000Z", runs };
}
