/**
 * Records kernel dispatches into one open compute pass and submits them together; reads results back.
 *
 * Each dispatch and each `mapAsync` costs time on the CPU side (a submit ~50–330 µs, a readback ≥ 11 ms in
 * Deno 2.9), so kernels are only *recorded* when called; the recording is submitted when a result is read,
 * when `flush()` is called, or when it grows past a bound. Small per-dispatch parameters go into a uniform
 * arena written once per submit.
 *
 * @module
 */

import type { BufferPool } from "./buffer_pool.ts";
import { debugMode, deviceLost, throwIfFailed } from "./device.ts";
import type { PipelineCache } from "./pipelines.ts";

/** A float kernel parameter (plain numbers are u32). */
export class F32 {
  /** Wraps `value`. */
  constructor(readonly value: number) {}
}
/** A signed-integer kernel parameter (plain numbers are u32). */
export class I32 {
  /** Wraps `value`. */
  constructor(readonly value: number) {}
}
/** A kernel parameter: a plain number is a u32; wrap floats with `f32()` and signed ints with `i32()`. */
export type Param = number | F32 | I32;
/** Marks `value` as an f32 kernel parameter. */
export const f32 = (value: number): F32 => new F32(value);
/** Marks `value` as an i32 kernel parameter. */
export const i32 = (value: number): I32 => new I32(value);

/** A storage binding: a whole buffer, or a byte range of one. */
export type Binding = GPUBuffer | { buffer: GPUBuffer; offset: number; size: number };

/** Workgroup counts in x, y, z. */
export type Grid = readonly [number, number?, number?];

/** A dispatch with its bind group built once, to record many times (e.g. every step of a greedy loop). */
export interface PreparedDispatch {
  /** The compiled pipeline. */
  pipeline: GPUComputePipeline;
  /** Its bindings. */
  bindGroup: GPUBindGroup;
  /** Workgroup counts. */
  grid: Grid;
  /** The parameters' own uniform buffer, if any (given back by `Recorder.release`). */
  uniform?: GPUBuffer;
}

const SLOT = 256; // minUniformBufferOffsetAlignment on every adapter we know
const ARENA_BYTES = 1 << 16;
const UNIFORM_USAGE = 0x40 /* UNIFORM */ | 0x8; /* COPY_DST */
const READ_USAGE = 0x1 /* MAP_READ */ | 0x8; /* COPY_DST */
const MAX_DISPATCHES_PER_SUBMIT = 4096;

/** See the module comment. */
export class Recorder {
  #device: GPUDevice;
  #pool: BufferPool;
  #pipelines: PipelineCache;
  #encoder: GPUCommandEncoder | null = null;
  #pass: GPUComputePassEncoder | null = null;
  #arenas: { buffer: GPUBuffer; bytes: Uint8Array<ArrayBuffer>; used: number }[] = [];
  #dispatches = 0;
  #scopes: Promise<GPUError | null>[] = [];
  /** Number of submits so far (for profiling and tests). */
  submits = 0;

  /** A recorder on `device` drawing buffers from `pool` and pipelines from `pipelines`. */
  constructor(device: GPUDevice, pool: BufferPool, pipelines: PipelineCache) {
    this.#device = device;
    this.#pool = pool;
    this.#pipelines = pipelines;
  }

