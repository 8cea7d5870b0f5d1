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
    `${c.backend}|${c.architecture.kind}|${c.batchNorm.kind}|${c.dropout.kind}|${
      c.inputStage?.kind ?? "pixels"
    }`;
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
