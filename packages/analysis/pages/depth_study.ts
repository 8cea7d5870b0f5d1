/**
 * The depth-study page of one dataset: the headline figure and table, learning curves by depth,
 * and gradient-norm heatmaps at one depth.
 *
 * @module
 */

import { join } from "node:path";
import { runAccuracy, summarizeByDepth } from "../aggregate.ts";
import type { ChanceLevel } from "../collapse.ts";
import { headlineComparisons } from "../comparisons.ts";
import { checkGoal, goalTable, type StudyGoal } from "../goal.ts";
import { writeFileAtomic } from "../csv.ts";
import { slug } from "../html.ts";
import { escapeHtml, htmlPage, type PageBlock } from "../render.ts";
import { accuracyVsDepthSpec } from "../specs/accuracy_vs_depth.ts";
import type { Provenance } from "../specs/common.ts";
import { gradientHeatmapSpec, heatmapClip } from "../specs/gradient_heatmap.ts";
import { learningCurvesSpec, LOSS_CLIP } from "../specs/learning_curves.ts";
import { readEpochs, readGradientNorms, type RunRow } from "../tables.ts";
import {
  commonSettings,
  comparisonTables,
  curvePoints,
  dependsOnG,
  figure,
  incompleteLine,
  incompleteNotice,
  type Manifest,
  manifestBlock,
  normCells,
  normRow,
  type PageContext,
  summaryTable,
} from "./shared.ts";

/** Where a depth study's pages go and what they say of it (the first study's: the defaults). */
export interface DepthStudyPageOptions {
  /** Prefix of the pages' and figures' file names, e.g. `study-v2-` (default none). */
  readonly prefix?: string;
  /** What the pages' titles call the study (default "depth study"). */
  readonly title?: string;
  /** How the architectures' settings were chosen, one sentence (plain text). */
  readonly settings?: string;
  /** What the study sets out to show: a table checks it at each depth. */
  readonly goal?: StudyGoal;
}

/**
 * Writes `<prefix><dataset>.html` for every dataset of the study, and returns each dataset's
 * headline blocks (figure and table) for the index page, and the paths written. `chance` gives
 * the chance level of each run's test split, for marking collapsed runs.
 *
 * @example
 * ```ts ignore
 * const { headlines, written } = await depthStudyPages(ctx, "results/depth-study", "depth-study", runs, manifest);
 * ```
 */
