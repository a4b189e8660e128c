/**
 * The experiment's options: DeepCore's command-line options (cli.md) with their defaults, aliases and
 * checks, and the parser that turns arguments into an `ExperimentConfig`. Names match with `_` or `-`
 * (`--selection_epochs`, `--selection-epochs`, `-se`), option *values* that name things (datasets,
 * models, methods, schedulers) match case-insensitively, and an invalid value is refused with the list of
 * valid ones.
 *
 * Deviations from DeepCore's CLI (docs/deviations.md): `--selection` and `--fraction` take
 * comma-separated lists (one invocation runs every method × fraction and shares the selection model);
 * every experiment gets its own seed, `--seed + experiment`; the default `--selection` is `Uniform`
 * (DeepCore's default `uniform` fails); `--resume` is a flag that continues the run in `--save_path`;
 * booleans also accept the bare flag (`--balance` = `--balance true`).
 *
 * @module
 */

/** One option's definition. */
interface OptionSpec {
  /** Canonical name (DeepCore's, with underscores). */
  name: string;
  /** Short or alternative names, without dashes. */
  aliases?: string[];
  type: "string" | "int" | "float" | "bool" | "list" | "floatlist";
  default: unknown;
  group: string;
  help: string;
  /** Allowed values (matched case-insensitively, returned in this spelling). */
  choices?: () => readonly string[];
}

/** The valid values of the name-like options, filled in by the pipeline (datasets, models, methods). */
export const CHOICES: {
  datasets: readonly string[];
  models: readonly string[];
  selections: readonly string[];
} = { datasets: [], models: [], selections: [] };

const SCHEDULERS = ["CosineAnnealingLR", "StepLR", "None"];
const OPTIMIZERS = ["SGD", "Adam"];
const SUBMODULAR = ["GraphCut", "FacilityLocation", "LogDeterminant"];
const GREEDY = ["NaiveGreedy", "LazyGreedy", "StochasticGreedy", "ApproximateLazyGreedy"];
const UNCERTAINTY = ["LeastConfidence", "Entropy", "Margin"];

