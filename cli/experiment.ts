/**
 * `deepcore [run] --dataset … --model … --selection … --fraction …`: DeepCore's experiment from the
 * command line; and `deepcore report results.json`.
 *
 * @module
 */

import { DATASETS } from "../datasets/registry.ts";
import { selectionNames } from "../experiment/methods.ts";
import { CHOICES, experimentHelp, parseExperimentArgs } from "../experiment/options.ts";
import { runExperiments } from "../experiment/pipeline.ts";
import { resultsMarkdown, writeReport } from "../experiment/report.ts";
import { readResults } from "../experiment/results.ts";
import { ready } from "../kernels/runtime/runtime.ts";
import { MODELS } from "../models/registry.ts";

function fillChoices(): void {
  CHOICES.datasets = DATASETS.map((d) => d.name);
  CHOICES.models = MODELS.map((m) => m.name);
  CHOICES.selections = selectionNames();
}

/** Help of the experiment command. */
export function runHelp(): string {
  fillChoices();
  return `Usage:
  deno run -A cli.ts [run] [options]      select → train → test, DeepCore's protocol

Lists take commas: --selection Uniform,kCenterGreedy --fraction 0.01,0.1. Names are case-insensitive;
--selection_epochs, --selection-epochs and -se are the same option.

${experimentHelp()}`;
}

/** Runs the experiment command; returns the exit code. */
export async function runCommand(args: string[], command: string): Promise<number> {
  fillChoices();
  const config = parseExperimentArgs(args);
  await ready();
  const controller = new AbortController();
  const stop = () => controller.abort(new Error("interrupted"));
  Deno.addSignalListener("SIGINT", stop);
  try {
    const results = await runExperiments(config, {
      command,
      signal: controller.signal,
      log: (line) => console.log(line),
    });
    if (config.save_path) {
      const paths = await writeReport(`${config.save_path}/results.json`);
      console.log(`\nwrote ${config.save_path}/results.json, ${paths.csv}, ${paths.markdown}, ${paths.svg}`);
    }
    console.log(`\n${resultsMarkdown(results, { metric: "best" })}`);
    return 0;
  } catch (e) {
    if (controller.signal.aborted) {
      console.error(
        config.save_path
          ? `\ninterrupted: finished runs and the last checkpoint are in ${config.save_path}; ` +
            "run the same command with --resume to continue"
          : "\ninterrupted (nothing was saved: no --save_path)",
      );
      return 130;
    }
    throw e;
  } finally {
    Deno.removeSignalListener("SIGINT", stop);
  }
}

/** `report results.json [--out DIR]`: rewrites the CSV, Markdown and SVG from a results file. */
export async function reportCommand(args: string[]): Promise<number> {
  const path = args[0];
  if (!path || path.startsWith("-")) throw new Error("report: give the results.json to report on");
  const outIndex = args.indexOf("--out");
  const out = outIndex >= 0 ? args[outIndex + 1] : undefined;
  const paths = await writeReport(path, out);
  console.log(resultsMarkdown(await readResults(path), { metric: "best" }));
  console.log(`wrote ${paths.csv}, ${paths.markdown}, ${paths.svg}`);
  return 0;
}
