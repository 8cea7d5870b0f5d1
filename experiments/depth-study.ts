/**
 * The depth study: which architectures train as networks get deeper?
 *
 * Method: MNIST and Fashion-MNIST (fixed stratified split, see @gradnets/data). Fully connected
 * networks of 10, 20, 50, 100 and 200 layers (input and output layers included): plain ReLU at
 * width 71 and at width 50 (the Highway paper's equal-parameter widths), highway (carry bias -2),
 * residual and ReZero baselines, the two GReLU GradNets of the paper (identity skip and leaky),
 * their variance-preserving versions, and the GradNet from the identity to the residual layer
 * (both this project's extensions). Each architecture trains
 * with the settings the search chose for it (experiments/settings.ts), 20 epochs, three seeds.
 * Each run reports its test accuracy at its best validation epoch.
 *
 * `--quick` keeps depths 10 to 100, one seed and 2 epochs: a first look in about ten minutes.
 *
 * @module
 */

import { type Experiment, experimentMain, grid } from "@gradnets/runner";
import { ARCHITECTURE_ENTRIES, CHOSEN, configFor } from "./settings.ts";

/** The depth study: every architecture at every depth, seed and dataset. */
export const depthStudy: Experiment = {
  name: "depth-study",
  title: "Test accuracy against depth (10-200 layers), 10 architectures, 3 seeds, 2 datasets",
  report: { page: "depth-study" },
  runs: ({ quick }) =>
    grid({
      dataset: ["mnist", "fashion-mnist"],
      seed: quick ? [1] : [1, 2, 3],
      depth: quick ? [10, 20, 50, 100] : [10, 20, 50, 100, 200],
      entry: ARCHITECTURE_ENTRIES,
    }).map(({ dataset, seed, depth, entry }) =>
      configFor(entry, CHOSEN[entry.name], { depth, dataset, seed, epochs: quick ? 2 : 20 })
    ),
};

if (import.meta.main) {
  // Run alone; the report still covers every experiment of main.ts (which imports this file,
  // hence the import here, once this module has loaded).
  import("./main.ts").then(({ EXPERIMENTS }) => experimentMain(EXPERIMENTS, { run: [depthStudy] }));
}
