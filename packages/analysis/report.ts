/**
 * The published report: HTML pages, static SVG figures and the CSV data of every figure,
 * generated from the result tables of the experiments.
 *
 * - `index.html`: the headline figure (test accuracy against depth) of the first dataset, its
 *   table, the findings, the manifest of the runs, and links to the other pages;
 * - `<dataset>.html`: the depth study on one dataset: headline, table, learning curves and
 *   gradient-norm heatmaps;
 * - `seed-notebook.html`: the 2015 notebook's experiment rerun;
 * - `claims.html`: the paper's claims one by one, from `claims.md` beside the pages.
 * - `bench.html`: the speed against PyTorch, from `bench.csv` in the report folder (written by
 *   `deno task bench`), when it is there.
 *
 * Everything is deterministic: the same tables give the same bytes.
 *
 * @module
 */

import { dirname, join, relative } from "node:path";
import { CsvError } from "./csv.ts";
import { summarizeByDepth } from "./aggregate.ts";
import { type ChanceLevel, chanceLevels } from "./collapse.ts";
import { fillFindings, type StudyNumbers } from "./findings.ts";
import type { StudyGoal } from "./goal.ts";
import { slug } from "./html.ts";
import { CLAIMS_PAGE, claimsPage } from "./pages/claims.ts";
import { indexPage } from "./pages/index.ts";
import { depthStudyPages } from "./pages/depth_study.ts";
import { notebookPage } from "./pages/notebook.ts";
import { searchPage } from "./pages/search.ts";
import { benchPage } from "./pages/bench.ts";
import {
  exists,
  isComplete,
  type Manifest,
  type PageContext,
  readManifest,
} from "./pages/shared.ts";
import type { PageBlock } from "./render.ts";
import { checkTablesAgree, readRuns } from "./tables.ts";

export { commonSettings } from "./pages/shared.ts";

/**
 * Which page shows an experiment: the depth study's pages (one per dataset; the first depth
 * study's are `<dataset>.html` and the index's headline, a later one's `<name>-<dataset>.html`),
 * the settings search's (the first `search.html`, a later one `<name>.html`), or the 2015
 * notebook's. A search's page marks, per architecture, whether `chosen` (the run id, under the
 * search's conditions, of the setting the study uses) is the search's winner. `nav` names the
 * page in the navigation, `intro` says in plain text how the experiment chose its settings (a
 * depth study, one clause) or what it tried (a search, a paragraph).
 */
export type ReportPage =
  | {
    readonly page: "depth-study";
    readonly nav?: string;
    readonly intro?: string;
    /** What the study sets out to show: its pages check it at each depth. */
    readonly goal?: StudyGoal;
  }
  | {
    readonly page: "search";
    readonly chosen?: ReadonlyMap<string, string>;
    readonly nav?: string;
    readonly intro?: string;
  }
  | { readonly page: "notebook" };

/** An experiment the report shows: its folder under the results root, and its page. */
export type ReportedExperiment = { readonly name: string } & ReportPage;

/** Options of {@linkcode buildReports}. */
export interface ReportOptions {
  /** The results root (holding a folder per experiment: `depth-study/`, `seed-notebook/`, ...). */
  readonly results: string;
  /**
   * The experiments to report, each with its page (at most one notebook); those without tables
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
  /**
   * Markdown of the claims page, with the findings' placeholders. Default: `claims.md` in the
   * `out` folder, if there is one (it belongs to the report beside it); null: no claims page.
   */
  readonly claims?: string | null;
  /**
   * The bench's table (`deno task bench` writes it); default: `bench.csv` in the `out` folder,
   * if there is one.
   */
  readonly bench?: string | null;
}

