/**
 * What the report's pages share: the settings and versions behind a figure, the manifest, the
 * headline table, and writing a figure's SVG and data beside its page.
 *
 * @module
 */

import { join } from "node:path";
import { architectureEntry } from "@gradnets/core";
import { type AccuracyKind, type DepthSummary, headlineGrid } from "../aggregate.ts";
import { CsvError, formatCsv, type Row, writeFileAtomic } from "../csv.ts";
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

/** Columns of a run that are results or identity, not settings. */
const NOT_SETTINGS = new Set([
  "run_id",
  "label",
  "architecture_label",
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
    `${runs} runs with tfjs ${p.tfjs ?? "?"} ${p.backend ?? "?"}, Deno ${p.deno ?? "?"}, commit ${
      (p.commit ?? "unknown").slice(0, 12)
    }${(p.commit ?? "").endsWith("+dirty") ? "+dirty" : ""} on ${p.machine ?? "?"}`
  );
  const incomplete = !isComplete(manifest)
    ? ` Incomplete: ${manifest.runsStored} of ${manifest.runsDeclared} runs stored.`
    : "";
  return `Trained: ${
    groups.join("; ")
  }. Numerics version ${manifest.numericsVersion}.${incomplete}`;
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

/** The whole manifest, folded under a `<details>` element. */
export function manifestBlock(manifest: Manifest | null, experiment: string): PageBlock {
  const text = manifest ? JSON.stringify(manifest, null, 2) : "no manifest.json found";
  return {
    kind: "html",
    html: `<details><summary>Manifest of the ${
      escapeHtml(experiment)
    } runs behind this page</summary><pre>${escapeHtml(text)}</pre></details>`,
  };
}

/** An accuracy in [0, 1] as a percentage with two decimals; "-" for none. */
export const percent = (x: number | null) => (x === null ? "-" : `${(100 * x).toFixed(2)}%`);

/**
 * The headline numbers as a table: one row per architecture, one column per depth, each cell
 * "mean ± std" of the test accuracy in percent over the seeds, with the number of diverged runs;
 * at the best validation epoch, or after the last epoch (`kind` "final").
 */
export function summaryTable(
  summaries: readonly DepthSummary[],
  dataset: string,
  kind: AccuracyKind = "best-validation",
): PageBlock {
  const seeds = [...new Set(summaries.map((s) => s.runs))].join(" or ");
  const caption = kind === "final"
    ? `${dataset}: test accuracy (%) after the last epoch, when every GradNet has become its ` +
      `final architecture (g = 1), mean ± std over ${seeds} seed(s) (no std for one seed); ` +
      `a diverged run has no last epoch and is left out of the mean; "-": every run diverged.`
    : `${dataset}: test accuracy (%) at the best validation epoch, mean ± std over ${seeds} ` +
      `seed(s) (no std for one seed); "-": no epoch completed before the run diverged.`;
  return { kind: "table", caption, ...headlineGrid(summaries, kind) };
}

/** Writes a figure's SVG and data CSV, and returns its page block. */
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
  const columns = [...new Set(data.flatMap((row) => Object.keys(row)))];
  await writeFileAtomic(join(out, "data", `${id}.csv`), formatCsv(columns, data));
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

/** Whether a run's network changes with g: GradNet layers, gradual options, optimiser mix. */
export function dependsOnG(run: RunRow): boolean {
  const c = run.columns;
  return architectureEntry(run.architecture)?.gradNet === true ||
    c.batch_norm === "gradual" || c.dropout === "gradual" || c.optimizer === "interpolate";
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

/** Whether a file or directory exists. */
export async function exists(path: string): Promise<boolean> {
  try {
    await Deno.stat(path);
    return true;
  } catch {
    return false;
  }
}
