/**
 * Training and inference throughput (images/s, batch 128) of LeNet on 1×28×28 and the small-image
 * ResNet-18 on 3×32×32 (10 classes): ours beside the same networks in tfjs ops (`bench/peer_models.ts`) on
 * tfjs-backend-webgpu and tfjs-backend-wasm in this process, and PyTorch on the CPU when a `python3` can
 * `import torch`. Prints a table and merges `train-lenet-28`, `infer-lenet-28`, `train-resnet18-32`,
 * `infer-resnet18-32` into bench/results/latest.json; with `train-lenet-28` it also profiles where a LeNet
 * training step's time goes and prints a paragraph of conclusions at the end.
 *
 * ```sh
 * deno run -A bench/training_bench.ts [--only train-lenet-28,infer-lenet-28] [--steps 20] [--no-peers] [--no-profile]
 * ```
 *
 * Protocol. A training step is forward in train mode, the mean cross-entropy's gradient, backward and an
 * SGD update (momentum 0.9, Nesterov, weight decay 5e-4); an inference step is a forward in eval mode. The
 * batch is made once, on the device, outside the timing. A run is N steps back to back ending in one
 * 4-byte readback (of a parameter after training, of the last logits after inference), so the steps have
 * really finished; throughput is N·128 / run time. Ours submits after each step, as `training/train.ts`
 * does. One step is a warm-up (compilation, buffer pools), then the median of 3 runs (LeNet) or 1 run
 * (ResNet-18), timed by bench/peers.ts's `medianMs`. `--steps` sets N for every case (default 20 for
 * LeNet, 2 for ResNet-18, whose steps take minutes on llvmpipe).
 *
 * A peer's measurement is capped at about 60 s: one step at batch 8 (twice: the first compiles) estimates
 * a batch-128 step; a peer whose estimate exceeds the cap, or that lacks an op, is left out of the record
 * with the reason printed; otherwise N and the repeats shrink to fit, and a run stops at the cap.
 *
 * @module
 */

// deno-lint-ignore-file no-import-prefix

import * as tf from "npm:@tensorflow/tfjs-core@4.22.0";
import { parseArgs } from "node:util";
import type { PreparedDispatch } from "../kernels/runtime/recorder.ts";
import { ready } from "../kernels/runtime/runtime.ts";
import { bufferOf, upload } from "../kernels/runtime/tensor.ts";
import { crossEntropyBackward } from "../kernels/softmax.ts";
import { createModel } from "../models/registry.ts";
import { Optimizer } from "../training/optimizer.ts";
import { peerNet } from "./peer_models.ts";
import { medianMs, onPeer, type Peer, PEERS } from "./peers.ts";
import { type BenchRecord, formatTable, mergeResults } from "./report.ts";

const BATCH = 128, CLASSES = 10, LR = 0.01, PEER_CAP_MS = 60_000, PROBE_BATCH = 8;

interface Case {
  name: string;
  model: "LeNet" | "ResNet18";
  channels: number;
  size: number;
  train: boolean;
  steps: number;
  reps: number;
}

const CASES: Case[] = [
  { name: "train-lenet-28", model: "LeNet", channels: 1, size: 28, train: true, steps: 20, reps: 3 },
  { name: "infer-lenet-28", model: "LeNet", channels: 1, size: 28, train: false, steps: 20, reps: 3 },
  { name: "train-resnet18-32", model: "ResNet18", channels: 3, size: 32, train: true, steps: 2, reps: 1 },
  { name: "infer-resnet18-32", model: "ResNet18", channels: 3, size: 32, train: false, steps: 2, reps: 1 },
];

const { values: flags } = parseArgs({
  args: Deno.args,
  options: {
    only: { type: "string" },
    steps: { type: "string" },
    "no-peers": { type: "boolean" },
    "no-profile": { type: "boolean" },
  },
});
const only = flags.only?.split(",");
const unknown = only?.filter((n) => !CASES.some((c) => c.name === n)) ?? [];
if (unknown.length > 0) {
  throw new Error(`--only: unknown ${unknown.join(", ")} (have: ${CASES.map((c) => c.name).join(", ")})`);
}
const stepsFlag = flags.steps === undefined ? undefined : Number(flags.steps);
if (stepsFlag !== undefined && !(Number.isInteger(stepsFlag) && stepsFlag >= 1)) {
  throw new Error(`--steps: expected a positive integer, got "${flags.steps}"`);
}
const cases = CASES.filter((c) => !only || only.includes(c.name))
  .map((c) => ({ ...c, steps: stepsFlag ?? c.steps }));