const SPECS: OptionSpec[] = [
  {
    name: "dataset",
    type: "string",
    default: "MNIST",
    group: "Basic",
    help: "dataset",
    choices: () => CHOICES.datasets,
  },
  {
    name: "model",
    type: "string",
    default: "LeNet",
    group: "Basic",
    help: "network",
    choices: () => CHOICES.models,
  },
  {
    name: "selection",
    type: "list",
    default: ["Uniform"],
    group: "Basic",
    help: "selection methods, comma-separated",
    choices: () => CHOICES.selections,
  },
  {
    name: "fraction",
    type: "floatlist",
    default: [0.1],
    group: "Basic",
    help: "coreset fractions in (0, 1], comma-separated",
  },
  {
    name: "num_exp",
    type: "int",
    default: 5,
    group: "Basic",
    help: "experiments (each with seed + its index)",
  },
  { name: "epochs", type: "int", default: 200, group: "Basic", help: "training epochs on the coreset" },
  { name: "data_path", type: "string", default: "data", group: "Basic", help: "dataset root folder" },
  { name: "seed", type: "int", default: 0, group: "Basic", help: "base seed; experiment e uses seed + e" },
  {
    name: "cross",
    type: "list",
    default: [],
    group: "Basic",
    help: "more networks to train on each coreset",
    choices: () => CHOICES.models,
  },
  {
    name: "print_freq",
    aliases: ["p"],
    type: "int",
    default: 20,
    group: "Basic",
    help: "accepted for compatibility; progress is timed",
  },
  {
    name: "optimizer",
    type: "string",
    default: "SGD",
    group: "Optimizer",
    help: "SGD or Adam",
    choices: () => OPTIMIZERS,
  },
  { name: "lr", type: "float", default: 0.1, group: "Optimizer", help: "initial learning rate" },
  { name: "min_lr", type: "float", default: 1e-4, group: "Optimizer", help: "cosine schedule floor" },
  { name: "momentum", type: "float", default: 0.9, group: "Optimizer", help: "SGD momentum" },
  {
    name: "weight_decay",
    aliases: ["wd"],
    type: "float",
    default: 5e-4,
    group: "Optimizer",
    help: "L2 weight decay",
  },
  { name: "nesterov", type: "bool", default: true, group: "Optimizer", help: "Nesterov momentum" },
  {
    name: "scheduler",
    type: "string",
    default: "CosineAnnealingLR",
    group: "Optimizer",
    help: "learning-rate schedule",
    choices: () => SCHEDULERS,
  },
  { name: "gamma", type: "float", default: 0.5, group: "Optimizer", help: "StepLR decay factor" },
  { name: "step_size", type: "float", default: 50, group: "Optimizer", help: "StepLR period in epochs" },
  {
    name: "batch",
    aliases: ["batch_size", "b"],
    type: "int",
    default: 256,
    group: "Batch sizes",
    help: "default of both batch sizes",
  },
  {
    name: "train_batch",
    aliases: ["tb"],
    type: "int",
    default: null,
    group: "Batch sizes",
    help: "training and test batch (default --batch)",
  },
  {
    name: "selection_batch",
    aliases: ["sb"],
    type: "int",
    default: null,
    group: "Batch sizes",
    help: "selection batch (default --batch)",
  },
  {
    name: "test_interval",
    aliases: ["ti"],
    type: "int",
    default: 1,
    group: "Testing",
    help: "test every N epochs; 0 never",
  },
  {
    name: "selection_epochs",
    aliases: ["se"],
    type: "int",
    default: 40,
    group: "Selection",
    help: "pre-training epochs of the selection model",
  },
  {
    name: "selection_momentum",
    aliases: ["sm"],
    type: "float",
    default: 0.9,
    group: "Selection",
    help: "pre-training momentum",
  },
  {
    name: "selection_weight_decay",
    aliases: ["swd"],
    type: "float",
    default: 5e-4,
    group: "Selection",
    help: "pre-training weight decay",
  },
  {
    name: "selection_optimizer",
    aliases: ["so"],
    type: "string",
    default: "SGD",
    group: "Selection",
    help: "pre-training optimizer",
    choices: () => OPTIMIZERS,
  },
  {
    name: "selection_nesterov",
    aliases: ["sn"],
    type: "bool",
    default: true,
    group: "Selection",
    help: "pre-training Nesterov",
  },
  {
    name: "selection_lr",
    aliases: ["slr"],
    type: "float",
    default: 0.1,
    group: "Selection",
    help: "pre-training learning rate (constant)",
  },
  { name: "balance", type: "bool", default: true, group: "Selection", help: "select per class" },
  {
    name: "submodular",
    type: "string",
    default: "GraphCut",
    group: "Method",
    help: "Submodular's function",
    choices: () => SUBMODULAR,
  },
  {
    name: "submodular_greedy",
    type: "string",
    default: "LazyGreedy",
    group: "Method",
    help: "Submodular's optimiser",
    choices: () => GREEDY,
  },
  {
    name: "uncertainty",
    type: "string",
    default: "Entropy",
    group: "Method",
    help: "Uncertainty's score",
    choices: () => UNCERTAINTY,
  },
  {
    name: "save_path",
    aliases: ["sp"],
    type: "string",
    default: "",
    group: "Output",
    help: "folder for results, coresets, checkpoints",
  },
  {
    name: "resume",
    aliases: ["r"],
    type: "bool",
    default: false,
    group: "Output",
    help: "continue the run in --save_path",
  },
  {
    name: "checkpoint_every",
    type: "int",
    default: 5,
    group: "Output",
    help: "save training state every N epochs",
  },
  { name: "quiet", type: "bool", default: false, group: "Output", help: "no progress output" },
  { name: "debug", type: "bool", default: false, group: "Output", help: "stack traces with errors" },
];

/** The parsed configuration: every option under its canonical name (lists as arrays). */
export interface ExperimentConfig {
  dataset: string;
  model: string;
  selection: string[];
  fraction: number[];
  num_exp: number;
  epochs: number;
  data_path: string;
  seed: number;
  cross: string[];
  print_freq: number;
  optimizer: string;
  lr: number;
  min_lr: number;
  momentum: number;
  weight_decay: number;
  nesterov: boolean;
  scheduler: string;
  gamma: number;
  step_size: number;
  batch: number;
  train_batch: number;
  selection_batch: number;
  test_interval: number;
  selection_epochs: number;
  selection_momentum: number;
  selection_weight_decay: number;
  selection_optimizer: string;
  selection_nesterov: boolean;
  selection_lr: number;
  balance: boolean;
  submodular: string;
  submodular_greedy: string;
  uncertainty: string;
  save_path: string;
  resume: boolean;
  checkpoint_every: number;
  quiet: boolean;
  debug: boolean;
}

const TRUE = ["yes", "true", "t", "y", "1"], FALSE = ["no", "false", "f", "n", "0"];

function findSpec(flag: string): OptionSpec | undefined {
  const key = flag.replaceAll("-", "_").toLowerCase();
  return SPECS.find((s) => s.name === key || s.aliases?.includes(key));
}

