import * as tf from "npm:@tensorflow/tfjs-core@4.22.0";
import assert from "node:assert/strict";
import {
  BINARY,
  binary,
  type BinaryOp,
  binaryReference,
  UNARY,
  unary,
  type UnaryOp,
  unaryReference,
} from "../../kernels/elementwise.ts";
import { ready } from "../../kernels/runtime/runtime.ts";
import { readAll, upload } from "../../kernels/runtime/tensor.ts";
import { assertClose, randomArray } from "./util.ts";

await ready();

Deno.test("unary ops match the reference on odd sizes", async () => {
  for (const n of [1, 63, 64, 65, 1000]) {
    for (const op of Object.keys(UNARY) as UnaryOp[]) {
      const positive = op === "log" || op === "sqrt" || op === "rsqrt";
      const x = randomArray(n, n, positive ? 0.1 : -3, 3);
      const y = unary(op, upload(x, [n]));
      const [got] = await readAll([y]);
      // exp/log/tanh on a GPU are not correctly rounded: a few ulps
      assertClose(got!, unaryReference(op, x), { atol: 1e-6, rtol: 2e-6, what: `${op}(n=${n})` });
    }
  }
});

Deno.test("binary ops broadcast like numpy", async () => {
  const cases: [number[], number[]][] = [
    [[5], [5]],
    [[3, 4], [4]],
    [[3, 1], [1, 4]],
    [[2, 1, 3], [4, 1]],
    [[1], [7, 2]],
    [[2, 3, 1, 2, 1, 3], [3, 1]],
    [[2, 1, 2, 1, 2, 1, 2, 3], [2, 1, 2, 1]],
  ];
  for (const [as, bs] of cases) {
    for (const op of Object.keys(BINARY) as BinaryOp[]) {
      const a = randomArray(as.reduce((x, y) => x * y, 1), 1);
      const b = randomArray(bs.reduce((x, y) => x * y, 1), 2, 0.5, 2);
      const c = binary(op, upload(a, as), upload(b, bs));
      const [got] = await readAll([c]);
      assertClose(got!, binaryReference(op, a, as, b, bs), { what: `${op} [${as}]x[${bs}]` });
    }
  }
});

Deno.test("outputs bigger than one binding are processed in windows", async () => {
  const n = 5000; // 20 000 bytes against 4 KiB bindings: 5 windows
  const x = randomArray(n, 9, 0.1, 2), row = randomArray(50, 10);
  const small = { maxBindingBytes: 4096 };
  const [u, same, bc] = await readAll([
    unary("sqrt", upload(x, [n]), small),
    binary("mul", upload(x, [n]), upload(x, [n]), small),
    binary("sub", upload(x, [100, 50]), upload(row, [50]), small),
  ]);
  assertClose(u!, unaryReference("sqrt", x), { what: "windowed sqrt" });
  assertClose(same!, binaryReference("mul", x, [n], x, [n]), { what: "windowed mul" });
  assertClose(bc!, binaryReference("sub", x, [100, 50], row, [50]), { what: "windowed broadcast sub" });
});

Deno.test("shapes that do not broadcast are refused with both shapes named", () => {
  assert.throws(
    () => binary("add", upload(new Float32Array(6), [2, 3]), upload(new Float32Array(2), [2])),
    /shapes \[2,3\] and \[2\] do not broadcast/,
  );
});

Deno.test("empty tensors give empty results", async () => {
  const y = unary("exp", upload(new Float32Array(0), [0, 3]));
  assert.deepEqual(y.shape, [0, 3]);
  const [got] = await readAll([y]);
  assert.equal(got!.length, 0);
});

Deno.test("tf.tidy disposes our tensors and frees their buffers", () => {
  const before = tf.memory().numTensors;
  tf.tidy(() => {
    const x = upload(new Float32Array([1, 2, 3]), [3]);
    unary("neg", x);
    tf.reshape(x, [3, 1]);
  });
  assert.equal(tf.memory().numTensors, before);
});
