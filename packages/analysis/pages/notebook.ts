/**
 * The page of the 2015 notebook's experiment rerun: learning curves, how each run ended,
 * gradient norms, and the input's signal through the network by g at initialisation.
 *
 * @module
 */

import { NUMERICS_VERSION, runtimeVersions } from "@gradnets/core";
import { join } from "node:path";
import { writeFileAtomic } from "../csv.ts";
import { htmlPage, type PageBlock } from "../render.ts";
import type { Provenance } from "../specs/common.ts";
import { gradientHeatmapSpec, heatmapClip } from "../specs/gradient_heatmap.ts";
import { learningCurvesSpec } from "../specs/learning_curves.ts";
import { readSignalTable } from "../signal_table.ts";
import { signalThroughDepthSpec } from "../specs/signal_through_depth.ts";
import { readEpochs, readGradientNorms, readRuns, type RunRow } from "../tables.ts";
import {
  commonSettings,
  curvePoints,
  figure,
  manifestBlock,
  normCells,
  normRow,
  type PageContext,
  percent,
  readManifest,
  versionsLine,
} from "./shared.ts";

/**
 * Writes `seed-notebook.html` from the tables of the notebook experiment `name` in `notebook`:
 * its runs' tables and, when present, its table of the signal at initialisation (`signal.csv`,
 * written by the experiment; without it the page has no signal figure).
 *
 * @example
 * ```ts ignore
 * const path = await notebookPage(ctx, "results/seed-notebook", "seed-notebook");
 * ```
 */
export async function notebookPage(
  ctx: PageContext,
  notebook: string,
  name: string,
): Promise<string> {
  const options = { out: ctx.out };
  const nav = ctx.nav;
  {
    const runs = await readRuns(notebook);
    const epochs = await readEpochs(notebook);
    const norms = await readGradientNorms(notebook);
    const manifest = await readManifest(notebook);
    const signals = await readSignalTable(notebook);
    const runName = (r: RunRow) => `${r.label}, ${r.columns.loss_reduction} loss`;
    const provenance: Provenance = {
      settings: commonSettings(runs),
      versions: versionsLine(manifest),
    };
    const named = curvePoints(runs, epochs, runName);
    const blocks: PageBlock[] = [
      {
        kind: "html",
        html:
          `<p>The 2015 notebook's GradNet, rerun: MNIST, 50 layers of width 50 (1 dense ReLU input layer, 48 GReLU layers <code>y = g*relu(xW+b) + (1-g)*x</code>, 1 softmax output layer), SGD with learning rate 0.01, batch 50, g = min(t/10, 1). The notebook summed the loss over the batch and took <code>log(softmax)</code>, which died with NaN at about step 1000; here the loss is computed stably from the logits, once summed (the notebook's effective step size) and once averaged.</p>`,
      },
      await figure(
        options.out,
        "seed-notebook-learning-curves",
        learningCurvesSpec({
          title: "The 2015 notebook rerun: learning curves",
          points: named,
          provenance,
          seriesTitle: "run",
          lossClip: 100,
        }),
        `Validation error and training loss after each epoch (log axes; the summed loss is about 50 times the mean, batch 50; the cross marks the epoch in which the summed-loss run diverged, its loss clipped at 100), and g(t).`,
        named.map((p) => ({ ...p })),
      ),
      {
        kind: "table",
        caption: "How each run ended.",
        columns: [
          "run",
          "status",
          "epochs",
          "best validation (epoch)",
          "test at best validation",
          "final test",
          "diverged at step",
        ],
        rows: runs.map((r) => [
          runName(r),
          r.status,
          r.columns.epochs_completed ?? "",
          `${percent(r.bestValidationAccuracy)} (${r.bestValidationEpoch ?? "-"})`,
          percent(r.testAccuracyAtBestValidation),
          percent(r.finalTestAccuracy),
          r.divergedStep === null ? "-" : String(r.divergedStep),
        ]),
      },
      await figure(
        options.out,
        "seed-notebook-gradient-norms",
        gradientHeatmapSpec({
          title: "The 2015 notebook rerun: gradient norms per layer and epoch",
          cells: normCells(runs, norms, runName),
          provenance,
          seriesTitle: "run",
        }),
        `L2 norm of each layer's weight gradient per epoch, each panel coloured relative to its own median (in its header), clipped at a factor of 10^${
          heatmapClip(normCells(runs, norms, runName))
        } either way; hover a cell for its norm (the notebook logged the mean of the gradients instead, which is near zero whatever their size).`,
        normCells(runs, norms, runName).map(normRow),
      ),
      ...(signals === null ? [] : [
        {
          kind: "html" as const,
          html:
            `<h2>Why the interpolation loses the input</h2><p>Each GReLU layer mixes its input with a ReLU layer, <code>g*relu(xW+b) + (1-g)*x</code>. At initialisation the two terms are independent, so for 0 &lt; g &lt; 1 their mix has a smaller spread than either, in every layer: through 48 layers the input-dependent part of the signal falls by orders of magnitude, most in the middle of the interpolation. The notebook's initialisation (standard deviation 0.1 at width 50, half of He's) makes even g = 1 fade. The variance-preserving GReLU (this project's extension) divides each layer by the factor its mix shrinks the second moment by; the signal then stays within one or two orders of magnitude at every g.</p>`,
        },
        await figure(
          options.out,
          "seed-notebook-signal",
          signalThroughDepthSpec({
            title: "The input's signal through the 50 layers at initialisation, by g",
            points: signals,
            provenance: {
              settings:
                "Settings: depth 50, width 50, seed 1, the first 1000 validation images of MNIST, at initialisation.",
              versions:
                `Computed by deno task experiment with tfjs ${runtimeVersions().tfjs} on wasm, numerics version ${NUMERICS_VERSION}.`,
            },
          }),
          "The spread across 1000 images of each layer's output (standard deviation per unit, averaged over the units), for g from 0 to 1, before any training: where it falls by orders of magnitude the network has forgotten its input.",
          signals.map((p) => ({ ...p })),
        ),
      ]),
      manifestBlock(manifest, name),
    ];
    const path = join(options.out, "seed-notebook.html");
    await writeFileAtomic(
      path,
      await htmlPage({ title: "GradNets: the 2015 notebook rerun", nav, blocks }),
    );
    return path;
  }
}
