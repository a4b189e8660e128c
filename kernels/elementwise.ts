/**
 * Elementwise ops on float32 tensors: unary maths and broadcasting binary arithmetic, each beside the plain
 * TypeScript reference its test compares against.
 *
 * @module
 */

import type * as tf from "npm:@tensorflow/tfjs-core@4.22.0";
import { binaryWgsl, MAX_RANK, unaryWgsl } from "./elementwise_wgsl.ts";
import { grid1d } from "./prelude_wgsl.ts";
import { runtime } from "./runtime/runtime.ts";
import { bufferOf, emptyTensor, sizeOf } from "./runtime/tensor.ts";
import { bindingElements, dispatchFlat, flatWindows, windowBinding } from "./runtime/window.ts";

/** Name of a unary op. */
export type UnaryOp =
  | "neg"
  | "abs"
  | "exp"
  | "log"
  | "sqrt"
  | "rsqrt"
  | "square"
  | "reciprocal"
  | "relu"
  | "sigmoid"
  | "tanh";
/** Name of a binary op. */
export type BinaryOp = "add" | "sub" | "mul" | "div" | "max" | "min" | "squaredDifference";

/** The unary ops: WGSL expression and TypeScript reference of each. */
export const UNARY: Record<UnaryOp, readonly [wgsl: string, reference: (x: number) => number]> = {
  neg: ["-x", (x: number) => -x],
  abs: ["abs(x)", Math.abs],
  exp: ["exp(x)", Math.exp],
  log: ["log(x)", Math.log],
  sqrt: ["sqrt(x)", Math.sqrt],
  rsqrt: ["inverseSqrt(x)", (x: number) => 1 / Math.sqrt(x)],
  square: ["x * x", (x: number) => x * x],
  reciprocal: ["1.0 / x", (x: number) => 1 / x],
  relu: ["max(x, 0.0)", (x: number) => Math.max(x, 0)],
  // exp(-|x|) never overflows, unlike 1 / (1 + exp(-x)) for very negative x on some compilers
  sigmoid: [
    "select(exp(x) / (1.0 + exp(x)), 1.0 / (1.0 + exp(-x)), x >= 0.0)",
    (x: number) => 1 / (1 + Math.exp(-x)),
  ],
  tanh: ["sign(x) * (1.0 - 2.0 / (exp(2.0 * abs(x)) + 1.0))", Math.tanh],
};

/** The binary ops: WGSL expression and TypeScript reference of each. */
export const BINARY: Record<BinaryOp, readonly [wgsl: string, reference: (a: number, b: number) => number]> =
  {
    add: ["a + b", (a: number, b: number) => a + b],
    sub: ["a - b", (a: number, b: number) => a - b],
    mul: ["a * b", (a: number, b: number) => a * b],
    div: ["a / b", (a: number, b: number) => a / b],
    max: ["max(a, b)", Math.max],
    min: ["min(a, b)", Math.min],
    squaredDifference: ["(a - b) * (a - b)", (a: number, b: number) => (a - b) ** 2],
  };

/**
 * `op(x)` elementwise.
 *
 * @example
 * ```ts
 * import { ready } from "./runtime/runtime.ts";
 * import { readAll, upload } from "./runtime/tensor.ts";
 * import { unary } from "./elementwise.ts";
 * await ready();
 * const y = unary("relu", upload(new Float32Array([-1, 2]), [2]));
 * console.log((await readAll([y]))[0]); // Float32Array [0, 2]
 * ```
 */
export function unary(op: UnaryOp, x: tf.Tensor, options: TilingOptions = {}): tf.Tensor {
  const y = emptyTensor(x.shape);
  dispatchFlat(
    unaryWgsl(UNARY[op][0]),
    x.size,
    [bufferOf(x), bufferOf(y)],
    () => [],
    options.maxBindingBytes,
  );
  return y;
}

/** Options of the elementwise ops. */
export interface TilingOptions {
  /** Largest binding in bytes (default: the device's); lowered by tests to exercise windows. */
  maxBindingBytes?: number;
}

/**
 * `op(a, b)` elementwise with numpy broadcasting. Outputs larger than one binding are processed in
 * windows; an input that is broadcast (not of the output's shape) must then fit in one binding.
 *
 * @example
 * ```ts
 * import { ready } from "./runtime/runtime.ts";
 * import { readAll, upload } from "./runtime/tensor.ts";
 * import { binary } from "./elementwise.ts";
 * await ready();
 * const c = binary("add", upload(new Float32Array([1, 2, 3, 4]), [2, 2]), upload(new Float32Array([10, 20]), [2]));
 * console.log((await readAll([c]))[0]); // Float32Array [11, 22, 13, 24]
 * ```
 */
