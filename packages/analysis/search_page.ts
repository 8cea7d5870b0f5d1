/**
 * The page of the settings search: every setting tried and the one chosen per architecture.
 *
 * @module
 */

import { join } from "node:path";
import type { PageBlock } from "./render.ts";
import { type SearchPoint, searchResultsSpec } from "./specs/search_results.ts";
import type { Provenance } from "./specs/common.ts";
import type { RunRow } from "./tables.ts";

/** The setting of a search run in words, e.g. `adam 0.001, clip 1, ramp 0.5`. */
export function settingLabel(run: RunRow): string {
  const c = run.columns;
  const optimizer = `${c.optimizer} ${c.optimizer_learning_rate}`;
  const clip = c.gradient_clip ? `, clip ${c.gradient_clip}` : ", no clip";
  // Only GradNets use g; the baselines' schedule is a placeholder.
  const ramp = c.architecture.startsWith("grelu") && c.schedule === "window"
    ? `, ramp ${c.schedule_end}`
    : "";
  return `${optimizer}${clip}${ramp}`;
}

/**
 * The best setting of each architecture: the highest validation accuracy after the last epoch
 * (ties to the first declared). Only the validation split is read.
 *
 * @example
 * ```ts ignore
 * const winners = searchWinners(await readRuns("results/search")); // Map label -> run
 * ```
 */
export function searchWinners(runs: readonly RunRow[]): Map<string, RunRow> {
  const winners = new Map<string, RunRow>();
  for (const run of runs) {
    const best = winners.get(run.label);
    const score = run.finalValidationAccuracy ?? -1;
    if (!best || score > (best.finalValidationAccuracy ?? -1)) winners.set(run.label, run);
  }
  return winners;
}

/** The blocks of the search page: overview figure and the table of winners. */
export function searchBlocks(
  runs: readonly RunRow[],
  provenance: Provenance,
  figure: (
    id: string,
    spec: Record<string, unknown>,
    caption: string,
    data: Record<string, unknown>[],
  ) => Promise<PageBlock>,
  chosen?: ReadonlyMap<string, string>,
): Promise<PageBlock[]> {
  const winners = searchWinners(runs);
  const points: SearchPoint[] = runs.map((r) => ({
    architecture: r.label,
    setting: settingLabel(r),
    optimizer: `${r.columns.optimizer} ${r.columns.optimizer_learning_rate}`,
    validationAccuracy: r.finalValidationAccuracy,
    status: r.status,
    chosen: winners.get(r.label) === r,
  }));
  return (async () => {
    const overview = await figure(
      "search",
      searchResultsSpec({
        title: "Settings search: validation accuracy of every setting",
        points,
        provenance,
      }),
      "Each point is one setting (optimiser and learning rate by colour; with or without clipping; for GradNets, the ramp of g), after 5 epochs at depth 50 on MNIST; crosses diverged. Ringed: the best of each architecture, chosen on the validation split; the test split was not evaluated.",
      points.map((p) => ({ ...p })),
    );
    const table: PageBlock = {
      kind: "table",
      caption:
        "The setting chosen for each architecture (highest validation accuracy), and whether " +
        "experiments/_settings.ts uses it in the depth study.",
      columns: [
        "architecture",
        "chosen setting",
        "validation accuracy",
        "settings tried",
        "diverged",
        "used by the study",
      ],
      rows: [...winners.entries()].map(([label, run]) => {
        const tried = runs.filter((r) => r.label === label);
        const used = chosen?.get(label);
        return [
          label,
          settingLabel(run),
          run.finalValidationAccuracy === null
            ? "-"
            : `${(100 * run.finalValidationAccuracy).toFixed(2)}%`,
          String(tried.length),
          String(tried.filter((r) => r.status === "diverged").length),
          used === undefined ? "?" : used === settingLabel(run) ? "yes" : `no: ${used}`,
        ];
      }),
    };
    return [overview, table];
  })();
}

/** Path of the search's tables under a results root. */
export function searchDir(results: string): string {
  return join(results, "search");
}
