/**
 * Windows onto buffers bigger than one storage binding (128 MiB on llvmpipe): a kernel that may see such a
 * buffer binds a 256-byte-aligned range of it and subtracts the window's first element from its indices.
 *
 * @module
 */

import { grid1d } from "../prelude_wgsl.ts";
import type { Binding, Param } from "./recorder.ts";
import { runtime } from "./runtime.ts";

/** Storage-buffer offset alignment, in 4-byte elements (256 bytes on every adapter we know). */
export const ALIGN = 64;

/**
 * Elements (4-byte) one storage binding may hold: the device's limit, or less when `maxBindingBytes` asks
 * for less (tests use this to exercise windowed paths on small inputs).
 *
 * @example
 * ```ts
 * import { ready } from "./runtime.ts";
 * import { bindingElements } from "./window.ts";
 * await ready();
 * console.log(bindingElements(4096)); // 1024
 * ```
 */
export function bindingElements(maxBindingBytes?: number): number {
  const limit = runtime().limits.maxStorageBufferBindingSize ?? 134217728;
  const elements = Math.floor(Math.min(limit, maxBindingBytes ?? limit) / 4);
  if (elements < 4 * ALIGN) {
    throw new RangeError(
      `a storage binding of ${elements * 4} bytes is too small: allow at least ${16 * ALIGN}`,
    );
  }
  return elements;
}

/**
 * A binding of elements [start, end) of `buffer`, its offset rounded down to a multiple of 256 bytes (the
 * storage offset alignment); `base` is the element the binding starts at, to subtract from indices in the
 * shader. An empty range binds 4 bytes (a binding cannot be empty; pool buffers hold at least 16).
 *
 * @example
 * ```ts
 * import { ready } from "./runtime.ts";
 * import { windowBinding } from "./window.ts";
 * const { device } = await ready();
 * const buffer = device.createBuffer({ size: 4096, usage: GPUBufferUsage.STORAGE });
 * console.log(windowBinding(buffer, 100, 300).base); // 64
 * ```
 */
export function windowBinding(
  buffer: GPUBuffer,
  start: number,
  end: number,
): { binding: Binding; base: number } {
  const base = Math.floor(start / ALIGN) * ALIGN;
  const size = Math.min(buffer.size - base * 4, Math.max(16, Math.ceil((end - base) / 4) * 16));
  return { binding: { buffer, offset: base * 4, size }, base };
}

/** Whether every buffer fits in one binding of `elements` elements. */
export function allFit(buffers: GPUBuffer[], elements: number): boolean {
  return buffers.every((b) => b.size <= elements * 4);
}

/**
 * The windows [start, start + count) of n elements that each fit one binding, every one starting on the
 * offset alignment (so a window of any buffer laid out like the first binds with no leftover offset).
 *
 * @example
 * ```ts
 * import { ready } from "./runtime.ts";
 * import { flatWindows } from "./window.ts";
 * await ready();
 * console.log(flatWindows(2500, 4096)); // [{ start: 0, count: 1024 }, { start: 1024, count: 1024 }, { start: 2048, count: 452 }]
 * ```
 */
export function flatWindows(n: number, maxBindingBytes?: number): { start: number; count: number }[] {
  const limit = Math.floor(bindingElements(maxBindingBytes) / ALIGN) * ALIGN;
  const out = [];
  for (let start = 0; start < n; start += limit) out.push({ start, count: Math.min(limit, n - start) });
  return out;
}

/**
 * Records a 1-D kernel over n elements window by window: each dispatch gets params `[count,
 * ...params(start)]` and every buffer bound to its part of the window (all buffers laid out alike).
 */
export function dispatchFlat(
  code: string,
  n: number,
  buffers: GPUBuffer[],
  params: (start: number) => Param[],
  maxBindingBytes?: number,
): void {
  for (const { start, count } of flatWindows(n, maxBindingBytes)) {
    const bindings = buffers.map((b) => windowBinding(b, start, start + count).binding);
    runtime().recorder.dispatch(code, grid1d(count), [count, ...params(start)], bindings);
  }
}
