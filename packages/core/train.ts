/**
 * The training loop: shuffled mini-batches, g recomputed at every step, a hand-written backward
 * pass, the optimiser's update, and per-epoch records of loss, accuracy and gradient norms.
 *
 * A non-finite loss is a result, not a crash: the run stops with status `diverged` and records
 * the step, the value of g and what was non-finite.
 *
 * Test accuracy is measured at every epoch because the notebook logged it, but nothing here
 * (no model selection, no early stopping) reads it: decisions use the validation split only.
 *
 * @module
 */

import * as tf from "@tensorflow/tfjs";
import { batches, type Dataset, shuffledOrder, stepsPerEpoch } from "@gradnets/data";
import type { RunConfig } from "./config.ts";
import { evaluateAccuracy } from "./evaluate.ts";
import { layerContext } from "./layers/layer.ts";
import { softmaxCrossEntropy } from "./losses.ts";
import { createModel, type Model } from "./model.ts";
import { sumsOfSquares } from "./kernels/update_kernels.ts";
import {
  createOptimizer,
  type GradientTransform,
  learningRateScale,
  type Optimizer,
  transformGradients,
} from "./optimizers.ts";
import { Random } from "./random.ts";
import { scheduleValue } from "./schedules.ts";

/** The state of a run at the end of an epoch (epoch 0: before training). */
export interface EpochRecord {
  /** Epochs completed; 0 is the untrained model. */
  readonly epoch: number;
  /** Optimisation steps completed. */
  readonly step: number;
  /** g at the last step of the epoch (and at evaluation). */
  readonly g: number;
  /** Mean training loss over the epoch's steps; null for epoch 0. */
  readonly trainLoss: number | null;
  /** Fraction of the epoch's training examples classified correctly as they were trained on. */
  readonly trainAccuracy: number | null;
  /** Accuracy on the validation split at the end of the epoch; null after divergence. */
  readonly validationAccuracy: number | null;
  /** Accuracy on the test split (reported only, never used for decisions); null after divergence. */
  readonly testAccuracy: number | null;
  /** `ok`, or `diverged` for the epoch in which the loss stopped being finite. */
  readonly status: "ok" | "diverged";
  /** Wall-clock seconds the epoch took (training and evaluation). */
  readonly seconds: number;
}

/** Per-layer L2 norm of the weight gradients, sampled during one epoch. */
export interface GradientNormRecord {
  /** The epoch (1-based) whose steps were sampled. */
  readonly epoch: number;
  /** Layer index from 0 (input) to depth - 1 (output). */
  readonly layer: number;
  /** Layer name (`input`, `hidden7`, `output`). */
  readonly layerName: string;
  /** Mean of the sampled norms. */
  readonly meanNorm: number;
  /** Largest sampled norm. */
  readonly maxNorm: number;
  /** Number of sampled steps. */
  readonly samples: number;
}

/** How a run ended. */
export interface RunResult {
  /** `completed`, or `diverged` when a loss was not finite. */
  readonly status: "completed" | "diverged";
  /** The step (1-based) whose loss was not finite. */
  readonly divergedStep: number | null;
  /** What was not finite, and where. */
  readonly divergedReason: string | null;
  /** One record per epoch, from epoch 0. */
  readonly epochs: readonly EpochRecord[];
  /** One record per sampled epoch and layer. */
  readonly gradientNorms: readonly GradientNormRecord[];
}

/** Progress of a run, reported after every step. */
export interface TrainProgress {
  /** Steps completed. */
  readonly step: number;
  /** Steps of the whole run. */
  readonly totalSteps: number;
  /** Current epoch (1-based). */
  readonly epoch: number;
  /** Current g. */
  readonly g: number;
  /** Loss of the last step. */
  readonly loss: number;
}

