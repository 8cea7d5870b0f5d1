/**
 * Times the training step and the evaluation of the notebook's network (or another depth) on
 * each tfjs backend, and prints ms per step: min / median / max over repeats.
 *
 * Timings are measurements of this machine, never assertions: `deno task bench`.
 *
 * @module
 */

import {
  type Architecture,
  ARCHITECTURES,
  type BackendName,
  BACKENDS,
  createModel,
  createOptimizer,
  evaluateAccuracy,
  NOTEBOOK_CONFIG,
  Random,
  type RunConfig,
  trainStep,
  useBackend,
} from "@gradnets/core";
import { batches, loadMnist, shuffledOrder } from "@gradnets/data";
import * as tf from "@tensorflow/tfjs";
import { choiceOption, integerOption, parseOptions, runMain } from "../experiments/_cli.ts";

const HELP = `Time the training step and evaluation of GradNets on each tfjs backend.

Usage: deno task bench [options]

Options:
  --depths LIST    comma-separated depths (default 10,50)
  --backends LIST  comma-separated backends: wasm, cpu (default wasm,cpu)
  --archs LIST     comma-separated architectures (default grelu)
  --steps N        steps per repeat (default 50)
  --repeats N      repeats; min/median/max are over these (default 5)
  -h, --help       show this help`;

await runMain(async () => {
  const { values } = parseOptions(Deno.args, {
    depths: { type: "string", default: "10,50" },
    backends: { type: "string", default: "wasm,cpu" },
    archs: { type: "string", default: "grelu" },
    steps: { type: "string", default: "50" },
    repeats: { type: "string", default: "5" },
    help: { type: "boolean", short: "h" },
  });
  if (values.help) {
    console.log(HELP);
    return;
  }
  const depths = values.depths.split(",").map((d) => integerOption("depths", d, 2));
  const backends = values.backends.split(",").map((b) => choiceOption("backends", b, BACKENDS));
  const archs = values.archs.split(",").map((a) => choiceOption("archs", a, ARCHITECTURES));
  const steps = integerOption("steps", values.steps, 1);
  const repeats = integerOption("repeats", values.repeats, 1);

  const data = await loadMnist();
  console.log("backend\tarchitecture\tdepth\ttrain ms/step (min/median/max)\teval ms/10000 images");
  for (const backend of backends) {
    for (const kind of archs) {
      for (const depth of depths) {
        const architecture: Architecture = kind === "highway" ? { kind, carryBias: -2 } : { kind };
        // Small weights and learning rate keep every architecture finite while timed (a
        // 200-layer residual net of the notebook's init overflows): a diverged step skips its
        // backward pass and would time as fast.
        const config: RunConfig = {
          ...NOTEBOOK_CONFIG,
          architecture,
          depth,
          init: { kind: "truncated-normal", std: 0.02 },
          biasInit: 0,
          lossReduction: "mean",
          optimizer: { kind: "sgd", learningRate: 1e-4 },
        };
        const { train, evaluation } = await timeDepth(backend, config, data, steps, repeats);
        console.log(`${backend}\t${kind}\t${depth}\t${stats(train)}\t${evaluation.toFixed(1)}`);
      }
    }
  }
});

async function timeDepth(
  backend: BackendName,
  config: RunConfig,
  data: Awaited<ReturnType<typeof loadMnist>>,
  steps: number,
  repeats: number,
): Promise<{ train: number[]; evaluation: number }> {
  await useBackend(backend);
  const random = new Random(1);
  const model = createModel(config, { inputSize: 784, classes: 10 }, random.fork("init"));
  const optimizer = createOptimizer(config.optimizer, model.variables.map((v) => v.shape));
  const order = shuffledOrder(data.train.count, () => random.uniform());
  const iterator = batches(data.train, order, config.batchSize);
  const settings = { g: 0.5, learningRateScale: 1, random, sampleNorms: false };
  const step = () => {
    const { loss } = trainStep(model, optimizer, iterator.next().value!, data, settings, config);
    if (!Number.isFinite(loss)) {
      throw new Error(`the benchmark's ${config.architecture.kind} run diverged`);
    }
  };
  for (let i = 0; i < 10; i++) step(); // warm-up: kernels compiled, buffers allocated
  const train: number[] = [];
  for (let r = 0; r < repeats; r++) {
    const started = performance.now();
    for (let i = 0; i < steps; i++) step();
    train.push((performance.now() - started) / steps);
  }
  const started = performance.now();
  evaluateAccuracy(model, data.test, 0.5);
  const evaluation = performance.now() - started;
  model.dispose();
  tf.disposeVariables();
  return { train, evaluation };
}

function stats(xs: number[]): string {
  const sorted = [...xs].sort((a, b) => a - b);
  const median = sorted[Math.floor(sorted.length / 2)];
  return `${sorted[0].toFixed(2)} / ${median.toFixed(2)} / ${sorted.at(-1)!.toFixed(2)}`;
}
