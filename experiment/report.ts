/**
 * A results file as a researcher uses it: a CSV with one row per run for their own analysis, Markdown
 * tables laid out like the paper's Table 1, and the accuracy plot of its Figure 1.
 *
 * @module
 */

import { dirname, join } from "node:path";
import { writeFileAtomic } from "../io/atomic_write.ts";
import { accuracyPlot } from "./plot_svg.ts";
import { type Cell, type Metric, percentLabel, readResults, type ResultsFile, summarize } from "./results.ts";

const CSV_COLUMNS = [
  "id",
  "dataset",
  "model",
  "crossModel",
  "method",
  "fraction",
  "budget",
  "experiment",
  "seed",
  "bestAccuracy",
  "finalAccuracy",
  "selectionSeconds",
  "trainingSeconds",
  "epochs",
] as const;

function csvField(value: string | number): string {
  const s = String(value);
  return /[",\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}

/**
 * One CSV row per run, in file order, with a header (RFC 4180: CRLF line ends, fields quoted where they
 * hold a comma, quote or line break). Accuracies are in [0, 1] as in the results file; `crossModel` is
 * empty for a run that trains the selection model; `epochs` counts the epochs in the run's history.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { resultsCsv } from "./report.ts";
 * const csv = resultsCsv({ version: 1, command: "deepcore run", started: "2024-05-01T12:00:00Z", runs: [] });
 * assert.equal(
 *   csv,
 *   "id,dataset,model,crossModel,method,fraction,budget,experiment,seed,bestAccuracy,finalAccuracy," +
 *     "selectionSeconds,trainingSeconds,epochs\r\n",
 * );
 * ```
 */
export function resultsCsv(file: ResultsFile): string {
  const rows = file.runs.map((r) =>
    [
      r.id,
      r.dataset,
      r.model,
      r.crossModel ?? "",
      r.method,
      r.fraction,
      r.budget,
      r.experiment,
      r.seed,
      r.bestAccuracy,
      r.finalAccuracy,
      r.coreset.selectionSeconds,
      r.training.seconds,
      r.training.history.length,
    ].map(csvField).join(",")
  );
  return [CSV_COLUMNS.join(","), ...rows].map((line) => line + "\r\n").join("");
}

/** Options of {@linkcode resultsMarkdown}. */
export interface MarkdownOptions {
  /** Which accuracy of each run to tabulate; DeepCore reports the best one. Default "best". */
  metric?: Metric;
}

// Backslash-escapes what Markdown would read as a cell border, emphasis, code or an HTML tag.
const md = (s: string) => s.replace(/[\\|*_`<>[\]]/g, "\\$&");
const cellText = (c: Cell | undefined) =>
  c === undefined
    ? "—"
    : c.values.length === 1
    ? c.mean.toFixed(1)
    : `${c.mean.toFixed(1)} ± ${c.std.toFixed(1)}`;

function table(header: string[], align: string[], rows: string[][]): string[] {
  return [header, align, ...rows].map((cells) => `| ${cells.join(" | ")} |`);
}

/** "3 experiments per cell", or the commonest count with the exceptions listed. */
function countsLine(counts: { n: number; where: string }[]): string {
  const tally = new Map<number, number>();
  for (const { n } of counts) tally.set(n, (tally.get(n) ?? 0) + 1);
  const [common] = [...tally.entries()].sort((a, b) => b[1] - a[1] || b[0] - a[0])[0];
  const plural = (n: number) => `${n} experiment${n === 1 ? "" : "s"}`;
  const odd = counts.filter((c) => c.n !== common).map((c) => `${c.where}: ${c.n}`);
  return `${plural(common)} per cell${odd.length > 0 ? ` (except ${odd.join("; ")})` : ""}`;
}

/**
 * The results as Markdown, like the paper's Table 1: one table per dataset and trained model, a row per
 * method, a column per fraction (ascending, as percentages), cells "mean ± std" of test accuracy in
 * percent with one decimal over the experiments (sample std; the mean alone for one experiment; "—"
 * where a method has no run), the best mean of each column in bold (ties at the shown precision all
 * bold; a column with one method bolds nothing), a line saying how many experiments each cell holds,
 * then a small table of each method's mean selection and training time.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { resultsMarkdown } from "./report.ts";
 * import type { RunRecord } from "./results.ts";
 * const run = (method: string, experiment: number, bestAccuracy: number): RunRecord => ({
 *   id: `CIFAR10/ResNet18/${method}/0.1/exp${experiment}`, experiment, seed: experiment,
 *   dataset: "CIFAR10", model: "ResNet18", method, fraction: 0.1, budget: 5000, options: {},
 *   coreset: { size: 5000, indicesFile: "", weighted: false, selectionSeconds: 2 },
 *   training: { seconds: 60, history: [], tests: [] },
 *   finalAccuracy: bestAccuracy, bestAccuracy, finished: "2024-05-01T12:00:00Z",
 * });
 * const runs = [run("Uniform", 0, 0.75), run("Uniform", 1, 0.77), run("Herding", 0, 0.6), run("Herding", 1, 0.64)];
 * const text = resultsMarkdown({ version: 1, command: "deepcore run", started: "2024-05-01T12:00:00Z", runs });
 * assert.match(text, /\| Uniform \| \*\*76\.0 ± 1\.4\*\* \|/);
 * assert.match(text, /\| Herding \| 62\.0 ± 2\.8 \|/);
 * ```
 */
export function resultsMarkdown(file: ResultsFile, options: MarkdownOptions = {}): string {
  const metric = options.metric ?? "best";
  const which = metric === "best" ? "best test accuracy over training" : "test accuracy after the last epoch";
  const out = [
    "# Results",
    "",
    `\`${file.command.replaceAll("`", "'")}\`, started ${file.started}: ${file.runs.length} run` +
    `${file.runs.length === 1 ? "" : "s"}. Cells: ${which} (%), mean ± sample standard deviation over ` +
    "experiments; **bold**: best mean of the column.",
  ];
  if (file.runs.length === 0) out.push("", "No runs yet.");
  for (const group of summarize(file, metric)) {
    const best = group.fractions.map((_, j) => {
      const shown = group.rows.flatMap((r) => r.cells[j] ? [Number(r.cells[j].mean.toFixed(1))] : []);
      return shown.length > 1 ? Math.max(...shown) : Infinity;
    });
    const rows = group.rows.map((r) => [
      md(r.method),
      ...r.cells.map((c, j) => {
        const text = cellText(c);
        return c !== undefined && Number(c.mean.toFixed(1)) === best[j] ? `**${text}**` : text;
      }),
    ]);
    const counts = group.rows.flatMap((r) =>
      r.cells.flatMap((c, j) =>
        c ? [{ n: c.values.length, where: `${md(r.method)} ${percentLabel(group.fractions[j])}` }] : []
      )
    );
    out.push("", `## ${md(group.title)}`, "");
    out.push(
      ...table(
        ["Method", ...group.fractions.map(percentLabel)],
        ["---", ...group.fractions.map(() => "---:")],
        rows,
      ),
    );
    out.push("", `${countsLine(counts)}.`, "");
    out.push(
      ...table(
        ["Method", "Runs", "Mean selection (s)", "Mean training (s)"],
        ["---", "---:", "---:", "---:"],
        group.rows.map((r) => [
          md(r.method),
          String(r.runs),
          r.selectionSeconds.toFixed(1),
          r.trainingSeconds.toFixed(1),
        ]),
      ),
    );
  }
  const collapsed = new Map<string, string>();
  for (const r of file.runs) {
    if (!r.selectionModel?.collapsed) continue;
    collapsed.set(`${r.dataset} ${r.model} experiment ${r.experiment}`, `seed ${r.seed}`);
  }
  if (collapsed.size > 0) {
    out.push(
      "",
      `**Collapsed selection models** — every sample got the same embedding or probabilities, so the ` +
        `methods that read them only broke ties: ${
          [...collapsed].map(([k, v]) => `${k} (${v})`).join(", ")
        }.`,
    );
  }
  return out.join("\n") + "\n";
}

/** The files {@linkcode writeReport} wrote. */
export interface ReportPaths {
  /** `results.csv`. */
  csv: string;
  /** `results.md`. */
  markdown: string;
  /** `accuracy.svg`. */
  svg: string;
}

/**
 * Reads the results file at `resultsPath` and writes `results.csv`, `results.md` and `accuracy.svg`
 * (each atomically) into `outDir`, by default the folder of the results file. Returns their paths.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { writeReport } from "./report.ts";
 * import { emptyResults, writeResults } from "./results.ts";
 * const dir = await Deno.makeTempDir();
 * await writeResults(`${dir}/results.json`, emptyResults("deepcore run"));
 * const paths = await writeReport(`${dir}/results.json`);
 * assert.equal(paths.markdown, `${dir}/results.md`);
 * assert.match(await Deno.readTextFile(paths.svg), /^<\?xml/);
 * ```
 */
export async function writeReport(
  resultsPath: string,
  outDir: string = dirname(resultsPath),
  options: MarkdownOptions = {},
): Promise<ReportPaths> {
  const file = await readResults(resultsPath);
  const paths = {
    csv: join(outDir, "results.csv"),
    markdown: join(outDir, "results.md"),
    svg: join(outDir, "accuracy.svg"),
  };
  await Deno.mkdir(outDir, { recursive: true });
  await writeFileAtomic(paths.csv, resultsCsv(file));
  await writeFileAtomic(paths.markdown, resultsMarkdown(file, options));
  await writeFileAtomic(paths.svg, accuracyPlot(file, options));
  return paths;
}
