/**
 * The written findings of a study, with their numbers filled in from the stored runs. A number in
 * the Markdown is a placeholder, `{{dataset/label/depth}}` (test accuracy at the best validation
 * epoch) or `{{dataset/label/depth/final}}` (after the last epoch), replaced by the same
 * "mean ± std" text as the headline tables, so the prose cannot drift from the tables when runs
 * are added or rerun.
 *
 * @module
 */

import { type AccuracyKind, type DepthSummary, summaryCell } from "./aggregate.ts";

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
}

const PLACEHOLDER = /\{\{([^{}\n]*)\}\}/g;

/**
 * Replaces every placeholder in `markdown` with its number from `summaries`. A dataset, label or
 * depth that no stored run has is a {@linkcode FindingsError} (most likely a typo); a known
 * combination without stored runs yet (a study still running) reads "n/a (not trained yet)",
 * unless `options.complete` says that no run is missing.
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
    const parts = body.trim().split("/");
    if (parts.length !== 3 && !(parts.length === 4 && parts[3] === "final")) {
      throw new FindingsError(
        placeholder,
        "expected {{dataset/label/depth}} or {{dataset/label/depth/final}}",
      );
    }
    const [dataset, label, depthText] = parts;
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
    known("architecture label", label, labels, label);
    known("depth", depthText, depths, depth);
    const kind: AccuracyKind = parts[3] === "final" ? "final" : "best-validation";
    const summary = summaries.find((s) =>
      s.dataset === dataset && s.label === label && s.depth === depth
    );
    if (summary) return summaryCell(summary, kind);
    if (options.complete) {
      throw new FindingsError(
        placeholder,
        `the study is complete and has no run of ${label} at depth ${depth} on ${dataset}`,
      );
    }
    return "n/a (not trained yet)";
  });
}
