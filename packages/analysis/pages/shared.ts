/**
 * What the report's pages share: the settings and versions behind a figure, the manifest, the
 * headline table, and writing a figure's SVG and data beside its page.
 *
 * @module
 */

import { join } from "node:path";
import { architectureEntry, inputStageEntry } from "@gradnets/core";
import { type AccuracyKind, type DepthSummary, headlineGrid, summaryCell } from "../aggregate.ts";
import { COLLAPSE_MARGIN } from "../collapse.ts";
import { type Comparison, formatP, formatPoints } from "../comparisons.ts";
import { CsvError, formatCsv, type Row, writeFileAtomic } from "../csv.ts";
import { slug } from "../html.ts";
import { escapeHtml, type PageBlock, renderSvg } from "../render.ts";
import type { VegaLiteSpec } from "../specs/common.ts";
import type { NormCell } from "../specs/gradient_heatmap.ts";
import type { CurvePoint } from "../specs/learning_curves.ts";
import type { EpochRow, GradientNormRow, RunRow } from "../tables.ts";

/** Where pages are written and the links every page shows. */
export interface PageContext {
  /** The report folder. */
  readonly out: string;
  /** Links at the top of every page: [text, href]. */
  readonly nav: readonly (readonly [string, string])[];
}

const OPTIMIZERS: Readonly<Record<string, string>> = {
  adam: "Adam",
  sgd: "SGD",
  momentum: "SGD with momentum",
  interpolate: "optimiser interpolation",
};

/**
 * The settings that all `runs` share, in one plain line: optimiser, initialisation, epochs,
 * batch, depth and width, e.g. `Adam, He init, 20 epochs, batch 50, width 50 (plain-71: 71)`.
 * A setting that varies is left out (the width is given with its exceptions by label).
 *
 * @example
 * ```ts ignore
 * commonSettings(runs); // "Adam, He init, 20 epochs, batch 50, width 50 (plain-71: 71), 3 seeds"
 * ```
 */
export function commonSettings(runs: readonly RunRow[]): string {
  if (runs.length === 0) return "";
  const shared = (column: string): string | undefined => {
    const value = runs[0].columns[column] ?? "";
    return value !== "" && runs.every((r) => (r.columns[column] ?? "") === value)
      ? value
      : undefined;
  };
  const parts: string[] = [];
  const optimizer = shared("optimizer");
  if (optimizer !== undefined) {
    const rate = shared("optimizer_learning_rate");
    parts.push(`${OPTIMIZERS[optimizer] ?? optimizer}${rate === undefined ? "" : ` ${rate}`}`);
  }
  const init = shared("init");
  if (init !== undefined) {
    const std = shared("init_std");
    parts.push(
      `${init === "he" ? "He" : init} init${std === undefined ? "" : ` (std ${std})`}`,
    );
  }
  const epochs = shared("epochs");
  if (epochs !== undefined) parts.push(`${epochs} epoch${epochs === "1" ? "" : "s"}`);
  const batch = shared("batch_size");
  if (batch !== undefined) parts.push(`batch ${batch}`);
  if (shared("loss_reduction") === "sum") parts.push("summed loss");
  const depth = shared("depth");
  if (depth !== undefined) parts.push(`depth ${depth}`);
  // The most common width, and the labels that differ from it.
  const widths = new Map<number, number>();
  for (const r of runs) widths.set(r.width, (widths.get(r.width) ?? 0) + 1);
  const width = [...widths].sort((a, b) => b[1] - a[1] || a[0] - b[0])[0][0];
  const others = [...new Map(runs.filter((r) => r.width !== width).map((r) => [r.label, r.width]))];
  parts.push(
    `width ${width}${
      others.length === 0 ? "" : ` (${others.map(([l, w]) => `${l}: ${w}`).join(", ")})`
    }`,
  );
  const seeds = new Set(runs.map((r) => r.seed)).size;
  parts.push(`${seeds} seed${seeds === 1 ? "" : "s"}`);
  return parts.join(", ");
}

/** The parts of an experiment's `manifest.json` that pages show: counts and provenance. */
export interface Manifest {
  runsDeclared: number;
  runsStored: number;
  numericsVersion: number;
  trainedWith: { provenance: Record<string, string>; runs: number }[];
}

/**
 * Reads `manifest.json` from a results directory; null if it is missing. A manifest that cannot
 * be read, is not JSON or lacks the counts and provenance pages show is a {@linkcode CsvError}:
 * silently ignored, it would hide the notice that results are partial.
 */
