/**
 * Aggregation over seeds: the numbers behind the headline figure and its table.
 *
 * The accuracy of a run is its test accuracy at the epoch of best validation accuracy (early
 * stopping on the validation split; the test split takes no part in the choice). A run that
 * diverged keeps the accuracy of its best epoch before diverging, if it had one, and is counted
 * and marked as diverged.
 *
 * @module
 */

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
  /** Runs with an accuracy (at least one epoch completed). */
  readonly measured: number;
  /** Mean, standard deviation (sample, n - 1), minimum and maximum accuracy over the measured runs. */
  readonly mean: number | null;
  readonly std: number | null;
  readonly min: number | null;
  readonly max: number | null;
  /** Mean final test accuracy of the completed runs (after the last epoch, no early stopping). */
  readonly finalMean: number | null;
}

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
 * Groups runs by dataset, architecture label and depth, and summarises the seeds.
 * Groups come out sorted by dataset, then label in order of first appearance, then depth.
 *
 * @example
 * ```ts ignore
 * const rows = summarizeByDepth(await readRuns("results/depth-study"));
 * ```
 */
export function summarizeByDepth(runs: readonly RunRow[]): DepthSummary[] {
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
      measured: accuracies.length,
      ...stats,
      finalMean: finals.length === 0 ? null : finals.reduce((a, b) => a + b, 0) / finals.length,
    };
  });
  return summaries.sort((a, b) =>
    a.dataset.localeCompare(b.dataset) || labelOrder.get(a.label)! - labelOrder.get(b.label)! ||
    a.depth - b.depth
  );
}

/**
 * Mean, sample standard deviation, minimum and maximum (nulls for no values; std null for one).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { describe } from "@gradnets/analysis";
 * assert.deepEqual(describe([1, 2, 3]), { mean: 2, std: 1, min: 1, max: 3 });
 * ```
 */
export function describe(values: readonly number[]): {
  mean: number | null;
  std: number | null;
  min: number | null;
  max: number | null;
} {
  if (values.length === 0) return { mean: null, std: null, min: null, max: null };
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  const std = values.length < 2
    ? null
    : Math.sqrt(values.reduce((s, v) => s + (v - mean) ** 2, 0) / (values.length - 1));
  return { mean, std, min: Math.min(...values), max: Math.max(...values) };
}

/**
 * The headline numbers as a grid: one row per architecture, one column per depth, each cell
 * "mean ± std" of the test accuracy in percent over the seeds, with the count of diverged runs.
 *
 * @example
 * ```ts ignore
 * const { columns, rows } = headlineGrid(summarizeByDepth(runs));
 * ```
 */
export function headlineGrid(
  summaries: readonly DepthSummary[],
): { columns: string[]; rows: string[][] } {
  const labels = [...new Set(summaries.map((s) => s.label))];
  const depths = [...new Set(summaries.map((s) => s.depth))].sort((a, b) => a - b);
  const cell = (label: string, depth: number) => {
    const s = summaries.find((x) => x.label === label && x.depth === depth);
    if (!s) return "";
    const value = s.mean === null
      ? "-"
      : `${(100 * s.mean).toFixed(2)}${s.std === null ? "" : ` ± ${(100 * s.std).toFixed(2)}`}`;
    return `${value}${s.diverged > 0 ? ` (${s.diverged}/${s.runs} diverged)` : ""}`;
  };
  return {
    columns: ["architecture", ...depths.map((d) => `depth ${d}`)],
    rows: labels.map((label) => [label, ...depths.map((d) => cell(label, d))]),
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
