import assert from "node:assert/strict";
import { gatherRows, requireMatrix, sampleCount } from "../../../selectors/reference/input.ts";

const matrix = (rows: number, cols: number) => ({ data: new Float32Array(rows * cols), rows, cols });

Deno.test("sampleCount: from any field, fields must agree", () => {
  assert.equal(sampleCount({ features: matrix(4, 2) }, "m"), 4);
  assert.equal(sampleCount({ probs: matrix(4, 3), labels: new Int32Array(4) }, "m"), 4);
  assert.throws(() => sampleCount({}, "m"), /m: needs at least one of/);
  assert.throws(
    () => sampleCount({ features: matrix(4, 2), labels: new Int32Array(3) }, "m"),
    /input\.features has 4 samples but input\.labels has 3/,
  );
  assert.throws(
    () => sampleCount({ features: { data: new Float32Array(5), rows: 2, cols: 2 } }, "m"),
    /input\.features is 2 × 2 but holds 5 values/,
  );
});

Deno.test("requireMatrix and gatherRows", () => {
  assert.throws(() => requireMatrix({ features: matrix(1, 1) }, "probs", "cd"), /cd: needs input\.probs/);
  const m = { data: Float32Array.from([1, 2, 3, 4, 5, 6]), rows: 3, cols: 2 };
  assert.equal(requireMatrix({ features: m }, "features", "x"), m);
  assert.equal(gatherRows(m, Int32Array.from([0, 1, 2])), m);
  assert.deepEqual(gatherRows(m, Int32Array.from([1])), {
    data: Float32Array.from([3, 4]),
    rows: 1,
    cols: 2,
  });
  assert.deepEqual(gatherRows(m, new Int32Array(0)).rows, 0);
});
