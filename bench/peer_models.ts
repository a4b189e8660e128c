/**
 * The benchmarked networks written with tfjs ops, for timing them on the TensorFlow.js peers: LeNet
 * (models.md §2.2) and the small-image ResNet-18 (§2.6), with the layer shapes of `models/lenet.ts` and
 * `models/resnet.ts`, trained the way `training/optimizer.ts` trains ours (SGD, momentum, Nesterov, L2
 * weight decay on every parameter) through `tf.variableGrads`.
 *
 * Two deviations, each what a tfjs user would write: activations are NHWC, tfjs's native layout (its
 * NCHW convolutions are partial), so the flatten before LeNet's fc1 orders features differently — the
 * same work; and weights are drawn uniformly in ±1/√fan_in without matching PyTorch's streams, which
 * changes no timing. Batch norm in training normalises with the batch statistics (`tf.moments`) and
 * updates the running ones, as ours does.
 *
 * tfjs-core registers its gradients only from `dist/register_all_gradients.js`, an ES module whose
 * extensionless imports Deno refuses to load from an npm package (the tfjs union package bundles them for
 * its users). So this module registers, when missing, copies of the fifteen that these networks use,
 * ported from tfjs-core 4.22.0's `dist/gradients/*_grad.js` with the same ops: the peers do the work
 * tfjs itself would.
 *
 * @module
 */

// deno-lint-ignore-file no-import-prefix

import * as tf from "npm:@tensorflow/tfjs-core@4.22.0";

/** A network built from tfjs variables on the active tfjs backend. */
export interface PeerNet {
  /** Trainable variables. */
  readonly params: tf.Variable[];
  /** [B, C] logits of an NHWC batch; `training` uses and updates batch-norm batch statistics. */
  forward(x: tf.Tensor4D, training: boolean): tf.Tensor2D;
  /**
   * One SGD step on a batch and its one-hot labels: mean cross-entropy, `tf.variableGrads`, then
   * v ← μ·v + g + λ·w;  w ← w − lr·(g + λ·w + μ·v).
   */
  trainStep(x: tf.Tensor4D, oneHot: tf.Tensor2D, lr: number): void;
  /** Frees every variable. */
  dispose(): void;
}

/** The peer versions we have, by the name `models/registry.ts` gives ours. */
export const PEER_MODELS: readonly string[] = ["LeNet", "ResNet18"];

/**
 * `name` ("LeNet" or "ResNet18", case-insensitive) in tfjs ops for `channels`-channel inputs of
 * `imageSize` (ResNet18: 1×28×28 or 3×32×32), created on the active tfjs backend.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import * as tf from "npm:@tensorflow/tfjs-core@4.22.0";
 * import { peerNet } from "./peer_models.ts";
 * import { onPeer } from "./peers.ts";
 * const shape = await onPeer("tfjs-wasm", async () => {
 *   const net = peerNet("LeNet", { channels: 1, imageSize: [28, 28], numClasses: 10 });
 *   const x = tf.randomNormal<tf.Rank.R4>([2, 28, 28, 1]);
 *   const logits = net.forward(x, false);
 *   const shape = logits.shape;
 *   tf.dispose([x, logits]);
 *   net.dispose();
 *   return shape;
 * });
 * assert.deepEqual(shape, [2, 10]);
 * ```
 */
