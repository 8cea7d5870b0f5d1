/**
 * The headline comparisons of a depth study, each with its tests: at every depth of every
 * dataset, each GradNet against its late architecture trained from the start (the network it
 * becomes at g = 1, named by the `late` field of its entry in the registry of `@gradnets/core`),
 * and the best GradNet against the best baseline. A side's values are its runs' test accuracies
 * at the best validation epoch, the numbers of the headline tables (diverged runs with no
 * completed epoch have none and are counted apart).
 *
 * @module
 */

import {
  architectureEntry,
  type InputStage,
  inputStageEntry,
  inputStageLabel,
} from "@gradnets/core";
import { type AccuracyKind, runAccuracy } from "./aggregate.ts";
import { dependsOnG, snakeCase } from "./pages/shared.ts";
import { type PermutationResult, permutationTest, type WelchResult, welchTest } from "./stats.ts";
import type { RunRow } from "./tables.ts";

/** One side of a comparison: an architecture label's runs at one depth of one dataset. */
export interface ComparisonSide {
  /** The label, as in the tables. */
  readonly label: string;
  /** Runs (seeds). */
  readonly runs: number;
  /** Test accuracies at the best validation epoch of the runs that have one, by seed. */
  readonly accuracies: readonly number[];
  /** Their mean; null for none. */
  readonly mean: number | null;
}

/** What a comparison compares. */
export type ComparisonKind =
  /** A GradNet against the architecture it becomes at g = 1, trained from the start. */
  | "late"
  /** A GradNet against what it starts from at g = 0, trained alone (an input stage's early end). */
  | "early"
  /** The GradNet with the highest mean against the baseline with the highest mean. */
  | "best";

/** Two sides at one depth of one dataset, with the difference of their means and its tests. */
export interface Comparison {
  readonly kind: ComparisonKind;
  readonly dataset: string;
  readonly depth: number;
  /** The GradNet. */
  readonly gradNet: ComparisonSide;
  /** What it is compared with. */
  readonly baseline: ComparisonSide;
  /** Mean of the GradNet minus mean of the baseline (fractions); null if a side has no value. */
  readonly difference: number | null;
  /** Welch's t-test (two values a side needed). */
  readonly welch: WelchResult | null;
  /** The exact permutation test (one value a side needed). */
  readonly permutation: PermutationResult | null;
}

/**
 * Compares two sides: the difference in means, Welch's t-test and the exact permutation test.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { compareSides } from "@gradnets/analysis";
 * const side = (label: string, accuracies: number[]) => ({
 *   label, runs: 3, accuracies, mean: accuracies.reduce((a, b) => a + b) / 3,
 * });
 * const c = compareSides("late", "mnist", 50, side("a", [0.97, 0.971, 0.972]), side("b", [0.9, 0.91, 0.92]));
 * assert.equal(c.difference!.toFixed(3), "0.061");
 * assert.equal(c.permutation!.p, 0.1); // 2 of the 20 splits of 3 + 3 seeds
 * assert(c.welch!.p < 0.01);
 * ```
 */
export function compareSides(
  kind: ComparisonKind,
  dataset: string,
  depth: number,
  gradNet: ComparisonSide,
  baseline: ComparisonSide,
): Comparison {
  return {
    kind,
    dataset,
    depth,
    gradNet,
    baseline,
    difference: gradNet.mean === null || baseline.mean === null
      ? null
      : gradNet.mean - baseline.mean,
    welch: welchTest(gradNet.accuracies, baseline.accuracies),
    permutation: permutationTest(gradNet.accuracies, baseline.accuracies),
  };
}

/**
 * The side of `label` among `runs` (of one dataset and depth): test accuracies at the best
 * validation epoch, or with `kind` "final" after the last epoch (completed runs only, as in the
 * tables).
 */
export function comparisonSide(
  runs: readonly RunRow[],
  label: string,
  kind: AccuracyKind = "best-validation",
): ComparisonSide {
  const own = [...runs.filter((r) => r.label === label)].sort((a, b) => a.seed - b.seed);
  const accuracy = (r: RunRow) =>
    kind === "final" ? (r.status === "completed" ? r.finalTestAccuracy : null) : runAccuracy(r);
  const accuracies = own.map(accuracy).filter((a): a is number => a !== null);
  return {
    label,
    runs: own.length,
    accuracies,
    mean: accuracies.length === 0
      ? null
      : accuracies.reduce((a, b) => a + b, 0) / accuracies.length,
  };
}

