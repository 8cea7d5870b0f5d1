/**
 * Study v2's settings search at depth 50 for the architectures it adds.
 *
 * Method: the architectures of V2_ENTRIES (experiments/settings.ts: the scaled residual baseline
 * and three GradNets) go through the v1 search unchanged (experiments/search.ts: its SEARCH_SPACE
 * and REFINEMENTS; MNIST, depth 50, 5 epochs, seed 1, validation only), so that they get the same
 * budget as the architectures of v1. Until their winners are typed into CHOSEN, the refinements
 * start from the gradual residual's winner.
 *
 * Estimated compute, from the v1 timings on an AMD EPYC core (4.7 s an epoch at depth 50): 98
 * runs x 5 epochs, about 40 minutes; `deno task experiment search-v2 --list` lists the runs.
 *
 * @module
 */

import { type Experiment, experimentMain } from "@gradnets/runner";
import { searchRuns } from "./search.ts";
import { depth50Setting, V2_ENTRIES } from "./settings.ts";

/** The v1 search's space and refinements for the architectures v2 adds. */
export const searchV2: Experiment = {
  name: "search-v2",
  title: "Settings search at depth 50 for the architectures of study v2 (validation only)",
  // Until their first stage is typed in, the refinements start from the gradual residual's.
  runs: ({ quick }) => searchRuns(V2_ENTRIES, quick, depth50Setting),
};

if (import.meta.main) {
  import("./main.ts").then(({ EXPERIMENTS }) => experimentMain(EXPERIMENTS, { run: [searchV2] }));
}