export function peerNet(
  name: string,
  spec: { channels: number; imageSize: [number, number]; numClasses: number; seed?: number },
  options: { momentum?: number; weightDecay?: number } = {},
): PeerNet {
  registerGradients();
  const key = name.toLowerCase();
  const vars = new Vars(spec.seed ?? 0);
  let forward: (x: tf.Tensor4D, training: boolean) => tf.Tensor2D;
  if (key === "lenet") forward = lenet(vars, spec.channels, spec.imageSize, spec.numClasses);
  else if (key === "resnet18") forward = resnet18(vars, spec.channels, spec.imageSize, spec.numClasses);
  else throw new Error(`peerNet: no tfjs version of '${name}' (have: ${PEER_MODELS.join(", ")})`);
  const { momentum = 0.9, weightDecay = 5e-4 } = options;
  // tidy: a variable keeps its initial value's data, and the initial tensor would otherwise leak.
  const velocity = vars.params.map((p) => tf.tidy(() => tf.variable(tf.zerosLike(p), false)));
  return {
    params: vars.params,
    forward: (x, training) => tf.tidy(() => forward(x, training)),
    trainStep(x, oneHot, lr) {
      const { value, grads } = tf.variableGrads(
        () => tf.losses.softmaxCrossEntropy(oneHot, forward(x, true)) as tf.Scalar,
        vars.params,
      );
      tf.tidy(() => {
        vars.params.forEach((p, i) => {
          const g = tf.add(grads[p.name]!, tf.mul(p, weightDecay));
          const v = velocity[i]!;
          v.assign(tf.add(tf.mul(v, momentum), g));
          p.assign(tf.sub(p, tf.mul(tf.add(g, tf.mul(v, momentum)), lr)));
        });
      });
      tf.dispose([value, ...Object.values(grads)]);
    },
    dispose() {
      tf.dispose([...vars.params, ...vars.state, ...velocity]);
    },
  };
}

/** Creates the variables of a network with reproducible initial values. */
class Vars {
  readonly params: tf.Variable[] = [];
  readonly state: tf.Variable[] = [];
  #seed: number;

  constructor(seed: number) {
    this.#seed = seed;
  }

  /** A trainable tensor drawn from U(±1/√fanIn). */
  uniform(shape: number[], fanIn: number): tf.Variable {
    const bound = 1 / Math.sqrt(fanIn);
    const seed = this.#seed * 1000 + this.params.length;
    return this.#add(
      tf.tidy(() => tf.variable(tf.randomUniform(shape, -bound, bound, "float32", seed))),
      true,
    );
  }

  /** A trainable tensor, or with `trainable` false a state tensor, filled with `value`. */
  constant(shape: number[], value: number, trainable = true): tf.Variable {
    return this.#add(tf.tidy(() => tf.variable(tf.fill(shape, value), trainable)), trainable);
  }

  // tfjs names variables uniquely itself (and variableGrads keys gradients by that name); names of our
  // own would collide when a network is built twice.
  #add(v: tf.Variable, trainable: boolean): tf.Variable {
    (trainable ? this.params : this.state).push(v);
    return v;
  }
}

type Forward = (x: tf.Tensor4D, training: boolean) => tf.Tensor4D;

function conv(
  vars: Vars,
  inC: number,
  outC: number,
  k: number,
  stride: number,
  pad: number,
  bias: boolean,
): Forward {
  const w = vars.uniform([k, k, inC, outC], inC * k * k);
  const b = bias ? vars.uniform([outC], inC * k * k) : null;
  return (x) => {
    const y = tf.conv2d(x, w as tf.Tensor4D, stride, pad);
    return b ? tf.add(y, b) : y;
  };
}

function linear(vars: Vars, inF: number, outF: number): (x: tf.Tensor2D) => tf.Tensor2D {
  const w = vars.uniform([inF, outF], inF);
  const b = vars.uniform([outF], inF);
  return (x) => tf.add(tf.matMul(x, w as tf.Tensor2D), b);
}

