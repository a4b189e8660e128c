import assert from "node:assert/strict";
import { farthestFirst } from "../../../selectors/reference/farthest_first.ts";

Deno.test("farthestFirst: first given, then farthest from the nearest pick, ties to the lowest index", () => {
  const x = [0, 1, 5, 9, 9];
  const d = (a: number, b: number) => Math.abs(x[a] - x[b]);
  assert.deepEqual([...farthestFirst(5, 5, 1, d)], [1, 3, 2, 0, 4]); // 4 duplicates 3: distance 0, last
  assert.deepEqual([...farthestFirst(5, 1, 4, d)], [4]);
  assert.deepEqual([...farthestFirst(5, 0, 4, d)], []);
  assert.throws(() => farthestFirst(5, 6, 0, d), /0 ≤ k ≤ 5/);
  assert.throws(() => farthestFirst(5, 2, 5, d), /first point in 0\.\.4/);
});

Deno.test("farthestFirst: evaluates at most (k−1)(m−1) distances, only against the newest pick", () => {
  let calls = 0;
  const picks = farthestFirst(30, 10, 0, (a, b) => {
    calls++;
    return Math.abs(Math.sin(a) - Math.sin(b));
  });
  assert.equal(picks.length, 10);
  assert.ok(calls <= 9 * 29);
});
