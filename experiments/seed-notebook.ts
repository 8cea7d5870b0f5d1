/**
 * The 2015 notebook's experiment (../shared/seed/gradnets-notebook.txt), rerun.
 *
 * Method: MNIST (55000 train, the first 5000 training images as validation, 10000 test).
 * A 50-layer network: dense 784 -> 50 ReLU, 48 GReLU layers of width 50
 * (y = g*relu(xW+b) + (1-g)*x), dense 50 -> 10 into softmax cross-entropy. Weights truncated
 * normal std 0.1, biases 0.1. Plain SGD with learning rate 0.01, batch 50, 20 epochs (1100 steps
 * each). g = min(t/tau, 1) with tau = 10 epochs, t updated at every step.
 *
 * Two runs: the notebook's loss, summed over the batch (it died with NaN near step 1000 because
 * its loss took log(softmax)), and the mean over the batch. Our loss is computed stably from the
 * logits, so a divergence here is the optimisation's, not the arithmetic's; it is recorded, not
 * raised.
 *
 * Also logged, without training: the input's signal through the network at initialisation
 * (seed 1, the first 1000 validation images), for g from 0 to 1, for the notebook's network,
 * the same with He initialisation, and the variance-preserving GReLU with He initialisation:
 * `signal.csv` beside the runs' tables.
 *
 * Run it alone with `deno run -A experiments/seed-notebook.ts` (the same as
 * `deno task experiment seed-notebook`), or through `deno task experiment`.
 *
 * @module
 */

import {
  createModel,
  layerSignals,
  NOTEBOOK_CONFIG,
  Random,
  type RunConfig,
  useBackend,
} from "@gradnets/core";
import { loadDataset } from "@gradnets/data";
import { type SignalPoint, writeSignalTable } from "@gradnets/analysis";
import { type Experiment, experimentMain } from "@gradnets/runner";
import * as tf from "@tensorflow/tfjs";

/** The notebook's experiment, and the signal through its network at initialisation. */
export const seedNotebook: Experiment = {
  name: "seed-notebook",
  title: "The 2015 notebook: 50-layer GReLU net, SGD 0.01, tau 10, summed and mean loss",
  report: { page: "notebook" },
  runs: ({ quick }) =>
    (["sum", "mean"] as const).map((lossReduction) => ({
      ...NOTEBOOK_CONFIG,
      lossReduction,
      epochs: quick ? 5 : NOTEBOOK_CONFIG.epochs,
    })),
  extraTables: async (dir) => writeSignalTable(dir, await signalAtInitialisation()),
};

/** The networks whose signal is measured, by name in the figure. */
const SIGNAL_VARIANTS: readonly [string, RunConfig][] = [
  ["grelu, the notebook's init (std 0.1, bias 0.1)", NOTEBOOK_CONFIG],
  ["grelu, He init", { ...NOTEBOOK_CONFIG, init: { kind: "he" }, biasInit: 0 }],
  ["grelu-vp, He init", {
    ...NOTEBOOK_CONFIG,
    init: { kind: "he" },
    biasInit: 0,
    architecture: { kind: "grelu", variancePreserving: true },
  }],
];

/**
 * The signal at every layer of each variant, freshly initialised with seed 1, for six values
 * of g, on the first 1000 validation images of MNIST (a few forward passes on wasm).
 */
async function signalAtInitialisation(): Promise<SignalPoint[]> {
  await useBackend("wasm");
  const data = await loadDataset("mnist", { limit: 1000 });
  const x = tf.tensor2d(data.validation.images, [data.validation.count, data.validation.features]);
  const points: SignalPoint[] = [];
  for (const [variant, config] of SIGNAL_VARIANTS) {
    const model = createModel(
      config,
      { inputSize: data.train.features, classes: data.classes },
      new Random(1),
    );
    for (const g of [0, 0.1, 0.25, 0.5, 0.75, 1]) {
      layerSignals(model, x, g).forEach((signal, layer) =>
        points.push({ variant, g, layer, signal })
      );
    }
    model.dispose();
  }
  x.dispose();
  return points;
}

if (import.meta.main) {
  // Run alone; the report still covers every experiment of main.ts (which imports this file,
  // hence the import here, once this module has loaded).
  import("./main.ts").then(({ EXPERIMENTS }) =>
    experimentMain(EXPERIMENTS, { run: [seedNotebook] })
  );
}