/**
 * The labels of the late architecture of a GradNet's runs: runs of the kind its registry entry
 * names as `late` (for a baseline made gradual by batch norm, dropout or an optimiser mix: its own
 * kind), of the same width, with the same values of the late kind's options (a
 * `scaled-gradual-residual` of scale 0.3 becomes the `scaled-residual` of scale 0.3), with nothing
 * gradual and no batch norm or dropout.
 *
 * @example
 * ```ts ignore
 * lateLabels(runsAtDepth200, "grelu-vp"); // ["plain-50"]
 * ```
 */
export function lateLabels(runs: readonly RunRow[], label: string): string[] {
  const own = runs.filter((r) => r.label === label);
  if (own.length === 0) return [];
  const kind = architectureEntry(own[0].architecture)?.late ?? own[0].architecture;
  const options = (architectureEntry(kind)?.options ?? []).map((o) =>
    `architecture_${snakeCase(o.name)}`
  );
  const same = (r: RunRow) =>
    options.every((c) => (r.columns[c] ?? "") === (own[0].columns[c] ?? ""));
  return [
    ...new Set(
      runs.filter((r) =>
        r.architecture === kind && r.width === own[0].width && !dependsOnG(r) &&
        r.label === r.architectureLabel && same(r)
      ).map((r) => r.label),
    ),
  ];
}

/**
 * The labels of the same network with a GradNet input stage replaced by each of its ends
 * (the registry's `ends`: attention pooling late, average pooling early), where the run has one.
 */
function stageEndLabels(run: RunRow, label: string): [ComparisonKind, string][] {
  const kind = run.columns.input_stage;
  const ends = inputStageEntry(kind)?.ends;
  const window = Number(run.columns.input_stage_window);
  if (!kind || !ends || !Number.isInteger(window)) return [];
  const own = `+${inputStageLabel({ kind, window } as InputStage)}`;
  return ([["late", ends.late], ["early", ends.early]] as const).map(([which, end]) => [
    which,
    label.replace(own, `+${inputStageLabel({ kind: end, window } as InputStage)}`),
  ]);
}

/**
 * Every headline comparison of a study's runs: for each dataset and depth, the best GradNet
 * against the best baseline (by mean, as in the tables: the choice uses the same test numbers,
 * so its p-value is optimistic), then each GradNet, in order of first appearance, against each
 * of its late architectures ({@linkcode lateLabels}) that the study trained, and a gradual
 * input stage against the same network with each of its ends (attention pooling: "late",
 * average pooling: "early"). A GradNet is a run whose network depends on g (a GradNet
 * architecture, or gradual batch norm, dropout, optimiser or input stage).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { headlineComparisons, type RunRow } from "@gradnets/analysis";
 * const run = (architecture: string, label: string, seed: number, accuracy: number): RunRow => ({
 *   runId: `${label}${seed}`, dataset: "mnist", architecture, label, architectureLabel: label,
 *   depth: 50, width: 50, seed, epochs: 20, status: "completed", divergedStep: null,
 *   divergedReason: null, finalTestAccuracy: accuracy, finalValidationAccuracy: accuracy,
 *   bestValidationEpoch: 3, bestValidationAccuracy: accuracy, testAccuracyAtBestValidation: accuracy,
 *   columns: {},
 * });
 * const runs = [1, 2, 3].flatMap((s) => [
 *   run("grelu", "grelu", s, 0.95 + s / 1000), run("plain", "plain-50", s, 0.9 + s / 100),
 *   run("rezero", "rezero", s, 0.97 + s / 1000),
 * ]);
 * const [best, late] = headlineComparisons(runs);
 * assert.deepEqual([best.kind, best.gradNet.label, best.baseline.label], ["best", "grelu", "rezero"]);
 * assert.deepEqual([late.kind, late.gradNet.label, late.baseline.label], ["late", "grelu", "plain-50"]);
 * ```
 */
