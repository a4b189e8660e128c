import assert from "node:assert/strict";
import {
  emptyResults,
  parseResults,
  readResults,
  recordRun,
  ResultsError,
  type ResultsFile,
  runId,
  upsertRun,
  validateResults,
  writeResults,
} from "../../experiment/results.ts";
import { results, run } from "./fixture.ts";

/** The fixture as plain JSON data, with `edit` applied to it. */
function edited(edit: (data: any) => void): unknown {
  const data = JSON.parse(JSON.stringify(results()));
  edit(data);
  return data;
}

function rejects(data: unknown, message: string): void {
  assert.throws(() => validateResults(data, "out/results.json"), (e) => {
    assert.ok(e instanceof ResultsError);
    assert.equal(e.message, message);
    return true;
  });
}

const FIX = "fix the field, or delete this run from the file and run it again.";

Deno.test("the fixture is valid, and its ids follow runId", () => {
  const file = results();
  assert.equal(validateResults(file), file);
  for (const r of file.runs) assert.equal(r.id, runId(r));
});

Deno.test("validateResults names the file, the field, what was expected and what was found", () => {
  rejects(
    edited((d) => delete d.runs[3].bestAccuracy),
    `out/results.json: runs[3].bestAccuracy: expected a number in [0, 1], found nothing (the field is missing) — ${FIX}`,
  );
  rejects(
    edited((d) => d.runs[3].bestAccuracy = "x"),
    `out/results.json: runs[3].bestAccuracy: expected a number in [0, 1], found "x" — ${FIX}`,
  );
  rejects(
    edited((d) => d.runs[0].fraction = 0),
    `out/results.json: runs[0].fraction: expected a number in (0, 1], found 0 — ${FIX}`,
  );
  rejects(
    edited((d) => d.runs[2].training.history[1].lr = null),
    `out/results.json: runs[2].training.history[1].lr: expected a number ≥ 0, found null — ${FIX}`,
  );
  rejects(
    edited((d) => d.runs[5].training.tests[0].accuracy = 1.5),
    `out/results.json: runs[5].training.tests[0].accuracy: expected a number in [0, 1], found 1.5 — ${FIX}`,
  );
  rejects(
    edited((d) => d.runs[1].coreset.weighted = "no"),
    `out/results.json: runs[1].coreset.weighted: expected true or false, found "no" — ${FIX}`,
  );
  rejects(
    edited((d) => d.runs[1].crossModel = 7),
    `out/results.json: runs[1].crossModel: expected a non-empty string, found 7 — ${FIX}`,
  );
  rejects(
    edited((d) => d.runs[4].experiment = 1.5),
    `out/results.json: runs[4].experiment: expected an integer ≥ 0, found 1.5 — ${FIX}`,
  );
  rejects(
    edited((d) => d.runs[4].finished = "yesterday"),
    `out/results.json: runs[4].finished: expected an ISO 8601 time, found "yesterday" — ${FIX}`,
  );
  rejects(
    edited((d) => d.runs[4].options = []),
    `out/results.json: runs[4].options: expected an object, found [] — ${FIX}`,
  );
  rejects(edited((d) => d.runs[6] = 3), `out/results.json: runs[6]: expected an object, found 3 — ${FIX}`);
  rejects(
    edited((d) => d.runs[7].id = d.runs[2].id),
    `out/results.json: runs[7].id: expected a unique id, found "CIFAR10/ResNet18/Herding/0.1/exp2", ` +
      `also at runs[2] — ${FIX}`,
  );
});

Deno.test("validateResults rejects a file of another version or shape, and NaN written from memory", () => {
  rejects(
    edited((d) => d.version = 2),
    "out/results.json: version: expected 1, found 2 — this file was not written by this version of deepcore; " +
      "rerun the experiment into a new folder.",
  );
  rejects(
    [],
    "out/results.json: expected a JSON object, found [] — is this a results file?.",
  );
  rejects(
    edited((d) => delete d.runs),
    "out/results.json: runs: expected an array, found nothing (the field is missing) — is this a results file?.",
  );
  const file = results();
  file.runs[0].bestAccuracy = NaN;
  rejects(file, `out/results.json: runs[0].bestAccuracy: expected a number in [0, 1], found NaN — ${FIX}`);
});

