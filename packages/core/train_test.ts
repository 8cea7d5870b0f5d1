import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { batches, type Dataset, loadMnist, shuffledOrder } from "@gradnets/data";
import { ARCHITECTURE_CASES, INPUT_STAGE_CASES } from "./_testing.ts";
import { useBackend } from "./backend.ts";
import { NOTEBOOK_CONFIG, type RunConfig } from "./config.ts";
import { layerContext } from "./layers/layer.ts";
import { createModel } from "./model.ts";
import { createOptimizer } from "./optimizers.ts";
import { Random } from "./random.ts";
import { train, trainStep } from "./train.ts";
import { wasmKernelsActive } from "./kernels/fast_path.ts";

await useBackend("wasm");

const mnist: Dataset = await loadMnist({ limit: 2500 });
const SMALL: RunConfig = {
  ...NOTEBOOK_CONFIG,
  depth: 6,
  width: 16,
  lossReduction: "mean",
  init: { kind: "he" },
  optimizer: { kind: "sgd", learningRate: 0.1 },
  schedule: { kind: "linear", tau: 0.5 },
  epochs: 1,
};

/** Losses of the first `steps` steps of a run with this seed. */
function losses(seed: number, steps: number): number[] {
  const random = new Random(seed);
  const model = createModel(
    { ...SMALL, seed },
    { inputSize: 784, classes: 10 },
    random.fork("init"),
  );
  const optimizer = createOptimizer(SMALL.optimizer, model.variables.map((v) => v.shape));
  const shuffle = random.fork("shuffle");
  const order = shuffledOrder(mnist.train.count, () => shuffle.uniform());
  const out: number[] = [];
  for (const batch of batches(mnist.train, order, SMALL.batchSize)) {
    if (out.length === steps) break;
    const settings = { g: 0.5, learningRateScale: 1, random, sampleNorms: false };
    out.push(trainStep(model, optimizer, batch, mnist, settings, SMALL).loss);
  }
  model.dispose();
  return out;
}

Deno.test("the same seed gives identical losses over 50 steps; another seed does not", () => {
  const a = losses(1, 50), b = losses(1, 50), c = losses(2, 50);
  assert.equal(a.length, 50);
  assert.deepEqual(a, b);
  assert.notDeepEqual(a, c);
  // And the network learns something in those steps.
  const mean = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;
  assert.ok(
    mean(a.slice(40)) < mean(a.slice(0, 10)),
    `loss did not fall: ${a.slice(0, 3)} .. ${a.slice(-3)}`,
  );
});

Deno.test("no tensor outlives an epoch of training and evaluation", async () => {
  await train(SMALL, mnist); // warm up: tfjs keeps a few tensors of its own on first use
  const before = tf.memory().numTensors;
  const result = await train(SMALL, mnist);
  assert.equal(result.status, "completed");
  assert.equal(tf.memory().numTensors, before);
});

Deno.test("a training run records one row per epoch, g rising, and per-layer gradient norms", async () => {
  const result = await train({ ...SMALL, epochs: 2, schedule: { kind: "linear", tau: 2 } }, mnist);
  assert.deepEqual(result.epochs.map((e) => e.epoch), [0, 1, 2]);
  assert.deepEqual(result.epochs.map((e) => e.step), [0, 50, 100]);
  assert.equal(result.epochs[0].g, 0);
  assert.equal(result.epochs[2].g, 99 / 50 / 2);
  // Twice chance after 100 steps: the model learns (a broken gradient stays at 10%).
  assert.ok(
    result.epochs[2].validationAccuracy! > 0.2,
    `accuracy ${result.epochs[2].validationAccuracy}`,
  );
  const layers = new Set(result.gradientNorms.map((n) => n.layerName));
  assert.equal(layers.size, 6);
  assert.ok(result.gradientNorms.every((n) => n.meanNorm >= 0 && n.samples === 1));
});

Deno.test("a diverging run ends with status diverged and the step, not an exception", async () => {
  const result = await train({
    ...SMALL,
    lossReduction: "sum",
    optimizer: { kind: "sgd", learningRate: 1e3 },
    schedule: { kind: "linear", tau: 0 },
  }, mnist);
  assert.equal(result.status, "diverged");
  assert.ok(result.divergedStep! >= 1 && result.divergedStep! <= 50);
  assert.match(result.divergedReason!, /^loss (NaN|Infinity)/);
  const last = result.epochs.at(-1)!;
  assert.equal(last.status, "diverged");
  assert.equal(last.validationAccuracy, null);
});

