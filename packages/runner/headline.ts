/**
 * The numbers that README.md and `deno task report --table` give: each dataset's headline
 * tables of the depth study and the compute of every experiment, from the stored tables.
 * README's copies sit between markers and are rewritten with the published report, so they
 * cannot drift from it.
 *
 * @module
 */

import {
  type AccuracyKind,
  chanceLevels,
  COLLAPSE_MARGIN,
  fillMarkers,
  headlineGrid,
  markdownTable,
  readRuns,
  readTimings,
  summarizeByDepth,
  writeFileAtomic,
} from "@gradnets/analysis";
import { join } from "node:path";
import { formatDuration } from "./cli.ts";
import type { Experiment } from "./experiment.ts";

/** A headline table: its title line, a blank line, the Markdown table. */
export interface HeadlineTable {
  /** The dataset the table is about. */
  readonly dataset: string;
  /** At the best validation epoch, or after the last epoch. */
  readonly kind: AccuracyKind;
  /** Title and table, as Markdown. */
  readonly text: string;
}

/**
 * Each dataset's headline tables (at the best validation epoch, and after the last epoch) of
 * the experiment shown on the depth-study pages, and one compute line per experiment with
 * stored timings, the last line the sum over all of them.
 *
 * @example
 * ```ts ignore
 * const { tables, compute } = await headlineReport("results", EXPERIMENTS);
 * console.log(tables[0].text, compute.at(-1)); // "Compute in all: 12h37m over 492 runs."
 * ```
 */
export async function headlineReport(
  results: string,
  experiments: readonly Experiment[],
): Promise<{ tables: HeadlineTable[]; compute: string[] }> {
  const tables: HeadlineTable[] = [];
  const study = experiments.find((e) => e.report?.page === "depth-study");
  const runs = study ? await readRuns(join(results, study.name)) : [];
  const chance = await chanceLevels(runs);
  for (const dataset of [...new Set(runs.map((r) => r.dataset))]) {
    const ofDataset = runs.filter((r) => r.dataset === dataset);
    const summaries = summarizeByDepth(ofDataset, { chance });
    const level = chance(ofDataset[0]);
    const kinds = [
      ["best-validation", "at the best validation epoch"],
      ["final", "after the last epoch (g = 1; diverged runs left out)"],
    ] as const;
    // The rule for "collapsed", under each table that marks a collapsed run.
    const note = level === undefined
      ? ""
      : `\nCollapsed: completed at most ${(100 * COLLAPSE_MARGIN).toFixed(1)} points above ${
        (100 * level).toFixed(2)
      }%, the largest class share of the test split ` +
        `(no better than predicting one class); collapsed runs stay in the mean.\n`;
    for (const [kind, when] of kinds) {
      const { columns, rows } = headlineGrid(summaries, kind);
      const marked = rows.some((row) => row.some((cell) => cell.includes("collapsed)")));
      const title = `${dataset}: test accuracy (%) ${when}, mean ± half-width of the 95% ` +
        `confidence interval over seeds`;
      tables.push({
        dataset,
        kind,
        text: `${title}\n\n${markdownTable(columns, rows)}${marked ? note : ""}`,
      });
    }
  }
  // Wall-clock seconds of every epoch of every stored run, summed: each experiment's compute.
  const compute: string[] = [];
  let totalSeconds = 0, totalRuns = 0;
  for (const { name: experiment } of experiments) {
    const dir = join(results, experiment);
    // An experiment not trained yet has no timings: it adds nothing.
    const exists = await Deno.stat(join(dir, "timings.csv")).then(() => true, () => false);
    if (!exists) continue;
    const timings = await readTimings(dir);
    const seconds = timings.reduce((sum, t) => sum + t.seconds, 0);
    const runCount = new Set(timings.map((t) => t.runId)).size;
    totalSeconds += seconds;
    totalRuns += runCount;
    compute.push(
      `Compute, ${experiment}: ${formatDuration(seconds)} of training over ${runCount} runs ` +
        `(sum of ${join(dir, "timings.csv")}).`,
    );
  }
  compute.push(`Compute in all: ${formatDuration(totalSeconds)} over ${totalRuns} runs.`);
  return { tables, compute };
}

/**
 * README text with its marked blocks filled from {@linkcode headlineReport}: `headline`, the
 * first dataset's table at the best validation epoch; `compute`, the compute in all. Throws
 * `MarkerError` on a missing or broken marker.
 *
 * @example
 * ```ts ignore
 * const text = await readmeFilled(await Deno.readTextFile("README.md"), "results", EXPERIMENTS);
 * ```
 */
export async function readmeFilled(
  readme: string,
  results: string,
  experiments: readonly Experiment[],
): Promise<string> {
  const { tables, compute } = await headlineReport(results, experiments);
  const blocks = {
    // The first dataset's table (MNIST, the paper's); the others are on the report's pages.
    headline: tables.find((t) => t.kind === "best-validation")?.text ?? "",
    compute: compute[compute.length - 1],
  };
  return fillMarkers(readme, blocks, "README.md");
}

/**
 * Rewrites the README at `path` (atomically, and only when its numbers changed) from the tables
 * under `results`; returns whether it wrote.
 *
 * @example
 * ```ts ignore
 * await refreshReadme("README.md", "results", EXPERIMENTS);
 * ```
 */
export async function refreshReadme(
  path: string,
  results: string,
  experiments: readonly Experiment[],
): Promise<boolean> {
  const before = await Deno.readTextFile(path);
  const text = await readmeFilled(before, results, experiments);
  if (text === before) return false;
  await writeFileAtomic(path, text);
  return true;
}
