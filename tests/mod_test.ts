import assert from "node:assert/strict";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { VERSION } from "../mod.ts";
import { runOverHttp } from "./http_import.ts";

const ROOT = dirname(dirname(fileURLToPath(import.meta.url)));

Deno.test("VERSION equals deno.json's version", async () => {
  const config = JSON.parse(await Deno.readTextFile(join(ROOT, "deno.json")));
  assert.equal(VERSION, config.version);
});

Deno.test("mod.ts works when imported over http with --no-config", async () => {
  const out = await runOverHttp((base) => `
    import { matmul, readAll, ready, upload } from "${base}/mod.ts";
    await ready();
    const a = upload(new Float32Array([1, 2, 3, 4]), [2, 2]);
    const [c] = await readAll([matmul(a, a)]);
    console.log(JSON.stringify(Array.from(c)));
  `);
  assert.equal(out.code, 0, out.stderr);
  assert.equal(out.stdout.trim(), "[7,10,15,22]");
});
