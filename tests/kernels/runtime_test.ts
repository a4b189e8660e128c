import * as tf from "npm:@tensorflow/tfjs-core@4.22.0";
import assert from "node:assert/strict";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { unary } from "../../kernels/elementwise.ts";
import { BufferPool, sizeClass } from "../../kernels/runtime/buffer_pool.ts";
import { encodeParams, f32, i32 } from "../../kernels/runtime/recorder.ts";
import { ready, runtime } from "../../kernels/runtime/runtime.ts";
import { readAll, upload } from "../../kernels/runtime/tensor.ts";

const rt = await ready();

Deno.test("size classes: multiples of 16, at most 25 % slack, monotone", () => {
  let last = 0;
  for (let b = 0; b < 1 << 20; b = Math.ceil(b * 1.07) + 1) {
    const c = sizeClass(b);
    assert.ok(c >= b && c % 16 === 0 && c >= last, `sizeClass(${b}) = ${c}`);
    if (b > 256) assert.ok(c <= b * 1.25 + 16, `sizeClass(${b}) = ${c} wastes too much`);
    last = c;
  }
});

Deno.test("a released buffer is reused only after the next submit", () => {
  const pool = new BufferPool(rt.device);
  const a = pool.acquire(1000);
  pool.release(a);
  const b = pool.acquire(1000);
  assert.notEqual(a, b, "reused before the commands that may still use it were submitted");
  pool.afterSubmit();
  assert.equal(pool.acquire(1000), a);
  pool.release(b);
  pool.trim();
});

Deno.test("kernel parameters pack as u32, f32 and i32, padded to 16 bytes", () => {
  const bytes = encodeParams([7, f32(1.5), i32(-2)]);
  assert.equal(bytes.byteLength, 16);
  const view = new DataView(bytes.buffer);
  assert.deepEqual([view.getUint32(0, true), view.getFloat32(4, true), view.getInt32(8, true)], [7, 1.5, -2]);
  assert.throws(() => encodeParams([-1]), /parameter 0 = -1 is not a u32/);
});

Deno.test("tensors round-trip through the deepcore backend for every dtype", async () => {
  assert.equal(tf.getBackend(), "deepcore");
  const f = tf.tensor([1.5, -2, 3], [3]);
  const i = tf.tensor([1, -2, 3], [3], "int32");
  const b = tf.tensor([true, false, true], [3], "bool");
  assert.deepEqual(Array.from(await f.data()), [1.5, -2, 3]);
  assert.deepEqual(Array.from(await i.data()), [1, -2, 3]);
  assert.deepEqual(Array.from(await b.data()), [1, 0, 1]);
  assert.deepEqual(await tf.reshape(f, [1, 3]).array(), [[1.5, -2, 3]]);
  assert.throws(() => f.dataSync(), /use `await tensor.data\(\)`/);
  tf.dispose([f, i, b]);
});

Deno.test("dispose, tidy and reshape keep the books: no data or bytes leak", () => {
  const before = tf.memory() as tf.MemoryInfo & { numBytesInGPU: number };
  const ids = rt.backend.numDataIds();
  const kept = tf.tidy(() => {
    const x = upload(new Float32Array(1000), [10, 100]);
    const r = tf.reshape(x, [1000]); // shares x's buffer
    unary("exp", r);
    return tf.keep(unary("neg", x));
  });
  assert.equal(rt.backend.numDataIds(), ids + 1);
  kept.dispose();
  runtime().recorder.flush(); // the submit returns the recording's own uniform arena to the pool
  const after = tf.memory() as tf.MemoryInfo & { numBytesInGPU: number };
  assert.equal(rt.backend.numDataIds(), ids);
  assert.equal(after.numTensors, before.numTensors);
  assert.equal(after.numBytesInGPU, before.numBytesInGPU);
});

Deno.test("a chain of kernels is one submit, read back once", async () => {
  const submits = runtime().recorder.submits;
  const y = tf.tidy(() => {
    let x = upload(new Float32Array([0.5, -0.25]), [2]);
    for (let k = 0; k < 100; k++) x = unary("neg", x);
    return x;
  });
  const [values] = await readAll([y]);
  assert.deepEqual(Array.from(values!), [0.5, -0.25]);
  assert.equal(runtime().recorder.submits, submits + 1);
  y.dispose();
});

Deno.test("a lost device turns into an error, not a hang", async () => {
  const runtimeUrl = join(dirname(dirname(dirname(fileURLToPath(import.meta.url)))), "mod.ts");
  const script = `
    import { ready, readAll, upload } from ${JSON.stringify(runtimeUrl)};
    const rt = await ready();
    const t = upload(new Float32Array([1]), [1]);
    rt.device.destroy();
    try { await readAll([t]); console.log("no error"); } catch (e) { console.log(e.message); }
  `;
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["eval", script],
    stdout: "piped",
    stderr: "piped",
  })
    .output();
  const text = new TextDecoder().decode(out.stdout);
  assert.match(text, /device was lost|destroyed|invalid/i, new TextDecoder().decode(out.stderr));
});