export function headlineComparisons(runs: readonly RunRow[]): Comparison[] {
  const comparisons: Comparison[] = [];
  const datasets = [...new Set(runs.map((r) => r.dataset))];
  for (const dataset of datasets) {
    const ofDataset = runs.filter((r) => r.dataset === dataset);
    const depths = [...new Set(ofDataset.map((r) => r.depth))].sort((a, b) => a - b);
    for (const depth of depths) {
      const here = ofDataset.filter((r) => r.depth === depth);
      const labels = [...new Set(here.map((r) => r.label))];
      const gradual = new Set(here.filter(dependsOnG).map((r) => r.label));
      const sides = new Map(labels.map((l) => [l, comparisonSide(here, l)]));
      const best = (pool: string[]) =>
        pool.map((l) => sides.get(l)!).filter((s) => s.mean !== null)
          .reduce<ComparisonSide | undefined>(
            (a, s) => (a && a.mean! >= s.mean! ? a : s),
            undefined,
          );
      const bestGradNet = best(labels.filter((l) => gradual.has(l)));
      const bestBaseline = best(labels.filter((l) => !gradual.has(l)));
      if (bestGradNet && bestBaseline) {
        comparisons.push(compareSides("best", dataset, depth, bestGradNet, bestBaseline));
      }
      for (const label of labels.filter((l) => gradual.has(l))) {
        const own = here.find((r) => r.label === label)!;
        const ends = stageEndLabels(own, label);
        // A baseline made gradual by its input stage becomes that stage's late end at g = 1,
        // not the bare network: its comparisons are with the ends.
        const gradNetLayers = architectureEntry(own.architecture)?.gradNet === true;
        for (const late of ends.length > 0 && !gradNetLayers ? [] : lateLabels(here, label)) {
          comparisons.push(
            compareSides("late", dataset, depth, sides.get(label)!, sides.get(late)!),
          );
        }
        // A GradNet input stage against both of its ends trained alone (the same network).
        for (const [kind, other] of ends) {
          if (other !== label && sides.has(other)) {
            comparisons.push(
              compareSides(kind, dataset, depth, sides.get(label)!, sides.get(other)!),
            );
          }
        }
      }
    }
  }
  return comparisons;
}

/**
 * A p-value as the tables print it: three decimals, "< 0.001" below, "-" for none.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { formatP } from "@gradnets/analysis";
 * assert.deepEqual([formatP(0.04567), formatP(0.0000123), formatP(null)], ["0.046", "< 0.001", "-"]);
 * ```
 */
export function formatP(p: number | null | undefined): string {
  if (p === null || p === undefined || Number.isNaN(p)) return "-";
  return p < 0.001 ? "< 0.001" : p.toFixed(3);
}

/**
 * A difference of accuracies (fractions) in percentage points with its sign, e.g. "+2.31".
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { formatPoints } from "@gradnets/analysis";
 * assert.deepEqual([formatPoints(0.0231), formatPoints(-0.5), formatPoints(null)], ["+2.31", "-50.00", "-"]);
 * ```
 */
export function formatPoints(difference: number | null): string {
  if (difference === null) return "-";
  const text = (100 * difference).toFixed(2);
  return difference >= 0 && !text.startsWith("-") ? `+${text}` : text;
}

/**
 * A comparison in one line of prose: the difference, both means and both tests, e.g.
 * `+2.31 points (97.10 vs 94.79; Welch p = 0.004, permutation p = 0.100; 3 vs 3 runs)`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { compareSides, comparisonText } from "@gradnets/analysis";
 * const side = (label: string, accuracies: number[]) => ({
 *   label, runs: 3, accuracies, mean: accuracies.reduce((a, b) => a + b) / 3,
 * });
 * const c = compareSides("late", "mnist", 50, side("a", [0.97, 0.971, 0.972]), side("b", [0.9, 0.91, 0.92]));
 * assert.equal(comparisonText(c), "+6.10 points (97.10 vs 91.00; Welch p = 0.008, permutation p = 0.100; 3 vs 3 runs)");
 * ```
 */
export function comparisonText(c: Comparison): string {
  const mean = (s: ComparisonSide) => (s.mean === null ? "-" : (100 * s.mean).toFixed(2));
  const counts = `${c.gradNet.accuracies.length} vs ${c.baseline.accuracies.length} runs`;
  const missing = [c.gradNet, c.baseline].filter((s) => s.accuracies.length < s.runs).map((s) =>
    `; ${s.label}: ${s.runs - s.accuracies.length} of ${s.runs} diverged without an accuracy`
  ).join("");
  if (c.difference === null) {
    return `no test (${mean(c.gradNet)} vs ${mean(c.baseline)}; ${counts}${missing})`;
  }
  return `${formatPoints(c.difference)} points (${mean(c.gradNet)} vs ${mean(c.baseline)}; ` +
    `Welch ${pClause(c.welch?.p)}, permutation ${pClause(c.permutation?.p)}; ${counts}` +
    `${missing})`;
}

/** "p = 0.012", "p < 0.001" or "p: none". */
function pClause(p: number | null | undefined): string {
  const text = formatP(p);
  return text === "-" ? "p: none" : text.startsWith("<") ? `p ${text}` : `p = ${text}`;
}
