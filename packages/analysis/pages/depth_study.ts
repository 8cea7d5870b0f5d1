/**
 * The depth-study page of one dataset: the headline figure and table, learning curves by depth,
 * and gradient-norm heatmaps at one depth.
 *
 * @module
 */

import { join } from "node:path";
import { runAccuracy, summarizeByDepth } from "../aggregate.ts";
import { writeFileAtomic } from "../csv.ts";
import { slug } from "../html.ts";
import { htmlPage, type PageBlock } from "../render.ts";
import { accuracyVsDepthSpec } from "../specs/accuracy_vs_depth.ts";
import type { Provenance } from "../specs/common.ts";
import { gradientHeatmapSpec } from "../specs/gradient_heatmap.ts";
import { learningCurvesSpec } from "../specs/learning_curves.ts";
import { readEpochs, readGradientNorms, type RunRow } from "../tables.ts";
import {
  commonSettings,
  curvePoints,
  figure,
  incompleteNotice,
  type Manifest,
  manifestBlock,
  normCells,
  type PageContext,
  summaryTable,
  versionsLine,
} from "./shared.ts";

/**
 * Writes `<dataset>.html` for every dataset of the study, and returns each dataset's headline
 * blocks (figure and table) for the index page, and the paths written.
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
): Promise<{ headlines: Map<string, PageBlock[]>; written: string[] }> {
  const options = { out: ctx.out, heatmapDepth };
  const nav = ctx.nav;
  const written: string[] = [];
  const headlines = new Map<string, PageBlock[]>();
  const datasets = [...new Set(studyRuns.map((r) => r.dataset))];
  {
    const epochs = await readEpochs(study);
    const norms = await readGradientNorms(study);
    const versions = versionsLine(studyManifest);
    for (const dataset of datasets) {
      const runs = studyRuns.filter((r) => r.dataset === dataset);
      const summaries = summarizeByDepth(runs);
      const provenance: Provenance = { settings: commonSettings(runs), versions };
      const headline = await figure(
        options.out,
        `${slug(dataset)}-accuracy-vs-depth`,
        accuracyVsDepthSpec({
          title: `${dataset}: test accuracy against depth`,
          runs,
          summaries,
          provenance,
        }),
        `Test accuracy (at each run's best validation epoch) against depth, one line per architecture: the mean over seeds, the band from the lowest to the highest seed, one dot per seed. Crosses mark runs that diverged (NaN or infinite loss), at the accuracy they had before.`,
        runs.map((r) => ({
          run_id: r.runId,
          architecture: r.label,
          depth: r.depth,
          seed: r.seed,
          status: r.status,
          diverged_step: r.divergedStep,
          test_accuracy_at_best_validation: runAccuracy(r),
          final_test_accuracy: r.finalTestAccuracy,
        })),
      );
      const table = summaryTable(summaries, dataset);
      const finalTable = summaryTable(summaries, dataset, "final");
      headlines.set(dataset, [headline, table, finalTable]);
      const curves = await figure(
        options.out,
        `${slug(dataset)}-learning-curves`,
        learningCurvesSpec({
          title: `${dataset}: learning curves by depth`,
          points: curvePoints(runs, epochs),
          provenance,
        }),
        `Validation accuracy and training loss after each epoch (epoch 0: before training), one panel per depth, one line per seed; below, g(t).`,
        curvePoints(runs, epochs).map((p) => ({ ...p })),
      );
      const depth = options.heatmapDepth ?? 50;
      const firstSeed = Math.min(...runs.map((r) => r.seed));
      const heatRuns = runs.filter((r) => r.depth === depth && r.seed === firstSeed);
      const blocks: PageBlock[] = [
        ...incompleteNotice(studyManifest),
        headline,
        table,
        finalTable,
        curves,
      ];
      if (heatRuns.length > 0) {
        const cells = normCells(heatRuns, norms, (r) => r.label);
        blocks.push(
          await figure(
            options.out,
            `${slug(dataset)}-gradient-norms-depth-${depth}`,
            gradientHeatmapSpec({
              title:
                `${dataset}: gradient norms per layer and epoch, depth ${depth}, seed ${firstSeed}`,
              cells,
              provenance,
            }),
            `L2 norm of each layer's weight gradient (mean over the steps sampled in the epoch), log colour scale. Blank: no gradient (the layer's branch switched off, or the run had diverged).`,
            cells.map((c) => ({ ...c })),
          ),
        );
      }
      blocks.push(manifestBlock(studyManifest, name));
      const path = join(options.out, `${slug(dataset)}.html`);
      await writeFileAtomic(
        path,
        await htmlPage({ title: `GradNets depth study: ${dataset}`, nav, blocks }),
      );
      written.push(path);
    }
  }

  return { headlines, written };
}