function batchNorm(vars: Vars, channels: number): Forward {
  const vector = (value: number, trainable: boolean) =>
    vars.constant([channels], value, trainable) as tf.Variable<tf.Rank.R1>;
  const gamma = vector(1, true), beta = vector(0, true);
  const runningMean = vector(0, false), runningVar = vector(1, false);
  return (x, training) => {
    if (!training) return tf.batchNorm<tf.Rank.R4>(x, runningMean, runningVar, beta, gamma, 1e-5);
    const moments = tf.moments(x, [0, 1, 2]);
    const [mean, variance] = [moments.mean as tf.Tensor1D, moments.variance as tf.Tensor1D];
    const n = x.size / channels;
    // Outside the loss, so the tape prunes these; PyTorch's momentum 0.1 and unbiased running variance.
    runningMean.assign(tf.add(tf.mul(runningMean, 0.9), tf.mul(mean, 0.1)));
    runningVar.assign(tf.add(tf.mul(runningVar, 0.9), tf.mul(variance, 0.1 * n / (n - 1))));
    return tf.batchNorm<tf.Rank.R4>(x, mean, variance, beta, gamma, 1e-5);
  };
}

function lenet(vars: Vars, channels: number, [h, w]: [number, number], classes: number) {
  const padding = channels === 1 ? 2 : 0;
  const after = (size: number) => Math.floor((Math.floor((size + 2 * padding - 4) / 2) - 4) / 2);
  const flat = 16 * after(h) * after(w);
  const conv1 = conv(vars, channels, 6, 5, 1, padding, true);
  const conv2 = conv(vars, 6, 16, 5, 1, 0, true);
  const fc1 = linear(vars, flat, 120), fc2 = linear(vars, 120, 84);
  const fc3 = linear(vars, 84, classes);
  return (x: tf.Tensor4D, training: boolean): tf.Tensor2D => {
    let y = tf.maxPool(tf.relu(conv1(x, training)), 2, 2, "valid");
    y = tf.maxPool(tf.relu(conv2(y, training)), 2, 2, "valid");
    const e = tf.relu(fc2(tf.relu(fc1(tf.reshape(y, [y.shape[0], flat])))));
    return fc3(e);
  };
}

function resnet18(vars: Vars, channels: number, [h, w]: [number, number], classes: number) {
  const small = (channels === 1 && h === 28 && w === 28) || (channels === 3 && h === 32 && w === 32);
  if (!small) throw new RangeError(`peerNet: ResNet18 has only the 1×28×28 and 3×32×32 variants here`);
  const stem = [conv(vars, channels, 64, 3, 1, 1, false), batchNorm(vars, 64)];
  const blocks: Forward[] = [];
  let inC = 64;
  [64, 128, 256, 512].forEach((width, stage) => {
    for (let b = 0; b < 2; b++) {
      const s = b === 0 && stage > 0 ? 2 : 1;
      const c1 = conv(vars, inC, width, 3, s, 1, false), bn1 = batchNorm(vars, width);
      const c2 = conv(vars, width, width, 3, 1, 1, false), bn2 = batchNorm(vars, width);
      const short = s !== 1 || inC !== width
        ? [conv(vars, inC, width, 1, s, 0, false), batchNorm(vars, width)]
        : null;
      blocks.push((x, t) => {
        const main = bn2(c2(tf.relu(bn1(c1(x, t), t)), t), t);
        return tf.relu(tf.add(main, short ? short[1]!(short[0]!(x, t), t) : x));
      });
      inC = width;
    }
  });
  const head = linear(vars, inC, classes);
  return (x: tf.Tensor4D, training: boolean): tf.Tensor2D => {
    let y = tf.relu(stem[1]!(stem[0]!(x, training), training));
    for (const block of blocks) y = block(y, training);
    const pooled = tf.avgPool(y, 4, 4, "valid");
    return head(tf.reshape(pooled, [pooled.shape[0], inC]));
  };
}

type Grads = Record<string, () => tf.Tensor>;
const run = (kernel: string, inputs: tf.NamedTensorMap, attrs: tf.NamedAttrMap) =>
  tf.engine().runKernel(kernel, inputs, attrs) as tf.Tensor;
const outShape = (a: tf.Tensor, b: tf.Tensor) =>
  tf.broadcast_util.assertAndGetBroadcastShape(a.shape, b.shape);

