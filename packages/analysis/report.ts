/**
 * The published report: HTML pages, static SVG figures and the CSV data of every figure,
 * generated from the result tables of the experiments.
 *
 * - `index.html`: the headline figure (test accuracy against depth) of the first dataset, its
 *   table, the findings, the manifest of the runs, and links to the other pages;
 * - `<dataset>.html`: the depth study on one dataset: headline, table, learning curves and
 *   gradient-norm heatmaps;
 * - `seed-notebook.html`: the 2015 notebook's experiment rerun;
 * - `bench.html`: the speed against PyTorch, from `bench.csv` in the report folder (written by
 *   `deno task bench`), when it is there.
 *
 * Everything is deterministic: the same tables give the same bytes.
 *
 * @module
 */

import { join } from "node:path";
import { summarizeByDepth } from "./aggregate.ts";
import { fillFindings } from "./findings.ts";
import { indexPage } from "./pages/index.ts";
import { depthStudyPages } from "./pages/depth_study.ts";
import { notebookPage } from "./pages/notebook.ts";
import { searchPage } from "./pages/search.ts";
import { benchPage } from "./pages/bench.ts";
import { exists, isComplete, type PageContext, readManifest } from "./pages/shared.ts";
import type { PageBlock } from "./render.ts";
import { readRuns } from "./tables.ts";

export { commonSettings } from "./pages/shared.ts";

/**
 * Which page shows an experiment: the depth study's pages (one per dataset, and the index's
 * headline), the settings search's, or the 2015 notebook's. The search's page marks, per
 * architecture, whether `chosen` (the run id, under the search's conditions, of the setting the
 * study uses) is the search's winner.
 */
export type ReportPage =
  | { readonly page: "depth-study" }
  | { readonly page: "search"; readonly chosen?: ReadonlyMap<string, string> }
  | { readonly page: "notebook" };

/** An experiment the report shows: its folder under the results root, and its page. */
export type ReportedExperiment = { readonly name: string } & ReportPage;

/** Options of {@linkcode buildReports}. */
export interface ReportOptions {
  /** The results root (holding a folder per experiment: `depth-study/`, `seed-notebook/`, ...). */
  readonly results: string;
  /**
   * The experiments to report, each with its page (at most one per page); those without tables
   * under `results` are skipped.
   */
  readonly experiments: readonly ReportedExperiment[];
  /** Where the pages go. */
  readonly out: string;
  /**
   * Markdown of the findings shown on the index page (optional), with placeholders for the
   * study's numbers (see {@linkcode fillFindings}).
   */
  readonly findings?: string;
  /** Depth of the gradient-norm heatmaps of the depth study. Default 50. */
  readonly heatmapDepth?: number;
}

/**
 * Builds every page from the tables under `options.results`, into `options.out`. Experiments
 * without tables are skipped. Returns the paths written (pages only), the index first. A bad
 * placeholder in the findings throws {@linkcode FindingsError} before any page is written.
 *
 * @example
 * ```ts ignore
 * await buildReports({
 *   results: "results",
 *   out: "reports",
 *   experiments: [{ name: "depth-study", page: "depth-study" }, { name: "search", page: "search" }],
 * });
 * ```
 */
export async function buildReports(options: ReportOptions): Promise<string[]> {
  const studyExperiment = reported(options.experiments, "depth-study");
  const searchExperiment = reported(options.experiments, "search");
  const notebookExperiment = reported(options.experiments, "notebook");
  const dir = (e: ReportedExperiment | undefined) => e && join(options.results, e.name);
  const study = dir(studyExperiment), search = dir(searchExperiment);
  const notebook = dir(notebookExperiment);
  const hasStudy = study !== undefined && await exists(join(study, "runs.csv"));
  const hasNotebook = notebook !== undefined && await exists(join(notebook, "runs.csv"));
  const hasSearch = search !== undefined && await exists(join(search, "runs.csv"));
  const bench = join(options.out, "bench.csv");
  const hasBench = await exists(bench);
  const studyRuns = hasStudy ? await readRuns(study!) : [];
  const datasets = [...new Set(studyRuns.map((r) => r.dataset))];
  const studyManifest = hasStudy ? await readManifest(study!) : null;
  const complete = studyManifest !== null && isComplete(studyManifest);
  // Filled first: a bad placeholder must stop the report before any page is replaced.
  const findings = options.findings === undefined
    ? undefined
    : fillFindings(options.findings, summarizeByDepth(studyRuns), { complete });
  const ctx: PageContext = {
    out: options.out,
    nav: [
      ["Overview", "index.html"],
      ...datasets.map((d): [string, string] => [`Depth study: ${d}`, `${d}.html`]),
      ...(hasSearch ? [["Settings search", "search.html"] as [string, string]] : []),
      ...(hasNotebook ? [["The 2015 notebook", "seed-notebook.html"] as [string, string]] : []),
      ...(hasBench ? [["Speed", "bench.html"] as [string, string]] : []),
    ],
  };
  const written: string[] = [];
  let headlines = new Map<string, PageBlock[]>();
  if (hasStudy) {
    const pages = await depthStudyPages(
      ctx,
      study!,
      studyExperiment!.name,
      studyRuns,
      studyManifest,
      options.heatmapDepth,
    );
    headlines = pages.headlines;
    written.push(...pages.written);
  }
  if (hasNotebook) written.push(await notebookPage(ctx, notebook!, notebookExperiment!.name));
  if (hasSearch) {
    const chosen = searchExperiment?.page === "search" ? searchExperiment.chosen : undefined;
    written.push(await searchPage(ctx, search!, searchExperiment!.name, chosen));
  }
  if (hasBench) written.push(await benchPage(ctx, bench));
  written.unshift(
    await indexPage(ctx, datasets, headlines, studyManifest, studyExperiment?.name ?? "", findings),
  );
  return written;
}

/** The experiment shown on `page`, if any; two experiments cannot share a page. */
function reported<P extends ReportPage["page"]>(
  experiments: readonly ReportedExperiment[],
  page: P,
): (ReportedExperiment & { page: P }) | undefined {
  const found = experiments.filter((e): e is ReportedExperiment & { page: P } => e.page === page);
  if (found.length > 1) {
    throw new TypeError(
      `experiments ${found.map((e) => e.name).join(" and ")} both ask for the ${page} page`,
    );
  }
  return found[0];
}
