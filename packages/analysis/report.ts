/**
 * The published report: HTML pages, static SVG figures and the CSV data of every figure,
 * generated from the result tables of the experiments.
 *
 * - `index.html`: the headline figure (test accuracy against depth) of the first dataset, its
 *   table, the findings, the manifest of the runs, and links to the other pages;
 * - `<dataset>.html`: the depth study on one dataset: headline, table, learning curves and
 *   gradient-norm heatmaps;
 * - `seed-notebook.html`: the 2015 notebook's experiment rerun.
 *
 * Everything is deterministic: the same tables give the same bytes.
 *
 * @module
 */

import {
  createModel,
  layerSignals,
  NOTEBOOK_CONFIG,
  NUMERICS_VERSION,
  Random,
  type RunConfig,
  useBackend,
} from "@gradnets/core";
import { loadMnist } from "@gradnets/data";
import * as tf from "@tensorflow/tfjs";
import { marked } from "marked";
import { join } from "node:path";
import { type DepthSummary, runAccuracy, summarizeByDepth } from "./aggregate.ts";
import { formatCsv, type Row, writeFileAtomic } from "./csv.ts";
import { escapeHtml, htmlPage, type PageBlock, renderSvg } from "./render.ts";
import { searchBlocks, searchDir } from "./search_page.ts";
import { accuracyVsDepthSpec } from "./specs/accuracy_vs_depth.ts";
import type { Provenance, VegaLiteSpec } from "./specs/common.ts";
import { gradientHeatmapSpec, type NormCell } from "./specs/gradient_heatmap.ts";
import { type SignalPoint, signalThroughDepthSpec } from "./specs/signal_through_depth.ts";
import { type CurvePoint, learningCurvesSpec } from "./specs/learning_curves.ts";
import {
  type EpochRow,
  type GradientNormRow,
  readEpochs,
  readGradientNorms,
  readRuns,
  type RunRow,
} from "./tables.ts";

/** Options of {@linkcode buildReports}. */
export interface ReportOptions {
  /** The results root (holding `depth-study/`, `seed-notebook/`, ...). */
  readonly results: string;
  /** Where the pages go. */
  readonly out: string;
  /** Markdown of the findings shown on the index page (optional). */
  readonly findings?: string;
  /** Depth of the gradient-norm heatmaps of the depth study. Default 50. */
  readonly heatmapDepth?: number;
  /** The setting the study uses per architecture label (see `settingLabel`), to check the search. */
  readonly chosen?: ReadonlyMap<string, string>;
}

/** Columns of a run that are results or identity, not settings. */
const NOT_SETTINGS = new Set([
  "run_id",
  "status",
  "epochs_completed",
  "steps",
  "diverged_step",
  "diverged_reason",
  "final_validation_accuracy",
  "final_test_accuracy",
  "best_validation_epoch",
  "best_validation_accuracy",
  "test_accuracy_at_best_validation",
]);

/**
 * The settings shared by all `runs` (the config columns with one value), as `name value` pairs.
 *
 * @example
 * ```ts ignore
 * commonSettings(runs); // "init he, optimizer momentum, optimizer_learning_rate 0.01, ..."
 * ```
 */
export function commonSettings(runs: readonly RunRow[]): string {
  if (runs.length === 0) return "";
  const columns = Object.keys(runs[0].columns).filter((c) => !NOT_SETTINGS.has(c));
  const shared = columns.filter((c) => runs.every((r) => r.columns[c] === runs[0].columns[c]))
    .filter((c) => runs[0].columns[c] !== "");
  return `Settings: ${shared.map((c) => `${c} ${runs[0].columns[c]}`).join(", ")}.`;
}

interface Manifest {
  runsDeclared: number;
  runsStored: number;
  numericsVersion: number;
  trainedWith: { provenance: Record<string, string>; runs: number }[];
}

async function readManifest(dir: string): Promise<Manifest | null> {
  try {
    return JSON.parse(await Deno.readTextFile(join(dir, "manifest.json")));
  } catch {
    return null;
  }
}

function versionsLine(manifest: Manifest | null): string {
  if (!manifest) return "Versions: unknown (no manifest.json).";
  const groups = manifest.trainedWith.map(({ provenance: p, runs }) =>
    `${runs} runs with tfjs ${p.tfjs ?? "?"} ${p.backend ?? "?"}, Deno ${p.deno ?? "?"}, commit ${
      (p.commit ?? "unknown").slice(0, 12)
    }${(p.commit ?? "").endsWith("+dirty") ? "+dirty" : ""} on ${p.machine ?? "?"}`
  );
  return `Trained: ${groups.join("; ")}. Numerics version ${manifest.numericsVersion}.`;
}