/** Options of {@linkcode train}. */
export interface TrainOptions {
  /** Called after every step (keep it cheap; throttle output yourself). */
  readonly onProgress?: (progress: TrainProgress) => void;
  /** Called after every epoch with its record. */
  readonly onEpoch?: (record: EpochRecord) => void;
  /** Sample the gradient norms every this many steps (and at each epoch's first step). Default 100. */
  readonly gradientNormEvery?: number;
}

/**
 * Trains the model that `config` describes on `data`, and evaluates it after every epoch.
 *
 * @example A short run on a slice of MNIST
 * ```ts ignore
 * import { loadMnist } from "@gradnets/data";
 * import { NOTEBOOK_CONFIG, train, useBackend } from "@gradnets/core";
 * await useBackend("wasm");
 * const data = await loadMnist({ limit: 500 });
 * const result = await train({ ...NOTEBOOK_CONFIG, depth: 5, epochs: 1 }, data);
 * console.log(result.epochs.at(-1)?.validationAccuracy);
 * ```
 */
export async function train(
  config: RunConfig,
  data: Dataset,
  options: TrainOptions = {},
): Promise<RunResult> {
  const random = new Random(config.seed);
  const model = createModel(
    config,
    { inputSize: data.train.features, classes: data.classes },
    random.fork("init"),
  );
  const optimizer = createOptimizer(config.optimizer, model.variables.map((v) => v.shape));
  try {
    return await trainModel(model, optimizer, config, data, random, options);
  } finally {
    optimizer.dispose();
    model.dispose();
  }
}

async function trainModel(
  model: Model,
  optimizer: Optimizer,
  config: RunConfig,
  data: Dataset,
  random: Random,
  options: TrainOptions,
): Promise<RunResult> {
  const shuffleRandom = random.fork("shuffle");
  const stochastic = random.fork("stochastic");
  const steps = stepsPerEpoch(data.train.count, config.batchSize);
  if (steps === 0) {
    throw new RangeError(
      `batch size ${config.batchSize} is larger than the ${data.train.count} training examples`,
    );
  }
  const totalSteps = steps * config.epochs;
  const normEvery = options.gradientNormEvery ?? 100;
  const gAt = (step: number) => scheduleValue(config.schedule, step / steps, config.epochs);

  const epochs: EpochRecord[] = [];
  const gradientNorms: GradientNormRecord[] = [];
  const evaluate = (g: number) => ({
    validationAccuracy: evaluateAccuracy(model, data.validation, g),
    // A search sets evaluateTest false: its decisions must not even see the test split.
    testAccuracy: config.evaluateTest === false ? null : evaluateAccuracy(model, data.test, g),
  });
  let started = performance.now();
  const record = (entry: EpochRecord) => {
    epochs.push(entry);
    options.onEpoch?.(entry);
  };
  record({
    epoch: 0,
    step: 0,
    g: gAt(0),
    trainLoss: null,
    trainAccuracy: null,
    ...evaluate(gAt(0)),
    status: "ok",
    seconds: (performance.now() - started) / 1000,
  });

  let step = 0;
  for (let epoch = 1; epoch <= config.epochs; epoch++) {
    started = performance.now();
    const order = shuffledOrder(data.train.count, () => shuffleRandom.uniform());
    let lossSum = 0;
    let correct = 0;
    let seen = 0;
    const norms = model.layers.map(() => ({ sum: 0, max: 0, samples: 0 }));
    let g = gAt(step);
    for (const batch of batches(data.train, order, config.batchSize)) {
      g = gAt(step);
      const sampleNorms = step % normEvery === 0 || step % steps === 0;
      const outcome = trainStep(model, optimizer, batch, data, {
        g,
        learningRateScale: learningRateScale(config.learningRateDecay, step / steps),
        random: stochastic,
        sampleNorms,
      }, config);
      step++;
      if (!Number.isFinite(outcome.loss)) {
        pushNorms(gradientNorms, model, epoch, norms);
        record({
          epoch,
          step,
          g,
          trainLoss: seen > 0 ? lossSum / (seen / config.batchSize) : null,
          trainAccuracy: seen > 0 ? correct / seen : null,
          validationAccuracy: null,
          testAccuracy: null,
          status: "diverged",
          seconds: (performance.now() - started) / 1000,
        });
        return {
          status: "diverged",
          divergedStep: step,
          divergedReason: describeDivergence(model, outcome.loss, epoch, g),
          epochs,
          gradientNorms,
        };
      }
      lossSum += outcome.loss;
      correct += outcome.correct;
      seen += batch.size;
      if (outcome.norms) {
        outcome.norms.forEach((n, i) => {
          norms[i].sum += n;
          norms[i].max = Math.max(norms[i].max, n);
          norms[i].samples++;
        });
      }
      options.onProgress?.({ step, totalSteps, epoch, g, loss: outcome.loss });
    }
    pushNorms(gradientNorms, model, epoch, norms);
    record({
      epoch,
      step,
      g,
      trainLoss: lossSum / steps,
      trainAccuracy: correct / seen,
      ...evaluate(g),
      status: "ok",
      seconds: (performance.now() - started) / 1000,
    });
    // Let timers and signals run between epochs.
    await new Promise((resolve) => setTimeout(resolve, 0));
  }
  return { status: "completed", divergedStep: null, divergedReason: null, epochs, gradientNorms };
}

