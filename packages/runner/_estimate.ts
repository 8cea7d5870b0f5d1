/**
 * How long a plan will take: from the speed of stored runs of the same kind, or from a short
 * timing here.
 *
 * @module
 */

import {
  createModel,
  createOptimizer,
  Random,
  type RunConfig,
  trainStep,
  useBackend,
} from "@gradnets/core";
import { type PlannedRun, type StoredRun, work } from "./plan.ts";

/**
 * Seconds of training the runs need on one worker: from the speed of stored runs of the same
 * architecture and backend when there are any, otherwise from a short timing of 20 steps here.
 */
export async function estimateSeconds(
  todo: PlannedRun[],
  stored: Map<string, StoredRun>,
): Promise<number> {
  const rates = new Map<string, number>();
  const key = (c: RunConfig) =>
    `${c.backend}|${c.architecture.kind}|${c.batchNorm.kind}|${c.dropout.kind}`;
  for (const { record } of stored.values()) {
    const seconds = record.result.epochs.reduce(
      (s, e) => s + (Number.isFinite(e.seconds) ? e.seconds : NaN),
      0,
    );
    const steps = record.result.epochs.at(-1)!.step;
    if (Number.isFinite(seconds) && steps > 0) {
      rates.set(key(record.config), seconds / (steps * record.config.depth));
    }
  }
  let total = 0;
  for (const run of todo) {
    let rate = rates.get(key(run.config));
    if (rate === undefined) {
      rate = await timeLayerStep(run.config);
      rates.set(key(run.config), rate);
    }
    total += rate * work(run.config);
  }
  return total;
}

/** Seconds per layer-step of a config at depth 20, timed over 20 steps on random data. */
async function timeLayerStep(config: RunConfig): Promise<number> {
  await useBackend(config.backend);
  const depth = 20;
  const probe: RunConfig = { ...config, depth };
  const random = new Random(1);
  const model = createModel(probe, { inputSize: 784, classes: 10 }, random.fork("init"));
  const optimizer = createOptimizer(probe.optimizer, model.variables.map((v) => v.shape));
  const batch = {
    images: Float32Array.from({ length: probe.batchSize * 784 }, () => random.uniform()),
    labels: Uint8Array.from({ length: probe.batchSize }, () => Math.floor(random.uniform() * 10)),
    size: probe.batchSize,
  };
  const data = { classes: 10, train: { features: 784 } };
  const settings = { g: 0.5, learningRateScale: 1, random, sampleNorms: false };
  for (let i = 0; i < 5; i++) trainStep(model, optimizer, batch, data, settings, probe);
  const started = performance.now();
  for (let i = 0; i < 20; i++) trainStep(model, optimizer, batch, data, settings, probe);
  const seconds = (performance.now() - started) / 1000 / 20 / depth;
  optimizer.dispose();
  model.dispose();
  // Evaluation of validation and test sets adds about a tenth to an epoch.
  return seconds * 1.1;
}

/** The most a tfjs-wasm heap can hold (32-bit wasm memory). */
const WASM_HEAP_BYTES = 4 * 2 ** 30;

/**
 * Bytes a run needs, from its sizes alone (nothing is allocated): weights with their gradients
 * and optimiser state, the activations of a batch kept for the backward pass, and the dataset.
 * Generous by design: the published runs need a few MB of it, a mistyped size thousands of GB.
 */
export function memoryBytes(config: RunConfig): number {
  const w = config.width, hidden = Math.max(config.depth - 2, 0);
  // Up to two weight matrices per hidden layer (a highway's gate), input and output layers.
  const parameters = 784 * w + 10 * w + hidden * 2 * (w * w + w);
  const batch = Math.min(config.batchSize, config.dataLimit ?? 55000, 55000);
  const activations = batch * w * config.depth * 8;
  const dataset = 70000 * 784 * 4;
  return 4 * (6 * parameters + activations) + dataset;
}

/**
 * What is wrong with training `todo` on `workers` worker processes on this machine: the
 * largest run's memory against a worker's share of the free memory (and, on wasm, the heap
 * limit). Undefined when it fits.
 */
export function memoryProblem(todo: readonly PlannedRun[], workers: number): string | undefined {
  if (todo.length === 0) return undefined;
  const largest = todo.reduce((a, b) => (memoryBytes(b.config) > memoryBytes(a.config) ? b : a));
  const needed = memoryBytes(largest.config);
  const free = Deno.systemMemoryInfo().available / Math.min(workers, todo.length);
  const limit = largest.config.backend === "wasm" ? Math.min(free, WASM_HEAP_BYTES) : free;
  if (needed <= limit) return undefined;
  const gb = (bytes: number) => `${(bytes / 2 ** 30).toPrecision(3)} GB`;
  const c = largest.config;
  const reason = limit === WASM_HEAP_BYTES
    ? "the wasm backend's heap limit"
    : `the free memory shared by ${Math.min(workers, todo.length)} worker(s)`;
  return `run ${largest.id} (depth ${c.depth}, width ${c.width}, batch ${c.batchSize}) needs ` +
    `about ${gb(needed)} of memory, more than a worker can use here (${gb(limit)}, ${reason}): ` +
    "use a smaller --depth, --width or --batch";
}