export function binary(op: BinaryOp, a: tf.Tensor, b: tf.Tensor, options: TilingOptions = {}): tf.Tensor {
  const shape = broadcastShape(a.shape, b.shape);
  const c = emptyTensor(shape);
  const [A, B, C] = [bufferOf(a), bufferOf(b), bufferOf(c)];
  const full = [sameShape(a.shape, shape), sameShape(b.shape, shape)];
  const code = binaryWgsl(BINARY[op][0], !(full[0] && full[1]));
  const strides = broadcastStrides(a.shape, b.shape, shape);
  [A, B].forEach((buf, k) => {
    if (!full[k] && buf.size > 4 * bindingElements(options.maxBindingBytes)) {
      throw new RangeError(`binary ${op}: broadcast operand [${[a, b][k]!.shape}] exceeds one binding`);
    }
  });
  for (const { start, count } of flatWindows(c.size, options.maxBindingBytes)) {
    const end = start + count;
    const [wa, wb] = [A, B].map((buf, k) =>
      full[k] ? windowBinding(buf!, start, end) : { binding: buf!, base: 0 }
    );
    const wc = windowBinding(C, start, end);
    const params = full[0] && full[1]
      ? [count]
      : [count, start, wa!.base, wb!.base, ...strides.dims, ...strides.sa, ...strides.sb];
    runtime().recorder.dispatch(code, grid1d(count), params, [wa!.binding, wb!.binding, wc.binding]);
  }
  return c;
}

/** The numpy broadcast of two shapes; throws naming both shapes when they do not broadcast. */
export function broadcastShape(a: readonly number[], b: readonly number[]): number[] {
  const rank = Math.max(a.length, b.length);
  const out: number[] = [];
  for (let k = 0; k < rank; k++) {
    const da = a[a.length - rank + k] ?? 1;
    const db = b[b.length - rank + k] ?? 1;
    if (da !== db && da !== 1 && db !== 1) {
      throw new RangeError(`shapes [${a}] and [${b}] do not broadcast (dim ${k}: ${da} vs ${db})`);
    }
    out.push(da === 1 ? db : da);
  }
  if (rank > MAX_RANK) throw new RangeError(`broadcasting supports rank ≤ ${MAX_RANK}, got ${rank}`);
  return out;
}

/** Output dims and per-input strides (0 on broadcast dims), left-padded to MAX_RANK. */
function broadcastStrides(a: readonly number[], b: readonly number[], out: number[]) {
  const pad = MAX_RANK - out.length;
  const dims = [...Array(pad).fill(1), ...out];
  const strides = (shape: readonly number[]) => {
    const s = Array(MAX_RANK).fill(0);
    let stride = 1;
    for (let k = MAX_RANK - 1; k >= 0; k--) {
      const dim = shape[shape.length - (MAX_RANK - k)] ?? 1;
      s[k] = dim === 1 ? 0 : stride;
      stride *= dim;
    }
    return s;
  };
  return { dims, sa: strides(a), sb: strides(b) };
}

function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

/** TypeScript reference of `unary`. */
export function unaryReference(op: UnaryOp, x: Float32Array): Float32Array {
  return x.map(UNARY[op][1]);
}

/** TypeScript reference of `binary`, on row-major arrays of the given shapes. */
export function binaryReference(
  op: BinaryOp,
  a: Float32Array,
  aShape: number[],
  b: Float32Array,
  bShape: number[],
): Float32Array {
  const shape = broadcastShape(aShape, bShape);
  const { dims, sa, sb } = broadcastStrides(aShape, bShape, shape);
  const out = new Float32Array(sizeOf(shape));
  for (let i = 0; i < out.length; i++) {
    let rest = i, ia = 0, ib = 0;
    for (let d = MAX_RANK - 1; d >= 0; d--) {
      const coord = rest % dims[d]!;
      rest = Math.floor(rest / dims[d]!);
      ia += coord * sa[d]!;
      ib += coord * sb[d]!;
    }
    out[i] = BINARY[op][1](a[ia]!, b[ib]!);
  }
  return out;
}
