/**
 * `deepcore select`: pick a coreset from numpy files.
 *
 * @module
 */

import { parseArgs } from "node:util";
import { ready } from "../kernels/runtime/runtime.ts";
import { selectFromFiles } from "../selectors/files.ts";
import { METHODS } from "../selectors/registry.ts";
import { heartbeat } from "../training/progress.ts";

/** Help text of the command. */
export const SELECT_HELP = `Usage:
  deno run -A cli.ts select --method NAME --input FEATURES.npy [--labels LABELS.npy] [--probs PROBS.npy]
                            (--fraction F | --budget K) [--balance] [--seed S] --out INDICES.npy
                            [--greedy Naive|Lazy|Stochastic|ApproximateLazy] [--function GraphCut|...]
                            [--similarity dense|onthefly|knn:K] [--quiet]

Writes INDICES.npy (int64, the kept sample positions in selection order) and INDICES.json; score methods
also write INDICES.scores.npy. Methods (case-insensitive): ${METHODS.map((m) => m.name).join(", ")}.
Probability methods read --probs, or --input when --probs is absent. While the GPU works, the elapsed time
goes to stderr (every second on a terminal, every 30 s otherwise; --quiet: nothing).`;

const GREEDY = ["NaiveGreedy", "LazyGreedy", "StochasticGreedy", "ApproximateLazyGreedy"];
const FUNCTIONS = ["GraphCut", "FacilityLocation", "LogDeterminant"];

/** `text` matched case-insensitively against `valid` (also without `suffix`: "Lazy" = "LazyGreedy"). */
function choose(name: string, text: string, valid: string[], suffix: string): string {
  const found = valid.find((v) =>
    [v, v.slice(0, v.length - suffix.length)].some((w) => w.toLowerCase() === text.toLowerCase())
  );
  if (!found) throw new Error(`--${name}: '${text}' is not one of ${valid.join(", ")}`);
  return found;
}

function number(name: string, text: string | undefined, integer: boolean): number | undefined {
  if (text === undefined) return undefined;
  const value = Number(text);
  if (text.trim() === "" || !Number.isFinite(value) || (integer && !Number.isInteger(value))) {
    throw new Error(`--${name}: expected ${integer ? "an integer" : "a number"}, got '${text}'`);
  }
  return value;
}

/** Runs `select` with its arguments (after the command name); returns the exit code. */
export async function selectCommand(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    strict: true,
    options: {
      method: { type: "string" },
      input: { type: "string" },
      labels: { type: "string" },
      probs: { type: "string" },
      fraction: { type: "string" },
      budget: { type: "string" },
      balance: { type: "boolean" },
      seed: { type: "string" },
      greedy: { type: "string" },
      function: { type: "string" },
      similarity: { type: "string" },
      out: { type: "string" },
      quiet: { type: "boolean" },
      debug: { type: "boolean" },
      help: { type: "boolean", short: "h" },
    },
  });
  if (values.help) {
    console.log(SELECT_HELP);
    return 0;
  }
  if (!values.method) throw new Error("select: --method is required (see `select --help`)");
  if (!values.out) throw new Error("select: --out INDICES.npy is required");
  const fraction = number("fraction", values.fraction, false);
  const budget = number("budget", values.budget, true);
  if ((fraction === undefined) === (budget === undefined)) {
    throw new Error("select: give exactly one of --fraction F and --budget K");
  }
  const seed = number("seed", values.seed, true) ?? 0;
  const extra: Record<string, unknown> = {};
  if (values.greedy) extra.greedy = choose("greedy", values.greedy, GREEDY, "Greedy");
  if (values.function) extra.function = choose("function", values.function, FUNCTIONS, "");
  if (values.similarity) {
    const knn = /^knn:(\d+)$/i.exec(values.similarity);
    extra.similarity = knn
      ? { knn: Number(knn[1]) }
      : choose("similarity", values.similarity, ["dense", "onthefly"], "");
  }
  await ready();
  if (!values.quiet) console.error(`selecting with ${values.method}…`);
  const beat = heartbeat(`selecting with ${values.method}…`, { quiet: values.quiet });
  const result = await selectFromFiles({
    method: values.method,
    input: values.input,
    labels: values.labels,
    probs: values.probs,
    out: values.out,
    options: {
      ...(fraction !== undefined ? { fraction } : { budget }),
      balance: values.balance ?? false,
      seed,
      ...extra,
    },
  }).finally(() => beat.stop());
  console.log(
    `${result.method}: kept ${result.indices.length} of ${result.n} samples in ${
      result.seconds.toFixed(2)
    } s` +
      `\nwrote ${result.written.join(", ")}`,
  );
  return 0;
}