const rt = await ready();
const notes: string[] = [];

function note(line: string): void {
  console.error(line);
  notes.push(line);
}

/** A step to repeat and the readback that proves the steps before it finished. */
interface Stepper {
  step: () => void;
  finish: () => Promise<void>;
}

/**
 * Images/s of runs of `steps` steps, each ended by one `finish`, under the module's protocol: `medianMs`'s
 * excluded warm-up run is a single step (it only has to compile pipelines and fill buffer pools). With
 * `reps` 1, a run stops early once `deadline` (a `performance.now()` time) has passed.
 */
async function throughput(
  { step, finish }: Stepper,
  steps: number,
  reps: number,
  deadline = Infinity,
): Promise<{ imagesPerS: number; steps: number }> {
  let warm = false, done = 0;
  const ms = await medianMs(async () => {
    const n = warm ? steps : 1;
    for (done = 0; done < n && (done === 0 || reps > 1 || performance.now() < deadline); done++) step();
    await finish();
    warm = true;
  }, { minReps: reps, maxReps: reps, minMs: 0 });
  return { imagesPerS: (done * BATCH * 1000) / ms, steps: done };
}

function randomImages(n: number): Float32Array {
  return Float32Array.from({ length: n }, () => Math.random() * 2 - 1);
}

function randomLabels(n: number): Int32Array {
  return Int32Array.from({ length: n }, () => Math.floor(Math.random() * CLASSES));
}

/** Reads 4 bytes of `t`: one synchronisation with our device. */
async function read4(t: tf.Tensor): Promise<void> {
  await rt.recorder.read([{ buffer: bufferOf(t), offset: 0, size: 4 }]);
}

/** Our network of `c` with a batch on the GPU, and the steps of `c` on it (`flush` after each step). */
function ours(c: Case) {
  const model = createModel(c.model, {
    channels: c.channels,
    imageSize: [c.size, c.size],
    numClasses: CLASSES,
    seed: 0,
  });
  const x = upload(randomImages(BATCH * c.channels * c.size * c.size), [BATCH, c.channels, c.size, c.size]);
  const labels = upload(randomLabels(BATCH), [BATCH]);
  const optimizer = new Optimizer(model.params, { momentum: 0.9, nesterov: true, weightDecay: 5e-4 });
  const last = model.params.at(-1)!;
  let logits: tf.Tensor | null = null;
  const trainStep = (flush: boolean) => {
    const out = model.forward(x, "train").logits;
    const dlogits = crossEntropyBackward(out, labels, null, 1 / BATCH);
    model.backward(dlogits);
    optimizer.update(LR);
    tf.dispose([out, dlogits]);
    if (flush) rt.recorder.flush();
  };
  const inferStep = () => {
    logits?.dispose();
    logits = model.forward(x, "eval").logits;
    rt.recorder.flush();
  };
  return {
    model,
    trainStep,
    stepper: {
      step: c.train ? () => trainStep(true) : inferStep,
      finish: () => read4(c.train ? last.value : logits!),
    } satisfies Stepper,
    dispose() {
      optimizer.dispose();
      tf.dispose([x, labels, ...(logits ? [logits] : []), ...model.state.map((s) => s.value)]);
      tf.dispose(model.params.flatMap((p) => p.grad ? [p.grad] : []));
    },
  };
}