export async function readManifest(dir: string): Promise<Manifest | null> {
  const path = join(dir, "manifest.json");
  let text: string;
  try {
    text = await Deno.readTextFile(path);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return null;
    throw new CsvError(path, `cannot read: ${(error as Error).message}`);
  }
  let manifest: Manifest;
  try {
    manifest = JSON.parse(text);
  } catch (error) {
    throw new CsvError(path, `not valid JSON (${(error as Error).message})`);
  }
  const problem = manifestProblem(manifest);
  if (problem !== undefined) throw new CsvError(path, problem);
  return manifest;
}

function manifestProblem(m: Manifest): string | undefined {
  const count = (x: unknown) => Number.isInteger(x) && (x as number) >= 0;
  if (m === null || typeof m !== "object" || Array.isArray(m)) return "not a manifest object";
  for (const field of ["runsDeclared", "runsStored", "numericsVersion"] as const) {
    if (!count(m[field])) {
      return `${field} must be an integer >= 0, got ${JSON.stringify(m[field])}`;
    }
  }
  if (!Array.isArray(m.trainedWith)) return "trainedWith must be a list";
  for (const [i, group] of m.trainedWith.entries()) {
    const p = group?.provenance;
    if (
      !count(group?.runs) || p === null || typeof p !== "object" || Array.isArray(p) ||
      !Object.values(p).every((v) => typeof v === "string")
    ) {
      return `trainedWith entry ${i} must be {"provenance": {name: text}, "runs": count}`;
    }
  }
  return undefined;
}

/** One line naming the versions, backend, commit and machine that trained the runs. */
export function versionsLine(manifest: Manifest | null): string {
  if (!manifest) return "Versions: unknown (no manifest.json).";
  const groups = manifest.trainedWith.map(({ provenance: p, runs }) =>
    `${plural(runs, "run")} with tfjs ${p.tfjs ?? "?"} ${p.backend ?? "?"}${
      p.kernels ? ` (${p.kernels === "gradnets" ? "GradNets kernels" : "tfjs ops"})` : ""
    }, Deno ${p.deno ?? "?"}, commit ${(p.commit ?? "unknown").slice(0, 12)}${
      (p.commit ?? "").endsWith("+dirty") ? "+dirty" : ""
    } on ${p.machine ?? "?"}`
  );
  const incomplete = !isComplete(manifest)
    ? ` Incomplete: ${manifest.runsStored} of ${manifest.runsDeclared} runs stored.`
    : "";
  return `Trained: ${
    groups.join("; ")
  }. Numerics version ${manifest.numericsVersion}.${incomplete}`;
}

/** `n` and the noun, plural unless n is 1: `1 run`, `3 runs`. */
export const plural = (n: number, noun: string) => `${n} ${noun}${n === 1 ? "" : "s"}`;

/** The notice drawn on a figure of an incomplete study; undefined for a complete one. */
export function incompleteLine(manifest: Manifest | null): string | undefined {
  return manifest && !isComplete(manifest)
    ? `Incomplete: ${manifest.runsStored} of ${manifest.runsDeclared} runs stored.`
    : undefined;
}

/** Whether every declared run of the experiment is stored. */
export function isComplete(manifest: Manifest): boolean {
  return manifest.runsStored >= manifest.runsDeclared;
}

/**
 * A notice for the top of a page while a study is incomplete (some declared runs not stored
 * yet), so that nobody reads partial results as the study's answer; nothing once it is complete.
 */
export function incompleteNotice(manifest: Manifest | null): PageBlock[] {
  if (!manifest || isComplete(manifest)) return [];
  return [{
    kind: "html",
    html:
      `<p class="notice"><strong>Partial results:</strong> ${manifest.runsStored} of the ${manifest.runsDeclared} declared runs of the depth study are stored. The study is still running (<code>deno task experiment</code> resumes it); figures and tables show the runs stored so far, and a missing cell is a run not trained yet.</p>`,
  }];
}

/**
 * The page's manifest section: the versions, commits and machines that trained its runs, in
 * one line, and the whole manifest folded under a `<details>` element.
 */
export function manifestBlock(manifest: Manifest | null, experiment: string): PageBlock {
  const text = manifest ? JSON.stringify(manifest, null, 2) : "no manifest.json found";
  return {
    kind: "html",
    html: `<h2 id="manifest">Manifest</h2><p class="manifest">${
      escapeHtml(versionsLine(manifest))
    }</p><details><summary>manifest.json of the ${
      escapeHtml(experiment)
    } runs behind this page</summary><pre>${escapeHtml(text)}</pre></details>`,
  };
}

