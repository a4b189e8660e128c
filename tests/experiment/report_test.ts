import assert from "node:assert/strict";
import { resultsCsv, resultsMarkdown, writeReport } from "../../experiment/report.ts";
import { type ResultsFile, writeResults } from "../../experiment/results.ts";
import { results, run } from "./fixture.ts";

/** RFC 4180 parser: CRLF records, quoted fields with doubled quotes. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = "";
  let i = 0;
  while (i < text.length) {
    if (text[i] === '"') {
      for (i++; i < text.length; i++) {
        if (text[i] === '"' && text[i + 1] === '"') field += text[i++];
        else if (text[i] === '"') break;
        else field += text[i];
      }
      i++;
    } else if (text[i] === ",") {
      row.push(field), field = "", i++;
    } else if (text.startsWith("\r\n", i)) {
      row.push(field), rows.push(row), row = [], field = "", i += 2;
    } else {
      field += text[i++];
    }
  }
  assert.equal(field + row.join(""), "", "the last record ends with CRLF");
  return rows;
}

const COLUMNS = [
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
];

Deno.test("resultsCsv has one row per run in file order, and parses back to the run's values", () => {
  const file = results();
  file.runs[4] = { ...file.runs[4], method: 'He said "hi", then\r\nleft', crossModel: "VGG16" };
  const rows = parseCsv(resultsCsv(file));
  assert.deepEqual(rows[0], COLUMNS);
  assert.equal(rows.length, 1 + 27);
  rows.slice(1).forEach((row, i) => {
    const r = file.runs[i];
    const got = Object.fromEntries(COLUMNS.map((c, j) => [c, row[j]]));
    assert.equal(got.id, r.id);
    assert.equal(got.method, r.method);
    assert.equal(got.crossModel, r.crossModel ?? "");
    assert.equal(Number(got.fraction), r.fraction);
    assert.equal(Number(got.budget), r.budget);
    assert.equal(Number(got.experiment), r.experiment);
    assert.equal(Number(got.seed), r.seed);
    assert.equal(Number(got.bestAccuracy), r.bestAccuracy);
    assert.equal(Number(got.finalAccuracy), r.finalAccuracy);
    assert.equal(Number(got.selectionSeconds), r.coreset.selectionSeconds);
    assert.equal(Number(got.trainingSeconds), r.training.seconds);
    assert.equal(Number(got.epochs), 3);
  });
  assert.equal(rows[5][4], 'He said "hi", then\r\nleft');
});

/** The table rows of the first table under `## title`, as cell arrays, header included. */
function tableOf(markdown: string, title: string): string[][] {
  const section = markdown.split(`## ${title}\n`)[1];
  assert.ok(section !== undefined, `no section ${title}`);
  const lines = section.trimStart().split("\n\n")[0].split("\n");
  return lines.filter((_, i) => i !== 1).map((l) => l.split(" | ").map((c) => c.replace(/^\| |\s\|$/g, "")));
}

Deno.test("resultsMarkdown: mean ± sample std in percent, paper row order, fractions ascending, best in bold", () => {
  const text = resultsMarkdown(results());
  // By hand: Uniform at 0.1 % is 19, 20, 21 → 20.0 ± 1.0; GraNd's spread is twice that → ± 2.0.
  assert.deepEqual(tableOf(text, "CIFAR10, ResNet18"), [
    ["Method", "0.1%", "1%", "10%"],
    ["Uniform", "**20.0 ± 1.0**", "**36.0 ± 1.0**", "**75.0 ± 1.0**"],
    ["Herding", "19.0 ± 1.0", "35.0 ± 1.0", "64.0 ± 1.0"],
    ["GraNd", "17.0 ± 2.0", "27.0 ± 2.0", "52.0 ± 2.0"],
  ]);
  assert.match(text, /\n3 experiments per cell\.\n/);
  assert.match(
    text,
    /\| Herding \| 9 \| 3\.0 \| 20\.0 \|/,
    "mean selection (2, 3, 4 s) and training (10, 20, 30 s)",
  );
  assert.match(text, /`deepcore run --num_exp 3`, started 2024-05-01T10:00:00.000Z: 27 runs\./);
});

