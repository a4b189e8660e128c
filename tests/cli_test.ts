import assert from "node:assert/strict";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { VERSION } from "../mod.ts";

const CLI = join(dirname(dirname(fileURLToPath(import.meta.url))), "cli.ts");

async function cli(...args: string[]) {
  const out = await new Deno.Command(Deno.execPath(), { args: ["run", "-A", CLI, ...args] }).output();
  const text = (b: Uint8Array) => new TextDecoder().decode(b);
  return { code: out.code, stdout: text(out.stdout), stderr: text(out.stderr) };
}

Deno.test("cli --version and --help", async () => {
  assert.equal((await cli("--version")).stdout.trim(), VERSION);
  const help = await cli("--help");
  assert.equal(help.code, 0);
  assert.match(help.stdout, /Commands:[\s\S]*info/);
});

Deno.test("cli info prints the adapter and its limits", async () => {
  const { code, stdout } = await cli("info");
  assert.equal(code, 0);
  assert.match(stdout, /adapter: /);
  assert.match(stdout, /maxStorageBufferBindingSize\s+\d+/);
});

Deno.test("cli rejects an unknown command or option with one line and no stack trace", async () => {
  const bad = await cli("bogus");
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /unknown command 'bogus' \(valid: run, select, report, datasets, models, info\)/);
  const opt = await cli("--nope");
  assert.equal(opt.code, 1);
  assert.match(opt.stderr, /^error: unknown option '--nope'/);
  assert.doesNotMatch(opt.stderr, /\n\s+at /);
});