/**
 * Builds every page from the tables under `options.results`, into `options.out`. Experiments
 * without tables are skipped. Returns the paths written (pages only), the index first. The
 * pages are built in a temporary folder inside `options.out` and moved in only when every page
 * is built, so that an error leaves the previous report untouched: a bad placeholder in the
 * findings throws {@linkcode FindingsError}; a missing results folder, a bad or unreadable
 * table or manifest, a run id repeated in `runs.csv` and tables that disagree about their runs
 * throw {@linkcode CsvError}.
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
  const results = await statOrNull(options.results);
  if (!results?.isDirectory) {
    throw new CsvError(options.results, results ? "not a folder" : "no such results folder");
  }
  for (const e of options.experiments) {
    const dir = join(options.results, e.name);
    if (!await exists(join(dir, "runs.csv"))) continue;
    const runs = await checkTablesAgree(dir);
    const manifest = await readManifest(dir);
    if (manifest !== null && manifest.runsStored !== runs) {
      throw new CsvError(
        join(dir, "manifest.json"),
        `says ${manifest.runsStored} runs are stored, but runs.csv has ${runs}`,
      );
    }
  }
  // Every page is built in a hidden folder inside `out` and moved in only once all are built:
  // a bad table or an error while rendering leaves the previous report as it was.
  let staging: string;
  try {
    if ((await statOrNull(options.out))?.isDirectory === false) throw new Error("not a folder");
    await Deno.mkdir(options.out, { recursive: true });
    staging = await Deno.makeTempDir({ dir: options.out, prefix: ".building-" });
  } catch (error) {
    throw new CsvError(options.out, `cannot write the report: ${(error as Error).message}`);
  }
  try {
    // The claims' source sits in the report folder itself, not in the staging folder.
    const claims = options.claims !== undefined
      ? options.claims
      : await Deno.readTextFile(join(options.out, "claims.md")).catch((error) => {
        if (error instanceof Deno.errors.NotFound) return null;
        throw new CsvError(join(options.out, "claims.md"), (error as Error).message);
      });
    // So does the bench's table, which `deno task bench` writes there.
    const bench = options.bench !== undefined
      ? options.bench
      : await exists(join(options.out, "bench.csv"))
      ? join(options.out, "bench.csv")
      : null;
    const built = await buildInto({ ...options, claims, bench, out: staging });
    const files = await filesUnder(staging);
    for (const file of files) {
      const target = join(options.out, relative(staging, file));
      await Deno.mkdir(dirname(target), { recursive: true });
      await Deno.rename(file, target);
    }
    return built.map((path) => join(options.out, relative(staging, path)));
  } finally {
    await Deno.remove(staging, { recursive: true }).catch(() => {});
  }
}

async function statOrNull(path: string): Promise<Deno.FileInfo | null> {
  try {
    return await Deno.stat(path);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return null;
    throw new CsvError(path, `cannot read: ${(error as Error).message}`);
  }
}

/** Every file under `dir`, pages last (so that a page's figures are in place before it). */
async function filesUnder(dir: string): Promise<string[]> {
  const files: string[] = [];
  for await (const entry of Deno.readDir(dir)) {
    const path = join(dir, entry.name);
    if (entry.isDirectory) files.unshift(...await filesUnder(path));
    else files.push(path);
  }
  return files;
}

