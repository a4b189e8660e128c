/**
 * The fidelity run: DeepCore's protocol, reduced, on Fashion-MNIST — LeNet, 5 selection epochs, 30
 * training epochs, fractions 1 % and 10 %, 3 experiments (seeds 0, 1, 2), batch 128, DeepCore's other
 * defaults, every method deepcore has — written to `docs/results-fmnist.md` with the exact command, the
 * wall time, accuracy (mean ± std and every run), selection and training time per method.
 *
 * ```sh
 * deno run -A bench/fidelity_fmnist.ts [--save_path out/fidelity-fmnist] [--resume] [--epochs 30] [--selection_epochs 5]
 * deno run -A bench/fidelity_fmnist.ts --save_path out/fidelity-fmnist --report   # rewrite the document only
 * ```
 *
 * Fashion-MNIST is read from Debian's `dataset-fashion-mnist` (/usr/share/datasets/fashion-mnist).
 * Interrupted runs continue with `--resume`; every invocation's wall time and adapter are kept in
 * `<save_path>/fidelity.json` and summed in the document. The document also checks each experiment's
 * saved selection model (test accuracy; whether it collapsed, see `collapseCheck`) and gives the
 * table a second time over the experiments whose selection model learned.
 *
 * @module
 */

import { parseArgs } from "node:util";
import * as tf from "npm:@tensorflow/tfjs-core@4.22.0";
import { loadDataset } from "../datasets/registry.ts";
import { DATASETS } from "../datasets/registry.ts";
import { selectionNames } from "../experiment/methods.ts";
import { CHOICES, parseExperimentArgs } from "../experiment/options.ts";
import { buildModel, disposeModel, runExperiments } from "../experiment/pipeline.ts";
import { resultsMarkdown, writeReport } from "../experiment/report.ts";
import { readResults, type ResultsFile } from "../experiment/results.ts";
import { collapseCheck, extractFeatures } from "../experiment/selection_stage.ts";
import { writeFileAtomic } from "../io/atomic_write.ts";
import { ready } from "../kernels/runtime/runtime.ts";
import { loadModel } from "../models/checkpoint.ts";
import { MODELS } from "../models/registry.ts";
import { evaluate } from "../training/train.ts";

const { values } = parseArgs({
  args: Deno.args,
  options: {
    save_path: { type: "string", default: "out/fidelity-fmnist" },
    resume: { type: "boolean", default: false },
    report: { type: "boolean", default: false },
    epochs: { type: "string", default: "30" },
    selection_epochs: { type: "string", default: "5" },
    methods: { type: "string" },
  },
});

CHOICES.datasets = DATASETS.map((d) => d.name);
CHOICES.models = MODELS.map((m) => m.name);
CHOICES.selections = selectionNames();
// every method deepcore has, DeepCore's Uncertainty and Submodular standing for their variants
const methods = values.methods ??
  "Uniform,ContextualDiversity,Herding,kCenterGreedy,LeastConfidence,Entropy,Margin,GraphCut,FacilityLocation,LogDeterminant";
const args = [
  "--dataset",
  "FashionMNIST",
  "--model",
  "LeNet",
  "--selection",
  methods,
  "--fraction",
  "0.01,0.1",
  "--epochs",
  values.epochs!,
  "--selection_epochs",
  values.selection_epochs!,
  "--num_exp",
  "3",
  "--seed",
  "0",
  "--batch",
  "128",
  "--save_path",
  values.save_path!,
  "--quiet",
  ...(values.resume ? ["--resume"] : []),
];
const config = parseExperimentArgs(args);
const rt = await ready();
const ledger = `${config.save_path}/fidelity.json`;

/** One invocation of this script: what ran it, where, for how long. */
interface Invocation {
  command: string;
  adapter: string;
  started: string;
  seconds: number;
  /** Anything the wall time does not say (e.g. stopped by a time limit, then resumed). */
  note?: string;
}

if (!values.report) {
  const command = `deno run -A bench/fidelity_fmnist.ts ${Deno.args.join(" ")}`.trim();
  const started = new Date().toISOString();
  const start = performance.now();
  await runExperiments(config, { command });
  const invocation = {
    command,
    adapter: rt.info.description,
    started,
    seconds: (performance.now() - start) / 1000,
  };
  await writeFileAtomic(ledger, JSON.stringify([...await invocations(), invocation], null, 1) + "\n");
  await writeReport(`${config.save_path}/results.json`);
}
const results = await readResults(`${config.save_path}/results.json`);
const text = document(results, await invocations(), await selectionModels(results));
await writeFileAtomic(new URL("../docs/results-fmnist.md", import.meta.url).pathname, text);
console.log("wrote docs/results-fmnist.md");

async function invocations(): Promise<Invocation[]> {
  try {
    return JSON.parse(await Deno.readTextFile(ledger));
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return [];
    throw e;
  }
}

/** One experiment's saved selection model, checked again from its file. */
interface ModelCheck {
  experiment: number;
  seed: number;
  trainAccuracy: number | null;
  testAccuracy: number;
  embeddingSpread: number;
  collapsed: boolean;
}

