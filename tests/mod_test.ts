import assert from "node:assert/strict";
import { dirname, extname, join, normalize } from "node:path";
import { fileURLToPath } from "node:url";
import { VERSION } from "../mod.ts";

const ROOT = dirname(dirname(fileURLToPath(import.meta.url)));

Deno.test("VERSION equals deno.json's version", async () => {
  const config = JSON.parse(await Deno.readTextFile(join(ROOT, "deno.json")));
  assert.equal(VERSION, config.version);
});

Deno.test("mod.ts works when imported over http with --no-config", async () => {
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, async (req) => {
    const path = normalize(join(ROOT, decodeURIComponent(new URL(req.url).pathname)));
    if (!path.startsWith(ROOT)) return new Response("forbidden", { status: 403 });
    try {
      const type = extname(path) === ".ts" ? "application/typescript" : "text/plain";
      return new Response(await Deno.readFile(path), { headers: { "content-type": type } });
    } catch {
      return new Response("not found", { status: 404 });
    }
  });
  try {
    const host = `127.0.0.1:${server.addr.port}`;
    const script = `
      import { matmul, readAll, ready, upload } from "http://${host}/mod.ts";
      await ready();
      const a = upload(new Float32Array([1, 2, 3, 4]), [2, 2]);
      const [c] = await readAll([matmul(a, a)]);
      console.log(JSON.stringify(Array.from(c)));
    `;
    const out = await new Deno.Command(Deno.execPath(), {
      args: ["eval", "--no-config", `--allow-import=${host}`, `--reload=http://${host}`, script],
      stdout: "piped",
      stderr: "piped",
      cwd: await Deno.makeTempDir(),
    }).output();
    const stderr = new TextDecoder().decode(out.stderr);
    assert.equal(out.code, 0, stderr);
    assert.equal(new TextDecoder().decode(out.stdout).trim(), "[7,10,15,22]");
  } finally {
    await server.shutdown();
  }
});