function manifestBlock(manifest: Manifest | null, experiment: string): PageBlock {
  const text = manifest ? JSON.stringify(manifest, null, 2) : "no manifest.json found";
  return {
    kind: "html",
    html: `<details><summary>Manifest of the ${
      escapeHtml(experiment)
    } runs behind this page</summary><pre>${escapeHtml(text)}</pre></details>`,
  };
}

const percent = (x: number | null) => (x === null ? "-" : `${(100 * x).toFixed(2)}%`);

/**
 * The headline numbers as a table: one row per architecture, one column per depth, each cell
 * "mean ± std" of the test accuracy in percent over the seeds, with the number of diverged runs.
 */
function summaryTable(summaries: readonly DepthSummary[], dataset: string): PageBlock {
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
  const seeds = [...new Set(summaries.map((s) => s.runs))].join(" or ");
  return {
    kind: "table",
    caption:
      `${dataset}: test accuracy (%) at the best validation epoch, mean ± std over ${seeds} ` +
      `seed(s) (no std for one seed); "-": no epoch completed before the run diverged.`,
    columns: ["architecture", ...depths.map((d) => `depth ${d}`)],
    rows: labels.map((label) => [label, ...depths.map((d) => cell(label, d))]),
  };
}

/** Writes a figure's SVG and data CSV, and returns its page block. */
async function figure(
  out: string,
  id: string,
  spec: VegaLiteSpec,
  caption: string,
  data: Row[],
): Promise<PageBlock> {
  const svg = await renderSvg(spec);
  await writeFileAtomic(join(out, "figures", `${id}.svg`), svg);
  const columns = [...new Set(data.flatMap((row) => Object.keys(row)))];
  await writeFileAtomic(join(out, "data", `${id}.csv`), formatCsv(columns, data));
  return {
    kind: "figure",
    id,
    spec,
    svg,
    caption:
      `${caption} Static version: <a href="figures/${id}.svg">figures/${id}.svg</a>; data: <a href="data/${id}.csv">data/${id}.csv</a>.`,
  };
}

/** The schedule of g of a run, in words. */
function scheduleLabel(run: RunRow): string {
  const c = run.columns;
  const reversed = c.schedule_reversed === "true" ? ", reversed" : "";
  switch (c.schedule) {
    case "linear":
      return `linear tau ${c.schedule_tau}${reversed}`;
    case "window":
      return `window ${c.schedule_start}..${c.schedule_end}${reversed}`;
    case "constant":
      return `constant ${c.schedule_value}${reversed}`;
    default:
      return c.schedule ?? "unknown";
  }
}

function curvePoints(
  runs: readonly RunRow[],
  epochs: readonly EpochRow[],
  name: (r: RunRow) => string = (r) => r.label,
): CurvePoint[] {
  const byId = new Map(runs.map((r) => [r.runId, r]));
  return epochs.filter((e) => byId.has(e.runId)).map((e) => {
    const run = byId.get(e.runId)!;
    return {
      architecture: name(run),
      depth: run.depth,
      seed: run.seed,
      epoch: e.epoch,
      validationAccuracy: e.validationAccuracy,
      trainLoss: e.trainLoss,
      g: e.g,
      schedule: scheduleLabel(run),
      completed: e.status === "ok",
    };
  });
}

function normCells(
  runs: readonly RunRow[],
  norms: readonly GradientNormRow[],
  name: (r: RunRow) => string,
): NormCell[] {
  const byId = new Map(runs.map((r) => [r.runId, r]));
  return norms.filter((n) => byId.has(n.runId)).map((n) => ({
    architecture: name(byId.get(n.runId)!),
    layer: n.layer,
    epoch: n.epoch,
    norm: n.meanNorm,
  }));
}

const NAV: [string, string][] = [["Overview", "index.html"]];

/**
 * Builds every page from the tables under `options.results`, into `options.out`. Experiments
 * without tables are skipped. Returns the paths written (pages only).
 *
 * @example
 * ```ts ignore
 * await buildReports({ results: "results", out: "reports" });
 * ```
 */
