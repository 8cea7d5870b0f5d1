/**
 * The depth study: which architectures train as networks get deeper?
 *
 * Method: MNIST and Fashion-MNIST (fixed stratified split, see @gradnets/data). Fully connected
 * networks of 10, 20, 50, 100 and 200 layers (input and output layers included): plain ReLU at
 * width 71 and at width 50 (the Highway paper's equal-parameter widths), highway (carry bias -2),
 * residual and ReZero baselines, and the two GReLU GradNets (identity skip and leaky), g rising
 * over tau epochs. Every run uses the study's shared settings (experiments/_settings.ts) and three
 * seeds. Selection is on validation accuracy; test accuracy is reported.
 *
 * `--quick` keeps depths 10 to 100, one seed and 2 epochs: a first look in about ten minutes.
 *
 * @module
 */

import { type Experiment, grid } from "./_experiment.ts";
import { experimentMain } from "./_runner.ts";
import { STUDY_ARCHITECTURES, studyRun } from "./_settings.ts";

export const depthStudy: Experiment = {
  name: "depth-study",
  title: "Test accuracy against depth (10-200 layers), 7 architectures, 3 seeds, 2 datasets",
  runs: ({ quick }) =>
    grid({
      dataset: ["mnist", "fashion-mnist"],
      seed: quick ? [1] : [1, 2, 3],
      depth: quick ? [10, 20, 50, 100] : [10, 20, 50, 100, 200],
      entry: STUDY_ARCHITECTURES,
    }).map(({ dataset, seed, depth, entry }) =>
      studyRun(entry, depth, dataset, seed, quick ? 2 : undefined)
    ),
};

if (import.meta.main) await experimentMain([depthStudy]);
