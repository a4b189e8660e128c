/**
 * deepcore's command line. It only parses arguments and calls the library (mod.ts); each command lives
 * in `cli/`.
 *
 * ```sh
 * deno run -A cli.ts --dataset MNIST --model LeNet --selection Uniform,kCenterGreedy --fraction 0.1 --save_path out
 * deno run -A cli.ts select --method kCenterGreedy --input features.npy --fraction 0.1 --out keep.npy
 * deno run -A cli.ts report out/results.json
 * deno run -A cli.ts datasets | models | info
 * ```
 *
 * @module
 */

import { datasetsCommand } from "./cli/datasets.ts";
import { reportCommand, runCommand, runHelp } from "./cli/experiment.ts";
import { describeGpu } from "./cli/info.ts";
import { modelsCommand } from "./cli/models.ts";
import { SELECT_HELP, selectCommand } from "./cli/select.ts";
import { VERSION } from "./version.ts";

const HELP = `deepcore ${VERSION} — coreset selection for deep learning on WebGPU

Usage:
  deno run -A cli.ts [run] [options]   run DeepCore's experiment (select → train → test); run --help
  deno run -A cli.ts <command> [options]

Commands:
  run          the experiment (the default when the first argument is an option)
  select       pick a coreset from numpy files (features, labels, probabilities); select --help
  report       rewrite results.csv, results.md and accuracy.svg from a results.json
  datasets     list the datasets and what is found on disk (--data_path DIR)
  models       list every network with its parameter count per input shape
  info         print the GPU adapter, the graphics API in use and its limits

Options:
  -h, --help     show this help (with a command: that command's help)
  -V, --version  print the version
  --debug        print stack traces with errors

Environment:
  DENO_WEBGPU_BACKEND=gl|vulkan  force wgpu's graphics API
  DEEPCORE_DEBUG=1               validate every submit with WebGPU error scopes
`;

const COMMANDS = ["run", "select", "report", "datasets", "models", "info"];

/** Runs the CLI on `args` and returns the process exit code. */
export async function main(args: string[]): Promise<number> {
  const first = args[0]?.toLowerCase();
  if (first === "--version" || first === "-v") {
    console.log(VERSION);
    return 0;
  }
  if (first === undefined || first === "--help" || first === "-h" || first === "help") {
    console.log(HELP);
    return first === undefined ? 2 : 0;
  }
  const command = first.startsWith("-") ? "run" : first;
  const rest = first.startsWith("-") ? args : args.slice(1);
  const wantsHelp = rest.includes("--help") || rest.includes("-h");
  const line = `deno run -A cli.ts ${args.join(" ")}`;
  switch (command) {
    case "run":
      if (wantsHelp) return print(runHelp());
      return await runCommand(rest.filter((a) => a !== "--debug"), line);
    case "select":
      if (wantsHelp) return print(SELECT_HELP);
      return await selectCommand(rest);
    case "report":
      return await reportCommand(rest);
    case "datasets":
      return await datasetsCommand(rest);
    case "models":
      return await modelsCommand(rest);
    case "info":
      return print(await describeGpu());
    default:
      console.error(`error: unknown command '${args[0]}' (valid: ${COMMANDS.join(", ")}). See --help.`);
      return 2;
  }
}

function print(text: string): number {
  console.log(text);
  return 0;
}

if (import.meta.main) {
  const debug = Deno.args.includes("--debug");
  try {
    Deno.exit(await main(Deno.args));
  } catch (e) {
    console.error(debug || !(e instanceof Error) ? e : `error: ${e.message}`);
    Deno.exit(1);
  }
}
