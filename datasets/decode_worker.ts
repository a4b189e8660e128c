/**
 * A decoding worker: receives `{ id, jobs, sizes }`, runs the jobs one after another into one buffer and
 * posts `{ id, pixels }` (transferred) or `{ id, error }` back.
 *
 * @module
 */

/// <reference lib="deno.worker" />

import { type DecodeJob, runJob } from "./image_transform.ts";

self.onmessage = async (event: MessageEvent<{ id: number; jobs: DecodeJob[]; bytes: number[] }>) => {
  const { id, jobs, bytes } = event.data;
  try {
    const pixels = new Uint8Array(bytes.reduce((a, b) => a + b, 0));
    let at = 0;
    for (let i = 0; i < jobs.length; i++) {
      await runJob(jobs[i]!, pixels, at);
      at += bytes[i]!;
    }
    self.postMessage({ id, pixels }, [pixels.buffer]);
  } catch (e) {
    const error = e instanceof Error ? { ...e, name: e.name, message: e.message } : { message: String(e) };
    self.postMessage({ id, error });
  }
};