function pushNorms(
  out: GradientNormRecord[],
  model: Model,
  epoch: number,
  norms: { sum: number; max: number; samples: number }[],
): void {
  // Numbered like the notebook's layers: only layers with weight matrices count.
  let layer = 0;
  norms.forEach((n, i) => {
    if (!model.layers[i].params.some((p) => p.role === "weight")) return;
    if (n.samples > 0) {
      out.push({
        epoch,
        layer,
        layerName: model.layers[i].name,
        meanNorm: n.sum / n.samples,
        maxNorm: n.max,
        samples: n.samples,
      });
    }
    layer++;
  });
}

/** The outcome of one optimisation step. */
export interface StepOutcome {
  /** The batch's loss (reduced as configured); not finite means no update was applied. */
  readonly loss: number;
  /** Examples of the batch classified correctly before the update. */
  readonly correct: number;
  /** Per-layer L2 norm of the weight gradients, when asked for. */
  readonly norms: Float32Array | null;
}

/** What a step needs besides the model, the optimiser and the batch. */
export interface StepSettings {
  /** The interpolation weight of this step. */
  readonly g: number;
  /** Learning-rate multiplier of this step (decay). */
  readonly learningRateScale: number;
  /** Source of dropout masks. */
  readonly random: Random;
  /** Whether to compute per-layer gradient norms. */
  readonly sampleNorms: boolean;
}

/**
 * One optimisation step: forward, loss on the host, backward, weight decay, clipping, update.
 * All tensors of the step are freed before it returns. A non-finite loss applies no update.
 *
 * @example
 * ```ts ignore
 * const settings = { g: 0.5, learningRateScale: 1, random: new Random(1), sampleNorms: false };
 * const outcome = trainStep(model, optimizer, batch, data, settings, config);
 * ```
 */
export function trainStep(
  model: Model,
  optimizer: Optimizer,
  batch: { images: Float32Array; labels: Uint8Array; size: number },
  data: { classes: number; train: { features: number } },
  settings: StepSettings,
  config: Pick<RunConfig, "lossReduction" | "weightDecay" | "gradientClip">,
): StepOutcome {
  let outcome: StepOutcome | undefined;
  const { g } = settings;
  tf.tidy(() => {
    const ctx = layerContext(g, true, settings.random);
    const x = tf.tensor2d(batch.images, [batch.size, data.train.features]);
    const pass = model.forward(x, ctx);
    const logits = pass.logits.dataSync() as Float32Array;
    const { loss, gradient, correct } = softmaxCrossEntropy(
      logits,
      batch.labels,
      data.classes,
      config.lossReduction,
    );
    if (!Number.isFinite(loss)) {
      outcome = { loss, correct, norms: null };
      return;
    }
    const { grads, perLayer } = pass.backward(tf.tensor2d(gradient, [batch.size, data.classes]));
    const norms = settings.sampleNorms ? weightGradientNorms(model, perLayer) : null;
    let transform: GradientTransform = {
      weightDecay: config.weightDecay,
      decayed: weightMask(model),
      scale: null,
    };
    if (config.gradientClip !== null) {
      const norm = globalNorm(model.variables, grads, transform);
      if (norm > config.gradientClip) {
        transform = { ...transform, scale: config.gradientClip / norm };
      }
    }
    const step = { g, learningRateScale: settings.learningRateScale };
    optimizer.apply(model.variables, grads, step, transform);
    outcome = { loss, correct, norms };
  });
  return outcome!;
}

