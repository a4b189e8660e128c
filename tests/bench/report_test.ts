import assert from "node:assert/strict";
import { type BenchRecord, formatTable, mergeResults } from "../../bench/report.ts";

const rec = (name: string, ours: number, peers: Record<string, number> = {}): BenchRecord => ({
  name,
  unit: "GFLOP/s",
  ours,
  peers,
});

Deno.test("mergeResults starts from an empty list when the file is missing, creating its folder", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const path = `${dir}/results/latest.json`;
    const merged = await mergeResults(path, [rec("a", 1)]);
    assert.deepEqual(merged, [rec("a", 1)]);
    assert.deepEqual(JSON.parse(await Deno.readTextFile(path)), [rec("a", 1)]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("mergeResults replaces same-named records in place and appends new ones in order", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const path = `${dir}/latest.json`;
    await mergeResults(path, [rec("a", 1), rec("b", 2, { "tfjs-wasm": 4 }), rec("c", 3)]);
    const merged = await mergeResults(path, [rec("d", 5), rec("b", 6), rec("e", 7), rec("d", 8)]);
    const expected = [rec("a", 1), rec("b", 6), rec("c", 3), rec("d", 8), rec("e", 7)];
    assert.deepEqual(merged, expected);
    const text = await Deno.readTextFile(path);
    assert.deepEqual(JSON.parse(text), expected);
    assert.equal(text, JSON.stringify(expected, null, 2) + "\n", "pretty-printed");
    const left = [...Deno.readDirSync(dir)].map((e) => e.name);
    assert.deepEqual(left, ["latest.json"], "no temporary file left behind");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("mergeResults refuses a file that is not an array of records, and leaves it alone", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const path = `${dir}/latest.json`;
    for (const bad of ["{", '{"name": "a"}', '[{"name": "a"}]']) {
      await Deno.writeTextFile(path, bad);
      await assert.rejects(mergeResults(path, [rec("a", 1)]), /latest\.json: .*fix or delete the file/);
      assert.equal(await Deno.readTextFile(path), bad);
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("mergeResults refuses non-finite values before touching the file", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const path = `${dir}/latest.json`;
    await assert.rejects(mergeResults(path, [rec("a", NaN)]), /"a" has ours = NaN/);
    await assert.rejects(mergeResults(path, [rec("b", 1, { p: Infinity })]), /"b" has p = Infinity/);
    assert.deepEqual([...Deno.readDirSync(dir)], []);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("formatTable aligns columns and gives ours/peer for each peer", () => {
  const table = formatTable([
    rec("matmul 512", 6, { "tfjs-webgpu": 2, "tfjs-wasm": 12 }),
    { name: "softmax 4096x1000", unit: "GB/s", ours: 1.234, peers: { "tfjs-wasm": 0.5 } },
  ]);
  assert.equal(
    table,
    [
      "name               unit     ours  tfjs-webgpu  ours/tfjs-webgpu  tfjs-wasm  ours/tfjs-wasm",
      "-----------------  -------  ----  -----------  ----------------  ---------  --------------",
      "matmul 512         GFLOP/s  6.00         2.00              3.00      12.00            0.50",
      "softmax 4096x1000  GB/s     1.23            -                 -       0.50            2.47",
    ].join("\n"),
  );
});

Deno.test("formatTable shows '-' for a ratio it cannot form", () => {
  const lines = formatTable([rec("x", 3, { p: 0 }), rec("y", NaN, { p: 2 })]).split("\n");
  assert.match(lines[2]!, /^x +GFLOP\/s +3\.00 +0\.00 +-$/);
  assert.match(lines[3]!, /^y +GFLOP\/s +- +2\.00 +-$/);
  assert.equal(formatTable([]), "name  unit  ours\n----  ----  ----");
});
