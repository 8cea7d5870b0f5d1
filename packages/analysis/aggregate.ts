/**
 * Aggregation over seeds: the numbers behind the headline figure and its table.
 *
 * The accuracy of a run is its test accuracy at the epoch of best validation accuracy (early
 * stopping on the validation split; the test split takes no part in the choice). A run that
 * diverged keeps the accuracy of its best epoch before diverging, if it had one, and is counted
 * and marked as diverged. A run that completed at the chance level of its test split is counted
 * and marked as collapsed (see `collapse.ts`). Nothing is left out of a mean without a count
 * saying so.
 *
 * @module
 */

import { type ChanceLevel, isCollapsed } from "./collapse.ts";
import { meanInterval } from "./stats.ts";
import type { RunRow } from "./tables.ts";

/** Seeds of one dataset, architecture and depth, summarised. */
export interface DepthSummary {
  readonly dataset: string;
  readonly label: string;
  readonly depth: number;
  /** Runs (seeds) in the group. */
  readonly runs: number;
  /** Runs that diverged. */
  readonly diverged: number;
  /** Completed runs whose test accuracy at the best validation epoch is at chance (collapsed). */
  readonly collapsed: number;
  /** Runs with an accuracy (at least one epoch completed). */
  readonly measured: number;
  /**
   * Mean, standard deviation (sample, n - 1), half-width of the 95% confidence interval of the
   * mean, minimum and maximum accuracy over the measured runs.
   */
  readonly mean: number | null;
  readonly std: number | null;
  readonly halfWidth: number | null;
  readonly min: number | null;
  readonly max: number | null;
  /**
   * Final test accuracy (after the last epoch, no early stopping: every GradNet is then its
   * final architecture) of the completed runs: mean, sample std, minimum and maximum.
   */
  readonly final: Statistics;
  /** Runs with a final test accuracy (completed runs). */
  readonly finalMeasured: number;
  /** Completed runs whose final test accuracy is at chance (collapsed by the last epoch). */
  readonly finalCollapsed: number;
}

/**
 * Mean, sample standard deviation, half-width of the 95% confidence interval of the mean
 * (Student's t with n - 1 degrees of freedom), minimum and maximum of some values (null for
 * none).
 */
export interface Statistics {
  readonly mean: number | null;
  /** Null for fewer than two values. */
  readonly std: number | null;
  /** t(0.975, n - 1) std / sqrt(n); null for fewer than two values. */
  readonly halfWidth: number | null;
  readonly min: number | null;
  readonly max: number | null;
}

/** Options of {@linkcode summarizeByDepth}. */
export interface SummaryOptions {
  /**
   * The chance level of each run's test split ({@linkcode chanceLevels}); without it no run is
   * marked collapsed.
   */
  readonly chance?: ChanceLevel;
}

/** Which accuracy a summary cell shows: at the best validation epoch, or after the last epoch. */
export type AccuracyKind = "best-validation" | "final";

/**
 * The accuracy reported for a run: test accuracy at its best validation epoch.
 *
 * @example
 * ```ts ignore
 * const accuracy = runAccuracy(run); // null when no epoch completed
 * ```
 */
export function runAccuracy(run: RunRow): number | null {
  return run.testAccuracyAtBestValidation;
}

/**
 * Groups runs by dataset, architecture label and depth, and summarises the seeds, counting the
 * diverged runs and, given the chance levels, the collapsed ones.
 * Groups come out sorted by dataset, then label in order of first appearance, then depth.
 *
 * @example
 * ```ts ignore
 * const runs = await readRuns("results/depth-study");
 * const rows = summarizeByDepth(runs, { chance: await chanceLevels(runs) });
 * ```
 */
export function summarizeByDepth(
  runs: readonly RunRow[],
  options: SummaryOptions = {},
): DepthSummary[] {
  const chance = options.chance ?? (() => undefined);
  const groups = new Map<string, RunRow[]>();
  const labelOrder = new Map<string, number>();
  for (const run of runs) {
    if (!labelOrder.has(run.label)) labelOrder.set(run.label, labelOrder.size);
    const key = JSON.stringify([run.dataset, run.label, run.depth]);
    groups.set(key, [...(groups.get(key) ?? []), run]);
  }
  const summaries = [...groups.values()].map((group): DepthSummary => {
    const accuracies = group.map(runAccuracy).filter((a): a is number => a !== null);
    const finals = group.filter((r) => r.status === "completed").map((r) => r.finalTestAccuracy)
      .filter((a): a is number => a !== null);
    const stats = describe(accuracies);
    return {
      dataset: group[0].dataset,
      label: group[0].label,
      depth: group[0].depth,
      runs: group.length,
      diverged: group.filter((r) => r.status === "diverged").length,
      collapsed: group.filter((r) => isCollapsed(r.status, runAccuracy(r), chance(r))).length,
      measured: accuracies.length,
      ...stats,
      final: describe(finals),
      finalMeasured: finals.length,
      finalCollapsed: group.filter((r) => isCollapsed(r.status, r.finalTestAccuracy, chance(r)))
        .length,
    };
  });
  return summaries.sort((a, b) =>
    a.dataset.localeCompare(b.dataset) || labelOrder.get(a.label)! - labelOrder.get(b.label)! ||
    a.depth - b.depth
  );
}

/**
 * Mean, sample standard deviation, 95% interval half-width, minimum and maximum (nulls for no
 * values; std and half-width null for one).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { describe } from "@gradnets/analysis";
 * const { mean, std, halfWidth, min, max } = describe([1, 2, 3]);
 * assert.deepEqual([mean, std, min, max], [2, 1, 1, 3]);
 * assert.equal(halfWidth!.toFixed(3), "2.484"); // t(0.975, 2) = 4.303, / sqrt(3)
 * ```
 */
