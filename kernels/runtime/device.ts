/**
 * The one shared WebGPU device: acquired lazily, headless, with explicit limits, and with its failure modes
 * (no adapter, device lost, validation errors) turned into errors a user can act on.
 *
 * @module
 */

/** The device every deepcore kernel runs on, with what we learnt about it. */
export interface Gpu {
  /** The adapter the device came from. */
  adapter: GPUAdapter;
  /** The device itself. */
  device: GPUDevice;
  /** Adapter description (vendor, architecture, device, description). */
  info: GPUAdapterInfo;
  /** The graphics API wgpu drives underneath: "vulkan", "gl", … or "default" when not forced. */
  graphicsApi: string;
  /** The limits we requested (the adapter's own maxima for the ones we use). */
  limits: Record<string, number>;
  /** True when the adapter is a software rasteriser (llvmpipe, lavapipe, SwiftShader). */
  software: boolean;
}

/** Thrown when this machine has no WebGPU adapter at all. */
export class GpuUnavailableError extends Error {
  constructor() {
    super(
      "no WebGPU adapter found. On a machine without a GPU install Mesa's software driver " +
        "(Debian: `apt-get install libegl-mesa0 libgl1-mesa-dri`, or `mesa-vulkan-drivers` for Vulkan) " +
        "and try again; DENO_WEBGPU_BACKEND=gl|vulkan forces one graphics API.",
    );
    this.name = "GpuUnavailableError";
  }
}

/** The limits deepcore's kernels depend on; we ask for the adapter's maximum of each. */
const WANTED_LIMITS = [
  "maxStorageBufferBindingSize",
  "maxBufferSize",
  "maxStorageBuffersPerShaderStage",
  "maxComputeWorkgroupsPerDimension",
  "maxComputeInvocationsPerWorkgroup",
  "maxComputeWorkgroupSizeX",
  "maxComputeWorkgroupSizeY",
  "maxComputeWorkgroupSizeZ",
  "maxComputeWorkgroupStorageSize",
  "maxUniformBufferBindingSize",
  "maxBindGroups",
] as const;

let acquiring: Promise<Gpu> | null = null;
let lostError: Error | null = null;
let uncapturedError: Error | null = null;

/** Whether `DEEPCORE_DEBUG` asks for validation error scopes around every submit. */
export const debugMode: boolean = (() => {
  try {
    return (Deno.env.get("DEEPCORE_DEBUG") ?? "") !== "";
  } catch {
    return false; // no --allow-env: not in debug mode
  }
})();

/**
 * The shared device, acquired on first use.
 *
 * @example
 * ```ts
 * import { gpu } from "./device.ts";
 * const { info, limits } = await gpu();
 * console.log(info.description, limits.maxStorageBufferBindingSize);
 * ```
 */
export function gpu(): Promise<Gpu> {
  acquiring ??= acquire().catch((e) => {
    acquiring = null; // let a later call retry, e.g. after the user installed a driver
    throw e;
  });
  return acquiring;
}

async function acquire(): Promise<Gpu> {
  if (typeof navigator === "undefined" || !navigator.gpu) throw new GpuUnavailableError();
  const adapter = await navigator.gpu.requestAdapter({ powerPreference: "high-performance" });
  if (!adapter) throw new GpuUnavailableError();
  const limits: Record<string, number> = {};
  for (const name of WANTED_LIMITS) {
    const value = (adapter.limits as unknown as Record<string, number>)[name];
    if (typeof value === "number") limits[name] = value;
  }
  const device = await adapter.requestDevice({ requiredLimits: limits });
  device.lost.then((info) => {
    lostError = new Error(`the GPU device was lost (${info.reason}): ${info.message}`);
  });
  device.addEventListener("uncapturederror", (event) => {
    uncapturedError ??= new Error(`WebGPU error: ${(event as GPUUncapturedErrorEvent).error.message}`);
  });
  const info = adapter.info;
  const text = `${info.description} ${info.device} ${info.architecture}`.toLowerCase();
  return {
    adapter,
    device,
    info,
    graphicsApi: forcedBackend(),
    limits,
    software: info.isFallbackAdapter || /llvmpipe|lavapipe|swiftshader/.test(text),
  };
}

function forcedBackend(): string {
  try {
    return Deno.env.get("DENO_WEBGPU_BACKEND") ?? "default";
  } catch {
    return "default";
  }
}

/**
 * Throws the first asynchronous failure seen so far (device lost, uncaptured validation error), so that a
 * broken device surfaces as an error at the next synchronisation point instead of a hang or wrong numbers.
 */
export function throwIfFailed(): void {
  if (lostError) throw lostError;
  if (uncapturedError) {
    const e = uncapturedError;
    uncapturedError = null;
    throw e;
  }
}

/** Resolves with a rejection when the device is lost, so waits can race against it. */
export async function deviceLost(device: GPUDevice): Promise<never> {
  const info = await device.lost;
  throw new Error(`the GPU device was lost (${info.reason}): ${info.message}`);
}
