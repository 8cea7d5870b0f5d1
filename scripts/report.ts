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
  MarkerError,
  writeFileAtomic,
} from "@gradnets/analysis";
import { join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import {
  headlineReport,
  parseOptions,
  readmeFilled,
  reportedExperiments,
  runMain,
} from "@gradnets/runner";
import { EXPERIMENTS, README } from "../experiments/main.ts";

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
    const { tables, compute } = await headlineReport(values.results, EXPERIMENTS);
    for (const table of tables) console.log(table.text);
    for (const line of compute) console.log(line);
    return;
  }
  // README.md's numbers belong to the published report: refreshed only when the report goes
  // into this repository's own reports/ folder (nothing is written outside the folder named),
  // and checked before any page is written, so that a broken marker stops the report.
  const ownReports = resolve(values.out) === fileURLToPath(new URL("../reports", import.meta.url));
  const readme = ownReports
    ? await (async () => {
      const before = await Deno.readTextFile(README);
      return { before, text: await readmeFilled(before, values.results, EXPERIMENTS) };
    })()
    : null;
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
    await writeFileAtomic(README, readme.text);
    pages.push(relative(Deno.cwd(), README));
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
