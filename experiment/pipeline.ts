/**
 * DeepCore's protocol (training.md §1) for every experiment × method × fraction of one invocation:
 * pre-train a selection model when a method needs embeddings or probabilities (once per experiment,
 * shared by every method and fraction), select the coreset, train a fresh network on it (and every
 * `--cross` network), test every `--test_interval` epochs, and record the run.
 *
 * With `--save_path` everything is written as it finishes, atomically: `results.json` after every run,
 * the coreset of every run (`coresets/*.npy|json`), the selection model (`selection/exp<e>.safetensors`)
 * and a training checkpoint every `--checkpoint_every` epochs; `--resume` skips finished runs and
 * continues an interrupted one from its last checkpoint, so a `kill -9` at any moment loses at most
 * the epochs since that checkpoint.
 *
 * @module
 */

import * as tf from "npm:@tensorflow/tfjs-core@4.22.0";
import { writeNpyFile } from "../datasets/formats/npy.ts";
import type { Dataset } from "../datasets/dataset.ts";
import { loadDataset } from "../datasets/registry.ts";
import { writeFileAtomic } from "../io/atomic_write.ts";
import { decodeSafetensors, encodeSafetensors, type NamedArray } from "../io/safetensors.ts";
import type { Classifier } from "../models/classifier.ts";
import { loadModelState, modelState } from "../models/checkpoint.ts";
import { createModel } from "../models/registry.ts";
import { budgetFromOptions } from "../selectors/budget.ts";
import type { SelectionResult } from "../selectors/types.ts";
import { Optimizer } from "../training/optimizer.ts";
import { heartbeat } from "../training/progress.ts";
import { annealedLr, stepLr } from "../training/schedule.ts";
import { evaluate, trainEpoch } from "../training/train.ts";
import type { ExperimentConfig } from "./options.ts";
import {
  emptyResults,
  type EpochPoint,
  readResults,
  type ResultsFile,
  runId,
  type RunRecord,
  type SelectionModelRecord,
  type TestPoint,
  upsertRun,
  writeResults,
} from "./results.ts";
import { resolveSelection } from "./methods.ts";
import {
  COLLAPSE_SPREAD,
  collapseCheck,
  extractFeatures,
  pretrain,
  type SelectionFeatures,
} from "./selection_stage.ts";

/** How a run reports and can be stopped. */
export interface RunOptions {
  /** The command line, recorded in results.json. */
  command: string;
  /** Where summary lines go (default: console.log). */
  log?: (line: string) => void;
  /** Where warnings go, also with --quiet (default: console.error). */
  warn?: (line: string) => void;
  /** Stops the run between batches; state written so far is kept. */
  signal?: AbortSignal;
}

