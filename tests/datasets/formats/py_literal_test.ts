import assert from "node:assert/strict";
import { parsePyLiteral } from "../../../datasets/formats/py_literal.ts";

Deno.test("parsePyLiteral: the subset used by .npy headers", () => {
  assert.deepEqual(parsePyLiteral("{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }"), {
    descr: "<f4",
    fortran_order: false,
    shape: [2, 3],
  });
  assert.deepEqual(parsePyLiteral("()"), []);
  assert.deepEqual(parsePyLiteral("(5,)"), [5]);
  assert.deepEqual(parsePyLiteral("(3L, 4L)"), [3, 4], "Python 2 long literals");
  assert.deepEqual(parsePyLiteral(`[("a", '<i4'), ('b\\'c', None, True)]`), [["a", "<i4"], [
    "b'c",
    null,
    true,
  ]]);
  assert.deepEqual(parsePyLiteral(" { } "), {});
});

Deno.test("parsePyLiteral: malformed input is a SyntaxError, never a crash", () => {
  for (const bad of ["", "{", "{'a' 1}", "{1: 2}", "(1, 2", "'abc", "1.5", "{'a': 1} x", "(,)", "nan"]) {
    assert.throws(() => parsePyLiteral(bad), SyntaxError, bad);
  }
  assert.throws(() => parsePyLiteral("(".repeat(10000)), /nesting too deep/);
});
