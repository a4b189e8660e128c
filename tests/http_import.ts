/**
 * Test helper: serves the repository on 127.0.0.1 and runs a script that imports from it over http in a
 * `--no-config` subprocess — how a user imports deepcore from a URL.
 */
import { dirname, extname, join, normalize } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = dirname(dirname(fileURLToPath(import.meta.url)));

/**
 * Runs `script(base)` (base = "http://127.0.0.1:PORT") with `deno eval --no-config` against the served
 * repository; returns its exit code, stdout and stderr.
 */
export async function runOverHttp(
  script: (base: string) => string,
): Promise<{ code: number; stdout: string; stderr: string }> {
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
    const out = await new Deno.Command(Deno.execPath(), {
      args: [
        "eval",
        "--no-config",
        `--allow-import=${host}`,
        `--reload=http://${host}`,
        script(`http://${host}`),
      ],
      stdout: "piped",
      stderr: "piped",
      cwd: await Deno.makeTempDir(),
    }).output();
    const text = (b: Uint8Array) => new TextDecoder().decode(b);
    return { code: out.code, stdout: text(out.stdout), stderr: text(out.stderr) };
  } finally {
    await server.shutdown();
  }
}
