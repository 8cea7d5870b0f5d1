/**
 * `deno task report`: regenerates the report pages, SVG figures and figure data from the result
 * tables, in seconds, without training anything.
 *
 * @module
 */

import {
  type AccuracyKind,
  buildReports,
  CsvError,
  fillMarkers,
  FindingsError,
  headlineGrid,
  markdownTable,
  MarkerError,
  readRuns,
  readTimings,
  summarizeByDepth,
  writeFileAtomic,
} from "@gradnets/analysis";
import { join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { formatDuration, parseOptions, reportedExperiments, runMain } from "@gradnets/runner";
import { EXPERIMENTS } from "../experiments/main.ts";

const HELP = `Regenerate the report pages from the result tables.

Usage: deno task report [options]

Options:
  --results DIR    results root holding depth-study/ and seed-notebook/ (default results)
  --out DIR        where the pages go (default reports)
  --findings FILE  Markdown shown on the index page (default: findings.md in the --out folder,
                   if present); {{dataset/label/depth}} and {{dataset/label/depth/final}} in it
                   are replaced by the numbers of the tables
  --table          print the headline tables of each dataset as Markdown (at the best validation
                   epoch, and after the last epoch) and the compute time of each experiment
                   (the notebook, the search, the depth study) and in all; nothing is written
  -h, --help       show this help`;

await runMain(async () => {
  const { values } = parseOptions(Deno.args, {
    results: { type: "string", default: "results" },
    out: { type: "string", default: "reports" },
    findings: { type: "string" },
    table: { type: "boolean" },
    help: { type: "boolean", short: "h" },
  });
  if (values.help) {
    console.log(HELP);
    return;
  }
  if (values.table) {
    const { tables, compute } = await tableReport(values.results);
    for (const table of tables) console.log(table.text);
    for (const line of compute) console.log(line);
    return;
  }
  // README.md's numbers belong to the published report: refreshed only when the report goes
  // into this repository's own reports/ folder (nothing is written outside the folder named),
  // and checked before any page is written, so that a broken marker stops the report.
  const ownReports = resolve(values.out) === fileURLToPath(new URL("../reports", import.meta.url));
  const readme = ownReports ? await readmeFilled(values.results) : null;
  // The findings live beside the report they belong to: a report of other results (--quick,
  // a custom study) does not pick up the published findings.
  const findingsPath = values.findings ?? join(values.out, "findings.md");
  let findings: string | undefined;
  try {
    findings = await Deno.readTextFile(findingsPath);
  } catch (error) {
    if (values.findings !== undefined) throw new CsvError(findingsPath, (error as Error).message);
  }
  const started = performance.now();
  const pages = await buildReports({
    results: values.results,
    out: values.out,
    findings,
    experiments: reportedExperiments(EXPERIMENTS),
  });
  if (readme !== null && readme.text !== readme.before) {
    await writeFileAtomic(readme.path, readme.text);
    pages.push(relative(Deno.cwd(), readme.path));
  }
  console.error(
    `wrote ${pages.join(", ")} in ${((performance.now() - started) / 1000).toFixed(1)}s`,
  );
}, isInputError);

/** Errors of the input (tables, findings, README markers): one line and exit code 2. */
function isInputError(error: unknown): boolean {
  return error instanceof CsvError || error instanceof FindingsError ||
    error instanceof MarkerError;
}

/** A headline table of `--table`: its title line, a blank line, the Markdown table. */
interface HeadlineTable {
  readonly dataset: string;
  readonly kind: AccuracyKind;
  readonly text: string;
}

/**
 * What `--table` prints: each dataset's headline tables (at the best validation epoch, and after
 * the last epoch) and the compute time of each experiment, the last line the sum over all.
 */
async function tableReport(
  results: string,
): Promise<{ tables: HeadlineTable[]; compute: string[] }> {
  // The headline tables are the depth study's: the experiment the report shows on its pages.
  const study = join(
    results,
    reportedExperiments(EXPERIMENTS).find((e) => e.page === "depth-study")!.name,
  );
  const runs = await readRuns(study);
  const tables: HeadlineTable[] = [];
  for (const dataset of [...new Set(runs.map((r) => r.dataset))]) {
    const summaries = summarizeByDepth(runs.filter((r) => r.dataset === dataset));
    const kinds = [
      ["best-validation", "at the best validation epoch"],
      ["final", "after the last epoch (g = 1; diverged runs left out)"],
    ] as const;
    for (const [kind, when] of kinds) {
      const { columns, rows } = headlineGrid(summaries, kind);
      const title = `${dataset}: test accuracy (%) ${when}, mean ± std over seeds`;
      tables.push({ dataset, kind, text: `${title}\n\n${markdownTable(columns, rows)}` });
    }
  }
  // Wall-clock seconds of every epoch of every stored run, summed: each experiment's compute.
  const compute: string[] = [];
  let totalSeconds = 0, totalRuns = 0;
  for (const { name: experiment } of EXPERIMENTS) {
    const dir = join(results, experiment);
    const timings = await readTimings(dir).catch((error) => {
      if (error instanceof Deno.errors.NotFound) return null;
      throw error;
    });
    if (timings === null) continue;
    const seconds = timings.reduce((sum, t) => sum + t.seconds, 0);
    const runCount = new Set(timings.map((t) => t.runId)).size;
    totalSeconds += seconds;
    totalRuns += runCount;
    compute.push(
      `Compute, ${experiment}: ${formatDuration(seconds)} of training over ${runCount} runs ` +
        `(sum of ${join(dir, "timings.csv")}).`,
    );
  }
  compute.push(`Compute in all: ${formatDuration(totalSeconds)} over ${totalRuns} runs.`);
  return { tables, compute };
}

/**
 * README.md with its marked blocks filled from `--table`'s output: `headline`, each dataset's
 * table at the best validation epoch; `compute`, the compute in all.
 */
async function readmeFilled(
  results: string,
): Promise<{ path: string; before: string; text: string }> {
  const path = fileURLToPath(new URL("../README.md", import.meta.url));
  const { tables, compute } = await tableReport(results);
  const before = await Deno.readTextFile(path);
  const blocks = {
    headline: tables.filter((t) => t.kind === "best-validation").map((t) => t.text).join("\n"),
    compute: compute[compute.length - 1],
  };
  return { path, before, text: fillMarkers(before, blocks, "README.md") };
}
