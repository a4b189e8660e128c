import assert from "node:assert/strict";
import { project } from "../../bench/selectors_bench_util.ts";

Deno.test("project fits the growth of the calibration runs", async () => {
  const calls: number[] = [];
  const p = await project(
    (n) => {
      calls.push(n);
      return Promise.resolve((n / 1000) ** 2);
    },
    64_000,
    { lo: 1, hi: 3 },
  );
  assert.deepEqual(calls, [500, 1000]); // n = 1000 takes 1 s, past `enough` (0.5 s): no more runs
  assert.equal(p.exponent, 2);
  assert.equal(Math.round(p.seconds), 4096);
});

Deno.test("project runs a stalled calibration run again and keeps the faster time", async () => {
  const calls: number[] = [];
  let stalls = 1;
  const p = await project(
    (n) => {
      calls.push(n);
      const seconds = (n / 4000) ** 2;
      // the first run at n = 1000 stalls: 100× its time, far past what growth.hi = 2 allows from n = 500
      return Promise.resolve(n === 1000 && stalls-- > 0 ? 100 * seconds : seconds);
    },
    64_000,
    { lo: 1, hi: 2 },
  );
  assert.deepEqual(calls, [500, 1000, 1000, 2000, 4000]);
  assert.equal(p.exponent, 2);
  assert.equal(Math.round(p.seconds), 256);
});
