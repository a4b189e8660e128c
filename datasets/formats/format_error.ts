/**
 * The one error type every file-format reader throws for bad input.
 *
 * @module
 */

/** What went wrong, in the words a user needs to fix it. */
export interface FormatErrorDetails {
  /** Byte offset of the problem in the file (or in the decompressed data, see `context`). */
  offset?: number | undefined;
  /** Where `offset` counts from when it is not the file itself, e.g. "in the zlib data of the element at byte 128". */
  context?: string | undefined;
  /** What the reader expected, e.g. "30730000 bytes (10000 records of 3073)". */
  expected: string;
  /** What it found instead, e.g. "5000". */
  found: string;
  /** What the user can do, e.g. "the file is truncated; download it again". */
  hint: string;
}

/**
 * The hint for files that end early.
 *
 * @example
 * ```ts
 * import { FormatError, TRUNCATED } from "./format_error.ts";
 * const e = new FormatError("a.bin", { offset: 8, expected: "16 bytes", found: "8", hint: TRUNCATED });
 * if (e.message !== "a.bin at byte 8: expected 16 bytes, found 8 — the file is truncated; download it again.") {
 *   throw e;
 * }
 * ```
 */
export const TRUNCATED = "the file is truncated; download it again";

/**
 * A file does not match its format. The message is one line: the file, the byte offset (when there is
 * one), what was expected, what was found and what to do.
 *
 * @example
 * ```ts
 * import { FormatError } from "./format_error.ts";
 * const e = new FormatError("cifar-10-batches-bin/data_batch_3.bin", {
 *   expected: "30730000 bytes (10000 records of 3073)",
 *   found: "5000",
 *   hint: "the file is truncated; download it again",
 * });
 * if (!e.message.endsWith("found 5000 — the file is truncated; download it again.")) throw e;
 * ```
 */
export class FormatError extends Error {
  /** The file (path or name) being read. */
  readonly file: string;
  /** Byte offset of the problem, when known. */
  readonly offset: number | undefined;
  /** What `offset` counts from when it is not the file itself. */
  readonly context: string | undefined;
  /** What was expected. */
  readonly expected: string;
  /** What was found. */
  readonly found: string;
  /** What to do about it. */
  readonly hint: string;

  /** Builds the one-line message from `file` and `details`. */
  constructor(file: string, details: FormatErrorDetails) {
    super(message(file, details));
    this.name = "FormatError";
    this.file = file;
    this.offset = details.offset;
    this.context = details.context;
    this.expected = details.expected;
    this.found = details.found;
    this.hint = details.hint;
  }
}

function message(file: string, details: FormatErrorDetails): string {
  const at = details.offset === undefined ? "" : ` at byte ${details.offset}`;
  const context = details.context === undefined ? "" : ` (${oneLine(details.context)})`;
  const what = `expected ${oneLine(details.expected)}, found ${oneLine(details.found)}`;
  return `${oneLine(file, Infinity)}${at}${context}: ${what} — ${oneLine(details.hint)}.`;
}

// deno-lint-ignore no-control-regex
const LINE_BREAKING = /[\x00-\x1f\x7f\x85\u2028\u2029]/g;

/** Escapes control characters and shortens long text, since parts may quote bytes from a corrupt file. */
function oneLine(text: string, max = 200): string {
  const escaped = text.replace(LINE_BREAKING, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
  return escaped.length > max ? `${escaped.slice(0, max)}…` : escaped;
}