export async function depthStudyPages(
  ctx: PageContext,
  study: string,
  name: string,
  studyRuns: readonly RunRow[],
  studyManifest: Manifest | null,
  heatmapDepth = 50,
  chance?: ChanceLevel,
  page: DepthStudyPageOptions = {},
): Promise<{ headlines: Map<string, PageBlock[]>; written: string[] }> {
  const options = { out: ctx.out, heatmapDepth };
  const prefix = page.prefix ?? "";
  const settings = page.settings ?? "each with the setting the search chose for it";
  const nav = ctx.nav;
  const written: string[] = [];
  const headlines = new Map<string, PageBlock[]>();
  const datasets = [...new Set(studyRuns.map((r) => r.dataset))];
  {
    const epochs = await readEpochs(study);
    const norms = await readGradientNorms(study);
    const notice = incompleteLine(studyManifest);
    for (const dataset of datasets) {
      const runs = studyRuns.filter((r) => r.dataset === dataset);
      const summaries = summarizeByDepth(runs, { chance });
      const gradual = new Set(runs.filter(dependsOnG).map((r) => r.label));
      const level = runs.length > 0 ? chance?.(runs[0]) : undefined;
      const provenance: Provenance = { settings: commonSettings(runs), notice };
      const headline = await figure(
        options.out,
        `${prefix}${slug(dataset)}-accuracy-vs-depth`,
        accuracyVsDepthSpec({
          title: `${dataset}: test error against depth`,
          runs,
          summaries,
          provenance,
          gradual,
        }),
        `Test error (1 - test accuracy, at each run's best validation epoch) against depth, both axes logarithmic: one line per architecture (baselines dashed, GradNets solid), the mean over seeds with a band from the best to the worst seed, a circle per seed. Crosses in the top row mark architectures with runs that diverged (NaN or infinite loss) at that depth; a diverged run that completed an epoch before keeps that epoch's accuracy in the mean. Click a legend entry to highlight an architecture; drag up or down to pan and shift + wheel to zoom the error axis; double-click to reset; hover for the numbers.`,
        runs.map((r) => ({
          run_id: r.runId,
          architecture: r.label,
          depth: r.depth,
          width: r.width,
          seed: r.seed,
          status: r.status,
          diverged_step: r.divergedStep,
          best_validation_epoch: r.bestValidationEpoch,
          test_accuracy_at_best_validation: runAccuracy(r),
          test_error_at_best_validation: runAccuracy(r) === null ? null : 1 - runAccuracy(r)!,
          final_test_accuracy: r.finalTestAccuracy,
        })),
      );
      const table = summaryTable(summaries, dataset, "best-validation", level);
      const finalTable = summaryTable(summaries, dataset, "final", level);
      const comparisons = comparisonTables(headlineComparisons(runs), summaries, dataset);
      const goal = page.goal === undefined
        ? []
        : [goalTable(checkGoal(summaries, gradual, page.goal), page.goal, dataset)];
      headlines.set(dataset, [headline, table, finalTable]);
      const curves = await figure(
        options.out,
        `${prefix}${slug(dataset)}-learning-curves`,
        learningCurvesSpec({
          title: `${dataset}: learning curves by depth`,
          points: curvePoints(runs, epochs),
          provenance,
        }),
        `Validation error and training loss after each epoch (epoch 0: before training), one panel per depth: the mean over seeds with a band from the lowest to the highest seed (baselines dashed, GradNets solid). Training losses are clipped at ${LOSS_CLIP} (chance is about 2.3): a triangle marks a mean above it, a cross the epoch in which a seed diverged. Below, g(t). The dropdown above the figure highlights one architecture.`,
        curvePoints(runs, epochs).map((p) => ({ ...p })),
      );
      const depth = options.heatmapDepth ?? 50;
      const firstSeed = Math.min(...runs.map((r) => r.seed));
      const heatRuns = runs.filter((r) => r.depth === depth && r.seed === firstSeed);
      const sections: [string, string][] = [
        [`${prefix}${slug(dataset)}-accuracy-vs-depth`, "test error against depth"],
        ...(goal.length > 0 ? [[`${slug(dataset)}-goal`, "the goal"] as [string, string]] : []),
        [`${dataset}-table`, "tables"],
        [`${slug(dataset)}-comparisons`, "comparisons with p-values"],
        [`${prefix}${slug(dataset)}-learning-curves`, "learning curves"],
        ...(heatRuns.length > 0
          ? [[
            `${prefix}${slug(dataset)}-gradient-norms-depth-${depth}`,
            `gradient norms at depth ${depth}`,
          ]] as [
            string,
            string,
          ][]
          : []),
        ["manifest", "manifest"],
      ];
      const labels = new Set(runs.map((r) => r.label)).size;
      const depths = [...new Set(runs.map((r) => r.depth))].sort((a, b) => a - b);
      const blocks: PageBlock[] = [
        ...incompleteNotice(studyManifest),
        {
          kind: "html",
          html: `<p>${labels} architectures at depths ${escapeHtml(depths.join(", "))} on ${
            escapeHtml(dataset)
          }, ${escapeHtml(settings)}. On this page: ${
            sections.map(([id, text]) => `<a href="#${escapeHtml(id)}">${escapeHtml(text)}</a>`)
              .join(" · ")
          }.</p>`,
        },
        headline,
        ...goal,
        table,
        finalTable,
        {
          kind: "html",
          html: `<h2 id="${slug(dataset)}-comparisons">Comparisons with p-values</h2>`,
        },
        ...comparisons,
        curves,
      ];
      if (heatRuns.length > 0) {
        const cells = normCells(heatRuns, norms, (r) => r.label);
        blocks.push(
          await figure(
            options.out,
            `${prefix}${slug(dataset)}-gradient-norms-depth-${depth}`,
            gradientHeatmapSpec({
              title:
                `${dataset}: gradient norms per layer and epoch, depth ${depth}, seed ${firstSeed}`,
              cells,
              provenance,
            }),
            `L2 norm of each layer's weight gradient (mean over the steps sampled in the epoch), one panel per architecture, each coloured relative to its own median (given in its header) on a log scale: blue below, orange above, clipped at a factor of 10^${
              heatmapClip(cells)
            } either way; hover a cell for its norm. Blank: no gradient (the layer's branch switched off, or the run had diverged).`,
            cells.map(normRow),
          ),
        );
      }
      blocks.push(manifestBlock(studyManifest, name));
      const path = join(options.out, `${prefix}${slug(dataset)}.html`);
      await writeFileAtomic(
        path,
        await htmlPage({
          title: `GradNets ${page.title ?? "depth study"}: ${dataset}`,
          nav,
          blocks,
        }),
      );
      written.push(path);
    }
  }

  return { headlines, written };
}
