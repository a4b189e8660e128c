/**
 * A reader for the subset of Python's pickle format (protocols 2–5, the binary opcodes) that data files
 * such as CIFAR's `cifar-10-batches-py/data_batch_1` use: dicts, lists, tuples, ints, floats, strings,
 * bytes, and calls of globals (`numpy.core.multiarray._reconstruct`, `numpy.dtype`, …), which are kept as
 * {@linkcode PickleCall} records, never executed.
 *
 * Python 2 `str` values (what the CIFAR files hold) come out as `PickleBytes`; dict keys are decoded as
 * Latin-1 strings.
 *
 * @module
 */

import { FormatError, TRUNCATED } from "./format_error.ts";

/**
 * Raw bytes: a Python 3 `bytes` or a Python 2 `str`.
 *
 * @example
 * ```ts
 * import { PickleBytes } from "./pickle.ts";
 * console.log(new PickleBytes(new Uint8Array([104, 105])).text()); // hi
 * ```
 */
export class PickleBytes {
  /** Wraps `bytes`. */
  constructor(readonly bytes: Uint8Array) {}
  /** The bytes as a Latin-1 string (Python 2 `str` semantics). */
  text(): string {
    return new TextDecoder("latin1").decode(this.bytes);
  }
}

/** A call recorded instead of executed: `global(...args)`, then `__setstate__(state)` if built. */
export interface PickleCall {
  /** "module.name" of the callable. */
  global: string;
  /** The positional arguments. */
  args: PickleValue[];
  /** The state given by BUILD, if any. */
  state?: PickleValue;
}

/** A value read from a pickle. Tuples and lists are arrays; `None` is null. */
export type PickleValue =
  | null
  | boolean
  | number
  | bigint
  | string
  | PickleBytes
  | PickleValue[]
  | Map<string | number, PickleValue>
  | PickleCall
  | { global: string };

const MARK = Symbol("mark");
type StackItem = PickleValue | typeof MARK;

/**
 * Reads one pickled value. Unknown opcodes, truncation and malformed structure are a
 * {@linkcode FormatError} naming `file` and the byte offset.
 *
 * @example
 * ```ts
 * import { PickleBytes, readPickle } from "./pickle.ts";
 * // pickle.dumps({'labels': [3, 7], 'data': b'ab'}, protocol=2) in Python 3, except bytes as BINBYTES
 * const bytes = new Uint8Array([0x80, 2, 0x7d, 0x28, 0x8c, 6, ...new TextEncoder().encode("labels"), 0x5d,
 *   0x28, 0x4b, 3, 0x4b, 7, 0x65, 0x8c, 4, ...new TextEncoder().encode("data"), 0x43, 2, 97, 98, 0x75, 0x2e]);
 * const value = readPickle(bytes, "x.pkl") as Map<string, unknown>;
 * console.log(value.get("labels"), (value.get("data") as PickleBytes).text()); // [3, 7] "ab"
 * ```
 */
