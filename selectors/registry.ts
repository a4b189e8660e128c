/**
 * Every selection method by name: what it needs and the function that runs it. The CLI, the experiment
 * pipeline and the conformance tests find methods here; names match case-insensitively.
 *
 * @module
 */

import { contextualDiversity } from "./contextual_diversity.ts";
import { full } from "./full.ts";
import { herding } from "./herding.ts";
import { kCenterGreedy } from "./k_center_greedy.ts";
import { facilityLocation, graphCut, logDeterminant, submodular } from "./submodular.ts";
import type { Selector } from "./types.ts";
import { entropy, leastConfidence, margin } from "./uncertainty.ts";
import { uniform } from "./uniform.ts";

/** A registered method. */
export interface MethodInfo {
  /** Canonical name (DeepCore's spelling). */
  name: string;
  /** Input fields it reads besides `labels` (which `balance` needs). */
  needs: ("features" | "probs")[];
  /** Whether different seeds give different subsets. */
  random: boolean;
  /** Whether it returns scores. */
  scores: boolean;
  /** The selector. */
  select: Selector<any>;
}

/** The methods, in the order DeepCore's paper lists them. */
export const METHODS: readonly MethodInfo[] = [
  { name: "Uniform", needs: [], random: true, scores: false, select: uniform },
  { name: "ContextualDiversity", needs: ["probs"], random: true, scores: false, select: contextualDiversity },
  { name: "Herding", needs: ["features"], random: false, scores: false, select: herding },
  { name: "kCenterGreedy", needs: ["features"], random: true, scores: false, select: kCenterGreedy },
  { name: "LeastConfidence", needs: ["probs"], random: false, scores: true, select: leastConfidence },
  { name: "Entropy", needs: ["probs"], random: false, scores: true, select: entropy },
  { name: "Margin", needs: ["probs"], random: false, scores: true, select: margin },
  { name: "Submodular", needs: ["features"], random: false, scores: false, select: submodular },
  { name: "GraphCut", needs: ["features"], random: false, scores: false, select: graphCut },
  { name: "FacilityLocation", needs: ["features"], random: false, scores: false, select: facilityLocation },
  { name: "LogDeterminant", needs: ["features"], random: false, scores: false, select: logDeterminant },
  { name: "Full", needs: [], random: false, scores: false, select: full },
];

/**
 * The method called `name` (case-insensitive), or an error listing the valid names.
 *
 * @example
 * ```ts
 * import { findMethod } from "./registry.ts";
 * console.log(findMethod("kcentergreedy").name); // "kCenterGreedy"
 * ```
 */
export function findMethod(name: string): MethodInfo {
  const found = METHODS.find((m) => m.name.toLowerCase() === name.toLowerCase());
  if (!found) {
    throw new Error(`unknown selection method '${name}' (valid: ${METHODS.map((m) => m.name).join(", ")})`);
  }
  return found;
}
