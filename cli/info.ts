/**
 * `deepcore info`: the adapter, the graphics API and the limits deepcore runs with.
 *
 * @module
 */

import { ready } from "../kernels/runtime/runtime.ts";

/** A printable description of the GPU deepcore would use. */
export async function describeGpu(): Promise<string> {
  const rt = await ready({ makeActive: false });
  const { info, limits } = rt;
  const lines = [
    `adapter:      ${info.description || "(no description)"}`,
    `vendor:       ${info.vendor || "?"}  architecture: ${info.architecture || "?"}  device: ${
      info.device || "?"
    }`,
    `software:     ${rt.software ? "yes (CPU rasteriser: expect CPU-like speed)" : "no"}`,
    `graphics API: ${
      rt.graphicsApi === "default"
        ? "wgpu's default (set DENO_WEBGPU_BACKEND=gl|vulkan to force)"
        : rt.graphicsApi
    }`,
    "limits:",
    ...Object.entries(limits).map(([k, v]) => `  ${k.padEnd(36)} ${v}`),
  ];
  return lines.join("\n");
}
