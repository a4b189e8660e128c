/**
 * DeepCore's `--selection` names resolved to deepcore's selectors: `Uncertainty` takes its score from
 * `--uncertainty` and `Submodular` its function and optimiser from `--submodular` and
 * `--submodular_greedy`, and their runs are labelled with the variant ("Uncertainty-Entropy") so that
 * variants never share a result row. Every other name is a registered method.
 *
 * @module
 */

import { findMethod, type MethodInfo, METHODS } from "../selectors/registry.ts";
import type { ExperimentConfig } from "./options.ts";

/** A method as an experiment runs it. */
export interface ResolvedSelection {
  /** The run's method label (results rows). */
  label: string;
  /** The selector. */
  info: MethodInfo;
  /** Options the selector gets besides fraction, balance and seed. */
  options: Record<string, unknown>;
}

/** Every `--selection` value the harness accepts: DeepCore's class names and deepcore's method names. */
export function selectionNames(): string[] {
  return ["Uncertainty", ...METHODS.map((m) => m.name)];
}

/**
 * Resolves one `--selection` value under `config`.
 *
 * @example
 * ```ts
 * import { parseExperimentArgs } from "./options.ts";
 * import { resolveSelection } from "./methods.ts";
 * const config = parseExperimentArgs(["--uncertainty", "Margin"]);
 * console.log(resolveSelection("Uncertainty", config).label); // "Uncertainty-Margin"
 * ```
 */
export function resolveSelection(name: string, config: ExperimentConfig): ResolvedSelection {
  if (name.toLowerCase() === "uncertainty") {
    return { label: `Uncertainty-${config.uncertainty}`, info: findMethod(config.uncertainty), options: {} };
  }
  if (name.toLowerCase() === "submodular") {
    return {
      label: `Submodular-${config.submodular}`,
      info: findMethod("Submodular"),
      options: { function: config.submodular, greedy: config.submodular_greedy },
    };
  }
  const info = findMethod(name);
  const submodularFamily = ["GraphCut", "FacilityLocation", "LogDeterminant"].includes(info.name);
  return { label: info.name, info, options: submodularFamily ? { greedy: config.submodular_greedy } : {} };
}