/** Runs every experiment of `config`; returns the results (also in `<save_path>/results.json`). */
export async function runExperiments(config: ExperimentConfig, options: RunOptions): Promise<ResultsFile> {
  const log = options.log ?? console.log;
  const warn = options.warn ?? console.error;
  const out = config.save_path ? new OutputFolder(config.save_path) : null;
  let results = emptyResults(options.command);
  if (out && config.resume) {
    results = await readResults(out.results).catch((e) => {
      if (e instanceof Deno.errors.NotFound) return results;
      throw e;
    });
  }
  if (out) {
    for (const sub of ["selection", "checkpoints", "coresets"]) {
      await Deno.mkdir(`${out.root}/${sub}`, { recursive: true });
    }
  }
  const dataset = await loadDataset(config.dataset, { dataPath: config.data_path });
  try {
    const methods = config.selection.map((name) => resolveSelection(name, config));
    for (let exp = 0; exp < config.num_exp; exp++) {
      const seed = config.seed + exp;
      log(
        `\n== experiment ${exp} (seed ${seed}): ${config.dataset}, ${config.model}, ${config.epochs} epochs ==`,
      );
      let features: (SelectionFeatures & { model: SelectionModelRecord }) | null = null;
      try {
        for (const method of methods) {
          for (const fraction of config.fraction) {
            const models = [config.model, ...config.cross.filter((m) => m !== config.model)];
            const base = {
              dataset: dataset.name,
              model: config.model,
              method: method.label,
              fraction,
              experiment: exp,
            };
            const ids = models.map((m) => runId({ ...base, ...(m !== config.model && { crossModel: m }) }));
            if (ids.every((id) => results.runs.some((r) => r.id === id))) {
              log(`${method.label} ${fraction}: done before, skipped`);
              continue;
            }
            if (method.info.needs.length > 0 && !features) {
              features = await selectionFeatures(
                dataset,
                config,
                seed,
                config.resume ? out : null,
                out,
                options.signal,
              );
              if (features.model.collapsed) {
                warn(
                  `warning: the selection model of experiment ${exp} (seed ${seed}) collapsed — ${
                    features.model.trainAccuracy === null
                      ? ""
                      : `training accuracy ${(100 * features.model.trainAccuracy).toFixed(1)} %, `
                  }every sample gets the same ${
                    features.model.embeddingSpread > COLLAPSE_SPREAD ? "probabilities" : "embedding"
                  }: its methods only break ties. DeepCore collapses too at --selection_lr ${config.selection_lr}; a smaller one (e.g. 0.01) trains.`,
                );
              }
            }
            const start = performance.now(); // selection alone: pre-training is in selectionModel.seconds
            const beat = heartbeat(`${method.label} ${fraction}: selecting…`, { quiet: config.quiet });
            const coreset = await method.info.select(
              {
                labels: dataset.train.labels,
                ...(features && { features: features.embeddings, probs: features.probs }),
              },
              { fraction, balance: config.balance, seed, ...method.options },
            ).finally(() => beat.stop());
            const selectionSeconds = (performance.now() - start) / 1000;
            const slug = ids[0]!.replaceAll("/", "_");
            const indicesFile = out ? await out.saveCoreset(slug, coreset) : "";
            log(
              `${method.label} ${fraction}: selected ${coreset.indices.length} of ${dataset.train.count} in ${
                selectionSeconds.toFixed(1)
              } s`,
            );
            for (const [k, modelName] of models.entries()) {
              if (results.runs.some((r) => r.id === ids[k])) continue;
              const run = await trainOnCoreset(dataset, modelName, coreset, config, {
                seed,
                out,
                slug: `${slug}_${modelName}`,
                signal: options.signal,
              });
              const record: RunRecord = {
                ...base,
                id: ids[k]!,
                ...(modelName !== config.model && { crossModel: modelName }),
                seed,
                budget: budgetFromOptions(dataset.train.count, { fraction }),
                options: { ...config },
                coreset: {
                  size: coreset.indices.length,
                  indicesFile,
                  weighted: !!coreset.weights,
                  selectionSeconds,
                },
                ...(features && method.info.needs.length > 0 && { selectionModel: features.model }),
                training: run,
                finalAccuracy: run.tests.at(-1)?.accuracy ?? 0,
                bestAccuracy: run.tests.reduce((m, t) => Math.max(m, t.accuracy), 0),
                finished: new Date().toISOString(),
              };
              results = upsertRun(results, record);
              if (out) await writeResults(out.results, results);
              if (out) await out.removeCheckpoint(`${slug}_${modelName}`);
              log(
                `${method.label} ${fraction} ${modelName}: best accuracy ${
                  (100 * record.bestAccuracy).toFixed(2)
                }%`,
              );
            }
          }
        }
      } finally {
        if (features) tf.dispose([features.embeddings, features.probs]);
      }
    }
  } finally {
    dataset.close();
  }
  return results;
}

/**
 * The selection model's features for one experiment, and a record of how it trained: loaded from
 * `save_path` if there, else trained.
 */
