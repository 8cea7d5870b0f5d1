/**
 * Study v2's settings search at depth 50 for the architectures it adds.
 *
 * Method: the architectures of V2_ENTRIES (experiments/settings.ts: the scaled residual baseline
 * and three GradNets) go through the v1 search unchanged (experiments/search.ts: its SEARCH_SPACE
 * and REFINEMENTS; MNIST, depth 50, 5 epochs, seed 1, validation only), so that they get the same
 * budget as the architectures of v1; the refinements start from each one's first-stage winner
 * (FIRST_STAGE).
 *
 * Estimated compute, from the v1 timings on an AMD EPYC core (4.7 s an epoch at depth 50): 98
 * runs x 5 epochs, about 40 minutes (it trained in 13 minutes on 2 workers; its timings.csv has
 * the sum); `deno task experiment search-v2 --list` lists the runs. No refinement beat a
 * first-stage winner, so `CHOSEN` holds the first stage's (`FIRST_STAGE`).
 *
 * @module
 */

import { type Experiment, experimentMain } from "@gradnets/runner";
import { chosenSearchRuns, searchRuns } from "./search.ts";
import { depth50Setting, FIRST_STAGE, V2_ENTRIES } from "./settings.ts";

/** The v1 search's space and refinements for the architectures v2 adds. */
export const searchV2: Experiment = {
  name: "search-v2",
  title: "Settings search at depth 50 for the architectures of study v2 (validation only)",
  report: {
    page: "search",
    chosen: chosenSearchRuns(V2_ENTRIES, depth50Setting),
    nav: "Search v2 (depth 50)",
    intro:
      "The architectures study v2 adds (the residual baseline with branches scaled by 1/sqrt(hidden layers), and three GradNets: the gradual residual rising to that scale, progressive deepening, and the gradual residual that hands over to a learnt scale) go through the v1 search unchanged: each combination of optimiser (SGD with momentum 0.9 at 0.01 and 0.003, Adam at 1e-3 and 3e-4), gradient clipping (global norm 1, or none) and, for GradNets, the length of the ramp of g, 5 epochs at depth 50 on MNIST, then the v1 refinements of each GradNet's best setting. The best setting by validation accuracy goes into study v2 below depth 200; the test split is not evaluated here.",
  },
  runs: ({ quick }) => searchRuns(V2_ENTRIES, quick, (entry) => FIRST_STAGE[entry.name]),
};

if (import.meta.main) {
  import("./main.ts").then(({ EXPERIMENTS }) => experimentMain(EXPERIMENTS, { run: [searchV2] }));
}
