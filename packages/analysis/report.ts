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

import { join } from "node:path";
import { summarizeByDepth } from "./aggregate.ts";
import { fillFindings } from "./findings.ts";
import { indexPage } from "./pages/index.ts";
import { depthStudyPages } from "./pages/depth_study.ts";
import { notebookPage } from "./pages/notebook.ts";
import { searchPage } from "./pages/search.ts";
import { exists, isComplete, type PageContext, readManifest } from "./pages/shared.ts";
import type { PageBlock } from "./render.ts";
import { searchDir } from "./search_page.ts";
import { readRuns } from "./tables.ts";

export { commonSettings } from "./pages/shared.ts";

/** Options of {@linkcode buildReports}. */
export interface ReportOptions {
  /** The results root (holding `depth-study/`, `seed-notebook/`, ...). */
  readonly results: string;
  /** Where the pages go. */
  readonly out: string;
  /**
   * Markdown of the findings shown on the index page (optional), with placeholders for the
   * study's numbers (see {@linkcode fillFindings}).
   */
  readonly findings?: string;
  /** Depth of the gradient-norm heatmaps of the depth study. Default 50. */
  readonly heatmapDepth?: number;
  /** The run id, under the search's conditions, of the setting the study uses per architecture. */
  readonly chosen?: ReadonlyMap<string, string>;
}

/**
 * Builds every page from the tables under `options.results`, into `options.out`. Experiments
 * without tables are skipped. Returns the paths written (pages only), the index first. A bad
 * placeholder in the findings throws {@linkcode FindingsError} before any page is written.
 *
 * @example
 * ```ts ignore
 * await buildReports({ results: "results", out: "reports" });
 * ```
 */
export async function buildReports(options: ReportOptions): Promise<string[]> {
  const study = join(options.results, "depth-study");
  const notebook = join(options.results, "seed-notebook");
  const hasStudy = await exists(join(study, "runs.csv"));
  const hasNotebook = await exists(join(notebook, "runs.csv"));
  const hasSearch = await exists(join(searchDir(options.results), "runs.csv"));
  const studyRuns = hasStudy ? await readRuns(study) : [];
  const datasets = [...new Set(studyRuns.map((r) => r.dataset))];
  const studyManifest = hasStudy ? await readManifest(study) : null;
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
    ],
  };
  const written: string[] = [];
  let headlines = new Map<string, PageBlock[]>();
  if (hasStudy) {
    const pages = await depthStudyPages(ctx, study, studyRuns, studyManifest, options.heatmapDepth);
    headlines = pages.headlines;
    written.push(...pages.written);
  }
  if (hasNotebook) written.push(await notebookPage(ctx, notebook));
  if (hasSearch) written.push(await searchPage(ctx, options.results, options.chosen));
  written.unshift(await indexPage(ctx, datasets, headlines, studyManifest, findings));
  return written;
}