/** The same case on a tfjs peer: images/s, or the reason it could not be measured. */
function peerCase(peer: Peer, c: Case): Promise<number> {
  return onPeer(peer, async () => {
    const net = peerNet(c.model, { channels: c.channels, imageSize: [c.size, c.size], numClasses: CLASSES });
    const made: tf.Tensor[] = [];
    const stepperFor = (batch: number): Stepper => {
      const x = tf.randomUniform<tf.Rank.R4>([batch, c.size, c.size, c.channels], -1, 1);
      const oneHot = tf.tidy(() =>
        tf.cast(tf.oneHot(tf.tensor1d(randomLabels(batch), "int32"), CLASSES), "float32") as tf.Tensor2D
      );
      made.push(x, oneHot);
      let logits: tf.Tensor | null = null;
      const last = net.params.at(-1)!;
      return {
        step: c.train ? () => net.trainStep(x, oneHot, LR) : () => {
          logits?.dispose();
          logits = net.forward(x, false);
        },
        finish: async () => {
          const one = tf.tidy(() => tf.slice(tf.reshape(c.train ? last : logits!, [-1]), 0, 1));
          try {
            await one.data();
          } finally {
            one.dispose();
          }
        },
      };
    };
    try {
      const start = performance.now();
      const probe = stepperFor(PROBE_BATCH);
      probe.step(); // compiles
      await probe.finish();
      const compiled = performance.now();
      const over = (estimate: number, from: string) =>
        new Error(
          `a batch-${BATCH} step would take about ${
            (estimate / 1000).toFixed(0)
          } s (from ${from}), over the ` +
            `${PEER_CAP_MS / 1000} s cap`,
        );
      const scale = BATCH / PROBE_BATCH;
      if ((compiled - start) * scale > PEER_CAP_MS * 4) {
        throw over((compiled - start) * scale, `a first batch-${PROBE_BATCH} step with compilation`);
      }
      probe.step();
      await probe.finish();
      const estimate = (performance.now() - compiled) * scale;
      if (estimate > PEER_CAP_MS) throw over(estimate, `a batch-${PROBE_BATCH} step`);
      // One warm-up step, then `reps` runs of `steps` steps, within what is left of the cap.
      const left = PEER_CAP_MS - (performance.now() - start);
      const reps = (1 + c.reps * c.steps) * estimate <= left ? c.reps : 1;
      const steps = Math.max(1, Math.min(c.steps, Math.floor((left / estimate - 1) / reps)));
      const r = await throughput(stepperFor(BATCH), steps, reps, start + PEER_CAP_MS);
      if (r.steps < c.steps) {
        note(`${c.name}: ${peer} ran ${r.steps} of ${c.steps} steps × ${reps} to stay within the cap.`);
      }
      return r.imagesPerS;
    } finally {
      tf.dispose(made);
      net.dispose();
    }
  });
}

/** Where the time of LeNet training steps goes; see `printProfile`. */
async function profile(c: Case) {
  const n = c.steps;
  const o = ours(c);
  const last = o.model.params.at(-1)!.value;
  // Record, submit and wait timed apart: a submit may itself wait for the GPU.
  const runs = async (flushEachStep: boolean) => {
    await medianMs(async () => {
      for (let i = 0; i < n; i++) o.trainStep(flushEachStep);
      await read4(last);
    }, { minReps: 1, maxReps: 1, minMs: 0 }); // warm-up: every pipeline compiled, the pool filled
    const found: { record: number; submit: number; wait: number; submits: number }[] = [];
    for (let r = 0; r < 3; r++) {
      const t = { record: 0, submit: 0, wait: 0, submits: rt.recorder.submits };
      for (let i = 0; i <= n; i++) {
        const t0 = performance.now();
        if (i < n) o.trainStep(false);
        const t1 = performance.now();
        if (flushEachStep || i === n) rt.recorder.flush();
        t.record += t1 - t0;
        t.submit += performance.now() - t1;
      }
      const t2 = performance.now();
      await read4(last);
      t.wait = performance.now() - t2;
      found.push({ ...t, submits: rt.recorder.submits - t.submits - 1 });
    }
    const total = (x: typeof found[number]) => x.record + x.submit + x.wait;
    return found.sort((a, b) => total(a) - total(b))[1]!;
  };
  const oneSubmit = await runs(false), perStep = await runs(true);
  const readback = await medianMs(() => read4(last), { minReps: 5, maxReps: 5, minMs: 0 });

  // Capture one step's dispatches, by the kernel wrapper that recorded them, to replay each family alone.
  const families = new Map<string, { record: () => void; prepared?: PreparedDispatch }[]>();
  const recorder = rt.recorder;
  const { dispatch, copy, clear } = recorder;
  const capture = (kind: string, record: () => void, prepared?: PreparedDispatch) => {
    const name = familyOf(new Error().stack ?? "") + kind;
    families.set(name, [...(families.get(name) ?? []), { record, ...(prepared ? { prepared } : {}) }]);
  };
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 64;
  recorder.dispatch = (code, grid, params, buffers) => {
    if (grid[0] !== 0 && grid[1] !== 0 && grid[2] !== 0) {
      const d = recorder.prepare(code, grid, params, buffers);
      capture("", () => recorder.record(d), d);
    }
    dispatch.call(recorder, code, grid, params, buffers);
  };
  recorder.copy = (...args) => {
    capture(" (copy)", () => copy.apply(recorder, args));
    copy.apply(recorder, args);
  };
  recorder.clear = (...args) => {
    capture(" (clear)", () => clear.apply(recorder, args));
    clear.apply(recorder, args);
  };
  try {
    o.trainStep(false);
  } finally {
    for (const k of ["dispatch", "copy", "clear"] as const) delete (recorder as Partial<typeof recorder>)[k];
    Error.stackTraceLimit = limit;
  }
  await read4(last);
  const kernels: { name: string; count: number; ms: number }[] = [];
  for (const [name, list] of families) {
    const ms = await medianMs(async () => {
      for (let i = 0; i < n; i++) for (const d of list) d.record();
      await read4(last);
    }, { minReps: 3, maxReps: 3, minMs: 0 });
    kernels.push({ name, count: list.length, ms: Math.max(0, ms - readback) / n });
    recorder.release(...list.flatMap((d) => d.prepared ? [d.prepared] : []));
  }
  o.dispose();
  return { n, oneSubmit, perStep, readback, kernels: kernels.sort((a, b) => b.ms - a.ms) };
}

