/**
 * The written findings of a study, with their numbers filled in from the stored runs. A number in
 * the Markdown is a placeholder, replaced by the same text as the tables, so the prose cannot
 * drift from the tables when runs are added or rerun:
 *
 * - `{{dataset/label/depth}}`: test accuracy at the best validation epoch, "mean ± h" (h: half
 *   the width of the 95% confidence interval) with the diverged and collapsed counts;
 * - `{{dataset/label/depth/final}}`: the same after the last epoch;
 * - `{{dataset/A vs B/depth}}` (`.../final`): a comparison of two labels, the difference of
 *   their means with Welch's and the permutation test's p-values (`comparisonText`);
 * - `{{runs:dataset/label/depth}}`: links to the label's run files, `../results/runs/<id>.json`;
 * - `{{experiment:...}}` and `{{runs:experiment:...}}`: any of the above from another depth
 *   study, e.g. `{{study-v2:mnist/rezero/200}}` ("n/a (not trained yet)" while it has no runs).
 *
 * @module
 */

import { type AccuracyKind, type DepthSummary, summaryCell } from "./aggregate.ts";
import { compareSides, comparisonSide, comparisonText } from "./comparisons.ts";
import type { RunRow } from "./tables.ts";

/**
 * A placeholder in the findings that names no dataset, architecture or depth of the study.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { FindingsError, fillFindings } from "@gradnets/analysis";
 * assert.throws(() => fillFindings("{{mnist/grelu}}", []), FindingsError);
 * ```
 */
export class FindingsError extends Error {
  /** The placeholder as written, braces included. */
  readonly placeholder: string;
  /** Creates the error. */
  constructor(placeholder: string, message: string) {
    super(`findings: ${placeholder}: ${message}`);
    this.name = "FindingsError";
    this.placeholder = placeholder;
  }
}

/** Options of {@linkcode fillFindings}. */
export interface FindingsOptions {
  /**
   * Whether every declared run of the study is stored. Then a placeholder whose dataset, label
   * and depth have no runs together is an error too; before, it reads "n/a (not trained yet)".
   * Default false.
   */
  readonly complete?: boolean;
  /** The runs behind the summaries, which comparisons and run links need. */
  readonly runs?: readonly RunRow[];
  /** Other depth studies by experiment name, for `{{experiment:...}}` placeholders. */
  readonly studies?: ReadonlyMap<string, StudyNumbers>;
}

/** A depth study's numbers, as {@linkcode fillFindings} reads them. */
export interface StudyNumbers {
  readonly summaries: readonly DepthSummary[];
  readonly runs: readonly RunRow[];
  /** Whether every declared run of the study is stored. */
  readonly complete: boolean;
}

const PLACEHOLDER = /\{\{([^{}\n]*)\}\}/g;

/**
 * Replaces every placeholder in `markdown` with its number from `summaries`. A dataset, label or
 * depth that no stored run has is a {@linkcode FindingsError} (most likely a typo); a known
 * combination without stored runs yet (a study still running) reads "n/a (not trained yet)",
 * unless `options.complete` says that no run is missing. Comparisons and run links need
 * `options.runs`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { fillFindings, summarizeByDepth } from "@gradnets/analysis";
 * const run = {
 *   runId: "a", dataset: "mnist", architecture: "grelu", label: "grelu", architectureLabel: "grelu", depth: 50, width: 50,
 *   seed: 1, epochs: 20, status: "completed" as const, divergedStep: null, divergedReason: null,
 *   finalTestAccuracy: 0.9, finalValidationAccuracy: 0.9, bestValidationEpoch: 3,
 *   bestValidationAccuracy: 0.95, testAccuracyAtBestValidation: 0.94, columns: {},
 * };
 * const text = fillFindings(
 *   "GReLU at 50: {{mnist/grelu/50}}, at the end {{mnist/grelu/50/final}}.",
 *   summarizeByDepth([run]),
 * );
 * assert.equal(text, "GReLU at 50: 94.00, at the end 90.00.");
 * assert.throws(() => fillFindings("{{mnist/gerlu/50}}", summarizeByDepth([run])), /gerlu/);
 * assert.throws(() => fillFindings("{{mnist/grelu/050}}", summarizeByDepth([run])), /"050"/);
 * const runs = [run, { ...run, runId: "b", seed: 2, testAccuracyAtBestValidation: 0.96 }];
 * assert.equal(
 *   fillFindings("{{runs:mnist/grelu/50}}", summarizeByDepth(runs), { runs }),
 *   "[run-a](../results/runs/a.json), [run-b](../results/runs/b.json)",
 * );
 * assert.match(
 *   fillFindings("{{mnist/grelu vs grelu/50}}", summarizeByDepth(runs), { runs }),
 *   /^\+0\.00 points \(95\.00 vs 95\.00; Welch p = 1\.000, permutation p = 1\.000; 2 vs 2 runs\)$/,
 * );
 * const studies = new Map([["v2", { summaries: summarizeByDepth(runs), runs, complete: true }]]);
 * assert.equal(fillFindings("{{v2:mnist/grelu/50}}", [], { studies }), "95.00 ± 12.71");
 * assert.throws(() => fillFindings("{{v2:mnist/gerlu/50}}", [], { studies }), /\{\{v2:mnist\/gerlu\/50\}\}: .*gerlu/);
 * const training = new Map([["v3", { summaries: [], runs: [], complete: false }]]);
 * assert.equal(fillFindings("{{v3:mnist/grelu/50}}", [], { studies: training }), "n/a (not trained yet)");
 * ```
 */