const weightMasks = new WeakMap<Model, boolean[]>();

/** Which variables are weight matrices (weight decay applies to them, not to biases or scales). */
function weightMask(model: Model): boolean[] {
  let mask = weightMasks.get(model);
  if (!mask) {
    mask = model.layers.flatMap((layer) => layer.params.map((p) => p.role === "weight"));
    weightMasks.set(model, mask);
  }
  return mask;
}

/**
 * The global L2 norm of the gradients after weight decay, which clipping compares with its
 * threshold: one kernel on the wasm backend, else tfjs ops.
 */
function globalNorm(
  variables: readonly tf.Variable[],
  grads: readonly tf.Tensor[],
  transform: GradientTransform,
): number {
  const sums = sumsOfSquares(grads, variables, transform.weightDecay, transform.decayed);
  if (sums) return Math.sqrt(sums.reduce((total, s) => total + s, 0));
  const total = transformGradients(grads, variables, transform);
  return Math.sqrt(tf.addN(total.map((g) => tf.sum(tf.square(g)))).dataSync()[0]);
}

/**
 * The L2 norm of each layer's weight gradients (biases excluded), read back in one transfer.
 * The notebook's "gradient_norm" was the mean of the concatenated gradients, which is near zero
 * whatever their size; this is the norm.
 *
 * @example
 * ```ts ignore
 * const norms = weightGradientNorms(model, perLayer); // one number per layer
 * ```
 */
export function weightGradientNorms(
  model: Model,
  perLayer: readonly (readonly tf.Tensor[])[],
): Float32Array {
  const weights = model.layers.map((layer, i) =>
    layer.params.flatMap((p, k) => (p.role === "weight" ? [perLayer[i][k]] : []))
  );
  const sums = sumsOfSquares(weights.flat(), [], 0, []);
  if (sums) {
    // One kernel for every weight gradient; the per-layer sums in double precision.
    let next = 0;
    return Float32Array.from(weights, (list) => {
      let total = 0;
      for (let k = 0; k < list.length; k++) total += sums[next++];
      return Math.sqrt(total);
    });
  }
  return tf.tidy(() => {
    const squares = model.layers.map((layer, i) => {
      const weights = layer.params
        .map((p, k) => (p.role === "weight" ? tf.sum(tf.square(perLayer[i][k])) : null))
        .filter((t): t is tf.Scalar => t !== null);
      return weights.length === 0 ? tf.scalar(0) : tf.addN(weights);
    });
    return tf.sqrt(tf.stack(squares)).dataSync() as Float32Array;
  });
}

function describeDivergence(model: Model, loss: number, epoch: number, g: number): string {
  const bad = tf.tidy(() =>
    model.layers.filter((layer) =>
      layer.params.some((p) => tf.any(tf.logicalNot(tf.isFinite(p.variable))).dataSync()[0] !== 0)
    ).map((layer) => layer.name)
  );
  const where = bad.length === 0
    ? "all weights finite, so activations overflowed in the forward pass"
    : `non-finite weights in ${bad.length} layers (${bad.slice(0, 3).join(", ")}${
      bad.length > 3 ? ", ..." : ""
    })`;
  return `loss ${loss} in epoch ${epoch} at g = ${g.toFixed(4)}: ${where}`;
}