Deno.test("every architecture and GradNet variant trains a few steps on real MNIST and stays finite", async (t) => {
  const adam = {
    kind: "adam",
    learningRate: 1e-3,
    beta1: 0.9,
    beta2: 0.999,
    epsilon: 1e-7,
  } as const;
  const variants: [string, Partial<RunConfig>][] = [
    ...ARCHITECTURE_CASES,
    ...INPUT_STAGE_CASES.map(([name, variant]): [string, Partial<RunConfig>] => [
      `${name} input stage`,
      { architecture: { kind: "rezero" }, ...variant },
    ]),
    ["gradual dropout", {
      architecture: { kind: "plain" },
      dropout: { kind: "gradual", rate: 0.2 },
    }],
    ["gradual batch norm", { architecture: { kind: "plain" }, batchNorm: { kind: "gradual" } }],
    ["optimiser interpolation", {
      optimizer: { kind: "interpolate", from: adam, to: { kind: "sgd", learningRate: 0.1 } },
    }],
    ["window schedule", { schedule: { kind: "window", start: 0.2, end: 0.8 } }],
    ["momentum, decay, clipping, weight decay", {
      optimizer: { kind: "momentum", learningRate: 0.05, momentum: 0.9 },
      learningRateDecay: { kind: "exponential", rate: 0.5, epochs: 1 },
      gradientClip: 1,
      weightDecay: 1e-4,
      init: { kind: "orthogonal", gain: Math.SQRT2 },
    }],
  ];
  const small = await loadMnist({ limit: 500 });
  for (const [name, variant] of variants) {
    await t.step(name, async () => {
      const before = tf.memory().numTensors;
      const result = await train({
        ...SMALL,
        ...variant,
        schedule: variant.schedule ?? SMALL.schedule,
      }, small);
      assert.equal(result.status, "completed", result.divergedReason ?? "");
      const last = result.epochs.at(-1)!;
      assert.ok(Number.isFinite(last.trainLoss!), `${name}: loss ${last.trainLoss}`);
      assert.ok(
        Number.isFinite(last.validationAccuracy!),
        `${name}: accuracy ${last.validationAccuracy}`,
      );
      assert.equal(tf.memory().numTensors, before, `${name} leaked tensors`);
    });
  }
});

Deno.test("evaluateTest false keeps the test split unread", async () => {
  const result = await train({ ...SMALL, evaluateTest: false }, mnist);
  assert.ok(result.epochs.every((e) => e.testAccuracy === null));
  assert.ok(result.epochs.every((e) => e.validationAccuracy !== null));
});

/**
 * Losses of `steps` SGD steps of plain tfjs autodiff: tf.variableGrads of the reference model
 * (plain differentiable ops), weight decay and clipping written out, `v - lr * grad`.
 */
function autodiffLosses(config: RunConfig, steps: number): number[] {
  const random = new Random(config.seed);
  const model = createModel(config, { inputSize: 784, classes: 10 }, random.fork("init"));
  const shuffle = random.fork("shuffle");
  const order = shuffledOrder(mnist.train.count, () => shuffle.uniform());
  const learningRate = (config.optimizer as { learningRate: number }).learningRate;
  const roles = model.layers.flatMap((layer) => layer.params.map((p) => p.role));
  const out: number[] = [];
  for (const batch of batches(mnist.train, order, config.batchSize)) {
    if (out.length === steps) break;
    tf.tidy(() => {
      const x = tf.tensor2d(batch.images, [batch.size, 784]);
      const labels = tf.oneHot(tf.tensor1d(batch.labels, "int32"), 10);
      const ctx = layerContext(0.5, true, new Random(1));
      const { value, grads } = tf.variableGrads(
        () => tf.losses.softmaxCrossEntropy(labels, model.reference(x, ctx)) as tf.Scalar,
        model.variables as tf.Variable[],
      );
      let total = model.variables.map((v, i) =>
        roles[i] === "weight" && config.weightDecay > 0
          ? tf.add(grads[v.name], tf.mul(v, config.weightDecay))
          : grads[v.name]
      );
      if (config.gradientClip !== null) {
        const norm = Math.sqrt(total.reduce((s, g) => s + tf.sum(tf.square(g)).dataSync()[0], 0));
        if (norm > config.gradientClip) {
          total = total.map((g) => tf.mul(g, config.gradientClip! / norm));
        }
      }
      model.variables.forEach((v, i) => v.assign(tf.sub(v, tf.mul(total[i], learningRate))));
      out.push(value.dataSync()[0]);
    });
  }
  model.dispose();
  return out;
}

/** Losses of `steps` steps of the optimised trainer (trainStep) at g = 0.5. */
function trainerLosses(config: RunConfig, steps: number): number[] {
  const random = new Random(config.seed);
  const model = createModel(config, { inputSize: 784, classes: 10 }, random.fork("init"));
  const optimizer = createOptimizer(config.optimizer, model.variables.map((v) => v.shape));
  const shuffle = random.fork("shuffle");
  const order = shuffledOrder(mnist.train.count, () => shuffle.uniform());
  const out: number[] = [];
  for (const batch of batches(mnist.train, order, config.batchSize)) {
    if (out.length === steps) break;
    const settings = { g: 0.5, learningRateScale: 1, random, sampleNorms: true };
    out.push(trainStep(model, optimizer, batch, mnist, settings, config).loss);
  }
  optimizer.dispose();
  model.dispose();
  return out;
}

Deno.test("the optimised trainer's losses equal plain tfjs autodiff's to float round-off", async (t) => {
  assert.ok(wasmKernelsActive(), "the GradNets kernels should run on the wasm backend");
  const variants: [string, Partial<RunConfig>][] = [
    ...ARCHITECTURE_CASES,
    ["grelu + gradual batch norm", { batchNorm: { kind: "gradual" } }],
    // A clipping threshold below the gradients' norm (about 1 here), so that clipping acts.
    ["plain, weight decay and clipping", {
      architecture: { kind: "plain" },
      weightDecay: 1e-3,
      gradientClip: 0.5,
    }],
  ];
  for (const [name, variant] of variants) {
    await t.step(name, () => {
      const config = { ...SMALL, ...variant };
      const fast = trainerLosses(config, 8);
      const reference = autodiffLosses(config, 8);
      assert.equal(fast.length, 8);
      fast.forEach((loss, i) =>
        assert.ok(
          Math.abs(loss - reference[i]) <= 1e-4 * Math.abs(reference[i]),
          `${name} step ${i + 1}: ${loss} vs autodiff ${reference[i]}`,
        )
      );
    });
  }
});
