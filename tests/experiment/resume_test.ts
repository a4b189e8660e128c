/**
 * The experiment survives `kill -9` at any moment: the same command with --resume finishes, and every
 * run is in results.json exactly once.
 */
import assert from "node:assert/strict";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { readResults } from "../../experiment/results.ts";

const CLI = join(dirname(dirname(dirname(fileURLToPath(import.meta.url)))), "cli.ts");

Deno.test("kill -9 part-way, then --resume: every run present once", async () => {
  const out = await Deno.makeTempDir();
  const args = [
    "run",
    "-A",
    CLI,
    "--dataset",
    "MNIST",
    "--model",
    "MLP",
    "--selection",
    "Uniform,kCenterGreedy",
    "--fraction",
    "0.005",
    "--epochs",
    "2",
    "--selection_epochs",
    "1",
    "--num_exp",
    "2",
    "--batch",
    "256",
    "--checkpoint_every",
    "1",
    "--quiet",
    "--save_path",
    out,
  ];
  const child = new Deno.Command(Deno.execPath(), { args, stdout: "null", stderr: "piped" }).spawn();
  // kill as soon as the first run is recorded: mid-invocation, with more runs to go
  for (let i = 0; i < 600; i++) {
    await new Promise((r) => setTimeout(r, 100));
    if (await Deno.stat(join(out, "results.json")).then(() => true, () => false)) break;
  }
  child.kill("SIGKILL");
  await child.status;
  const partial = await readResults(join(out, "results.json"));
  assert.ok(partial.runs.length >= 1 && partial.runs.length < 4, `killed after ${partial.runs.length} runs`);

  const resumed = await new Deno.Command(Deno.execPath(), {
    args: [...args, "--resume"],
    stdout: "piped",
    stderr: "piped",
  })
    .output();
  assert.equal(resumed.code, 0, new TextDecoder().decode(resumed.stderr));
  const results = await readResults(join(out, "results.json"));
  const ids = results.runs.map((r) => r.id).sort();
  const want = ["Uniform", "kCenterGreedy"].flatMap((m) => [0, 1].map((e) => `MNIST/MLP/${m}/0.005/exp${e}`))
    .sort();
  assert.deepEqual(ids, want);
  for (const run of results.runs) assert.equal(run.training.history.length, 2, `${run.id}: every epoch once`);
  for (const run of results.runs) {
    if (run.method === "Uniform") {
      assert.equal(run.selectionModel, undefined, `${run.id}: Uniform reads no selection model`);
      continue;
    }
    const model = run.selectionModel!;
    assert.equal(model.epochs, 1);
    assert.ok(model.trainAccuracy! > 0.5, `${run.id}: the MLP learned (${model.trainAccuracy})`);
    assert.ok(model.embeddingSpread > 0 && model.probsSpread > 0 && !model.collapsed, JSON.stringify(model));
  }
  for (const f of ["results.csv", "results.md", "accuracy.svg"]) await Deno.stat(join(out, f));
  const leftovers = [];
  for await (const e of Deno.readDir(out)) if (e.name.endsWith(".tmp")) leftovers.push(e.name);
  assert.deepEqual(leftovers, [], "no half-written files");
});
