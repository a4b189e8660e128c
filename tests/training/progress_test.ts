import assert from "node:assert/strict";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { formatSeconds } from "../../training/progress.ts";

const PROGRESS = join(dirname(dirname(dirname(fileURLToPath(import.meta.url)))), "training", "progress.ts");

Deno.test("formatSeconds: m:ss under an hour, h:mm:ss past it, rounded, never negative", () => {
  assert.equal(formatSeconds(0), "0:00");
  assert.equal(formatSeconds(75), "1:15");
  assert.equal(formatSeconds(59.6), "1:00");
  assert.equal(formatSeconds(3725), "1:02:05");
  assert.equal(formatSeconds(-3), "0:00");
});

Deno.test("heartbeat keeps time while the main thread is blocked, and stops; quiet writes nothing", async () => {
  // The main thread spins without yielding, as it does while Deno's WebGPU waits on a submission.
  const script = (quiet: boolean) => `
    import { heartbeat } from ${JSON.stringify(PROGRESS)};
    const beat = heartbeat("selecting with Herding…", { interval: 50, quiet: ${quiet} });
    await new Promise((resolve) => setTimeout(resolve, 100)); // the worker starts
    for (const t = performance.now(); performance.now() - t < 600;);
    beat.stop();
    await new Promise((resolve) => setTimeout(resolve, 200));
    console.error("end");`;
  const run = async (quiet: boolean) => {
    const out = await new Deno.Command(Deno.execPath(), { args: ["eval", "--ext=ts", script(quiet)] })
      .output();
    assert.equal(out.code, 0, new TextDecoder().decode(out.stderr));
    return new TextDecoder().decode(out.stderr).trim().split("\n");
  };
  const lines = await run(false);
  assert.equal(lines.at(-1), "end", "nothing after stop()");
  const beats = lines.slice(0, -1);
  assert.ok(beats.length >= 3, `${beats.length} lines while blocked: ${beats.join(" | ")}`);
  for (const line of beats) assert.match(line, /^selecting with Herding… \d+:\d\d$/);
  assert.deepEqual(await run(true), ["end"]);
});