async function buildInto(options: ReportOptions): Promise<string[]> {
  const dir = (e: ReportedExperiment | undefined) => e && join(options.results, e.name);
  const withTables = async <E extends ReportedExperiment>(found: E[]) => {
    const kept: E[] = [];
    for (const e of found) if (await exists(join(dir(e)!, "runs.csv"))) kept.push(e);
    return kept;
  };
  // The first depth study is the index's and the findings'; later ones get pages of their own.
  const [studyExperiment, ...laterStudies] = reportedAll(options.experiments, "depth-study");
  // The first declared search's page is search.html, whether or not the others have tables.
  const declaredSearches = reportedAll(options.experiments, "search");
  const searches = await withTables(declaredSearches);
  const notebookExperiment = reported(options.experiments, "notebook");
  const study = dir(studyExperiment);
  const notebook = dir(notebookExperiment);
  const hasStudy = study !== undefined && await exists(join(study, "runs.csv"));
  const later = await withTables(laterStudies);
  const hasNotebook = notebook !== undefined && await exists(join(notebook, "runs.csv"));
  const searchFile = (e: ReportedExperiment) => e === declaredSearches[0] ? "search" : slug(e.name);
  const bench = options.bench ?? null;
  const hasBench = bench !== null;
  const studyRuns = hasStudy ? await readRuns(study!) : [];
  const chance = await chanceLevels(studyRuns);
  const datasets = [...new Set(studyRuns.map((r) => r.dataset))];
  const studyManifest = hasStudy ? await readManifest(study!) : null;
  const complete = studyManifest !== null && isComplete(studyManifest);
  // The later studies' runs, read once: their pages, and `{{experiment:...}}` placeholders
  // (a declared study without tables yet reads "n/a (not trained yet)").
  const laterNumbers = new Map<
    string,
    StudyNumbers & { manifest: Manifest | null; chance: ChanceLevel }
  >(
    laterStudies.map((e) => [e.name, {
      runs: [],
      manifest: null,
      summaries: [],
      complete: false,
      chance: () => undefined,
    }]),
  );
  for (const e of later) {
    const runs = await readRuns(dir(e)!);
    const manifest = await readManifest(dir(e)!);
    const chance = await chanceLevels(runs);
    laterNumbers.set(e.name, {
      runs,
      manifest,
      chance,
      summaries: summarizeByDepth(runs, { chance }),
      complete: manifest !== null && isComplete(manifest),
    });
  }
  // Filled first: a bad placeholder must stop the report before any page is replaced.
  const summaries = summarizeByDepth(studyRuns, { chance });
  const fill = (markdown: string) =>
    fillFindings(markdown, summaries, { complete, runs: studyRuns, studies: laterNumbers });
  const findings = options.findings === undefined ? undefined : fill(options.findings);
  const claimsSource = options.claims ?? null;
  const claims = claimsSource === null || !hasStudy ? undefined : fill(claimsSource);
  const ctx: PageContext = {
    out: options.out,
    nav: [
      ["Overview", "index.html"],
      ...(claims === undefined ? [] : [["The paper's claims", CLAIMS_PAGE] as [string, string]]),
      ...datasets.map((d): [string, string] => [`Depth study: ${d}`, `${slug(d)}.html`]),
      ...later.flatMap((e) =>
        [...new Set(laterNumbers.get(e.name)!.runs.map((r) => r.dataset))].map((
          d,
        ): [string, string] => [`${e.nav ?? e.name}: ${d}`, `${slug(e.name)}-${slug(d)}.html`])
      ),
      ...searches.map((e): [string, string] => [
        e.nav ?? (e === declaredSearches[0] ? "Settings search" : e.name),
        `${searchFile(e)}.html`,
      ]),
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
      chance,
    );
    headlines = pages.headlines;
    written.push(...pages.written);
  }
  for (const e of later) {
    const { runs, manifest, chance } = laterNumbers.get(e.name)!;
    const pages = await depthStudyPages(
      ctx,
      dir(e)!,
      e.name,
      runs,
      manifest,
      options.heatmapDepth,
      chance,
      { prefix: `${slug(e.name)}-`, title: e.nav ?? e.name, settings: e.intro, goal: e.goal },
    );
    written.push(...pages.written);
  }
  if (claims !== undefined) {
    written.push(await claimsPage(ctx, claims, studyManifest, studyExperiment!.name));
  }
  if (hasNotebook) written.push(await notebookPage(ctx, notebook!, notebookExperiment!.name));
  for (const e of searches) {
    written.push(
      await searchPage(ctx, dir(e)!, e.name, e.chosen, {
        file: searchFile(e),
        title: e.nav,
        intro: e.intro,
      }),
    );
  }
  if (hasBench) written.push(await benchPage(ctx, bench!));
  written.unshift(
    await indexPage(ctx, datasets, headlines, studyManifest, studyExperiment?.name ?? "", findings),
  );
  return written;
}

/** The experiments shown on pages of kind `page`, in their order. */
function reportedAll<P extends ReportPage["page"]>(
  experiments: readonly ReportedExperiment[],
  page: P,
): (ReportedExperiment & { page: P })[] {
  return experiments.filter((e): e is ReportedExperiment & { page: P } => e.page === page);
}

/** The experiment shown on `page`, if any; two experiments cannot share a page. */
function reported<P extends ReportPage["page"]>(
  experiments: readonly ReportedExperiment[],
  page: P,
): (ReportedExperiment & { page: P }) | undefined {
  const found = reportedAll(experiments, page);
  if (found.length > 1) {
    throw new TypeError(
      `experiments ${found.map((e) => e.name).join(" and ")} both ask for the ${page} page`,
    );
  }
  return found[0];
}