Deno.test("resultsMarkdown: the final metric, uneven spreads, ties, one experiment, missing cells", () => {
  const file = results();
  assert.match(
    resultsMarkdown(file, { metric: "final" }),
    /\| Uniform \| \*\*19\.0 ± 1\.0\*\* \| \*\*35\.0 ± 1\.0\*\*/,
  );
  // 50, 60, 90 %: mean 66.67, sample std sqrt((16.67² + 6.67² + 23.33²) / 2) = 20.82.
  const spread = [0.5, 0.6, 0.9].map((a, e) => run("Cal", 0.1, e, { bestAccuracy: a }));
  // Ties with Uniform's 75.0 at 10 % (both bold); alone at 50 % (a lone column bolds nothing).
  const tie = [run("Glister", 0.1, 0, { bestAccuracy: 0.75 }), run("Glister", 0.5, 0, { bestAccuracy: 0.8 })];
  const custom = run("MyMethod", 0.01, 0, { bestAccuracy: 0.3 });
  const text = resultsMarkdown({ ...file, runs: [...file.runs, custom, ...tie, ...spread] });
  assert.deepEqual(tableOf(text, "CIFAR10, ResNet18"), [
    ["Method", "0.1%", "1%", "10%", "50%"],
    ["Uniform", "**20.0 ± 1.0**", "**36.0 ± 1.0**", "**75.0 ± 1.0**", "—"],
    ["Herding", "19.0 ± 1.0", "35.0 ± 1.0", "64.0 ± 1.0", "—"],
    ["GraNd", "17.0 ± 2.0", "27.0 ± 2.0", "52.0 ± 2.0", "—"],
    ["Cal", "—", "—", "66.7 ± 20.8", "—"],
    ["Glister", "—", "—", "**75.0**", "80.0"],
    ["MyMethod", "—", "30.0", "—", "—"],
  ]);
  assert.match(
    text,
    /\n3 experiments per cell \(except Glister 10%: 1; Glister 50%: 1; MyMethod 1%: 1\)\.\n/,
  );
});

Deno.test("resultsMarkdown: a table per dataset and trained model, escaped names, and an empty file", () => {
  const file = results();
  const cross = file.runs.slice(0, 3).map((r) => ({ ...r, id: `${r.id}/cross-VGG16`, crossModel: "VGG16" }));
  const odd = run("A|B", 0.1, 0, { dataset: "CIFAR100" });
  const text = resultsMarkdown({ ...file, runs: [...file.runs, ...cross, odd] });
  const titles = [...text.matchAll(/^## (.*)$/gm)].map((m) => m[1]);
  assert.deepEqual(titles, [
    "CIFAR10, ResNet18",
    "CIFAR10, VGG16 on coresets selected with ResNet18",
    "CIFAR100, ResNet18",
  ]);
  assert.deepEqual(tableOf(text, titles[1]), [["Method", "10%"], ["Herding", "64.0 ± 1.0"]]);
  assert.match(text, /\| A\\\|B \| 19\.0 \|/);
  const empty: ResultsFile = { ...file, runs: [] };
  assert.match(resultsMarkdown(empty), /0 runs\..*\n\nNo runs yet\.\n$/s);
});

Deno.test("writeReport writes the three files beside results.json, or into outDir, and nothing else", async () => {
  const dir = await Deno.makeTempDir();
  try {
    await writeResults(`${dir}/results.json`, results());
    const paths = await writeReport(`${dir}/results.json`);
    assert.deepEqual(paths, {
      csv: `${dir}/results.csv`,
      markdown: `${dir}/results.md`,
      svg: `${dir}/accuracy.svg`,
    });
    const names = [...Deno.readDirSync(dir)].map((e) => e.name).sort();
    assert.deepEqual(names, ["accuracy.svg", "results.csv", "results.json", "results.md"]);
    assert.equal(await Deno.readTextFile(paths.markdown), resultsMarkdown(results()));
    assert.equal(await Deno.readTextFile(paths.csv), resultsCsv(results()));
    const other = await writeReport(`${dir}/results.json`, `${dir}/report/final`, { metric: "final" });
    assert.equal(other.svg, `${dir}/report/final/accuracy.svg`);
    assert.match(await Deno.readTextFile(other.markdown), /test accuracy after the last epoch/);
    assert.deepEqual([...Deno.readDirSync(`${dir}/report/final`)].map((e) => e.name).sort(), [
      "accuracy.svg",
      "results.csv",
      "results.md",
    ]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("resultsMarkdown names the experiments whose selection model collapsed, once each", () => {
  const file = results();
  const model = (collapsed: boolean) => ({
    epochs: 5,
    lr: 0.1,
    trainLoss: collapsed ? 2.3 : 0.3,
    trainAccuracy: collapsed ? 0.1 : 0.9,
    seconds: 30,
    embeddingSpread: collapsed ? 0 : 12,
    probsSpread: collapsed ? 0 : 1,
    collapsed,
  });
  const runs = file.runs.map((r) =>
    r.method === "Uniform" ? r : { ...r, selectionModel: model(r.experiment === 2) }
  );
  const text = resultsMarkdown({ ...file, runs });
  const lines = text.split("\n").filter((l) => l.includes("Collapsed selection models"));
  assert.equal(lines.length, 1);
  assert.match(lines[0]!, /only broke ties: CIFAR10 ResNet18 experiment 2 \(seed 1002\)\.$/);
  assert.doesNotMatch(resultsMarkdown(file), /Collapsed/);
});