Deno.test("validateResults keeps fields the schema does not name", () => {
  const data = edited((d) => {
    d.host = "gpu-1";
    d.runs[0].note = "rerun";
  }) as ResultsFile & { host: string };
  assert.equal(validateResults(data).runs.length, 27);
  assert.equal(data.host, "gpu-1");
});

Deno.test("parseResults and readResults report damaged and missing files", async () => {
  assert.throws(() => parseResults('{"version": 1,', "a/results.json"), (e) => {
    assert.ok(e instanceof ResultsError);
    assert.match(
      e.message,
      /^a\/results.json: expected JSON, found a syntax error \(.+\) — the file is damaged/,
    );
    return true;
  });
  const dir = await Deno.makeTempDir();
  try {
    await assert.rejects(() => readResults(`${dir}/results.json`), (e) => {
      assert.ok(e instanceof Deno.errors.NotFound);
      assert.match((e as Error).message, /results.json: no results file here/);
      return true;
    });
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("writeResults round-trips through readResults, leaves no temporary file, one history epoch a line", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const path = `${dir}/out/results.json`;
    await writeResults(path, results());
    assert.deepEqual(await readResults(path), results());
    assert.deepEqual([...Deno.readDirSync(`${dir}/out`)].map((e) => e.name), ["results.json"]);
    const text = await Deno.readTextFile(path);
    assert.ok(
      text.includes('\n          {"epoch": 2, "loss": 1, "accuracy": 0.4, "lr": 0.05},\n'),
      text.slice(0, 800),
    );
    assert.ok(text.endsWith("}\n"));
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("writeResults refuses an invalid file and leaves the old one untouched", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const path = `${dir}/results.json`;
    await writeResults(path, results());
    const before = await Deno.readTextFile(path);
    const bad = results();
    bad.runs[1].training.seconds = Infinity;
    await assert.rejects(
      () => writeResults(path, bad),
      new RegExp(
        `^ResultsError: ${path}: runs\\[1\\].training.seconds: expected a number ≥ 0, found Infinity`,
      ),
    );
    assert.equal(await Deno.readTextFile(path), before);
    assert.deepEqual([...Deno.readDirSync(dir)].map((e) => e.name), ["results.json"]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("upsertRun replaces by id in place, appends new ids, and leaves its input alone", () => {
  const file = results();
  const ids = file.runs.map((r) => r.id);
  const replaced = upsertRun(file, run("Uniform", 0.01, 1, { bestAccuracy: 0.99 }));
  assert.deepEqual(replaced.runs.map((r) => r.id), ids);
  const i = ids.indexOf("CIFAR10/ResNet18/Uniform/0.01/exp1");
  assert.equal(replaced.runs[i].bestAccuracy, 0.99);
  assert.notEqual(file.runs[i].bestAccuracy, 0.99, "input unchanged");
  const added = upsertRun(replaced, run("Uniform", 0.01, 3));
  assert.deepEqual(added.runs.map((r) => r.id), [...ids, "CIFAR10/ResNet18/Uniform/0.01/exp3"]);
  assert.equal(file.runs.length, 27);
  assert.equal(added.command, file.command);
});

Deno.test("recordRun starts a file, then upserts into it on disk", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const path = `${dir}/results.json`;
    await recordRun(path, run("Herding", 0.1, 0), "deepcore run");
    await recordRun(path, run("Herding", 0.1, 1), "ignored once the file exists");
    const file = await recordRun(path, run("Herding", 0.1, 0, { bestAccuracy: 0.5 }), "ignored");
    assert.equal(file.command, "deepcore run");
    assert.deepEqual((await readResults(path)).runs.map((r) => [r.experiment, r.bestAccuracy]), [[0, 0.5], [
      1,
      0.64,
    ]]);
    assert.deepEqual([...Deno.readDirSync(dir)].map((e) => e.name), ["results.json"]);
    assert.equal(emptyResults("x").runs.length, 0);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