/** The outermost kernel wrapper (a kernels/*.ts function outside kernels/runtime/) in a stack trace. */
function familyOf(stack: string): string {
  let name: string | null = null;
  for (const line of stack.split("\n").slice(1)) {
    const m = line.match(/at (?:(\S+) \()?\S*\/kernels\/(?!runtime\/)(\w+)\.ts:(\d+):\d+\)?$/);
    if (m) name = m[1] ?? `${m[2]}.ts:${m[3]}`;
    else if (name) break;
  }
  return name ?? "other";
}

/** Prints the profile's figures and returns its paragraph of conclusions. */
function printProfile(p: Awaited<ReturnType<typeof profile>>): string {
  const per = (ms: number) => ms / p.n;
  const f = (ms: number) => ms.toFixed(1);
  const pct = (part: number, whole: number) => `${((100 * part) / whole).toFixed(0)}%`;
  const split = (r: typeof p.oneSubmit) =>
    `${f(per(r.record + r.submit + r.wait)).padStart(7)} = record (JS) ${f(per(r.record))} + submit ` +
    `${f(per(r.submit))} + wait ${f(per(r.wait))}`;
  const sum = p.kernels.reduce((s, k) => s + k.ms, 0);
  const commands = p.kernels.reduce((s, k) => s + k.count, 0);
  const one = per(p.oneSubmit.record + p.oneSubmit.submit + p.oneSubmit.wait);
  const perStep = per(p.perStep.record + p.perStep.submit + p.perStep.wait);
  const rec = per(p.oneSubmit.record), gpu = one - rec - p.readback / p.n;
  console.log([
    `LeNet training profile: batch ${BATCH}, runs of ${p.n} steps, ms per step (median of 3 runs)`,
    `  all steps in one submit:     ${split(p.oneSubmit)}`,
    `  a submit per step (table):   ${split(p.perStep)}`,
    `  a 4-byte readback alone:     ${f(p.readback)} ms, once per run`,
    `  ${commands} commands per step; each kernel family recorded alone ${p.n}× in one submit, readback ` +
    `subtracted (share of the one-submit step, commands per step):`,
    ...p.kernels.map((k) =>
      `    ${k.name.padEnd(26)} ${f(k.ms).padStart(7)}  ${pct(k.ms, one).padStart(4)}  (${k.count})`
    ),
    `    ${"sum".padEnd(26)} ${f(sum).padStart(7)}  ${pct(sum, one).padStart(4)}`,
  ].join("\n"));
  const top = p.kernels.slice(0, 3).map((k) => `${k.name} ${pct(k.ms, sum)}`).join(", ");
  const blocking = p.oneSubmit.submit > 0.5 * p.n * gpu;
  return [
    `Of ${f(one)} ms per LeNet training step (${p.n} steps in one submit), recording its ${commands} ` +
    `commands in JS takes ${f(rec)} ms (${pct(rec, one)}, ${(1000 * rec / commands).toFixed(0)} µs per ` +
    `command: bind groups, uniform packing, tfjs bookkeeping) and llvmpipe running them ${f(gpu)} ms` +
    (blocking
      ? `, most of it inside queue.submit, which here returns only once the work is done, so the CPU ` +
        `cannot record the next step while the GPU runs this one.`
      : `.`),
    `Timed alone, the kernel families add up to ${f(sum)} ms (${pct(sum, gpu)} of the GPU time; ${top})` +
    (sum < 0.8 * gpu
      ? `, so about ${f(gpu - sum)} ms per step goes to per-dispatch cost and barriers between dependent ` +
        `dispatches rather than to arithmetic.`
      : `: the GPU time is the kernels' own, within this machine's noise.`),
    `The single 4-byte readback costs ${f(p.readback)} ms per run, ${pct(p.readback, p.n * one)} of ` +
    `${p.n} steps, so readbacks ${p.readback > 0.1 * p.n * one ? "matter" : "do not matter"} at this count;` +
    ` a submit per step (the table's figure) gives ${f(perStep)} ms per step.`,
    `Verdict: ${
      sum >= 3 * rec
        ? "kernel time dominates — the convolution backward kernels are what will speed training up, " +
          "not dispatch overhead or readbacks"
        : sum >= rec
        ? "kernel time leads but dispatch overhead is not negligible"
        : "dispatch overhead in JS dominates — fewer, fused dispatches are what will speed training up"
    }.`,
  ].join(" ");
}