  /** Records one dispatch of the kernel `code` over `grid` with `params` and storage `buffers` 1..n. */
  dispatch(code: string, grid: Grid, params: Param[], buffers: Binding[]): void {
    if (grid[0] === 0 || grid[1] === 0 || grid[2] === 0) return;
    const pipeline = this.#pipelines.get(code);
    const uniform = params.length > 0 ? this.#uniformSlot(params) : null;
    this.record({ pipeline, bindGroup: this.#bindGroup(pipeline, uniform, buffers), grid });
  }

  /**
   * Builds a dispatch once to record it many times. Its parameters live in a buffer of its own, written
   * now; give it back with `release` after the last `record`.
   */
  prepare(code: string, grid: Grid, params: Param[], buffers: Binding[]): PreparedDispatch {
    const pipeline = this.#pipelines.get(code);
    if (params.length === 0) return { pipeline, bindGroup: this.#bindGroup(pipeline, null, buffers), grid };
    const bytes = encodeParams(params);
    const uniform = this.#pool.acquire(bytes.byteLength, UNIFORM_USAGE);
    this.#device.queue.writeBuffer(uniform, 0, bytes);
    const binding = { buffer: uniform, offset: 0, size: bytes.byteLength };
    return { pipeline, bindGroup: this.#bindGroup(pipeline, binding, buffers), grid, uniform };
  }

  /** Gives back the buffers of prepared dispatches once their last recording has been made. */
  release(...prepared: PreparedDispatch[]): void {
    for (const d of prepared) if (d.uniform) this.#pool.release(d.uniform);
  }

  /** Records a prepared dispatch. */
  record(d: PreparedDispatch): void {
    const pass = this.#openPass();
    pass.setPipeline(d.pipeline);
    pass.setBindGroup(0, d.bindGroup);
    pass.dispatchWorkgroups(d.grid[0], d.grid[1] ?? 1, d.grid[2] ?? 1);
    if (++this.#dispatches >= MAX_DISPATCHES_PER_SUBMIT) this.flush();
  }

  /** Records a buffer-to-buffer copy (offsets and size multiples of 4). */
  copy(src: GPUBuffer, srcOffset: number, dst: GPUBuffer, dstOffset: number, size: number): void {
    if (size === 0) return;
    this.#closePass();
    this.#openEncoder().copyBufferToBuffer(src, srcOffset, dst, dstOffset, size);
  }

  /** Records filling `size` bytes of `buffer` at `offset` with zeros (multiples of 4). */
  clear(buffer: GPUBuffer, offset = 0, size: number = buffer.size): void {
    if (size === 0) return;
    this.#closePass();
    this.#openEncoder().clearBuffer(buffer, offset, size);
  }

  /** Submits everything recorded so far. */
  flush(): void {
    if (!this.#encoder) return;
    this.#closePass();
    for (const arena of this.#arenas) {
      this.#device.queue.writeBuffer(arena.buffer, 0, arena.bytes, 0, arena.used);
    }
    this.#device.queue.submit([this.#encoder.finish()]);
    this.submits++;
    if (debugMode) this.#scopes.push(this.#device.popErrorScope());
    for (const arena of this.#arenas) this.#pool.release(arena.buffer);
    this.#arenas = [];
    this.#encoder = null;
    this.#dispatches = 0;
    this.#pool.afterSubmit();
  }

  /** Reads byte ranges of buffers back to the CPU with one submit: the phase's single synchronisation. */
  async read(ranges: { buffer: GPUBuffer; offset: number; size: number }[]): Promise<ArrayBuffer[]> {
    const staging = ranges.map((r) => this.#pool.acquire(Math.max(4, r.size), READ_USAGE));
    ranges.forEach((r, i) => this.copy(r.buffer, r.offset, staging[i]!, 0, roundUp4(r.size)));
    this.flush();
    const lost = deviceLost(this.#device);
    try {
      await Promise.race([Promise.all(staging.map((s) => s.mapAsync(GPUMapMode.READ))), lost]);
      await this.#checkScopes();
      throwIfFailed();
      return ranges.map((r, i) => staging[i]!.getMappedRange(0, roundUp4(r.size)).slice(0, r.size));
    } catch (e) {
      // A destroyed or lost device first shows up as a failed map; report the loss, which says why.
      await new Promise((resolve) => setTimeout(resolve, 0));
      throwIfFailed();
      throw e;
    } finally {
      for (const s of staging) {
        if (s.mapState === "mapped") s.unmap();
        this.#pool.release(s);
      }
    }
  }

  /** Waits until the GPU has finished everything submitted (one synchronisation). */
  async sync(): Promise<void> {
    this.flush();
    await Promise.race([this.#device.queue.onSubmittedWorkDone(), deviceLost(this.#device)]);
    await this.#checkScopes();
    throwIfFailed();
  }

  async #checkScopes(): Promise<void> {
    const scopes = this.#scopes;
    this.#scopes = [];
    for (const error of await Promise.all(scopes)) {
      if (error) throw new Error(`WebGPU validation error: ${error.message}`);
    }
  }

  #openEncoder(): GPUCommandEncoder {
    if (!this.#encoder) {
      if (debugMode) this.#device.pushErrorScope("validation");
      this.#encoder = this.#device.createCommandEncoder();
    }
    return this.#encoder;
  }

  #openPass(): GPUComputePassEncoder {
    this.#pass ??= this.#openEncoder().beginComputePass();
    return this.#pass;
  }

  #closePass(): void {
    this.#pass?.end();
    this.#pass = null;
  }

  #uniformSlot(params: Param[]): Binding {
    const bytes = encodeParams(params);
    let arena = this.#arenas.at(-1);
    if (!arena || arena.used + SLOT > ARENA_BYTES) {
      arena = {
        buffer: this.#pool.acquire(ARENA_BYTES, UNIFORM_USAGE),
        bytes: new Uint8Array(ARENA_BYTES),
        used: 0,
      };
      this.#arenas.push(arena);
    }
    const offset = arena.used;
    arena.bytes.set(bytes, offset);
    arena.used += SLOT;
    this.#openEncoder(); // the arena is written at the submit of this encoder
    return { buffer: arena.buffer, offset, size: bytes.byteLength };
  }

  #bindGroup(pipeline: GPUComputePipeline, uniform: Binding | null, buffers: Binding[]): GPUBindGroup {
    const entries: GPUBindGroupEntry[] = [];
    if (uniform) entries.push({ binding: 0, resource: resource(uniform) });
    buffers.forEach((b, i) => entries.push({ binding: i + 1, resource: resource(b) }));
    return this.#device.createBindGroup({ layout: pipeline.getBindGroupLayout(0), entries });
  }
}

function resource(b: Binding): GPUBufferBinding {
  return b instanceof GPUBuffer ? { buffer: b } : { buffer: b.buffer, offset: b.offset, size: b.size };
}

/** Packs parameters into 4-byte slots, padded to 16 bytes (a uniform struct's size granularity). */
export function encodeParams(params: Param[]): Uint8Array<ArrayBuffer> {
  const bytes = new Uint8Array(Math.ceil(params.length / 4) * 16);
  const view = new DataView(bytes.buffer);
  params.forEach((p, i) => {
    if (p instanceof F32) view.setFloat32(i * 4, p.value, true);
    else if (p instanceof I32) view.setInt32(i * 4, p.value, true);
    else if (Number.isInteger(p) && p >= 0 && p <= 0xffffffff) view.setUint32(i * 4, p, true);
    else throw new RangeError(`kernel parameter ${i} = ${p} is not a u32; wrap it with f32() or i32()`);
  });
  return bytes;
}

function roundUp4(n: number): number {
  return Math.ceil(n / 4) * 4;
}