/** `dy` of a broadcasting op summed back to an input's `shape`. */
function unbroadcast(dy: tf.Tensor, shape: number[], out: number[]): tf.Tensor {
  const axes = tf.broadcast_util.getReductionAxes(shape, out);
  return tf.reshape(axes.length > 0 ? tf.sum(dy, axes) : dy, shape);
}

/** dy of a reduction over `axes`, spread back over `x`'s shape. */
function spread(dy: tf.Tensor, x: tf.Tensor, axes: number[]): tf.Tensor {
  const shape = x.shape.map((d, i) => axes.includes(i) ? 1 : d);
  return tf.mul(tf.reshape(dy, shape), tf.ones(x.shape, "float32"));
}

const binary = (
  kernelName: string,
  da: (dy: tf.Tensor, a: tf.Tensor, b: tf.Tensor) => tf.Tensor,
  db: (dy: tf.Tensor, a: tf.Tensor, b: tf.Tensor) => tf.Tensor,
): tf.GradConfig => ({
  kernelName,
  inputsToSave: ["a", "b"],
  gradFunc: (dy, [a, b]): Grads => ({
    a: () => unbroadcast(da(dy as tf.Tensor, a!, b!), a!.shape, outShape(a!, b!)),
    b: () => unbroadcast(db(dy as tf.Tensor, a!, b!), b!.shape, outShape(a!, b!)),
  }),
});