const TORCH_SCRIPT = `
import json, sys, time
import torch, torch.nn as nn, torch.nn.functional as F

class LeNet(nn.Module):
    def __init__(s, ch, nc):
        super().__init__()
        s.conv1, s.conv2 = nn.Conv2d(ch, 6, 5, padding=2 if ch == 1 else 0), nn.Conv2d(6, 16, 5)
        s.fc1, s.fc2, s.fc3 = nn.Linear(400, 120), nn.Linear(120, 84), nn.Linear(84, nc)
    def forward(s, x):
        x = F.max_pool2d(F.relu(s.conv2(F.max_pool2d(F.relu(s.conv1(x)), 2))), 2)
        return s.fc3(F.relu(s.fc2(F.relu(s.fc1(x.flatten(1))))))

class Block(nn.Module):
    def __init__(s, i, o, st):
        super().__init__()
        s.c1, s.b1 = nn.Conv2d(i, o, 3, st, 1, bias=False), nn.BatchNorm2d(o)
        s.c2, s.b2 = nn.Conv2d(o, o, 3, 1, 1, bias=False), nn.BatchNorm2d(o)
        s.sc = nn.Sequential(nn.Conv2d(i, o, 1, st, bias=False), nn.BatchNorm2d(o)) if st != 1 or i != o else nn.Identity()
    def forward(s, x):
        return F.relu(s.b2(s.c2(F.relu(s.b1(s.c1(x))))) + s.sc(x))

class ResNet18(nn.Module):
    def __init__(s, ch, nc):
        super().__init__()
        s.conv1, s.bn1 = nn.Conv2d(ch, 64, 3, 1, 1, bias=False), nn.BatchNorm2d(64)
        blocks, i = [], 64
        for w, st in ((64, 1), (128, 2), (256, 2), (512, 2)):
            blocks += [Block(i, w, st), Block(w, w, 1)]
            i = w
        s.layers, s.linear = nn.Sequential(*blocks), nn.Linear(512, nc)
    def forward(s, x):
        return s.linear(F.avg_pool2d(s.layers(F.relu(s.bn1(s.conv1(x)))), 4).flatten(1))

job = json.loads(sys.argv[1])
out = {}
for c in job["cases"]:
    torch.manual_seed(0)
    model = {"LeNet": LeNet, "ResNet18": ResNet18}[c["model"]](c["channels"], job["classes"])
    x = torch.rand(job["batch"], c["channels"], c["size"], c["size"]) * 2 - 1
    y = torch.randint(0, job["classes"], (job["batch"],))
    if c["train"]:
        model.train()
        opt = torch.optim.SGD(model.parameters(), lr=job["lr"], momentum=0.9, nesterov=True, weight_decay=5e-4)
        def step():
            opt.zero_grad(set_to_none=True)
            F.cross_entropy(model(x), y).backward()
            opt.step()
    else:
        model.eval()
        def step():
            with torch.no_grad():
                model(x)
    start = time.perf_counter()
    step()
    t0, done = time.perf_counter(), 0
    while done < c["steps"] and (done == 0 or time.perf_counter() - start < job["cap_s"]):
        step()
        done += 1
    out[c["name"]] = done * job["batch"] / (time.perf_counter() - t0)
print(json.dumps({"torch": torch.__version__, "threads": torch.get_num_threads(), "images_per_s": out}))
`;

