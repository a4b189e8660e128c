/**
 * deepcore's command line. It only parses arguments and calls the library (mod.ts).
 *
 * ```sh
 * deno run -A cli.ts info
 * ```
 *
 * @module
 */

import { parseArgs } from "node:util";
import { describeGpu } from "./cli/info.ts";
import { selectCommand } from "./cli/select.ts";
import { VERSION } from "./version.ts";

const HELP = `deepcore ${VERSION} — coreset selection for deep learning on WebGPU

Usage:
  deno run -A cli.ts <command> [options]

Commands:
  info         print the GPU adapter, the graphics API in use and its limits
  select       pick a coreset from numpy files (features, labels, probabilities); see select --help

Options:
  -h, --help     show this help
  -V, --version  print the version
  --debug        print stack traces with errors

Environment:
  DENO_WEBGPU_BACKEND=gl|vulkan  force wgpu's graphics API
  DEEPCORE_DEBUG=1               validate every submit with WebGPU error scopes
`;

/** Runs the CLI on `args` and returns the process exit code. */
export async function main(args: string[]): Promise<number> {
  const command = args[0]?.toLowerCase();
  if (command === "select") return await selectCommand(args.slice(1));
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    strict: true,
    options: {
      help: { type: "boolean", short: "h" },
      version: { type: "boolean", short: "V" },
      debug: { type: "boolean" },
    },
  });
  if (values.version) {
    console.log(VERSION);
    return 0;
  }
  if (values.help || !positionals[0]) {
    console.log(HELP);
    return values.help ? 0 : 2;
  }
  if (command === "info") {
    console.log(await describeGpu());
    return 0;
  }
  console.error(`error: unknown command '${positionals[0]}' (valid: info, select). See --help.`);
  return 2;
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
