/**
 * How an experiment is declared: a name, what it asks, the list of runs it needs, and how the
 * report shows it. Runs are plain {@linkcode RunConfig}s; the runner trains the ones not
 * already stored.
 *
 * @module
 */

import type { RunConfig } from "@gradnets/core";
import type { ReportPage } from "@gradnets/analysis";

/** Options that change which runs an experiment declares. */
export interface DeclareOptions {
  /** A reduced grid for a first look (fewer depths, one seed, fewer epochs). */
  readonly quick: boolean;
}

/** A declared experiment. */
export interface Experiment {
  /** Folder name under results/ and reports/, e.g. `seed-notebook`. */
  readonly name: string;
  /** One line: what the experiment asks. */
  readonly title: string;
  /** The runs, in the order their rows appear in the tables. */
  runs(options: DeclareOptions): RunConfig[];
  /** The report's page that shows the experiment's tables (none: it is not reported). */
  readonly report?: ReportPage;
  /**
   * Tables the experiment computes from something other than its runs (the notebook's signal
   * through an untrained network), written into its results folder `dir` after its runs'
   * tables, for the published and `--quick` results (where the report reads them). They must
   * be cheap and deterministic: they are rewritten from scratch on every invocation, so a
   * complete study regenerates them without training anything.
   */
  extraTables?(dir: string): Promise<void>;
}

/**
 * Every combination of the given values, in order (the last key varies fastest).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { grid } from "@gradnets/runner";
 * assert(grid({ depth: [10, 20], seed: [1, 2] }).length === 4);
 * ```
 */
export function grid<T extends Record<string, readonly unknown[]>>(
  axes: T,
): { [K in keyof T]: T[K][number] }[] {
  return Object.entries(axes).reduce<Record<string, unknown>[]>(
    (combos, [key, values]) =>
      combos.flatMap((combo) => values.map((value) => ({ ...combo, [key]: value }))),
    [{}],
  ) as { [K in keyof T]: T[K][number] }[];
}