async function selectionFeatures(
  dataset: Dataset,
  config: ExperimentConfig,
  seed: number,
  resumeFrom: OutputFolder | null,
  out: OutputFolder | null,
  signal?: AbortSignal,
): Promise<SelectionFeatures & { model: SelectionModelRecord }> {
  const start = performance.now();
  const model = buildModel(config.model, dataset, seed);
  const file = out?.selectionModel(seed);
  const saved = resumeFrom ? await readIfExists(resumeFrom.selectionModel(seed)) : null;
  let last: { loss: number; accuracy: number } | null = null;
  if (saved) {
    const { tensors, metadata } = decodeSafetensors(saved, file!);
    loadModelState(model, tensors, file!);
    if (metadata.trainLoss !== undefined) {
      last = { loss: Number(metadata.trainLoss), accuracy: Number(metadata.trainAccuracy) };
    }
  } else {
    const history = await pretrain(model, dataset.train, {
      epochs: config.selection_epochs,
      lr: config.selection_lr,
      batchSize: config.selection_batch,
      seed,
      kind: config.selection_optimizer as "SGD" | "Adam",
      momentum: config.selection_momentum,
      weightDecay: config.selection_weight_decay,
      nesterov: config.selection_nesterov,
      quiet: config.quiet,
      signal,
    });
    last = history.at(-1) ?? null;
    if (file) {
      const metadata: Record<string, string> = { epochs: String(config.selection_epochs) };
      if (last) {
        Object.assign(metadata, { trainLoss: String(last.loss), trainAccuracy: String(last.accuracy) });
      }
      await writeFileAtomic(file, encodeSafetensors(await modelState(model), metadata));
    }
  }
  const features = await extractFeatures(model, dataset.train, config.selection_batch, {
    quiet: config.quiet,
  });
  disposeModel(model);
  const check = await collapseCheck(features);
  return {
    ...features,
    model: {
      epochs: config.selection_epochs,
      lr: config.selection_lr,
      trainLoss: last?.loss ?? null,
      trainAccuracy: last?.accuracy ?? null,
      seconds: (performance.now() - start) / 1000,
      ...check,
    },
  };
}

/** Trains a fresh `modelName` on the coreset, resuming from its checkpoint when there is one. */
async function trainOnCoreset(
  dataset: Dataset,
  modelName: string,
  coreset: SelectionResult,
  config: ExperimentConfig,
  where: { seed: number; out: OutputFolder | null; slug: string; signal?: AbortSignal },
): Promise<RunRecord["training"]> {
  const model = buildModel(modelName, dataset, where.seed);
  const optimizer = new Optimizer(model.params, {
    kind: config.optimizer as "SGD" | "Adam",
    momentum: config.momentum,
    weightDecay: config.weight_decay,
    nesterov: config.nesterov,
  });
  const L = Math.ceil(coreset.indices.length / config.train_batch);
  const lr = (t: number) =>
    config.scheduler === "CosineAnnealingLR"
      ? annealedLr(t, { lr: config.lr, minLr: config.min_lr, itersPerEpoch: L, epochs: config.epochs })
      : config.scheduler === "StepLR"
      ? stepLr(t, { lr: config.lr, itersPerEpoch: L, stepSize: config.step_size, gamma: config.gamma })
      : config.lr;
  let state = { epoch: 0, seconds: 0, history: [] as EpochPoint[], tests: [] as TestPoint[] };
  const checkpoint = where.out?.checkpoint(where.slug);
  const saved = checkpoint && config.resume ? await readIfExists(checkpoint) : null;
  if (saved) state = restore(model, optimizer, saved, checkpoint!);
  try {
    for (let epoch = state.epoch; epoch < config.epochs; epoch++) {
      const stats = await trainEpoch(model, dataset.train, optimizer, {
        indices: coreset.indices,
        ...(coreset.weights && { weights: coreset.weights }),
        batchSize: config.train_batch,
        lr,
        iteration: epoch * L,
        seed: where.seed,
        epoch,
        augment: dataset.trainAugmentation !== "none",
        progress: `${modelName} epoch ${epoch + 1}/${config.epochs}`,
        quiet: config.quiet,
        signal: where.signal,
      });
      state.seconds += stats.seconds;
      state.history.push({ epoch, loss: stats.loss, accuracy: stats.accuracy, lr: lr((epoch + 1) * L - 1) });
      if (config.test_interval > 0 && (epoch + 1) % config.test_interval === 0) {
        const test = await evaluate(model, dataset.test, config.train_batch, { quiet: config.quiet });
        state.tests.push({ epoch, accuracy: test.accuracy, loss: test.loss });
      }
      state.epoch = epoch + 1;
      if (checkpoint && state.epoch < config.epochs && state.epoch % config.checkpoint_every === 0) {
        await save(model, optimizer, state, checkpoint);
      }
    }
    return { seconds: state.seconds, history: state.history, tests: state.tests };
  } finally {
    optimizer.dispose();
    disposeModel(model);
  }
}

