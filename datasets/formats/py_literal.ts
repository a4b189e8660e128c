/**
 * A parser for the small subset of Python literals that `.npy` headers use.
 *
 * @module
 */

/** A parsed Python literal: tuples and lists both become arrays, `None` becomes `null`. */
export type PyValue = string | number | boolean | null | PyValue[] | { [key: string]: PyValue };

/** Nesting deeper than this is rejected rather than risking a stack overflow on hostile input. */
const MAX_DEPTH = 64;

/**
 * Parses a Python literal made of dicts with string keys, tuples, lists, strings, integers, `True`,
 * `False` and `None`. Anything else (floats, expressions, trailing text) throws a `SyntaxError` that
 * says where.
 *
 * @example
 * ```ts
 * import { parsePyLiteral } from "./py_literal.ts";
 * const v = parsePyLiteral("{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }");
 * if (JSON.stringify(v) !== '{"descr":"<f4","fortran_order":false,"shape":[2,3]}') throw new Error("bad");
 * ```
 */
export function parsePyLiteral(text: string): PyValue {
  let i = 0;
  const fail = (what: string): never => {
    throw new SyntaxError(`${what} at character ${i}`);
  };
  const skip = () => {
    while (i < text.length && " \t\r\n".includes(text[i])) i++;
  };
  const sequence = (close: string, depth: number): PyValue[] => {
    const items: PyValue[] = [];
    for (;;) {
      skip();
      if (text[i] === close) break;
      items.push(value(depth));
      skip();
      if (text[i] === ",") i++;
      else if (text[i] !== close) fail(`expected ',' or '${close}'`);
    }
    i++;
    return items;
  };
  const value = (depth: number): PyValue => {
    if (depth > MAX_DEPTH) fail("nesting too deep");
    skip();
    const c = text[i];
    if (c === "(" || c === "[") {
      i++;
      return sequence(c === "(" ? ")" : "]", depth + 1);
    }
    if (c === "{") {
      i++;
      const dict: { [key: string]: PyValue } = {};
      for (;;) {
        skip();
        if (text[i] === "}") break;
        const key = value(depth + 1);
        if (typeof key !== "string") fail("expected a string key");
        skip();
        if (text[i++] !== ":") fail("expected ':'");
        dict[key as string] = value(depth + 1);
        skip();
        if (text[i] === ",") i++;
        else if (text[i] !== "}") fail("expected ',' or '}'");
      }
      i++;
      return dict;
    }
    if (c === "'" || c === '"') return string(c);
    const word = /^(?:[-+]?\d+L?|True|False|None)/.exec(text.slice(i, i + 32))?.[0];
    if (word === undefined) return fail(i >= text.length ? "unexpected end" : `unexpected '${c}'`);
    i += word.length;
    if (word === "True") return true;
    if (word === "False") return false;
    if (word === "None") return null;
    return Number(word.replace("L", ""));
  };
  const string = (quote: string): string => {
    let out = "";
    for (i++; i < text.length && text[i] !== quote; i++) {
      if (text[i] === "\\") i++;
      out += text[i] ?? "";
    }
    if (i >= text.length) fail("unterminated string");
    i++;
    return out;
  };
  const result = value(0);
  skip();
  if (i < text.length) fail("unexpected text after the literal");
  return result;
}
