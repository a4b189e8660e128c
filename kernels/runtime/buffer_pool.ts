/**
 * A pool of GPU buffers keyed by size class and usage. A released buffer may still be read or written by
 * commands recorded but not yet submitted, and `queue.writeBuffer` runs before those commands, so a
 * released buffer only becomes reusable after the submit that follows its release (`afterSubmit`).
 *
 * @module
 */

/** Usage of every tensor buffer: bound as storage, copied from (readback) and to (uploads). */
export const STORAGE_USAGE: number = 0x80 /* STORAGE */ | 0x4 /* COPY_SRC */ | 0x8; /* COPY_DST */

/**
 * Rounds a byte size up to its size class: four classes per power of two (at most 25 % slack), at least
 * 16 bytes, always a multiple of 16 so that vec4 loads stay in bounds.
 */
export function sizeClass(bytes: number): number {
  const b = Math.max(16, Math.ceil(bytes / 16) * 16);
  if (b <= 256) return b;
  const step = 2 ** (Math.floor(Math.log2(b)) - 2);
  return Math.ceil(b / step) * step;
}

/** Buffers for reuse; see the module comment for when a released buffer becomes reusable. */
export class BufferPool {
  #device: GPUDevice;
  #free = new Map<string, GPUBuffer[]>();
  #pending: GPUBuffer[] = [];
  #freeBytes = 0;
  /** Bytes of buffers currently handed out. */
  usedBytes = 0;
  /** Free bytes kept for reuse before the pool destroys what is released. */
  maxFreeBytes: number;

  /** A pool on `device` keeping at most `maxFreeBytes` of free buffers. */
  constructor(device: GPUDevice, maxFreeBytes = 1 << 30) {
    this.#device = device;
    this.maxFreeBytes = maxFreeBytes;
  }

  /** A buffer of at least `bytes` bytes with `usage`. */
  acquire(bytes: number, usage: number = STORAGE_USAGE): GPUBuffer {
    const size = sizeClass(bytes);
    const list = this.#free.get(key(size, usage));
    let buffer = list?.pop();
    if (buffer) this.#freeBytes -= size;
    else buffer = this.#device.createBuffer({ size, usage, label: `pool ${size}` });
    this.usedBytes += size;
    return buffer;
  }

  /** Gives `buffer` back; it is reusable after the next submit. */
  release(buffer: GPUBuffer): void {
    this.usedBytes -= buffer.size;
    this.#pending.push(buffer);
  }

  /** Number of released buffers waiting for a submit. */
  get pendingCount(): number {
    return this.#pending.length;
  }

  /** Called right after each submit: buffers released before it become reusable. */
  afterSubmit(): void {
    for (const buffer of this.#pending) {
      if (this.#freeBytes + buffer.size > this.maxFreeBytes) {
        buffer.destroy();
        continue;
      }
      const k = key(buffer.size, buffer.usage);
      const list = this.#free.get(k);
      if (list) list.push(buffer);
      else this.#free.set(k, [buffer]);
      this.#freeBytes += buffer.size;
    }
    this.#pending = [];
  }

  /** Destroys every free buffer (handed-out buffers stay valid). */
  trim(): void {
    for (const list of this.#free.values()) for (const b of list) b.destroy();
    this.#free.clear();
    this.#freeBytes = 0;
  }

  /** Bytes held in free buffers. */
  get freeBytes(): number {
    return this.#freeBytes;
  }
}

function key(size: number, usage: number): string {
  return `${size}:${usage}`;
}