const GRADIENTS: tf.GradConfig[] = [
  binary("Add", (dy) => dy, (dy) => dy),
  binary("Sub", (dy) => dy, (dy) => tf.neg(dy)),
  binary("Multiply", (dy, _, b) => tf.mul(dy, b), (dy, a) => tf.mul(dy, a)),
  {
    kernelName: "RealDiv",
    inputsToSave: ["a", "b"],
    gradFunc: (dy, [a, b]): Grads => ({
      a: () => unbroadcast(tf.div(dy as tf.Tensor, b!), a!.shape, outShape(a!, b!)),
      b: () =>
        tf.neg(tf.div(unbroadcast(tf.mul(dy as tf.Tensor, a!), b!.shape, outShape(a!, b!)), tf.square(b!))),
    }),
  },
  {
    kernelName: "Sum",
    inputsToSave: ["x"],
    gradFunc: (dy, [x], attrs): Grads => {
      const axes = tf.util.parseAxisParam(attrs.axis as number[], x!.shape);
      return { x: () => spread(dy as tf.Tensor, x!, axes) };
    },
  },
  {
    kernelName: "Mean",
    inputsToSave: ["x"],
    gradFunc: (dy, [x], attrs): Grads => {
      const axes = tf.util.parseAxisParam(attrs.axis as number[], x!.shape);
      const count = axes.reduce((n, a) => n * x!.shape[a]!, 1);
      return { x: () => tf.div(spread(dy as tf.Tensor, x!, axes), count) };
    },
  },
  {
    kernelName: "Square",
    inputsToSave: ["x"],
    gradFunc: (dy, [x]): Grads => ({ x: () => tf.mul(dy as tf.Tensor, tf.mul(x!, 2)) }),
  },
  { kernelName: "Cast", gradFunc: (dy): Grads => ({ x: () => tf.clone(dy as tf.Tensor) }) },
  {
    kernelName: "Reshape",
    inputsToSave: ["x"],
    gradFunc: (dy, [x]): Grads => ({ x: () => tf.reshape(dy as tf.Tensor, x!.shape) }),
  },
  {
    kernelName: "Relu",
    inputsToSave: ["x"],
    gradFunc: (dy, [x]): Grads => ({ x: () => tf.mul(dy as tf.Tensor, tf.step(x!)) }),
  },
  {
    kernelName: "MaxPool",
    inputsToSave: ["x"],
    outputsToSave: [true],
    gradFunc: (dy, [x, y], { filterSize, strides, pad }): Grads => ({
      x: () =>
        run("MaxPoolGrad", { dy: dy as tf.Tensor, input: x!, output: y! }, { filterSize, strides, pad }),
    }),
  },
  {
    kernelName: "AvgPool",
    inputsToSave: ["x"],
    gradFunc: (dy, [x], { filterSize, strides, pad }): Grads => ({
      x: () => run("AvgPoolGrad", { dy: dy as tf.Tensor, input: x! }, { filterSize, strides, pad }),
    }),
  },
  {
    kernelName: "Conv2D",
    inputsToSave: ["x", "filter"],
    gradFunc: (dy, [x, filter], { strides, pad, dataFormat, dimRoundingMode }): Grads => {
      const attrs = { strides, pad, dataFormat, dimRoundingMode };
      return {
        x: () =>
          run("Conv2DBackpropInput", { dy: dy as tf.Tensor, filter: filter! }, {
            ...attrs,
            inputShape: x!.shape,
          }),
        filter: () =>
          run("Conv2DBackpropFilter", { x: x!, dy: dy as tf.Tensor }, {
            ...attrs,
            filterShape: filter!.shape,
          }),
      };
    },
  },
  {
    kernelName: "BatchMatMul",
    inputsToSave: ["a", "b"],
    gradFunc: (dy, [a, b], { transposeA, transposeB }): Grads => {
      const g = dy as tf.Tensor;
      if (!transposeA && !transposeB) {
        return {
          a: () => tf.matMul(g, b!, false, true),
          b: () => tf.matMul(a!, g, true, false),
        };
      }
      if (!transposeA) return { a: () => tf.matMul(g, b!), b: () => tf.matMul(g, a!, true, false) };
      if (!transposeB) return { a: () => tf.matMul(b!, g, false, true), b: () => tf.matMul(a!, g) };
      return { a: () => tf.matMul(b!, g, true, true), b: () => tf.matMul(g, a!, true, true) };
    },
  },
  {
    kernelName: "FusedBatchNorm",
    inputsToSave: ["x", "mean", "variance", "scale"],
    gradFunc: (dy, [x, mean, variance, scale], { varianceEpsilon }): Grads => {
      const g = dy as tf.Tensor, s = scale ?? tf.scalar(1);
      const axes = tf.broadcast_util.getReductionAxes(mean!.shape, x!.shape);
      const xMinusMean = tf.sub(x!, mean!), dyTimesScale = tf.mul(g, s);
      const rsqrt = tf.rsqrt(tf.add(variance!, tf.scalar(varianceEpsilon as number)));
      const minusHalfRCube = tf.mul(tf.mul(tf.mul(rsqrt, rsqrt), rsqrt), tf.scalar(-0.5));
      const reduce = (t: tf.Tensor) => tf.reshape(mean!.rank === 1 ? tf.sum(t, axes) : t, mean!.shape);
      // tfjs tiles 1/σ to the input's full shape for 1-D statistics; kept, since that is its cost.
      const perChannel = mean!.rank === 1
        ? tf.tile(tf.reshape(rsqrt, [1, 1, 1, mean!.shape[0]!]), [...x!.shape.slice(0, -1), 1])
        : rsqrt;
      return {
        x: () => tf.reshape(tf.mul(tf.mul(g, perChannel), s), x!.shape),
        mean: () => reduce(tf.mul(tf.mul(rsqrt, tf.scalar(-1)), dyTimesScale)),
        variance: () => reduce(tf.mul(tf.mul(minusHalfRCube, xMinusMean), dyTimesScale)),
        scale: () => reduce(tf.mul(g, tf.mul(xMinusMean, rsqrt))),
        offset: () => reduce(g),
      };
    },
  },
];

/** Registers each gradient above whose kernel has none yet (see the module comment). */
function registerGradients(): void {
  for (const g of GRADIENTS) if (!tf.getGradient(g.kernelName)) tf.registerGradient(g);
}
