/**
 * The page of the settings search: every setting tried and the one chosen per architecture.
 *
 * @module
 */

import type { PageBlock } from "./render.ts";
import { type SearchPoint, searchResultsSpec } from "./specs/search_results.ts";
import type { Provenance } from "./specs/common.ts";
import { architectureEntry } from "@gradnets/core";
import type { RunRow } from "./tables.ts";
import { type ChanceLevel, isCollapsed } from "./collapse.ts";

/**
 * The setting of a search run in words, e.g. `adam 0.001, clip 1, ramp 0..0.25, orthogonal init`.
 *
 * @example
 * ```ts ignore
 * settingLabel(run); // "adam 0.0003, no clip, ramp 0..0.25"
 * ```
 */
export function settingLabel(run: RunRow): string {
  const c = run.columns;
  const parts = [optimizerLabel(run), c.gradient_clip ? `clip ${c.gradient_clip}` : "no clip"];
  // Only GradNets use g; the baselines' schedule is a placeholder.
  if (architectureEntry(c.architecture)?.gradNet && c.schedule === "window") {
    parts.push(`ramp ${c.schedule_start}..${c.schedule_end}`);
  }
  if (c.init && c.init !== "he") {
    parts.push(`${c.init}${c.init_gain ? ` ${Number(c.init_gain).toFixed(2)}` : ""} init`);
  }
  if (c.learning_rate_decay && c.learning_rate_decay !== "none") {
    parts.push(`lr x${c.learning_rate_decay_rate} per ${c.learning_rate_decay_epochs} epochs`);
  }
  if (c.dropout && c.dropout !== "none") parts.push(`${c.dropout} dropout ${c.dropout_rate}`);
  if (c.batch_norm && c.batch_norm !== "none") parts.push(`${c.batch_norm} batch norm`);
  return parts.join(", ");
}

/** A learning rate in words: 3 significant digits (a third of 3e-4 reads 0.0001). */
function rate(value: string | undefined): string {
  const n = Number(value);
  return value === undefined || value === "" || !Number.isFinite(n)
    ? String(value ?? "")
    : String(Number(n.toPrecision(3)));
}

/** The optimiser of a run and its learning rate, e.g. `adam 0.001` or `adam 0.001 -> momentum 0.01`. */
function optimizerLabel(run: RunRow): string {
  const c = run.columns;
  return c.optimizer === "interpolate"
    ? `${c.optimizer_from} ${rate(c.optimizer_from_learning_rate)} -> ${c.optimizer_to} ${
      rate(c.optimizer_to_learning_rate)
    }`
    : `${c.optimizer} ${rate(c.optimizer_learning_rate)}`;
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
    // Batch norm and dropout are settings the search tries, not other architectures.
    const label = run.architectureLabel;
    const best = winners.get(label);
    const score = run.finalValidationAccuracy ?? -1;
    if (!best || score > (best.finalValidationAccuracy ?? -1)) winners.set(label, run);
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
  /** The run id of each architecture's setting in the study, under the search's conditions. */
  chosen?: ReadonlyMap<string, string>,
  /** The overview figure's id (and file name). */
  figureId = "search",
  /** The chance level of each run's validation split, for marking collapsed settings. */
  chance?: ChanceLevel,
): Promise<PageBlock[]> {
  const collapsed = (r: RunRow) => isCollapsed(r.status, r.finalValidationAccuracy, chance?.(r));
  // Every run of a search has the same depth and epochs; the caption names them.
  const depths = [...new Set(runs.map((r) => r.depth))].join(" or ");
  const epochs = [...new Set(runs.map((r) => r.epochs))].join(" or ");
  const winners = searchWinners(runs);
  const points: SearchPoint[] = runs.map((r) => ({
    architecture: r.architectureLabel,
    setting: settingLabel(r),
    optimizer: r.columns.optimizer === "interpolate"
      ? `${r.columns.optimizer_from} -> ${r.columns.optimizer_to}`
      : optimizerLabel(r),
    validationAccuracy: r.finalValidationAccuracy,
    status: r.status,
    chosen: winners.get(r.architectureLabel) === r,
  }));
  return (async () => {
    const overview = await figure(
      figureId,
      searchResultsSpec({
        title: `Settings search at depth ${depths}: validation accuracy of every setting`,
        points,
        provenance,
      }),
      `Each point is one setting after ${epochs} epochs at depth ${depths} on MNIST, coloured by optimiser and learning rate; clipping, the ramp of g and the refinements are not encoded: hover a point for its whole setting. Crosses: runs that diverged (drawn at 10%, chance, when no epoch completed). Ringed: the best of each architecture, chosen on the validation split; the test split was not evaluated.`,
      points.map((p) => ({ ...p })),
    );
    const table: PageBlock = {
      kind: "table",
      caption:
        "The setting chosen for each architecture (highest validation accuracy), and whether " +
        "experiments/settings.ts uses it in its study. Collapsed: settings that completed " +
        "every epoch at the chance level of the validation split (its largest class share + " +
        "0.5 points: a constant prediction), counted apart from the diverged ones.",
      columns: [
        "architecture",
        "chosen setting",
        "validation accuracy",
        "settings tried",
        "diverged",
        "collapsed",
        "used by the study",
      ],
      rows: [...winners.entries()].map(([label, run]) => {
        const tried = runs.filter((r) => r.architectureLabel === label);
        return [
          label,
          settingLabel(run),
          run.finalValidationAccuracy === null
            ? "-"
            : `${(100 * run.finalValidationAccuracy).toFixed(2)}%${
              collapsed(run) ? " (collapsed)" : ""
            }`,
          String(tried.length),
          String(tried.filter((r) => r.status === "diverged").length),
          String(tried.filter(collapsed).length),
          usedByStudy(chosen?.get(label), run, runs),
        ];
      }),
    };
    return [overview, table];
  })();
}

/** "yes" when the study's setting is the winner, otherwise what the study uses instead. */
function usedByStudy(id: string | undefined, winner: RunRow, runs: readonly RunRow[]): string {
  if (id === undefined) return "?";
  if (id === winner.runId) return "yes";
  const used = runs.find((r) => r.runId === id);
  return used ? `no: ${settingLabel(used)}` : "no: a setting outside the search";
}
