/**
 * Study v2's search at depth 200, where the headline claim lives, for every architecture.
 *
 * Method: for every architecture of v1 and v2, baselines included, a reduced space around its
 * depth-50 winner (CHOSEN in experiments/settings.ts): the winner itself, the winner at a third
 * of its learning rate (deep networks often want a smaller step), the winner with the gradient
 * clipped at 0.5, and for GradNets the winner with g rising over twice as long. MNIST, depth
 * 200, 5 epochs, seed 1, the test split unread. The depth study v2 then runs every architecture
 * at depth 200 with its depth-200 winner, which the report states.
 *
 * Estimated compute, from the v1 timings on an AMD EPYC core (18 s an epoch at depth 200): 49
 * runs x 5 epochs, about 1.3 hours (it trained in 38 minutes on 2 workers; its timings.csv has
 * the sum); `deno task experiment search-200 --list` lists the runs. The winners are typed into
 * experiments/settings.ts (`CHOSEN_200`).
 *
 * @module
 */

import { isGradNet, type RunConfig } from "@gradnets/core";
import { type Experiment, experimentMain } from "@gradnets/runner";
import {
  ARCHITECTURE_ENTRIES,
  type ArchitectureEntry,
  type Chosen,
  configFor,
  type Depth200Change,
  depth200Setting,
  depth50Setting,
  DEPTH_200_CHANGES,
  searchConditions,
  V2_ENTRIES,
} from "./settings.ts";
import { chosenSearchRuns } from "./search.ts";

/** The conditions of every run of the search at depth 200 (`--quick`: depth 50). */
function search200Conditions(quick: boolean): Partial<RunConfig> {
  return { ...searchConditions(quick), depth: quick ? 50 : 200 };
}

/** The settings tried at depth 200 around an architecture's depth-50 winner. */
export function depth200Space(entry: ArchitectureEntry): Chosen[] {
  const winner = depth50Setting(entry);
  const changes: Depth200Change[] = [
    "as at depth 50",
    "a third of the learning rate",
    "gradient clipped at 0.5",
    // A ramp can grow only when g does not already rise over the whole of training.
    ...(isGradNet(entry.architecture) && winner.gradnetRamp < 1
      ? ["g rising twice as long" as const]
      : []),
  ];
  return changes.map((change) => DEPTH_200_CHANGES[change](winner));
}

/** The search at depth 200: every architecture, baselines included. */
export const search200: Experiment = {
  name: "search-200",
  title: "Settings search at depth 200 on MNIST for every architecture (validation only)",
  report: {
    page: "search",
    chosen: chosenSearchRuns(
      [...ARCHITECTURE_ENTRIES, ...V2_ENTRIES],
      depth200Setting,
      search200Conditions(false),
    ),
    nav: "Search at depth 200",
    intro:
      "Where the headline claim lives: every architecture, baselines included, tried at depth 200 with its depth-50 setting, the same at a third of its learning rate, the same with the gradient norm clipped at 0.5, and for GradNets with g rising over twice as long; 5 epochs on MNIST. The best by validation accuracy is the setting of study v2 at depth 200; the test split is not evaluated here.",
  },
  runs: ({ quick }) => {
    const conditions = search200Conditions(quick);
    return [...ARCHITECTURE_ENTRIES, ...V2_ENTRIES].flatMap((entry) =>
      (quick ? depth200Space(entry).slice(0, 1) : depth200Space(entry)).map((settings) =>
        configFor(entry, settings, conditions)
      )
    );
  },
};

if (import.meta.main) {
  import("./main.ts").then(({ EXPERIMENTS }) => experimentMain(EXPERIMENTS, { run: [search200] }));
}
