/**
 * The settings search: which optimiser, learning rate, gradient clipping and (for GradNets)
 * speed of the interpolation let each architecture train?
 *
 * Method: MNIST, depth 50 (the notebook's), 5 epochs, seed 1. For every architecture of
 * experiments/settings.ts, every combination of SEARCH_SPACE: 4 optimisers (SGD with momentum
 * 0.9 at 0.01 and 0.003, Adam at 1e-3 and 3e-4), clipping of the gradient norm at 1 or none,
 * and for GradNets g rising over the first quarter, the first half or the whole of training. Every run
 * has the same budget. A second stage refines each GradNet's winner one change at a time
 * (REFINEMENTS: orthogonal initialisation, learning-rate decay, optimiser interpolation, gradual
 * dropout, gradual batch norm, a later ramp). Choice: the highest validation accuracy after the
 * last epoch; the test split is not evaluated at all (`evaluateTest: false`).
 *
 * @module
 */

import { type BaseOptimizerConfig, isGradNet, type RunConfig, runId } from "@gradnets/core";
import { type Experiment, experimentMain, grid } from "@gradnets/runner";
import {
  adam,
  ARCHITECTURE_ENTRIES,
  type ArchitectureEntry,
  CHOSEN,
  type Chosen,
  configFor,
  FIRST_STAGE,
  momentum,
  searchConditions,
} from "./settings.ts";

/** What the search varies. g rises linearly over the first `gradnetRamp` of training. */
export const SEARCH_SPACE = {
  optimizer: [momentum(0.01), momentum(0.003), adam(1e-3), adam(3e-4)],
  gradientClip: [null, 1],
  gradnetRamp: [0.25, 0.5, 1],
} as const;

/**
 * The second stage refines each GradNet's first-stage winner one change at a time: the rest of
 * what the paper and its first author's code offer (orthogonal initialisation, learning-rate
 * decay, optimiser interpolation, gradual dropout and batch normalisation, a later ramp).
 */
export const REFINEMENTS: readonly { name: string; change: (base: Chosen) => Partial<Chosen> }[] = [
  { name: "orthogonal init", change: () => ({ init: { kind: "orthogonal", gain: Math.SQRT2 } }) },
  { name: "lr decay x0.1", change: () => ({ decay: 0.1 }) },
  {
    name: "optimiser interpolation to momentum",
    change: (base) => ({
      optimizer: {
        kind: "interpolate",
        from: base.optimizer as BaseOptimizerConfig,
        to: momentum(0.01),
      },
    }),
  },
  { name: "gradual dropout 0.1", change: () => ({ dropout: { kind: "gradual", rate: 0.1 } }) },
  { name: "gradual batch norm", change: () => ({ batchNorm: { kind: "gradual" } }) },
  { name: "later ramp", change: () => ({ rampStart: 0.25 }) },
];

/**
 * The run id of each architecture's chosen setting under a search's conditions: the report
 * checks that it is the search's winner.
 */
export function chosenSearchRuns(
  entries: readonly ArchitectureEntry[],
  setting: (entry: ArchitectureEntry) => Chosen,
  conditions: Partial<RunConfig> = searchConditions(false),
): Map<string, string> {
  return new Map(
    entries.map((entry) => [entry.name, runId(configFor(entry, setting(entry), conditions))]),
  );
}

/**
 * The runs of the search for `entries`: every combination of SEARCH_SPACE, then (GradNets only)
 * each REFINEMENT of the first stage's winner, `firstStageWinner(entry)`.
 */
export function searchRuns(
  entries: readonly ArchitectureEntry[],
  quick: boolean,
  firstStageWinner: (entry: ArchitectureEntry) => Chosen,
): RunConfig[] {
  const conditions = searchConditions(quick);
  const firstStage = entries.flatMap((entry) =>
    grid({
      // --quick: one setting per architecture, a smoke test of the search.
      optimizer: quick ? SEARCH_SPACE.optimizer.slice(2, 3) : SEARCH_SPACE.optimizer,
      gradientClip: quick ? [1] : SEARCH_SPACE.gradientClip,
      gradnetRamp: isGradNet(entry.architecture) && !quick ? SEARCH_SPACE.gradnetRamp : [0.5],
    }).map((settings) => configFor(entry, settings, conditions))
  );
  const secondStage = quick
    ? []
    : entries.filter((entry) => isGradNet(entry.architecture)).flatMap((entry) =>
      REFINEMENTS.map((refinement) => {
        const base = firstStageWinner(entry);
        return configFor(entry, { ...base, ...refinement.change(base) }, conditions);
      })
    );
  return [...firstStage, ...secondStage];
}

/** The settings search, its first stage and its refinements. */
export const search: Experiment = {
  name: "search",
  title: "Settings search at depth 50 on MNIST (validation only): optimiser, clipping, ramp of g",
  // The page marks whether each architecture's setting in settings.ts is still the winner.
  report: {
    page: "search",
    chosen: chosenSearchRuns(ARCHITECTURE_ENTRIES, (entry) => CHOSEN[entry.name]),
  },
  runs: ({ quick }) => searchRuns(ARCHITECTURE_ENTRIES, quick, (entry) => FIRST_STAGE[entry.name]),
};

if (import.meta.main) {
  // Run alone; the report still covers every experiment of main.ts (which imports this file,
  // hence the import here, once this module has loaded).
  import("./main.ts").then(({ EXPERIMENTS }) => experimentMain(EXPERIMENTS, { run: [search] }));
}
