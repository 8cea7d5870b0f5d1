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
 * Run it alone with `deno run -A experiments/seed-notebook.ts`, or through `deno task experiment`.
 *
 * @module
 */

import { NOTEBOOK_CONFIG } from "@gradnets/core";
import type { Experiment } from "./_experiment.ts";
import { experimentMain } from "./_runner.ts";

export const seedNotebook: Experiment = {
  name: "seed-notebook",
  title: "The 2015 notebook: 50-layer GReLU net, SGD 0.01, tau 10, summed and mean loss",
  runs: ({ quick }) =>
    (["sum", "mean"] as const).map((lossReduction) => ({
      ...NOTEBOOK_CONFIG,
      lossReduction,
      epochs: quick ? 5 : NOTEBOOK_CONFIG.epochs,
    })),
};

if (import.meta.main) await experimentMain([seedNotebook]);
