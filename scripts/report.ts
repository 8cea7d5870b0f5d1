/**
 * `deno task report`: regenerates the report pages, SVG figures and figure data from the result
 * tables, in seconds, without training anything.
 *
 * @module
 */

import {
  buildReports,
  CsvError,
  FindingsError,
  headlineGrid,
  markdownTable,
  readRuns,
  readTimings,
  summarizeByDepth,
} from "@gradnets/analysis";
import { join } from "node:path";
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
    // The headline tables are the depth study's: the experiment the report shows on its pages.
    const study = join(
      values.results,
      reportedExperiments(EXPERIMENTS).find((e) => e.page === "depth-study")!.name,
    );
    const runs = await readRuns(study);
    for (const dataset of [...new Set(runs.map((r) => r.dataset))]) {
      const summaries = summarizeByDepth(runs.filter((r) => r.dataset === dataset));
      const tables = [
        ["best-validation", "at the best validation epoch"],
        ["final", "after the last epoch (g = 1; diverged runs left out)"],
      ] as const;
      for (const [kind, when] of tables) {
        const { columns, rows } = headlineGrid(summaries, kind);
        console.log(`${dataset}: test accuracy (%) ${when}, mean ± std over seeds\n`);
        console.log(markdownTable(columns, rows));
      }
    }
    // Wall-clock seconds of every epoch of every stored run, summed: each experiment's compute.
    let totalSeconds = 0, totalRuns = 0;
    for (const { name: experiment } of EXPERIMENTS) {
      const dir = join(values.results, experiment);
      const timings = await readTimings(dir).catch((error) => {
        if (error instanceof Deno.errors.NotFound) return null;
        throw error;
      });
      if (timings === null) continue;
      const seconds = timings.reduce((sum, t) => sum + t.seconds, 0);
      const runCount = new Set(timings.map((t) => t.runId)).size;
      totalSeconds += seconds;
      totalRuns += runCount;
      console.log(
        `Compute, ${experiment}: ${formatDuration(seconds)} of training over ${runCount} runs ` +
          `(sum of ${join(dir, "timings.csv")}).`,
      );
    }
    console.log(`Compute in all: ${formatDuration(totalSeconds)} over ${totalRuns} runs.`);
    return;
  }
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
  console.error(
    `wrote ${pages.join(", ")} in ${((performance.now() - started) / 1000).toFixed(1)}s`,
  );
}, (error) => error instanceof CsvError || error instanceof FindingsError);
