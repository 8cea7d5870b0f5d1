/**
 * Downsampling to attention: does a GradNet that turns simple downsampling into a learnt,
 * fully differentiable attention mechanism (the GradNets abstract) train better than either
 * end alone?
 *
 * Method: MNIST and Fashion-MNIST (fixed stratified split, see @gradnets/data). The 28 x 28 image
 * is pooled over its 196 non-overlapping 2x2 patches before the dense input layer (196 -> 50),
 * by one of three input stages (packages/core/input_stages.ts, formulas in layers/pooling.ts):
 * average pooling (fixed weights 1/4: the simple downsampling), attention pooling (per patch,
 * a softmax over its 4 pixels of scores `x_p V + c`, V and c learnt and shared by the patches:
 * the attention), and the GradNet `g attention + (1 - g) average`. g rises linearly over the
 * first quarter of training, the ramp the search chose for the GradNets; the two ends ignore g.
 * As a reference, the same network without a stage (the 784 pixels straight in: the depth
 * study's own runs, which share their ids with it). The hidden layers are ReZero's, the best
 * architecture of the v1 study, whose scale is learnt rather than scheduled, so that g drives
 * the input stage alone; settings are ReZero's from the search (experiments/settings.ts), at
 * depths 20 and 50, 20 epochs, five seeds. Each run reports its test accuracy at its best
 * validation epoch.
 *
 * `--quick` keeps depth 20, one seed and 2 epochs.
 *
 * @module
 */

import type { InputStage, RunConfig } from "@gradnets/core";
import { type Experiment, experimentMain, grid } from "@gradnets/runner";
import { ARCHITECTURE_ENTRIES, CHOSEN, configFor, ramp } from "./settings.ts";

/** The three input stages compared, all over 2x2 patches; null: no stage, the pixels. */
export const ATTENTION_STAGES: readonly (InputStage | null)[] = [
  { kind: "gradual-pool", window: 2 },
  { kind: "average-pool", window: 2 },
  { kind: "attention-pool", window: 2 },
  null,
];

const rezero = ARCHITECTURE_ENTRIES.find((entry) => entry.name === "rezero")!;

/** The attention study: each input stage of ReZero networks at depths 20 and 50. */
export const attention: Experiment = {
  name: "attention",
  title: "Average pooling to attention pooling of the image: the GradNet against both ends",
  report: {
    page: "depth-study",
    nav: "Downsampling to attention",
    intro:
      "ReZero networks whose image first passes through an input stage over its 196 2x2 patches, read as the abstract's words: average pooling (its simple downsampling), attention pooling (a learnt softmax over each patch's 4 pixels: its fully differentiable attention), and the GradNet from the first to the second (g rising over the first quarter of training), against the bare network on the 784 pixels; ReZero's searched setting, five seeds",
  },
  runs: ({ quick }) =>
    grid({
      dataset: ["mnist", "fashion-mnist"],
      seed: quick ? [1] : [1, 2, 3, 4, 5],
      depth: quick ? [20] : [20, 50],
      stage: ATTENTION_STAGES,
    }).map(({ dataset, seed, depth, stage }): RunConfig => {
      const run = { depth, dataset, seed, epochs: quick ? 2 : 20 };
      return stage === null
        ? configFor(rezero, CHOSEN.rezero, run)
        : configFor(rezero, CHOSEN.rezero, {
          ...run,
          inputStage: stage,
          schedule: ramp(CHOSEN["gradual-residual"].gradnetRamp),
        });
    }),
};

if (import.meta.main) {
  import("./main.ts").then(({ EXPERIMENTS }) => experimentMain(EXPERIMENTS, { run: [attention] }));
}
