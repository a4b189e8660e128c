import assert from "node:assert/strict";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { readNpyFile, writeNpyFile } from "../datasets/formats/npy.ts";
import { ready } from "../kernels/runtime/runtime.ts";
import { findMethod } from "../selectors/registry.ts";

const CLI = join(dirname(dirname(fileURLToPath(import.meta.url))), "cli.ts");

async function cli(...args: string[]) {
  const out = await new Deno.Command(Deno.execPath(), { args: ["run", "-A", CLI, ...args] }).output();
  const text = (b: Uint8Array) => new TextDecoder().decode(b);
  return { code: out.code, stdout: text(out.stdout), stderr: text(out.stderr) };
}

const dir = await Deno.makeTempDir();
const n = 120;
await writeNpyFile(join(dir, "x.npy"), Float32Array.from({ length: n * 4 }, (_, i) => Math.sin(i * 0.37)), [
  n,
  4,
]);
await writeNpyFile(join(dir, "y.npy"), BigInt64Array.from({ length: n }, (_, i) => BigInt(i % 3)));

Deno.test("select writes int64 indices as .npy and .json, balanced per class", async () => {
  const out = join(dir, "keep.npy");
  const r = await cli(
    "select",
    "--method",
    "KCENTERGREEDY",
    "--input",
    join(dir, "x.npy"),
    "--labels",
    join(dir, "y.npy"),
    "--fraction",
    "0.25",
    "--balance",
    "--out",
    out,
  );
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /kCenterGreedy: kept 30 of 120 samples/);
  const indices = await readNpyFile(out);
  assert.equal(indices.dtype, "int64");
  assert.deepEqual(indices.shape, [30]);
  const json = JSON.parse(await Deno.readTextFile(join(dir, "keep.json")));
  assert.deepEqual(json.indices, Array.from(indices.data as BigInt64Array, Number));
  const perClass = [0, 0, 0];
  for (const i of json.indices) perClass[i % 3]++;
  assert.deepEqual(perClass, [10, 10, 10]);
});

Deno.test("score methods also write their scores", async () => {
  const out = join(dir, "margin.npy");
  const r = await cli(
    "select",
    "--method",
    "Margin",
    "--probs",
    join(dir, "x.npy"),
    "--budget",
    "5",
    "--out",
    out,
  );
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual((await readNpyFile(join(dir, "margin.scores.npy"))).shape, [5]);
});

Deno.test("--greedy, --function and --similarity reach the method", async () => {
  // StochasticGreedy's picks depend on the seed and the optimiser: the same options through the library
  // must pick the same samples, and the .json records them.
  const x = join(dir, "x.npy"), out = join(dir, "sub.npy");
  const features = { data: (await readNpyFile(x)).data as Float32Array, rows: n, cols: 4 };
  for (
    const [method, flags, options] of [
      ["FacilityLocation", ["--greedy", "stochastic", "--similarity", "onthefly"], {
        greedy: "StochasticGreedy",
        similarity: "onthefly",
      }],
      ["Submodular", ["--function", "logdeterminant", "--greedy", "Naive"], {
        function: "LogDeterminant",
        greedy: "NaiveGreedy",
      }],
    ] as const
  ) {
    const r = await cli(
      "select",
      "--method",
      method,
      "--input",
      x,
      "--budget",
      "7",
      "--seed",
      "3",
      ...flags,
      "--out",
      out,
    );
    assert.equal(r.code, 0, r.stderr);
    const json = JSON.parse(await Deno.readTextFile(join(dir, "sub.json")));
    for (const [key, value] of Object.entries(options)) {
      assert.equal(json.options[key], value, `${method} ${key}`);
    }
    await ready();
    const want = await findMethod(method).select({ features }, { budget: 7, seed: 3, ...options });
    assert.deepEqual(json.indices, [...want.indices], method);
  }
});

Deno.test("a malformed .npy exits non-zero with one clear line", async () => {
  const bad = join(dir, "bad.npy");
  await Deno.writeTextFile(bad, "not numpy");
  const r = await cli(
    "select",
    "--method",
    "Herding",
    "--input",
    bad,
    "--budget",
    "3",
    "--out",
    join(dir, "o.npy"),
  );
  assert.equal(r.code, 1);
  assert.match(r.stderr, /bad\.npy at byte 0: expected the \.npy magic/);
  assert.doesNotMatch(r.stderr, /\n\s+at /);
});

Deno.test("select refuses bad options with the valid choices", async () => {
  const x = join(dir, "x.npy"), o = join(dir, "o.npy");
  const both = await cli(
    "select",
    "--method",
    "Uniform",
    "--input",
    x,
    "--budget",
    "3",
    "--fraction",
    "0.1",
    "--out",
    o,
  );
  assert.match(both.stderr, /exactly one of --fraction F and --budget K/);
  const unknown = await cli("select", "--method", "nope", "--input", x, "--budget", "3", "--out", o);
  assert.match(unknown.stderr, /unknown selection method 'nope' \(valid: Uniform,/);
  const big = await cli("select", "--method", "Uniform", "--input", x, "--budget", "500", "--out", o);
  assert.match(big.stderr, /budget/);
  assert.notEqual(big.code, 0);
});
