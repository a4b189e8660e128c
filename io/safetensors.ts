/**
 * The safetensors format (a little-endian u64 header length, a JSON header naming each tensor's dtype,
 * shape and byte range, then the raw bytes): how deepcore saves weights and checkpoints, so that PyTorch
 * users can read them with `safetensors.torch.load_file`. Only F32 and I32 tensors are written.
 *
 * @module
 */

/** One named tensor of a safetensors file. */
export interface NamedArray {
  /** Values, row-major. */
  data: Float32Array | Int32Array;
  /** Shape. */
  shape: number[];
}

/**
 * Encodes tensors (and string metadata) as a safetensors file.
 *
 * @example
 * ```ts
 * import { decodeSafetensors, encodeSafetensors } from "./safetensors.ts";
 * const bytes = encodeSafetensors({ w: { data: new Float32Array([1, 2]), shape: [2] } }, { epoch: "3" });
 * console.log(decodeSafetensors(bytes, "w.safetensors").tensors.w.data); // Float32Array [1, 2]
 * ```
 */
export function encodeSafetensors(
  tensors: Record<string, NamedArray>,
  metadata: Record<string, string> = {},
): Uint8Array {
  const header: Record<string, unknown> = { __metadata__: metadata };
  let offset = 0;
  const names = Object.keys(tensors).sort();
  for (const name of names) {
    const { data, shape } = tensors[name]!;
    const size = shape.reduce((a, b) => a * b, 1);
    if (size !== data.length) throw new RangeError(`${name}: ${data.length} values for shape [${shape}]`);
    header[name] = {
      dtype: data instanceof Float32Array ? "F32" : "I32",
      shape,
      data_offsets: [offset, offset + data.byteLength],
    };
    offset += data.byteLength;
  }
  let json = JSON.stringify(header);
  json += " ".repeat((8 - ((8 + json.length) % 8)) % 8); // data starts 8-byte aligned
  const head = new TextEncoder().encode(json);
  const out = new Uint8Array(8 + head.length + offset);
  new DataView(out.buffer).setBigUint64(0, BigInt(head.length), true);
  out.set(head, 8);
  let at = 8 + head.length;
  for (const name of names) {
    const { data } = tensors[name]!;
    out.set(new Uint8Array(data.buffer, data.byteOffset, data.byteLength), at);
    at += data.byteLength;
  }
  return out;
}

/** Decodes a safetensors file (F32 and I32 tensors); `file` names it in errors. */
export function decodeSafetensors(
  bytes: Uint8Array,
  file: string,
): { tensors: Record<string, NamedArray>; metadata: Record<string, string> } {
  const fail = (what: string): never => {
    throw new Error(`${file}: not a valid safetensors file: ${what}`);
  };
  if (bytes.length < 8) fail(`${bytes.length} bytes, expected at least 8`);
  const headerLength = Number(new DataView(bytes.buffer, bytes.byteOffset, 8).getBigUint64(0, true));
  if (headerLength > bytes.length - 8) {
    fail(`header of ${headerLength} bytes in a ${bytes.length}-byte file (truncated?)`);
  }
  let header: Record<string, { dtype: string; shape: number[]; data_offsets: [number, number] }>;
  try {
    header = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + headerLength)));
  } catch {
    return fail("the header is not JSON");
  }
  const base = 8 + headerLength;
  const metadata = (header.__metadata__ ?? {}) as unknown as Record<string, string>;
  const tensors: Record<string, NamedArray> = {};
  for (const [name, entry] of Object.entries(header)) {
    if (name === "__metadata__") continue;
    const [begin, end] = entry.data_offsets ?? [];
    if (
      !(Number.isInteger(begin) && Number.isInteger(end) && 0 <= begin! && begin! <= end! &&
        base + end! <= bytes.length)
    ) {
      fail(`tensor ${name}: byte range ${entry.data_offsets} outside the data`);
    }
    const size = entry.shape.reduce((a, b) => a * b, 1);
    if (end! - begin! !== 4 * size) fail(`tensor ${name}: ${end! - begin!} bytes for shape [${entry.shape}]`);
    const slice = bytes.slice(base + begin!, base + end!).buffer;
    if (entry.dtype === "F32") tensors[name] = { data: new Float32Array(slice), shape: entry.shape };
    else if (entry.dtype === "I32") tensors[name] = { data: new Int32Array(slice), shape: entry.shape };
    else fail(`tensor ${name}: dtype ${entry.dtype}, expected F32 or I32`);
  }
  return { tensors, metadata };
}
