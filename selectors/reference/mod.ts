/**
 * The plain TypeScript reference selectors: the statement of each method's maths that the GPU selectors
 * are tested against, pick for pick. They take `{ data, rows, cols }` matrices only.
 *
 * @module
 */

export { contextualDiversity, type ContextualDiversityOptions } from "./contextual_diversity.ts";
export { full } from "./full.ts";
export { herding } from "./herding.ts";
export { kCenterGreedy } from "./k_center_greedy.ts";
export { submodular, type SubmodularOptions } from "./submodular.ts";
export { entropy, type EntropyOptions, leastConfidence, margin } from "./uncertainty.ts";
export { uniform } from "./uniform.ts";