/** Images/s of each case in PyTorch on the CPU, or null (with a note) when no python3 has torch. */
async function torchCpu(selected: Case[]): Promise<Record<string, number> | null> {
  let python: string | null = null;
  for (const candidate of ["/usr/bin/python3", "python3"]) {
    try {
      const probe = new Deno.Command(candidate, {
        args: ["-c", "import torch"],
        stdout: "null",
        stderr: "null",
      });
      if ((await probe.output()).success) {
        python = candidate;
        break;
      }
    } catch (e) {
      if (!(e instanceof Deno.errors.NotFound)) throw e;
    }
  }
  if (!python) {
    note("torch-cpu: skipped — neither /usr/bin/python3 nor a python3 on PATH can `import torch`.");
    return null;
  }
  const job = { batch: BATCH, classes: CLASSES, lr: LR, cap_s: PEER_CAP_MS / 1000, cases: selected };
  const run = await new Deno.Command(python, { args: ["-c", TORCH_SCRIPT, JSON.stringify(job)] }).output();
  const stderr = new TextDecoder().decode(run.stderr).trim();
  if (!run.success) {
    note(`torch-cpu: ${python} failed (exit ${run.code}): ${stderr.split("\n").at(-1)}`);
    return null;
  }
  const result = JSON.parse(new TextDecoder().decode(run.stdout));
  note(`torch-cpu: PyTorch ${result.torch} with ${result.threads} threads (${python}).`);
  return result.images_per_s;
}

const records: BenchRecord[] = [];
let profiled: Awaited<ReturnType<typeof profile>> | null = null;
for (const c of cases) {
  const o = ours(c);
  const { imagesPerS } = await throughput(o.stepper, c.steps, c.reps);
  o.dispose();
  console.error(`${c.name}: ours ${imagesPerS.toFixed(1)} images/s`);
  const peers: Record<string, number> = {};
  if (!flags["no-peers"]) {
    for (const p of PEERS) {
      try {
        peers[p] = await peerCase(p, c);
        console.error(`${c.name}: ${p} ${peers[p]!.toFixed(1)} images/s`);
      } catch (e) {
        note(`${c.name}: ${p} missing — ${(e as Error).message.split("\n")[0]}`);
      }
    }
    await tf.setBackend("deepcore");
  }
  records.push({ name: c.name, unit: "images/s", ours: imagesPerS, peers });
  if (c.name === "train-lenet-28" && !flags["no-profile"]) profiled = await profile(c);
}
if (!flags["no-peers"] && cases.length > 0) {
  const torch = await torchCpu(cases);
  for (const r of records) if (torch?.[r.name] !== undefined) r.peers["torch-cpu"] = torch[r.name]!;
}

console.log(`adapter: ${rt.info.description} (${rt.graphicsApi}); batch ${BATCH}`);
console.log(formatTable(records));
if (notes.length > 0) console.log(notes.join("\n"));
await mergeResults(new URL("./results/latest.json", import.meta.url).pathname, records);
if (profiled) {
  console.log("");
  const paragraph = printProfile(profiled);
  console.log(`\n${paragraph}`);
}
