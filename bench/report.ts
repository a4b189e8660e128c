/**
 * Benchmark records: merging them into `bench/results/latest.json` and printing them as a table of our
 * throughput against each peer's.
 *
 * @module
 */

import { basename, dirname, join } from "node:path";

/**
 * One benchmarked op at one size: our throughput and each peer's, in the same unit, higher is better.
 * A peer that could not run is absent from `peers`.
 */
export type BenchRecord = { name: string; unit: string; ours: number; peers: Record<string, number> };

/**
 * Merges `records` into the JSON array of records at `path` and returns the merged array: a record
 * replaces the stored one of the same name in place, and new names are appended in order. A missing file
 * counts as empty; a non-finite value in `records` throws, since JSON cannot hold it. The file is written
 * whole to a temporary file in the same folder and renamed over the old one, so a reader never sees half
 * of it.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { mergeResults } from "./report.ts";
 * const path = `${await Deno.makeTempDir()}/latest.json`;
 * await mergeResults(path, [{ name: "matmul 512", unit: "GFLOP/s", ours: 3, peers: {} }]);
 * const merged = await mergeResults(path, [{ name: "matmul 512", unit: "GFLOP/s", ours: 4, peers: {} }]);
 * assert.deepEqual(merged.map((r) => r.ours), [4]);
 * ```
 */
export async function mergeResults(path: string, records: readonly BenchRecord[]): Promise<BenchRecord[]> {
  for (const r of records) {
    // JSON would store NaN or Infinity as null, and the next read would reject the whole file.
    const bad = [["ours", r.ours], ...Object.entries(r.peers)].find(([, v]) => !Number.isFinite(v));
    if (bad) {
      const [key, value] = bad;
      throw new Error(
        `${path}: record "${r.name}" has ${key} = ${value}, which JSON cannot store — ` +
          `leave a peer that failed out of peers, or skip a record whose own value failed.`,
      );
    }
  }
  const merged = await readResults(path);
  const at = new Map(merged.map((r, i) => [r.name, i]));
  for (const r of records) {
    const i = at.get(r.name);
    if (i === undefined) {
      at.set(r.name, merged.length);
      merged.push(r);
    } else {
      merged[i] = r;
    }
  }
  const dir = dirname(path);
  await Deno.mkdir(dir, { recursive: true });
  const tmp = join(dir, `.${basename(path)}.${crypto.randomUUID()}.tmp`);
  try {
    await Deno.writeTextFile(tmp, JSON.stringify(merged, null, 2) + "\n");
    await Deno.rename(tmp, path);
  } catch (e) {
    await Deno.remove(tmp).catch(() => {});
    throw e;
  }
  return merged;
}

async function readResults(path: string): Promise<BenchRecord[]> {
  let text: string;
  try {
    text = await Deno.readTextFile(path);
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return [];
    throw e;
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    throw new Error(`${path}: not valid JSON (${(e as Error).message}) — fix or delete the file.`);
  }
  if (!Array.isArray(data) || !data.every(isRecord)) {
    throw new Error(
      `${path}: expected a JSON array of {name, unit, ours, peers} records — fix or delete the file.`,
    );
  }
  return data;
}

function isRecord(x: unknown): x is BenchRecord {
  const r = x as BenchRecord;
  return typeof r === "object" && r !== null && typeof r.name === "string" && typeof r.unit === "string" &&
    typeof r.ours === "number" && typeof r.peers === "object" && r.peers !== null;
}

/**
 * A fixed-width text table, one row per record: name, unit, our value, then for each peer (in the order
 * they first appear) its value and the ratio ours/peer. Values and ratios have 2 decimals; a peer missing
 * from a record shows "-". Since every unit is a throughput, a ratio above 1 means we are faster.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { formatTable } from "./report.ts";
 * const table = formatTable([
 *   { name: "matmul 512", unit: "GFLOP/s", ours: 6, peers: { "tfjs-wasm": 12, "tfjs-webgpu": 2 } },
 * ]);
 * assert.match(table.split("\n")[2]!, /^matmul 512 +GFLOP\/s +6\.00 +12\.00 +0\.50 +2\.00 +3\.00$/);
 * ```
 */
export function formatTable(records: readonly BenchRecord[]): string {
  const peers = [...new Set(records.flatMap((r) => Object.keys(r.peers)))];
  const header = ["name", "unit", "ours", ...peers.flatMap((p) => [p, `ours/${p}`])];
  const rows = records.map((r) => [
    r.name,
    r.unit,
    fixed(r.ours),
    ...peers.flatMap((p) => {
      const v = r.peers[p];
      return v === undefined ? ["-", "-"] : [fixed(v), v > 0 ? fixed(r.ours / v) : "-"];
    }),
  ]);
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((row) => row[c]!.length)));
  // Name and unit read left to right; numbers line up on the right.
  const line = (cells: string[]) =>
    cells.map((s, c) => c < 2 ? s.padEnd(widths[c]!) : s.padStart(widths[c]!)).join("  ").trimEnd();
  return [line(header), widths.map((w) => "-".repeat(w)).join("  "), ...rows.map(line)].join("\n");
}

function fixed(v: number): string {
  return Number.isFinite(v) ? v.toFixed(2) : "-";
}