function pick(spec: OptionSpec, text: string): string {
  const choices = spec.choices?.();
  if (!choices || choices.length === 0) return text;
  const found = choices.find((c) => c.toLowerCase() === text.toLowerCase());
  if (!found) throw new Error(`--${spec.name}: '${text}' is not one of ${choices.join(", ")}`);
  return found;
}

function convert(spec: OptionSpec, text: string): unknown {
  const number = (t: string, integer: boolean) => {
    const v = Number(t);
    if (t.trim() === "" || !Number.isFinite(v) || (integer && !Number.isInteger(v))) {
      throw new Error(`--${spec.name}: expected ${integer ? "an integer" : "a number"}, got '${t}'`);
    }
    return v;
  };
  switch (spec.type) {
    case "int":
      return number(text, true);
    case "float":
      return number(text, false);
    case "bool":
      if (TRUE.includes(text.toLowerCase())) return true;
      if (FALSE.includes(text.toLowerCase())) return false;
      throw new Error(`--${spec.name}: expected a boolean (true/false, yes/no, 1/0), got '${text}'`);
    case "list":
      return text.split(",").map((t) => t.trim()).filter((t) => t !== "").map((t) => pick(spec, t));
    case "floatlist":
      return text.split(",").map((t) => number(t.trim(), false));
    default:
      return pick(spec, text);
  }
}

/**
 * Parses experiment arguments into a configuration (defaults filled in, values checked).
 *
 * @example
 * ```ts
 * import { parseExperimentArgs } from "./options.ts";
 * const c = parseExperimentArgs(["--epochs", "3", "--fraction", "0.01,0.1", "-se", "2", "--balance", "false"]);
 * console.log(c.epochs, c.fraction, c.selection_epochs, c.balance); // 3 [0.01, 0.1] 2 false
 * ```
 */
export function parseExperimentArgs(args: string[]): ExperimentConfig {
  const values: Record<string, unknown> = Object.fromEntries(SPECS.map((s) => [s.name, s.default]));
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (!arg.startsWith("-")) {
      throw new Error(`unexpected argument '${arg}' (options start with --; see --help)`);
    }
    const [flag, inline] = arg.replace(/^--?/, "").split(/=(.*)/s, 2) as [string, string | undefined];
    const spec = findSpec(flag);
    if (!spec) throw new Error(`unknown option '${arg}' (see --help for the list)`);
    let text = inline;
    if (text === undefined) {
      const next = args[i + 1];
      const takesNext = next !== undefined &&
        (spec.type !== "bool" || [...TRUE, ...FALSE].includes(next.toLowerCase()));
      if (takesNext && !(spec.type !== "bool" && next.startsWith("--"))) text = args[++i];
      else if (spec.type === "bool") text = "true";
      else throw new Error(`--${spec.name}: needs a value`);
    }
    values[spec.name] = convert(spec, text!);
  }
  const config = values as unknown as ExperimentConfig;
  config.train_batch ??= config.batch;
  config.selection_batch ??= config.batch;
  check(config);
  return config;
}

function check(c: ExperimentConfig): void {
  const positive: (keyof ExperimentConfig)[] = [
    "num_exp",
    "epochs",
    "batch",
    "train_batch",
    "selection_batch",
  ];
  for (const k of positive) {
    if (!((c[k] as number) >= 1)) throw new Error(`--${k}: expected ≥ 1, got ${c[k]}`);
  }
  for (const f of c.fraction) {
    if (!(f > 0 && f <= 1)) throw new Error(`--fraction: expected values in (0, 1], got ${f}`);
  }
  if (c.selection.length === 0) throw new Error("--selection: give at least one method");
  if (c.selection_epochs < 0 || c.test_interval < 0) {
    throw new Error("--selection_epochs/--test_interval: expected ≥ 0");
  }
  if (c.seed < 0) throw new Error(`--seed: expected ≥ 0, got ${c.seed}`);
  if (c.resume && !c.save_path) throw new Error("--resume: needs --save_path (the run to continue)");
}

/** Grouped help text of every option. */
export function experimentHelp(): string {
  const groups = [...new Set(SPECS.map((s) => s.group))];
  return groups.map((g) =>
    `${g}:\n` + SPECS.filter((s) => s.group === g).map((s) => {
      const names = [`--${s.name}`, ...(s.aliases ?? []).map((a) => (a.length <= 3 ? `-${a}` : `--${a}`))]
        .join(", ");
      const choices = s.choices?.();
      const def = s.default === null
        ? ""
        : ` (default ${Array.isArray(s.default) ? s.default.join(",") || "none" : s.default})`;
      const valid = choices && choices.length > 0 && choices.length <= 20 ? ` [${choices.join("|")}]` : "";
      return `  ${names.padEnd(34)} ${s.help}${def}${valid}`;
    }).join("\n")
  ).join("\n\n");
}
