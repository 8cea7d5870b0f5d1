/**
 * Study v2: is a GradNet the best network at every depth, once every architecture is tuned where
 * the claim lives and compared with a fair residual baseline?
 *
 * Method: the depth study's protocol (MNIST and Fashion-MNIST, depths 10 to 200, 20 epochs, test
 * accuracy at each run's best validation epoch) for the ten architectures of v1 and the four v2
 * adds (experiments/settings.ts: `V2_ENTRIES`, the residual baseline whose branches are scaled
 * by 1/sqrt(hidden layers) and three GradNets built to close the gap to ReZero). Five seeds at
 * depths 50 and 200, where the headline comparisons live, three elsewhere. Below depth 200 each
 * architecture trains with its depth-50 winner (experiments/search.ts and search-v2.ts), at
 * depth 200 with its depth-200 winner (experiments/search-200.ts), both chosen on the validation
 * split with the test split unread.
 *
 * Additive: a config that v1's depth study already ran (the same architecture, setting, depth,
 * seed and dataset) is the same run, with the same id, and is not trained again.
 *
 * Estimated compute, declared before training from the v3 timings of the stored runs (about
 * 0.09 s per layer and epoch on an AMD EPYC core, 1.35 times that for the leaky GReLU and
 * highway layers): 532 runs, of which 258 are v1's (every v1 config below depth 200, and at
 * depth 200 those whose depth-200 winner is their depth-50 setting); the 274 it adds take about
 * 16.5 hours of training, 8.3 on 2 workers. With the search at depth 200 (49 runs, 1h14m) and
 * the attention study (64 new runs, about 1.1 hours), study v2 adds about 19 hours of training,
 * about 9.5 on 2 workers. `deno task experiment study-v2 --list` lists the runs.
 *
 * `--quick` keeps depths 10 to 50, one seed and 2 epochs.
 *
 * @module
 */

import { type Experiment, experimentMain, grid } from "@gradnets/runner";
import {
  ARCHITECTURE_ENTRIES,
  configFor,
  depth200Setting,
  depth50Setting,
  V2_ENTRIES,
} from "./settings.ts";

/** The depths of study v2, and the seeds at each: five where the headline comparisons are. */
export const STUDY_V2_SEEDS: Readonly<Record<number, readonly number[]>> = {
  10: [1, 2, 3],
  20: [1, 2, 3],
  50: [1, 2, 3, 4, 5],
  100: [1, 2, 3],
  200: [1, 2, 3, 4, 5],
};

/** Study v2: every architecture of v1 and v2 at every depth, seed and dataset. */
export const studyV2: Experiment = {
  name: "study-v2",
  title:
    "Study v2: 14 architectures, depth-200 settings at depth 200, 5 seeds at depths 50 and 200",
  report: {
    page: "depth-study",
    nav: "Study v2",
    intro:
      "each with its depth-50 winner below depth 200 and its depth-200 winner at depth 200 (both chosen on the validation split), five seeds at depths 50 and 200",
    // The goal: a GradNet at or above ReZero (within its 95% interval) from depth 50 to
    // 200 on both datasets, and at least 97.5% on MNIST at depths 50 and 200.
    goal: {
      reference: "rezero",
      depths: [50, 100, 200],
      accuracy: { dataset: "mnist", value: 0.975, depths: [50, 200] },
    },
  },
  runs: ({ quick }) =>
    grid({
      dataset: ["mnist", "fashion-mnist"],
      depth: quick ? [10, 20, 50] : [10, 20, 50, 100, 200],
      entry: [...ARCHITECTURE_ENTRIES, ...V2_ENTRIES],
    }).flatMap(({ dataset, depth, entry }) =>
      (quick ? [1] : STUDY_V2_SEEDS[depth]).map((seed) =>
        configFor(entry, depth === 200 ? depth200Setting(entry) : depth50Setting(entry), {
          depth,
          dataset,
          seed,
          epochs: quick ? 2 : 20,
        })
      )
    ),
};

if (import.meta.main) {
  import("./main.ts").then(({ EXPERIMENTS }) => experimentMain(EXPERIMENTS, { run: [studyV2] }));
}
