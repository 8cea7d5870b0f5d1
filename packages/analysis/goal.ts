/**
 * A study's goal, checked against its summaries: does the best GradNet reach a reference
 * baseline (at or above the lower end of the baseline's 95% confidence interval) at the depths
 * that matter, and a target accuracy where one is set? A table row per dataset and depth, with
 * the shortfall where the goal is missed.
 *
 * @module
 */

import { type DepthSummary, summaryCell } from "./aggregate.ts";
import { slug } from "./html.ts";
import type { PageBlock } from "./render.ts";

/** What a study sets out to show (study v2: a GradNet at ReZero's level, and 97.5% on MNIST). */
export interface StudyGoal {
  /** The baseline a GradNet must reach, by label, e.g. `rezero`. */
  readonly reference: string;
  /** The depths where it must. */
  readonly depths: readonly number[];
  /** A mean test accuracy (a fraction) the best GradNet must reach on one dataset, at some depths. */
  readonly accuracy?: {
    readonly dataset: string;
    readonly value: number;
    readonly depths: readonly number[];
  };
}

/** One dataset and depth of a {@linkcode StudyGoal}: the best GradNet against the reference. */
export interface GoalCheck {
  readonly dataset: string;
  readonly depth: number;
  /** The GradNet with the highest mean, and the reference; undefined where none has a mean. */
  readonly best?: DepthSummary;
  readonly reference?: DepthSummary;
  /** Whether the best GradNet's mean is at least the reference's mean minus its half-width. */
  readonly reached: boolean | null;
  /** Points (percent) the best GradNet's mean is below that bound; 0 when reached. */
  readonly shortfall: number | null;
  /** Whether the target accuracy is reached, where one is set for this dataset and depth. */
  readonly target: boolean | null;
}

/**
 * Checks `goal` on `summaries` of one dataset; `gradual` names the labels that are GradNets (whose
 * network depends on g).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { checkGoal } from "@gradnets/analysis";
 * const s = (label: string, mean: number, halfWidth: number) => ({
 *   dataset: "mnist", label, depth: 50, runs: 5, diverged: 0, collapsed: 0, measured: 5, mean,
 *   std: null, halfWidth, min: null, max: null, finalMeasured: 0, finalCollapsed: 0,
 *   final: { mean: null, std: null, halfWidth: null, min: null, max: null },
 * });
 * const [check] = checkGoal([s("rezero", 0.977, 0.002), s("g", 0.9755, 0.001)], new Set(["g"]), {
 *   reference: "rezero", depths: [50], accuracy: { dataset: "mnist", value: 0.975, depths: [50] },
 * });
 * assert.deepEqual([check.best?.label, check.reached, check.target], ["g", true, true]);
 * ```
 */
export function checkGoal(
  summaries: readonly DepthSummary[],
  gradual: ReadonlySet<string>,
  goal: StudyGoal,
): GoalCheck[] {
  const datasets = [...new Set(summaries.map((s) => s.dataset))];
  return datasets.flatMap((dataset) =>
    // Every depth of the goal has its row, measured or not yet.
    goal.depths.map((depth) => {
      const here = summaries.filter((s) => s.dataset === dataset && s.depth === depth);
      // A GradNet counts only when every seed trained: none diverged, none collapsed.
      const best = here.filter((s) =>
        gradual.has(s.label) && s.mean !== null && s.diverged === 0 && s.collapsed === 0
      ).reduce<DepthSummary | undefined>((a, s) => (a && a.mean! >= s.mean! ? a : s), undefined);
      // The reference's level needs an interval: at least two measured seeds.
      const reference = here.find((s) => s.label === goal.reference && s.mean !== null);
      const bound = reference && reference.measured >= 2 && reference.halfWidth !== null
        ? reference.mean! - reference.halfWidth
        : null;
      const reached = best && bound !== null ? best.mean! >= bound - 1e-12 : null;
      const target = goal.accuracy?.dataset === dataset && goal.accuracy.depths.includes(depth)
        ? (best ? best.mean! >= goal.accuracy.value - 1e-12 : null)
        : null;
      return {
        dataset,
        depth,
        best,
        reference,
        reached,
        shortfall: best && bound !== null ? Math.max(0, 100 * (bound - best.mean!)) : null,
        target,
      };
    })
  );
}

/**
 * The goal's table for one dataset: depth, best GradNet, the reference, and whether each part
 * of the goal is reached.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { goalTable } from "@gradnets/analysis";
 * const goal = { reference: "rezero", depths: [200] };
 * const block = goalTable([{ dataset: "mnist", depth: 200, reached: null, shortfall: null, target: null }], goal, "mnist");
 * assert.deepEqual(block.kind === "table" && block.rows, [["200", "-", "-", "-", "-", "-"]]);
 * ```
 */
export function goalTable(
  checks: readonly GoalCheck[],
  goal: StudyGoal,
  dataset: string,
): PageBlock {
  const yesNo = (value: boolean | null) => (value === null ? "-" : value ? "yes" : "no");
  const target = goal.accuracy?.dataset === dataset ? goal.accuracy : undefined;
  return {
    kind: "table",
    id: `${slug(dataset)}-goal`,
    caption: `${dataset}: the goal, at each depth: the best GradNet (by mean test accuracy at ` +
      `the best validation epoch, %; chosen on the same test numbers, so optimistic, and only ` +
      `among GradNets none of whose seeds diverged or collapsed) at or above ` +
      `${goal.reference}'s level, i.e. its mean at least ${goal.reference}'s mean minus the ` +
      `half-width of its 95% confidence interval (which needs two seeds or more)` +
      (target
        ? `, and a mean of at least ${(100 * target.value).toFixed(1)}% at depth${
          target.depths.length > 1 ? "s" : ""
        } ${target.depths.join(" and ")}`
        : "") +
      `. Short by: points below that level. "-": not measured yet, or not part of the goal.`,
    columns: [
      "depth",
      "best GradNet",
      "accuracy (%)",
      goal.reference,
      `at ${goal.reference}'s level`,
      "short by (points)",
      ...(target ? [`at least ${(100 * target.value).toFixed(1)}%`] : []),
    ],
    rows: checks.filter((c) => c.dataset === dataset).map((c) => [
      String(c.depth),
      c.best?.label ?? "-",
      c.best ? summaryCell(c.best) : "-",
      c.reference ? summaryCell(c.reference) : "-",
      yesNo(c.reached),
      c.shortfall === null ? "-" : c.shortfall.toFixed(2),
      ...(target ? [yesNo(c.target)] : []),
    ]),
    left: [1],
  };
}