/** An accuracy in [0, 1] as a percentage with two decimals; "-" for none. */
export const percent = (x: number | null) => (x === null ? "-" : `${(100 * x).toFixed(2)}%`);

/**
 * The headline numbers as a table: one row per architecture, one column per depth, each cell
 * "mean ± h" of the test accuracy in percent over the seeds (h: half the width of the 95%
 * confidence interval of the mean), with the numbers of diverged and collapsed runs, the best
 * mean at each depth in bold; at the best validation epoch, or after the last epoch (`kind`
 * "final"). `chance` is the chance level of the dataset's test split (the largest class share),
 * named in the caption's rule for collapsed runs. Its element id is `<dataset>-table`
 * (`<dataset>-table-final`).
 */
export function summaryTable(
  summaries: readonly DepthSummary[],
  dataset: string,
  kind: AccuracyKind = "best-validation",
  chance?: number,
): PageBlock {
  const counts = [...new Set(summaries.map((s) => s.runs))].sort((a, b) => a - b);
  const seeds = `${counts.join(" or ")} seed${counts.length === 1 && counts[0] === 1 ? "" : "s"}`;
  const interval = `mean ± half-width of its 95% confidence interval (Student's t, n - 1 ` +
    `degrees of freedom) over ${seeds}`;
  const collapsed = chance === undefined
    ? ""
    : ` "collapsed": a run that completed with a test accuracy at most ${
      (100 * COLLAPSE_MARGIN).toFixed(1)
    } points above ${(100 * chance).toFixed(2)}%, the largest class share of the test split ` +
      `(no better than predicting one class); it stays in the mean.`;
  const caption = kind === "final"
    ? `${dataset}: test accuracy (%) after the last epoch, when every GradNet has become its ` +
      `final architecture (g = 1), ${interval}; bold: the best at each depth; a diverged run ` +
      `has no last epoch and is left out of the mean; "-": every run diverged.${collapsed}`
    : `${dataset}: test accuracy (%) at the best validation epoch, ${interval}; bold: the best ` +
      `at each depth; "-": no epoch completed before the run diverged.${collapsed}`;
  return {
    kind: "table",
    id: kind === "final" ? `${dataset}-table-final` : `${dataset}-table`,
    caption,
    ...headlineGrid(summaries, kind),
  };
}

/**
 * The headline comparisons of one dataset as tables: the best GradNet against the best
 * baseline at each depth (id `<dataset>-comparisons-best`), each GradNet against its late
 * architecture trained from the start (id `<dataset>-comparisons-late`), and, where a study has
 * them, gradual input stages against their early end (`<dataset>-comparisons-early`). Columns: depth, both
 * sides with their table cells, the difference of the means in points, Welch's p, the exact
 * permutation test's p with its count of splits, and the runs per side.
 */
export function comparisonTables(
  comparisons: readonly Comparison[],
  summaries: readonly DepthSummary[],
  dataset: string,
): PageBlock[] {
  const cell = (side: Comparison["gradNet"], depth: number) => {
    const s = summaries.find((x) => x.label === side.label && x.depth === depth);
    return s ? summaryCell(s) : "-";
  };
  const columns = [
    "depth",
    "GradNet",
    "accuracy (%)",
    "against",
    "accuracy (%)",
    "difference (points)",
    "Welch p",
    "permutation p",
    "runs",
  ];
  const row = (c: Comparison) => [
    String(c.depth),
    c.gradNet.label,
    cell(c.gradNet, c.depth),
    c.baseline.label,
    cell(c.baseline, c.depth),
    formatPoints(c.difference),
    formatP(c.welch?.p),
    c.permutation === null
      ? "-"
      : `${formatP(c.permutation.p)} (${c.permutation.extreme}/${c.permutation.splits})`,
    `${c.gradNet.accuracies.length} vs ${c.baseline.accuracies.length}`,
  ];
  const ofDataset = comparisons.filter((c) => c.dataset === dataset);
  const tests = `Welch p: Welch's t-test, two-sided; permutation p: the exact two-sided ` +
    `permutation test of the difference in means over every split of the pooled runs (in ` +
    `brackets: the splits at least as extreme, and all splits; with 3 runs a side it cannot go ` +
    `below 2/20 = 0.10); runs: the runs with an accuracy on each side (a run that diverged ` +
    `before its first epoch has none); "-": no test possible.`;
  return [
    {
      kind: "table",
      id: `${slug(dataset)}-comparisons-best`,
      caption: `${dataset}: the best GradNet against the best baseline at each depth, by mean ` +
        `test accuracy at the best validation epoch (chosen on the same numbers that are ` +
        `tested, so these p-values are optimistic). ${tests}`,
      columns,
      rows: ofDataset.filter((c) => c.kind === "best").map(row),
      left: [1, 3],
    },
    {
      kind: "table",
      id: `${slug(dataset)}-comparisons-late`,
      caption: `${dataset}: each GradNet against the architecture it becomes at g = 1, trained ` +
        `from the start with its own searched setting (the registry's late architecture, of ` +
        `the same width, without batch norm${
          ofDataset.some((c) => c.kind === "early")
            ? "; for the gradual input stage, attention pooling in the same network"
            : ""
        }). ${tests}`,
      columns,
      rows: ofDataset.filter((c) => c.kind === "late").map(row),
      left: [1, 3],
    },
    ...(ofDataset.some((c) => c.kind === "early")
      ? [{
        kind: "table" as const,
        id: `${slug(dataset)}-comparisons-early`,
        caption: `${dataset}: the gradual input stage against its early end, average ` +
          `pooling, in the same network. ${tests}`,
        columns,
        rows: ofDataset.filter((c) => c.kind === "early").map(row),
        left: [1, 3],
      }]
      : []),
  ];
}