export function readPickle(bytes: Uint8Array, file: string): PickleValue {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const stack: StackItem[] = [];
  const memo = new Map<number, PickleValue>();
  let at = 0;
  let op = 0;
  let opAt = 0;
  const fail = (expected: string, found: string, hint = "the file is corrupt; download it again") =>
    new FormatError(file, { offset: opAt, expected, found, hint });
  const need = (n: number) => {
    if (at + n > bytes.length) {
      throw new FormatError(file, {
        offset: bytes.length,
        expected: `${n} more bytes for opcode 0x${op.toString(16)} at byte ${opAt}`,
        found: `${bytes.length - at}`,
        hint: TRUNCATED,
      });
    }
    const start = at;
    at += n;
    return start;
  };
  const u8 = () => bytes[need(1)]!;
  const u32 = () => view.getUint32(need(4), true);
  const u64 = () => {
    const start = need(8);
    const v = view.getBigUint64(start, true);
    if (v > BigInt(bytes.length)) throw fail("a length within the file", `${v}`);
    return Number(v);
  };
  const raw = (n: number) => bytes.subarray(need(n), at);
  const utf8 = (n: number) => new TextDecoder().decode(raw(n));
  const pop = (): PickleValue => {
    const v = stack.pop();
    if (v === undefined || v === MARK) throw fail("a value on the stack", v === MARK ? "a mark" : "nothing");
    return v;
  };
  const popMark = (): PickleValue[] => {
    const i = stack.lastIndexOf(MARK);
    if (i < 0) throw fail("a mark on the stack", "none");
    const items = stack.splice(i) as PickleValue[];
    items.shift();
    return items;
  };
  const top = (): PickleValue => {
    const v = stack[stack.length - 1];
    if (v === undefined || v === MARK) throw fail("a value on the stack", "nothing");
    return v;
  };
  const key = (k: PickleValue): string | number => {
    if (typeof k === "string" || typeof k === "number") return k;
    if (k instanceof PickleBytes) return k.text();
    throw fail("a string or integer dict key", typeof k);
  };
  const setItems = (target: PickleValue, items: PickleValue[]) => {
    if (!(target instanceof Map)) throw fail("a dict under SETITEM(S)", describe(target));
    for (let i = 0; i + 1 < items.length; i += 2) target.set(key(items[i]!), items[i + 1]!);
  };
  const append = (target: PickleValue, items: PickleValue[]) => {
    if (!Array.isArray(target)) throw fail("a list under APPEND(S)", describe(target));
    for (const item of items) target.push(item);
  };
  const fetch = (i: number) => {
    const v = memo.get(i);
    if (v === undefined) throw fail(`memo entry ${i}`, "none");
    return v;
  };
  for (;;) {
    opAt = at;
    op = u8();
    switch (op) {
      case 0x80: // PROTO
        u8();
        break;
      case 0x95: // FRAME
        need(8);
        break;
      case 0x7d: // EMPTY_DICT
        stack.push(new Map());
        break;
      case 0x5d: // EMPTY_LIST
      case 0x29: // EMPTY_TUPLE
        stack.push([]);
        break;
      case 0x28: // MARK
        stack.push(MARK);
        break;
      case 0x71: // BINPUT
        memo.set(u8(), top());
        break;
      case 0x72: // LONG_BINPUT
        memo.set(u32(), top());
        break;
      case 0x94: // MEMOIZE
        memo.set(memo.size, top());
        break;
      case 0x68: // BINGET
        stack.push(fetch(u8()));
        break;
      case 0x6a: // LONG_BINGET
        stack.push(fetch(u32()));
        break;
      case 0x55: // SHORT_BINSTRING
      case 0x43: // SHORT_BINBYTES
        stack.push(new PickleBytes(raw(u8())));
        break;
      case 0x54: // BINSTRING
      case 0x42: // BINBYTES
        stack.push(new PickleBytes(raw(u32())));
        break;
      case 0x8e: // BINBYTES8
      case 0x96: // BYTEARRAY8
        stack.push(new PickleBytes(raw(u64())));
        break;
      case 0x8c: // SHORT_BINUNICODE
        stack.push(utf8(u8()));
        break;
      case 0x58: // BINUNICODE
        stack.push(utf8(u32()));
        break;
      case 0x8d: // BINUNICODE8
        stack.push(utf8(u64()));
        break;
      case 0x4a: // BININT
        stack.push(view.getInt32(need(4), true));
        break;
      case 0x4b: // BININT1
        stack.push(u8());
        break;
      case 0x4d: // BININT2
        stack.push(view.getUint16(need(2), true));
        break;
      case 0x8a: { // LONG1
        const b = raw(u8());
        let v = 0n;
        for (let i = b.length - 1; i >= 0; i--) v = (v << 8n) | BigInt(b[i]!);
        if (b.length > 0 && b[b.length - 1]! >= 0x80) v -= 1n << BigInt(8 * b.length);
        stack.push(Number.isSafeInteger(Number(v)) ? Number(v) : v);
        break;
      }
      case 0x47: // BINFLOAT
        stack.push(view.getFloat64(need(8), false));
        break;
      case 0x4e: // NONE
        stack.push(null);
        break;
      case 0x88: // NEWTRUE
      case 0x89: // NEWFALSE
        stack.push(op === 0x88);
        break;
      case 0x74: // TUPLE
        stack.push(popMark());
        break;
      case 0x85: // TUPLE1
      case 0x86: // TUPLE2
      case 0x87: { // TUPLE3
        const items = Array.from({ length: op - 0x84 }, pop).reverse();
        stack.push(items);
        break;
      }
      case 0x63: { // GLOBAL "module\nname\n"
        const end1 = bytes.indexOf(0x0a, at);
        const end2 = end1 < 0 ? -1 : bytes.indexOf(0x0a, end1 + 1);
        if (end2 < 0) throw fail("a GLOBAL 'module\\nname\\n'", "no line ends", TRUNCATED);
        const text = new TextDecoder().decode(bytes.subarray(at, end2));
        at = end2 + 1;
        stack.push({ global: text.replace("\n", ".") });
        break;
      }
      case 0x93: { // STACK_GLOBAL
        const name = pop(), module = pop();
        stack.push({ global: `${module}.${name}` });
        break;
      }
      case 0x52: // REDUCE
      case 0x81: { // NEWOBJ
        const args = pop(), fn = pop();
        if (!Array.isArray(args) || !isGlobal(fn)) throw fail("a global and an argument tuple", describe(fn));
        stack.push(call(fn.global, args));
        break;
      }
      case 0x62: { // BUILD
        const state = pop();
        const obj = top();
        if (!isGlobal(obj) || !("args" in obj)) throw fail("an object under BUILD", describe(obj));
        (obj as PickleCall).state = state;
        break;
      }
      case 0x73: { // SETITEM
        const v = pop(), k = pop();
        setItems(top(), [k, v]);
        break;
      }
      case 0x75: { // SETITEMS
        const items = popMark();
        setItems(top(), items);
        break;
      }
      case 0x61: { // APPEND
        const v = pop();
        append(top(), [v]);
        break;
      }
      case 0x65: { // APPENDS
        const items = popMark();
        append(top(), items);
        break;
      }
      case 0x2e: // STOP
        return pop();
      default:
        throw fail(
          "a pickle opcode of protocols 2–5",
          `opcode 0x${op.toString(16).padStart(2, "0")}`,
          at === 1 ? "this is not a pickle file; check the path" : "the file is corrupt; download it again",
        );
    }
  }
}

function isGlobal(v: PickleValue | undefined): v is { global: string } {
  return typeof v === "object" && v !== null && !Array.isArray(v) && !(v instanceof Map) &&
    !(v instanceof PickleBytes) && "global" in v;
}

/** Python 3's protocol-2 pickles write bytes as `_codecs.encode(text, 'latin1')`: undo that here. */
function call(global: string, args: PickleValue[]): PickleValue {
  if (global === "_codecs.encode" && typeof args[0] === "string") {
    return new PickleBytes(Uint8Array.from(args[0], (c) => c.charCodeAt(0) & 0xff));
  }
  return { global, args };
}

function describe(v: PickleValue | undefined): string {
  if (v === undefined) return "nothing";
  if (v === null) return "None";
  if (Array.isArray(v)) return "a list or tuple";
  if (v instanceof Map) return "a dict";
  if (v instanceof PickleBytes) return "bytes";
  if (typeof v === "object") return `a global ${v.global}`;
  return typeof v;
}