export async function buildReports(options: ReportOptions): Promise<string[]> {
  const written: string[] = [];
  const study = join(options.results, "depth-study");
  const notebook = join(options.results, "seed-notebook");
  const hasStudy = await exists(join(study, "runs.csv"));
  const hasNotebook = await exists(join(notebook, "runs.csv"));
  const hasSearch = await exists(join(searchDir(options.results), "runs.csv"));
  const studyRuns = hasStudy ? await readRuns(study) : [];
  const datasets = [...new Set(studyRuns.map((r) => r.dataset))];
  const nav: [string, string][] = [
    ...NAV,
    ...datasets.map((d): [string, string] => [`Depth study: ${d}`, `${d}.html`]),
    ...(hasSearch ? [["Settings search", "search.html"] as [string, string]] : []),
    ...(hasNotebook ? [["The 2015 notebook", "seed-notebook.html"] as [string, string]] : []),
  ];
  const studyManifest = hasStudy ? await readManifest(study) : null;
  const headlines = new Map<string, PageBlock[]>();

  if (hasStudy) {
    const epochs = await readEpochs(study);
    const norms = await readGradientNorms(study);
    const versions = versionsLine(studyManifest);
    for (const dataset of datasets) {
      const runs = studyRuns.filter((r) => r.dataset === dataset);
      const summaries = summarizeByDepth(runs);
      const provenance: Provenance = { settings: commonSettings(runs), versions };
      const headline = await figure(
        options.out,
        `${dataset}-accuracy-vs-depth`,
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
      headlines.set(dataset, [headline, table]);
      const curves = await figure(
        options.out,
        `${dataset}-learning-curves`,
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
      const blocks: PageBlock[] = [headline, table, curves];
      if (heatRuns.length > 0) {
        const cells = normCells(heatRuns, norms, (r) => r.label);
        blocks.push(
          await figure(
            options.out,
            `${dataset}-gradient-norms-depth-${depth}`,
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
      blocks.push(manifestBlock(studyManifest, "depth-study"));
      const path = join(options.out, `${dataset}.html`);
      await writeFileAtomic(
        path,
        await htmlPage({ title: `GradNets depth study: ${dataset}`, nav, blocks }),
      );
      written.push(path);
    }
  }

  if (hasNotebook) {
    const runs = await readRuns(notebook);
    const epochs = await readEpochs(notebook);
    const norms = await readGradientNorms(notebook);
    const manifest = await readManifest(notebook);
    const name = (r: RunRow) => `${r.label}, ${r.columns.loss_reduction} loss`;
    const provenance: Provenance = {
      settings: commonSettings(runs),
      versions: versionsLine(manifest),
    };
    const named = curvePoints(runs, epochs, name);
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
        }),
        `Validation accuracy and training loss after each epoch, and g(t).`,
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
          name(r),
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
          cells: normCells(runs, norms, name),
          provenance,
        }),
        `L2 norm of each layer's weight gradient per epoch (the notebook logged the mean of the gradients instead, which is near zero whatever their size).`,
        normCells(runs, norms, name).map((c) => ({ ...c })),
      ),
      {
        kind: "html",
        html:
          `<h2>Why the interpolation loses the input</h2><p>Each GReLU layer mixes its input with a ReLU layer, <code>g*relu(xW+b) + (1-g)*x</code>. At initialisation the two terms are independent, so for 0 &lt; g &lt; 1 their mix has a smaller spread than either, in every layer: through 48 layers the input-dependent part of the signal falls by orders of magnitude, most in the middle of the interpolation. The notebook's initialisation (standard deviation 0.1 at width 50, half of He's) makes even g = 1 fade. The variance-preserving GReLU (this project's extension) divides each layer by the factor its mix shrinks the second moment by; the signal then stays within one or two orders of magnitude at every g.</p>`,
      },
      await figure(
        options.out,
        "seed-notebook-signal",
        signalThroughDepthSpec({
          title: "The input's signal through the 50 layers at initialisation, by g",
          points: await notebookSignals(),
          provenance: {
            settings:
              "Settings: depth 50, width 50, seed 1, the first 1000 validation images of MNIST, at initialisation.",
            versions:
              `Computed by deno task report with tfjs ${tf.version.tfjs} on wasm, numerics version ${NUMERICS_VERSION}.`,
          },
        }),
        "The spread across 1000 images of each layer's output (standard deviation per unit, averaged over the units), for g from 0 to 1, before any training: where it falls by orders of magnitude the network has forgotten its input.",
        (await notebookSignals()).map((p) => ({ ...p })),
      ),
      manifestBlock(manifest, "seed-notebook"),
    ];
    const path = join(options.out, "seed-notebook.html");
    await writeFileAtomic(
      path,
      await htmlPage({ title: "GradNets: the 2015 notebook rerun", nav, blocks }),
    );
    written.push(path);
  }

  if (hasSearch) {
    const dir = searchDir(options.results);
    const runs = await readRuns(dir);
    const manifest = await readManifest(dir);
    const provenance: Provenance = {
      settings: commonSettings(runs),
      versions: versionsLine(manifest),
    };
    const blocks = await searchBlocks(
      runs,
      provenance,
      (id, spec, caption, data) => figure(options.out, id, spec, caption, data as Row[]),
      options.chosen,
    );
    const path = join(options.out, "search.html");
    await writeFileAtomic(
      path,
      await htmlPage({
        title: "GradNets: the settings search",
        nav,
        blocks: [
          {
            kind: "html",
            html:
              `<p>Every architecture gets the same search budget: each combination of optimiser (SGD with momentum 0.9 at learning rates 0.01 and 0.003, Adam at 1e-3 and 3e-4), gradient clipping (global norm 1, or none) and, for GradNets, the length of the ramp of g (the first quarter, the first half or the whole of training), trained for 5 epochs at depth 50 on MNIST. A second stage refines each GradNet's best setting one change at a time: orthogonal initialisation, a learning rate falling tenfold over training, interpolation from its optimiser to SGD with momentum, gradual dropout (rate 0.1 g), gradual batch normalisation, and a ramp of g that starts a quarter into training. The best setting of each architecture by validation accuracy goes into the depth study; the test split is not evaluated here.</p>`,
          },
          ...blocks,
          manifestBlock(manifest, "search"),
        ],
      }),
    );
    written.push(path);
  }

  const index: PageBlock[] = [
    {
      kind: "html",
      html:
        `<p>An open reproduction of GradNets (Almeida and Sauder, 2015, <a href="https://arxiv.org/abs/1511.06827">arXiv 1511.06827</a>): layers that interpolate during training from an easy-to-train architecture to an expressive one, <code>y = g * late(x) + (1 - g) * early(x)</code> with <code>g = min(t / tau, 1)</code>, compared with plain, highway, residual and ReZero networks as depth grows from 10 to 200 layers.</p>`,
    },
  ];
  if (options.findings) index.push({ kind: "html", html: await marked.parse(options.findings) });
  const first = datasets[0];
  if (first) {
    index.push({
      kind: "html",
      html: `<h2>Test accuracy against depth: ${escapeHtml(first)}</h2>`,
    });
    index.push(...headlines.get(first)!);
    for (const other of datasets.slice(1)) {
      index.push({
        kind: "html",
        html: `<h2>Test accuracy against depth: ${escapeHtml(other)}</h2>`,
      });
      index.push(...headlines.get(other)!);
    }
    index.push(manifestBlock(studyManifest, "depth-study"));
  } else {
    index.push({
      kind: "html",
      html: "<p>No depth-study results yet: run <code>deno task experiment</code>.</p>",
    });
  }
  index.push({
    kind: "html",
    html: `<h2>Pages</h2><ul>${
      nav.slice(1).map(([text, href]) => `<li><a href="${href}">${escapeHtml(text)}</a></li>`).join(
        "",
      )
    }</ul>`,
  });
  const indexPath = join(options.out, "index.html");
  await writeFileAtomic(
    indexPath,
    await htmlPage({ title: "GradNets: when do they train deep networks?", nav, blocks: index }),
  );
  written.unshift(indexPath);
  return written;
}

