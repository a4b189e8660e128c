import assert from "node:assert/strict";
import { readQmnistLabels } from "../../../datasets/formats/qmnist.ts";
import { writeIdx } from "../../../datasets/formats/idx.ts";
import { throwsFormat } from "./fixtures.ts";

const rows = [
  [5, 4, 2100, 3, 35, 281769, 0, 0],
  [0, 0, 610, 149, 30, 0, 0, 0],
  [9, 1, 17, 0, 39, 12, 0, 0],
];

Deno.test("readQmnistLabels: labels from column 0 and the full records", () => {
  const file = writeIdx({ dtype: "int32", dims: [3, 8], data: Int32Array.from(rows.flat()) });
  assert.deepEqual([...file.subarray(0, 4)], [0, 0, 0x0c, 2], "magic 0x00000C02");
  const q = readQmnistLabels(file, "qmnist-train-labels-idx2-int");
  assert.equal(q.count, 3);
  assert.deepEqual(q.labels, new Uint8Array([5, 0, 9]));
  assert.deepEqual(q.records, Int32Array.from(rows.flat()));
});

Deno.test("readQmnistLabels: wrong kind of IDX file, wrong width, bad class", () => {
  const mnistLabels = writeIdx({ dtype: "uint8", dims: [3], data: new Uint8Array(3) });
  throwsFormat(
    () => readQmnistLabels(mnistLabels, "l"),
    /^l at byte 2: expected IDX int32 rank 2 .* found type 08 rank 1 — this is not a QMNIST/,
  );
  const narrow = writeIdx({ dtype: "int32", dims: [2, 4], data: new Int32Array(8) });
  throwsFormat(() => readQmnistLabels(narrow, "l"), /^l at byte 8: expected 8 columns per record, found 4/);
  const bad = Int32Array.from(rows.flat());
  bad[16] = 10;
  const e = throwsFormat(
    () => readQmnistLabels(writeIdx({ dtype: "int32", dims: [3, 8], data: bad }), "l"),
    /^l at byte 76: expected a class 0–9 in column 0, found 10 in record 2/,
  );
  assert.equal(e.offset, 12 + 2 * 32);
  const file = writeIdx({ dtype: "int32", dims: [3, 8], data: Int32Array.from(rows.flat()) });
  throwsFormat(() => readQmnistLabels(file.subarray(0, 50), "l"), /truncated/);
});
