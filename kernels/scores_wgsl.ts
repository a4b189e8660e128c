/**
 * Per-sample uncertainty scores from class probabilities, one invocation per row (rows are short: C is
 * the number of classes).
 *
 * @module
 */

import { MAIN_1D, PRELUDE } from "./prelude_wgsl.ts";

/** The uncertainty scores; lower always means more uncertain. */
export type UncertaintyKind = "LeastConfidence" | "Entropy" | "Margin";

/** score[i] from row i of probs [n, c]: max p; Σ p·ln(p + eps) over p > 0; or p₍₁₎ − p₍₂₎. */
export function uncertaintyWgsl(kind: UncertaintyKind): string {
  const body = {
    LeastConfidence: "var s = -3.4e38;\n  for (var j = 0u; j < p.c; j++) { s = max(s, probs[at + j]); }",
    Entropy: "var s = 0.0;\n  for (var j = 0u; j < p.c; j++) {\n" +
      "    let q = probs[at + j];\n    if (q > 0.0) { s += q * log(q + p.eps); }\n  }",
    Margin: "var first = -3.4e38;\n  var second = -3.4e38;\n  for (var j = 0u; j < p.c; j++) {\n" +
      "    let q = probs[at + j];\n    if (q > first) { second = first; first = q; } else if (q > second) { second = q; }\n" +
      "  }\n  let s = first - second;",
  }[kind];
  return /* wgsl */ `${PRELUDE}
struct Params { n: u32, c: u32, eps: f32 }
@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read> probs: array<f32>;
@group(0) @binding(2) var<storage, read_write> scores: array<f32>;
${MAIN_1D}
  if (i >= p.n) { return; }
  let at = i * p.c;
  ${body}
  scores[i] = s;
}`;
}