let signals: Promise<SignalPoint[]> | undefined;

/**
 * The signal through the notebook's network at initialisation for three variants and six
 * values of g (computed once per process: a few forward passes).
 */
function notebookSignals(): Promise<SignalPoint[]> {
  signals ??= (async () => {
    await useBackend("wasm");
    const data = await loadMnist({ limit: 1000 });
    const x = tf.tensor2d(data.validation.images, [
      data.validation.count,
      data.validation.features,
    ]);
    const variants: [string, RunConfig][] = [
      ["grelu, the notebook's init (std 0.1, bias 0.1)", NOTEBOOK_CONFIG],
      ["grelu, He init", { ...NOTEBOOK_CONFIG, init: { kind: "he" }, biasInit: 0 }],
      ["grelu-vp, He init", {
        ...NOTEBOOK_CONFIG,
        init: { kind: "he" },
        biasInit: 0,
        architecture: { kind: "grelu", variancePreserving: true },
      }],
    ];
    const points: SignalPoint[] = [];
    for (const [variant, config] of variants) {
      const model = createModel(
        config,
        { inputSize: data.train.features, classes: data.classes },
        new Random(1),
      );
      for (const g of [0, 0.1, 0.25, 0.5, 0.75, 1]) {
        layerSignals(model, x, g).forEach((signal, layer) =>
          points.push({ variant, g, layer, signal })
        );
      }
      model.dispose();
    }
    x.dispose();
    return points;
  })();
  return signals;
}

async function exists(path: string): Promise<boolean> {
  try {
    await Deno.stat(path);
    return true;
  } catch {
    return false;
  }
}
