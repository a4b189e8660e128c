/**
 * Decompression with the runtime's built-in `DecompressionStream`: gzip files (RFC 1952, e.g. the
 * Fashion-MNIST `.gz` files) and zlib streams (RFC 1950, the payload of MATLAB's compressed elements).
 *
 * @module
 */

import { FormatError } from "./format_error.ts";

/** Where a compressed stream sits, for error messages. */
export interface StreamLocation {
  /** Byte offset of the compressed data in the file. */
  offset?: number;
  /** What the data is, e.g. "the zlib data of the element at byte 128". */
  context?: string;
}

/**
 * True when `bytes` begins with the gzip magic number 1f 8b.
 *
 * @example
 * ```ts
 * import { isGzip } from "./gzip.ts";
 * if (!isGzip(new Uint8Array([0x1f, 0x8b, 8])) || isGzip(new Uint8Array([0, 0, 8, 3]))) throw new Error("bad");
 * ```
 */
export function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

/**
 * Returns `bytes` decompressed when they start with the gzip magic 1f 8b, and unchanged otherwise, so a
 * reader accepts both `train-images-idx3-ubyte` and `train-images-idx3-ubyte.gz`.
 *
 * Only single-member gzip files are accepted (what `gzip` and the dataset mirrors produce); a truncated,
 * corrupt or concatenated file is a {@linkcode FormatError} naming `file`.
 *
 * @example
 * ```ts
 * import { maybeGunzip } from "./gzip.ts";
 * const plain = new Uint8Array([1, 2, 3]);
 * const gz = await new Response(new Blob([plain]).stream().pipeThrough(new CompressionStream("gzip"))).bytes();
 * const out = await maybeGunzip(gz, "x.gz");
 * if (out.join() !== "1,2,3" || (await maybeGunzip(plain, "x")) !== plain) throw new Error("bad");
 * ```
 */
export async function maybeGunzip(bytes: Uint8Array, file: string): Promise<Uint8Array> {
  if (!isGzip(bytes)) return bytes;
  return await decompress("gzip", bytes, file, { offset: 0, context: "gzip data" });
}

/**
 * Inflates a zlib stream (RFC 1950: 2-byte header, DEFLATE data, Adler-32). Corrupt data is a
 * {@linkcode FormatError} naming `file` and `where`. A stream cut short may inflate without error to
 * fewer bytes: callers must check the length of what comes out against what they expect.
 *
 * @example
 * ```ts
 * import { inflateZlib } from "./gzip.ts";
 * const z = await new Response(new Blob([new Uint8Array([7, 7, 7])]).stream()
 *   .pipeThrough(new CompressionStream("deflate"))).bytes();
 * if ((await inflateZlib(z, "x.mat")).join() !== "7,7,7") throw new Error("bad");
 * ```
 */
export async function inflateZlib(
  bytes: Uint8Array,
  file: string,
  where: StreamLocation = {},
): Promise<Uint8Array> {
  return await decompress("deflate", bytes, file, { context: "zlib data", ...where });
}

/**
 * Reads a file and gunzips it when it is gzip-compressed (judged by its first bytes, not its name).
 *
 * @example
 * ```ts
 * import { readMaybeGzipped } from "./gzip.ts";
 * const dir = await Deno.makeTempDir();
 * await Deno.writeFile(`${dir}/a.bin`, new Uint8Array([9]));
 * if ((await readMaybeGzipped(`${dir}/a.bin`))[0] !== 9) throw new Error("bad");
 * await Deno.remove(dir, { recursive: true });
 * ```
 */
export async function readMaybeGzipped(path: string): Promise<Uint8Array> {
  return await maybeGunzip(await Deno.readFile(path), path);
}

async function decompress(
  format: CompressionFormat,
  bytes: Uint8Array,
  file: string,
  where: StreamLocation,
): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  let total = 0;
  try {
    const stream = ReadableStream.from([bytes as Uint8Array<ArrayBuffer>]).pipeThrough(
      new DecompressionStream(format),
    );
    for await (const chunk of stream) {
      chunks.push(chunk);
      total += chunk.length;
    }
  } catch (e) {
    const reason = e instanceof Error ? e.message : String(e);
    throw new FormatError(file, {
      ...where,
      expected: `a complete ${format === "gzip" ? "single-member gzip" : "zlib"} stream`,
      found: `a stream the decompressor rejects (${reason})`,
      hint: "the file is truncated or corrupt; download it again",
    });
  }
  if (chunks.length === 1) return chunks[0];
  const out = new Uint8Array(total);
  let at = 0;
  for (const chunk of chunks) {
    out.set(chunk, at);
    at += chunk.length;
  }
  return out;
}