async function selectionModels(results: ResultsFile): Promise<ModelCheck[]> {
  const dataset = await loadDataset(config.dataset);
  const checks: ModelCheck[] = [];
  try {
    for (let experiment = 0; experiment < config.num_exp; experiment++) {
      const seed = config.seed + experiment;
      const model = buildModel(config.model, dataset, seed);
      const metadata = await loadModel(model, `${config.save_path}/selection/seed${seed}.safetensors`);
      const test = await evaluate(model, dataset.test, 500, { quiet: true });
      const features = await extractFeatures(model, dataset.train, 500, { quiet: true });
      const check = await collapseCheck(features);
      tf.dispose([features.embeddings, features.probs]);
      disposeModel(model);
      const recorded = results.runs.find((r) => r.experiment === experiment && r.selectionModel)
        ?.selectionModel;
      const trainAccuracy = recorded?.trainAccuracy ??
        (metadata.trainAccuracy === undefined ? null : Number(metadata.trainAccuracy));
      checks.push({ experiment, seed, trainAccuracy, testAccuracy: test.accuracy, ...check });
    }
  } finally {
    dataset.close();
  }
  return checks;
}

function document(results: ResultsFile, runs: Invocation[], models: ModelCheck[]): string {
  const minutes = runs.reduce((s, r) => s + r.seconds, 0) / 60;
  const adapters = [...new Set(runs.map((r) => r.adapter))].join(", ");
  const invocationRows = runs.map((r, i) =>
    `| ${i + 1} | \`${r.command}\` | ${r.adapter} | ${r.started.slice(0, 19)}Z | ${
      (r.seconds / 60).toFixed(1)
    } | ${r.note ?? ""} |`
  );
  const modelRows = models.map((m) =>
    `| ${m.experiment} | ${m.seed} | ${
      m.trainAccuracy === null ? "–" : (100 * m.trainAccuracy).toFixed(2)
    } | ${(100 * m.testAccuracy).toFixed(2)} | ${m.embeddingSpread.toPrecision(3)} | ${
      m.collapsed ? "**collapsed**" : "trained"
    } |`
  );
  const collapsed = models.filter((m) => m.collapsed).map((m) => m.experiment);
  const healthy = { ...results, runs: results.runs.filter((r) => !collapsed.includes(r.experiment)) };
  const perRun = results.runs.map((r) =>
    `| ${r.method} | ${(100 * r.fraction).toFixed(0)}% | ${r.experiment} | ${r.seed} | ${
      (100 * r.bestAccuracy).toFixed(2)
    } | ${(100 * r.finalAccuracy).toFixed(2)} | ${r.coreset.selectionSeconds.toFixed(1)} | ${
      r.training.seconds.toFixed(1)
    } |`
  );
  const shift = (markdown: string) => markdown.replace(/^# Results\n/, "").replace(/^## /gm, "### ");
  return `# Fidelity run: DeepCore's protocol on Fashion-MNIST

Command: \`${runs[0]?.command.replace(/ --resume$/, "") ?? "deno run -A bench/fidelity_fmnist.ts"}\`, i.e.
\`deno run -A cli.ts ${args.filter((a) => a !== "--resume").join(" ")}\` with that \`--save_path\`; its
output (results.json/csv/md, accuracy.svg, the selection models, this ledger) is in \`${config.save_path}/\`,
and \`deno run -A bench/fidelity_fmnist.ts --save_path ${config.save_path} --report\` rewrites this page from it.
Wall time: **${minutes.toFixed(1)} minutes** in ${runs.length} invocation(s) on ${adapters || "?"}.

| Invocation | Command | Adapter | Started | Minutes | Note |
| ---: | --- | --- | --- | ---: | --- |
${invocationRows.join("\n")}

Protocol: LeNet; a selection model pre-trained for 5 epochs at DeepCore's constant selection learning rate
0.1 (SGD, momentum 0.9, Nesterov, weight decay 5e-4), one per experiment, shared by every method and
fraction; 30 training epochs on each coreset with cosine annealing from 0.1 to 1e-4; batch 128; balanced
(per-class) selection; test after every epoch, the cell is the best test accuracy; experiment e uses seed e.
See docs/deviations.md for where deepcore departs from DeepCore.

## The selection models

deepcore keeps DeepCore's constant selection learning rate of 0.1 and checks every selection model after
pre-training: one that maps every training sample to the same embedding or the same probabilities has
collapsed (LeNet has no batch norm; at lr 0.1 its ReLUs can all die), and every method that reads it can
only break ties. The run warns on stderr and records \`selectionModel\` (last-epoch training accuracy,
spreads, \`collapsed\`) with each run in results.json. Checked again here from the saved models:

| Experiment | Seed | Train acc. (%) | Test acc. (%) | Embedding spread | State |
| ---: | ---: | ---: | ---: | ---: | --- |
${modelRows.join("\n")}

${
    collapsed.length === 0
      ? "Every selection model trained."
      : `Experiment(s) ${
        collapsed.join(", ")
      }: collapsed — every model-based method of that experiment picks by its tie-break rule alone, so their coresets coincide (identical accuracies below) and say nothing about the methods. The means are given twice: over all experiments (the protocol as DeepCore runs it) and over the experiments whose selection model trained.`
  }

## All experiments

${shift(resultsMarkdown(results, { metric: "best" }))}
${
    collapsed.length === 0 ? "" : `## Experiments whose selection model trained

${shift(resultsMarkdown(healthy, { metric: "best" }))}
`
  }
Selection times exclude pre-training the selection model (seconds per experiment in results.json,
\`selectionModel.seconds\`) for runs made after that split; earlier runs count it in their first method.

## Every run

| Method | Fraction | Experiment | Seed | Best acc. (%) | Final acc. (%) | Selection (s) | Training (s) |
| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |
${perRun.join("\n")}
`;
}
