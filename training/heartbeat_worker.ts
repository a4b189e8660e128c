/**
 * The worker behind `heartbeat` (`progress.ts`): on its first message `{ label, interval, live }` it writes
 * "label m:ss" to stderr every `interval` ms — from its own thread, so that it keeps time while the main
 * thread waits on the GPU (Deno's WebGPU blocks the main event loop until a submission is done).
 *
 * @module
 */

import { formatSeconds } from "./progress.ts";

const start = performance.now();
globalThis.addEventListener("message", (e) => {
  const { label, interval, live } =
    (e as MessageEvent<{ label: string; interval: number; live: boolean }>).data;
  setInterval(() => {
    const line = `${label} ${formatSeconds((performance.now() - start) / 1000)}`;
    Deno.stderr.writeSync(new TextEncoder().encode(live ? `\r\x1b[2K${line}` : `${line}\n`));
  }, interval);
}, { once: true });