/**
 * A run id as the published CSVs write it: `run-` and the hash, so that no reader parses an
 * all-digit hash such as `298239878136` as a number. The hash alone names the run's files under
 * `results/runs/`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { publishedRunId } from "@gradnets/analysis";
 * assert.equal(publishedRunId("298239878136"), "run-298239878136");
 * ```
 */
export const publishedRunId = (id: string): string => `run-${id}`;

/**
 * A column name in snake_case, the one naming style of the published CSVs.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { snakeCase } from "@gradnets/analysis";
 * assert.equal(snakeCase("validationAccuracy"), "validation_accuracy");
 * assert.equal(snakeCase("test_error"), "test_error");
 * ```
 */
export const snakeCase = (name: string): string =>
  name.replace(/([a-z0-9])([A-Z])/g, "$1_$2").toLowerCase();

/**
 * Writes a figure's SVG and data CSV, and returns its page block. The CSV's columns are put in
 * snake_case and its run ids written with {@linkcode publishedRunId}.
 */
export async function figure(
  out: string,
  id: string,
  spec: VegaLiteSpec,
  caption: string,
  data: Row[],
): Promise<PageBlock> {
  const file = escapeHtml(id);
  const svg = await renderSvg(spec, `${id}-`);
  await writeFileAtomic(join(out, "figures", `${id}.svg`), svg);
  const rows = data.map((row) =>
    Object.fromEntries(
      Object.entries(row).map(([k, v]) => {
        const key = snakeCase(k);
        return [key, key === "run_id" && typeof v === "string" ? publishedRunId(v) : v];
      }),
    )
  );
  const columns = [...new Set(rows.flatMap((row) => Object.keys(row)))];
  await writeFileAtomic(join(out, "data", `${id}.csv`), formatCsv(columns, rows));
  return {
    kind: "figure",
    id,
    spec,
    svg,
    caption:
      `${caption} Static version: <a href="figures/${file}.svg">figures/${file}.svg</a>; data: <a href="data/${file}.csv">data/${file}.csv</a>.`,
  };
}

/** The schedule of g of a run, in words. */
export function scheduleLabel(run: RunRow): string {
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

/** Whether a run's network changes with g: GradNet layers, gradual options and input stage, optimiser mix. */
export function dependsOnG(run: RunRow): boolean {
  const c = run.columns;
  return architectureEntry(run.architecture)?.gradNet === true ||
    c.batch_norm === "gradual" || c.dropout === "gradual" || c.optimizer === "interpolate" ||
    inputStageEntry(c.input_stage)?.gradNet === true;
}

/** One learning-curve point per stored epoch of the given runs, named by `name`. */
export function curvePoints(
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
      gradual: dependsOnG(run),
      completed: e.status === "ok",
    };
  });
}

/** One heatmap cell per logged layer and epoch of the given runs, named by `name`. */
export function normCells(
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

/** A heatmap cell as a row of the figure's CSV, the norm's unit in its column name. */
export function normRow(cell: NormCell): Row {
  return {
    architecture: cell.architecture,
    layer: cell.layer,
    epoch: cell.epoch,
    weight_gradient_l2_norm: cell.norm,
  };
}

/** Whether a file or directory exists. */
export async function exists(path: string): Promise<boolean> {
  try {
    await Deno.stat(path);
    return true;
  } catch {
    return false;
  }
}