export function describe(values: readonly number[]): Statistics {
  if (values.length === 0) {
    return { mean: null, std: null, halfWidth: null, min: null, max: null };
  }
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  const interval = meanInterval(values);
  return {
    mean,
    std: interval?.std ?? null,
    halfWidth: interval?.halfWidth ?? null,
    min: Math.min(...values),
    max: Math.max(...values),
  };
}

/**
 * One summary as the text of a table cell: "mean ± h" of the test accuracy in percent, h the
 * half-width of the 95% confidence interval of the mean (no "± h" for a single run), with the
 * counts of diverged and collapsed runs; "-" when no run has that accuracy.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { summaryCell, summarizeByDepth } from "@gradnets/analysis";
 * const run = (seed: number, best: number, final: number) => ({
 *   runId: `r${seed}`, dataset: "mnist", architecture: "grelu", label: "grelu", architectureLabel: "grelu", depth: 50,
 *   width: 50, seed, epochs: 20, status: "completed" as const, divergedStep: null,
 *   divergedReason: null, finalTestAccuracy: final, finalValidationAccuracy: final,
 *   bestValidationEpoch: 3, bestValidationAccuracy: best, testAccuracyAtBestValidation: best,
 *   columns: {},
 * });
 * const [summary] = summarizeByDepth([run(1, 0.95, 0.9), run(2, 0.97, 0.92)]);
 * // std 1.41 points, t(0.975, 1) = 12.706: half-width 12.706 * 1.41 / sqrt(2).
 * assert.equal(summaryCell(summary), "96.00 ± 12.71");
 * assert.equal(summaryCell(summary, "final"), "91.00 ± 12.71");
 * const chance = () => 0.1135;
 * const flat = [1, 2, 3].map((seed) => run(seed, 0.1135, seed === 3 ? 0.96 : 0.1135));
 * const [collapsed] = summarizeByDepth(flat, { chance });
 * assert.equal(summaryCell(collapsed), "11.35 ± 0.00 (3/3 collapsed)");
 * assert.equal(summaryCell(collapsed, "final"), "39.57 ± 121.41 (2/3 collapsed)");
 * ```
 */
export function summaryCell(summary: DepthSummary, kind: AccuracyKind = "best-validation"): string {
  const stats: Statistics = kind === "final" ? summary.final : summary;
  const value = stats.mean === null
    ? "-"
    : `${(100 * stats.mean).toFixed(2)}${
      stats.halfWidth === null ? "" : ` ± ${(100 * stats.halfWidth).toFixed(2)}`
    }`;
  const collapsed = kind === "final" ? summary.finalCollapsed : summary.collapsed;
  const notes = [
    ...(summary.diverged > 0 ? [`${summary.diverged}/${summary.runs} diverged`] : []),
    ...(collapsed > 0 ? [`${collapsed}/${summary.runs} collapsed`] : []),
  ];
  return `${value}${notes.length > 0 ? ` (${notes.join(", ")})` : ""}`;
}

/**
 * The headline numbers as a grid: one row per architecture, one column per depth, each cell
 * "mean ± 95% half-width" of the test accuracy in percent over the seeds ({@linkcode summaryCell}), at the
 * best validation epoch or, with `kind` "final", after the last epoch. `best` marks, per depth,
 * the cells with the highest mean (as printed, so ties are all marked).
 *
 * @example
 * ```ts ignore
 * const { columns, rows, best } = headlineGrid(summarizeByDepth(runs));
 * const final = headlineGrid(summarizeByDepth(runs), "final");
 * ```
 */
export function headlineGrid(
  summaries: readonly DepthSummary[],
  kind: AccuracyKind = "best-validation",
): { columns: string[]; rows: string[][]; best: boolean[][] } {
  const labels = [...new Set(summaries.map((s) => s.label))];
  const depths = [...new Set(summaries.map((s) => s.depth))].sort((a, b) => a - b);
  const find = (label: string, depth: number) =>
    summaries.find((x) => x.label === label && x.depth === depth);
  const cell = (label: string, depth: number) => {
    const s = find(label, depth);
    return s ? summaryCell(s, kind) : "";
  };
  const mean = (label: string, depth: number): number | null => {
    const s = find(label, depth);
    const m = s ? (kind === "final" ? s.final.mean : s.mean) : null;
    return m === null || m === undefined ? null : Math.round(10000 * m);
  };
  const top = depths.map((d) => Math.max(...labels.map((l) => mean(l, d) ?? -Infinity)));
  return {
    columns: ["architecture", ...depths.map((d) => `depth ${d}`)],
    rows: labels.map((label) => [label, ...depths.map((d) => cell(label, d))]),
    best: labels.map((label) => [false, ...depths.map((d, i) => mean(label, d) === top[i])]),
  };
}

/**
 * A grid as a Markdown table.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { markdownTable } from "@gradnets/analysis";
 * assert.equal(markdownTable(["a", "b"], [["1", "2"]]), "| a | b |\n| --- | --- |\n| 1 | 2 |\n");
 * ```
 */
export function markdownTable(
  columns: readonly string[],
  rows: readonly (readonly string[])[],
): string {
  const line = (cells: readonly string[]) => `| ${cells.join(" | ")} |\n`;
  return line(columns) + line(columns.map(() => "---")) + rows.map(line).join("");
}
