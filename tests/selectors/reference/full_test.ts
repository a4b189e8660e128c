import assert from "node:assert/strict";
import { full } from "../../../selectors/reference/full.ts";

Deno.test("full: every index in order, options ignored", () => {
  const input = { labels: Int32Array.from([1, 0, 1]) };
  assert.deepEqual([...full(input).indices], [0, 1, 2]);
  assert.deepEqual([...full(input, { fraction: 0.1, balance: true, seed: 5 }).indices], [0, 1, 2]);
  assert.deepEqual([...full({ labels: new Int32Array(0) }).indices], []);
  assert.throws(() => full({}), /full: needs at least one of/);
});
