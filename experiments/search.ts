/**
 * The settings search: which optimiser, learning rate, gradient clipping and (for GradNets)
 * speed of the interpolation let each architecture train?
 *
 * Method: MNIST, depth 50 (the notebook's), 5 epochs, seed 1. For every architecture of
 * experiments/_settings.ts, every combination of SEARCH_SPACE: 4 optimisers (SGD with momentum
 * 0.9 at 0.01 and 0.003, Adam at 1e-3 and 3e-4), clipping of the gradient norm at 1 or none,
 * and for GradNets g rising over the first quarter, the first half or the whole of training. Every run
 * has the same budget. A second stage refines each GradNet's winner one change at a time
 * (REFINEMENTS: orthogonal initialisation, learning-rate decay, optimiser interpolation, gradual
 * dropout, gradual batch norm, a later ramp). Choice: the highest validation accuracy after the
 * last epoch; the test split is not evaluated at all (`evaluateTest: false`).
 *
 * @module
 */

import { isGradNet } from "@gradnets/core";
import { type Experiment, grid } from "./_experiment.ts";
import { experimentMain } from "./_runner.ts";
import {
  ARCHITECTURE_ENTRIES,
  configFor,
  FIRST_STAGE,
  REFINEMENTS,
  SEARCH_SPACE,
  searchConditions,
} from "./_settings.ts";

export const search: Experiment = {
  name: "search",
  title: "Settings search at depth 50 on MNIST (validation only): optimiser, clipping, ramp of g",
  runs: ({ quick }) => {
    const conditions = searchConditions(quick);
    const firstStage = ARCHITECTURE_ENTRIES.flatMap((entry) =>
      grid({
        // --quick: one setting per architecture, a smoke test of the search.
        optimizer: quick ? SEARCH_SPACE.optimizer.slice(2, 3) : SEARCH_SPACE.optimizer,
        gradientClip: quick ? [1] : SEARCH_SPACE.gradientClip,
        gradnetRamp: isGradNet(entry.architecture) && !quick ? SEARCH_SPACE.gradnetRamp : [0.5],
      }).map((settings) => configFor(entry, settings, conditions))
    );
    const secondStage = quick
      ? []
      : ARCHITECTURE_ENTRIES.filter((entry) => isGradNet(entry.architecture)).flatMap((entry) =>
        REFINEMENTS.map((refinement) => {
          const base = FIRST_STAGE[entry.name];
          return configFor(entry, { ...base, ...refinement.change(base) }, conditions);
        })
      );
    return [...firstStage, ...secondStage];
  },
};

if (import.meta.main) await experimentMain([search]);