export function fillFindings(
  markdown: string,
  summaries: readonly DepthSummary[],
  options: FindingsOptions = {},
): string {
  const datasets = new Set(summaries.map((s) => s.dataset).sort());
  const labels = new Set(summaries.map((s) => s.label).sort());
  const depths = new Set(summaries.map((s) => s.depth).sort((a, b) => a - b));
  return markdown.replace(PLACEHOLDER, (placeholder, body: string) => {
    // {{experiment:...}}: the same placeholder, filled from another study's numbers (only for
    // a study it knows, so that a dataset such as idx:folder still reads as a dataset).
    const scoped = /^(runs:)?([a-z0-9][a-z0-9-]*):(.*)$/s.exec(body.trim());
    const study = scoped ? options.studies?.get(scoped[2]) : undefined;
    if (scoped && study !== undefined) {
      if (study.summaries.length === 0 && !study.complete) return "n/a (not trained yet)";
      try {
        return fillFindings(`{{${scoped[1] ?? ""}${scoped[3]}}}`, study.summaries, {
          complete: study.complete,
          runs: study.runs,
        });
      } catch (error) {
        if (!(error instanceof FindingsError)) throw error;
        // Name the placeholder as written, study and all.
        throw new FindingsError(
          placeholder,
          error.message.slice(`findings: ${error.placeholder}: `.length),
        );
      }
    }
    const runsLink = body.trim().startsWith("runs:");
    const parts = body.trim().replace(/^runs:/, "").split("/");
    if (
      parts.length !== 3 && !(parts.length === 4 && parts[3] === "final" && !runsLink)
    ) {
      throw new FindingsError(
        placeholder,
        "expected {{dataset/label/depth}}, {{dataset/label/depth/final}}, " +
          "{{dataset/A vs B/depth}} or {{runs:dataset/label/depth}}",
      );
    }
    const [dataset, labelText, depthText] = parts;
    const versus = labelText.split(" vs ");
    if (versus.length > 2 || (versus.length === 2 && runsLink)) {
      throw new FindingsError(placeholder, "a comparison is {{dataset/A vs B/depth}}");
    }
    // Written as in the tables: "50", not "050" or "5e1".
    const depth = /^[1-9]\d*$/.test(depthText) ? Number(depthText) : NaN;
    const known = <T>(what: string, value: string, set: Set<T>, key: T) => {
      if (!set.has(key)) {
        throw new FindingsError(
          placeholder,
          `no stored run has ${what} "${value}" (known: ${[...set].join(", ")})`,
        );
      }
    };
    known("dataset", dataset, datasets, dataset);
    for (const label of versus) known("architecture label", label, labels, label);
    known("depth", depthText, depths, depth);
    const missing = (label: string) => {
      if (options.complete) {
        throw new FindingsError(
          placeholder,
          `the study is complete and has no run of ${label} at depth ${depth} on ${dataset}`,
        );
      }
      return "n/a (not trained yet)";
    };
    const find = (label: string) =>
      summaries.find((s) => s.dataset === dataset && s.label === label && s.depth === depth);
    if (runsLink || versus.length === 2) {
      if (options.runs === undefined) {
        throw new FindingsError(placeholder, "comparisons and run links need the runs");
      }
      const here = options.runs.filter((r) => r.dataset === dataset && r.depth === depth);
      const absent = versus.find((label) => !find(label));
      if (absent !== undefined) return missing(absent);
      if (runsLink) {
        return [...here.filter((r) => r.label === versus[0])].sort((a, b) => a.seed - b.seed)
          .map((r) => `[run-${r.runId}](../results/runs/${r.runId}.json)`).join(", ");
      }
      const kind: AccuracyKind = parts[3] === "final" ? "final" : "best-validation";
      const [a, b] = versus.map((label) => comparisonSide(here, label, kind));
      return comparisonText(compareSides("late", dataset, depth, a, b));
    }
    const kind: AccuracyKind = parts[3] === "final" ? "final" : "best-validation";
    const summary = find(versus[0]);
    return summary ? summaryCell(summary, kind) : missing(versus[0]);
  });
}
