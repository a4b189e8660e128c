import assert from "node:assert/strict";
import { FormatError, TRUNCATED } from "../../../datasets/formats/format_error.ts";

Deno.test("FormatError: the style guide's one-line message", () => {
  const e = new FormatError("cifar-10-batches-bin/data_batch_3.bin", {
    expected: "30730000 bytes (10000 records of 3073)",
    found: "5000",
    hint: TRUNCATED,
  });
  assert.equal(
    e.message,
    "cifar-10-batches-bin/data_batch_3.bin: expected 30730000 bytes (10000 records of 3073), found 5000 — " +
      "the file is truncated; download it again.",
  );
  assert.ok(e instanceof Error);
  assert.equal(e.name, "FormatError");
  assert.equal(e.offset, undefined);
  assert.equal(e.file, "cifar-10-batches-bin/data_batch_3.bin");
});

Deno.test("FormatError: offset and context", () => {
  const e = new FormatError("train_32x32.mat", {
    offset: 16,
    context: "in the inflated data of the compressed element at byte 128",
    expected: "a",
    found: "b",
    hint: "c",
  });
  assert.equal(
    e.message,
    "train_32x32.mat at byte 16 (in the inflated data of the compressed element at byte 128): expected a, found b — c.",
  );
  assert.equal(e.offset, 16);
  assert.equal(e.expected, "a");
  assert.equal(e.found, "b");
  assert.equal(e.hint, "c");
});

Deno.test("FormatError: text quoted from a corrupt file stays on one line and short", () => {
  const e = new FormatError("a\nb.npy", {
    expected: "x",
    found: `'<f4\n\r\u2028${"z".repeat(500)}'`,
    hint: "h",
  });
  assert.ok(!/[\n\r\u2028]/.test(e.message));
  assert.match(e.message, /^a\\u000ab\.npy: expected x, found '<f4\\u000a\\u000d\\u2028z+… — h\.$/);
  assert.ok(e.message.length < 260);
});