type TrainState = { epoch: number; seconds: number; history: EpochPoint[]; tests: TestPoint[] };

async function save(model: Classifier, optimizer: Optimizer, state: TrainState, path: string): Promise<void> {
  const tensors: Record<string, NamedArray> = await modelState(model);
  const opt = await optimizer.state();
  for (const [name, buffers] of Object.entries(opt.buffers)) {
    const shape = model.params.find((p) => p.name === name)!.value.shape;
    buffers.forEach((data, k) => (tensors[`optimizer/${name}/${k}`] = { data, shape }));
  }
  await writeFileAtomic(
    path,
    encodeSafetensors(tensors, { state: JSON.stringify(state), step: String(opt.step) }),
  );
}

function restore(model: Classifier, optimizer: Optimizer, bytes: Uint8Array, path: string): TrainState {
  const { tensors, metadata } = decodeSafetensors(bytes, path);
  loadModelState(model, tensors, path);
  const buffers: Record<string, Float32Array[]> = {};
  for (const [name, t] of Object.entries(tensors)) {
    const m = /^optimizer\/(.+)\/(\d+)$/.exec(name);
    if (m) (buffers[m[1]!] ??= [])[Number(m[2])] = t.data as Float32Array;
  }
  optimizer.load({ step: Number(metadata.step ?? 0), buffers });
  return JSON.parse(metadata.state ?? "{}") as TrainState;
}

/** A fresh `name` network for `dataset`'s images and classes, initialised from `seed`. */
export function buildModel(name: string, dataset: Dataset, seed: number): Classifier {
  return createModel(name, {
    channels: dataset.channels,
    imageSize: [dataset.imageSize[0], dataset.imageSize[1]],
    numClasses: dataset.classCount,
    seed,
  });
}

/** Frees a network's GPU memory: its parameters and buffers, and any gradients. */
export function disposeModel(model: Classifier): void {
  for (const s of model.state) s.value.dispose();
  for (const p of model.params) p.grad?.dispose();
}

async function readIfExists(path: string): Promise<Uint8Array | null> {
  try {
    return await Deno.readFile(path);
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return null;
    throw e;
  }
}

/** The files of a run under `--save_path`. */
class OutputFolder {
  constructor(readonly root: string) {}

  get results(): string {
    return `${this.root}/results.json`;
  }

  selectionModel(seed: number): string {
    return `${this.root}/selection/seed${seed}.safetensors`;
  }

  checkpoint(slug: string): string {
    return `${this.root}/checkpoints/${slug}.safetensors`;
  }

  async saveCoreset(slug: string, coreset: SelectionResult): Promise<string> {
    const path = `${this.root}/coresets/${slug}.npy`;
    await writeNpyFile(path, BigInt64Array.from(coreset.indices, BigInt));
    const json = {
      indices: Array.from(coreset.indices),
      ...(coreset.weights && { weights: Array.from(coreset.weights) }),
    };
    await writeFileAtomic(`${this.root}/coresets/${slug}.json`, JSON.stringify(json) + "\n");
    return `coresets/${slug}.npy`;
  }

  async removeCheckpoint(slug: string): Promise<void> {
    await Deno.remove(this.checkpoint(slug)).catch(() => {});
  }
}
