/**
 * The tidy result tables of a study, one row per observation:
 * - `runs.csv`: one row per run (its config and how it ended);
 * - `epochs.csv`: one row per run and epoch (losses, accuracies, g);
 * - `gradient_norms.csv`: one row per run, epoch and layer;
 * - `timings.csv`: wall-clock seconds per run and epoch, kept apart so that the other tables are
 *   byte-identical when a run is repeated.
 *
 * @module
 */

import {
  architectureLabel,
  configColumns,
  type RunConfig,
  runLabel,
  type RunResult,
} from "@gradnets/core";
import { join } from "node:path";
import { type Row, writeCsv, writeFileAtomic } from "./csv.ts";

/** A finished run: its id, config and result. */
export interface RunRecord {
  /** The id from the config's hash. */
  readonly runId: string;
  /** What was run. */
  readonly config: RunConfig;
  /** What happened. */
  readonly result: RunResult;
}

/**
 * The row of `runs.csv` for a run.
 *
 * @example
 * ```ts ignore
 * const row = runRow(run); // { run_id, dataset, architecture, ..., status, diverged_step, ... }
 * ```
 */
export function runRow(run: RunRecord): Row {
  const last = run.result.epochs.at(-1);
  const finished = run.result.epochs.filter((e) => e.status === "ok" && e.epoch > 0);
  const best = finished.reduce<typeof finished[number] | undefined>(
    (
      a,
      e,
    ) => (a === undefined || (e.validationAccuracy ?? -1) > (a.validationAccuracy ?? -1) ? e : a),
    undefined,
  );
  return {
    run_id: run.runId,
    ...labelColumns(run.config),
    ...configColumns(run.config),
    status: run.result.status,
    epochs_completed: finished.length,
    steps: last?.step ?? 0,
    diverged_step: run.result.divergedStep,
    diverged_reason: run.result.divergedReason,
    final_validation_accuracy: finished.at(-1)?.validationAccuracy ?? null,
    final_test_accuracy: finished.at(-1)?.testAccuracy ?? null,
    best_validation_epoch: best?.epoch ?? null,
    best_validation_accuracy: best?.validationAccuracy ?? null,
    test_accuracy_at_best_validation: best?.testAccuracy ?? null,
  };
}

/** The names of a run in figures, from the architecture registry (see the results README). */
function labelColumns(config: RunConfig): Row {
  return {
    label: runLabel(config),
    architecture_label: architectureLabel(config.architecture, config.width),
  };
}

/**
 * The rows of `epochs.csv` for a run.
 *
 * @example
 * ```ts ignore
 * const rows = epochRows(run); // one per epoch, from epoch 0
 * ```
 */
export function epochRows(run: RunRecord): Row[] {
  const config = { ...labelColumns(run.config), ...configColumns(run.config) };
  return run.result.epochs.map((e) => ({
    run_id: run.runId,
    ...config,
    epoch: e.epoch,
    step: e.step,
    g: e.g,
    train_loss: e.trainLoss,
    train_accuracy: e.trainAccuracy,
    validation_accuracy: e.validationAccuracy,
    test_accuracy: e.testAccuracy,
    status: e.status,
  }));
}

/**
 * The rows of `gradient_norms.csv` for a run (join with `runs.csv` on `run_id` for the config).
 *
 * @example
 * ```ts ignore
 * const rows = gradientNormRows(run);
 * ```
 */
export function gradientNormRows(run: RunRecord): Row[] {
  return run.result.gradientNorms.map((n) => ({
    run_id: run.runId,
    epoch: n.epoch,
    layer: n.layer,
    layer_name: n.layerName,
    mean_norm: n.meanNorm,
    max_norm: n.maxNorm,
    samples: n.samples,
  }));
}

/**
 * The rows of `timings.csv` for a run.
 *
 * @example
 * ```ts ignore
 * const rows = timingRows(run); // { run_id, epoch, seconds }
 * ```
 */
export function timingRows(run: RunRecord): Row[] {
  return run.result.epochs.map((e) => ({ run_id: run.runId, epoch: e.epoch, seconds: e.seconds }));
}

/**
 * The columns of a table: every column of every row, in the order first seen.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { columnsOf } from "@gradnets/analysis";
 * assert(columnsOf([{ a: 1 }, { a: 2, b: 3 }]).join() === "a,b");
 * ```
 */
export function columnsOf(rows: readonly Row[]): string[] {
  const seen = new Set<string>();
  for (const row of rows) for (const key of Object.keys(row)) seen.add(key);
  return [...seen];
}

/** What each results file and column means; written beside the CSVs as README.md. */
export const RESULTS_README = `# Result tables

Written by the experiments of gradnets. Every file is tidy (one row per observation) and is
replaced atomically (temporary file, then rename).

## runs.csv: one row per run
- \`run_id\`: first 12 hex digits of the SHA-256 of the run's config; join key of all tables.
- \`label\`: the run's name in figures and tables, e.g. \`plain-71\`, \`grelu-vp\`,
  \`grelu-leaky+gradual-bn\`, \`rezero+gradual-pool-2x2\` (the architecture's label, then the input
  stage, batch norm or dropout where on); \`architecture_label\`: the architecture's alone.
  Filter by these rather than rebuilding names from the config columns.
- config columns: \`dataset\` (\`mnist\`, or \`idx:<folder>\` for other IDX files), \`data_limit\`
  (only the first N images of each split; empty: all), \`architecture\`, \`input_stage\` and
  \`input_stage_window\` (pooling of the image before the input layer, in runs that have one),
  \`depth\` (all layers: input + hidden + output),
  \`width\`, \`init\` and \`init_*\`, \`bias_init\`, \`schedule\` and \`schedule_*\` (g's schedule,
  \`schedule_tau\` in epochs), \`optimizer\` and \`optimizer_*\`, \`loss_reduction\` (mean or sum over the
  batch), \`batch_size\`, \`epochs\`, \`seed\`, \`backend\`.
- \`status\`: \`completed\`, or \`diverged\` when a training loss was not finite (NaN or Infinity).
- \`epochs_completed\`, \`steps\`: how far the run went.
- \`diverged_step\`, \`diverged_reason\`: the step (1-based) whose loss was not finite, and what was not.
- \`final_validation_accuracy\`, \`final_test_accuracy\`: at the last completed epoch.
- \`best_validation_epoch\`, \`best_validation_accuracy\`, \`test_accuracy_at_best_validation\`: the epoch
  chosen on the validation split, and the test accuracy there.

## epochs.csv: one row per run and epoch
- run id and config columns as in runs.csv.
- \`epoch\`: epochs completed (0 = before training); \`step\`: optimisation steps completed.
- \`g\`: the interpolation weight at the epoch's last step (g = min(t/tau, 1), t in epochs).
- \`train_loss\`: mean over the epoch's steps of the batch loss (as reduced by \`loss_reduction\`).
- \`train_accuracy\`: fraction of the epoch's training examples classified correctly as trained on.
- \`validation_accuracy\`, \`test_accuracy\`: at the end of the epoch, at that g, without dropout.
- \`status\`: \`ok\`, or \`diverged\` for the epoch in which training stopped (accuracies empty).

The test accuracy is logged at every epoch, as the 2015 notebook did, but it is never used for
any decision: model selection and early stopping read the validation split only.

## gradient_norms.csv: one row per run, epoch and layer
- \`layer\` (0 = input layer, depth - 1 = output layer), \`layer_name\`.
- \`mean_norm\`, \`max_norm\`: mean and maximum over the sampled steps of the L2 norm of the layer's
  weight-matrix gradient (biases excluded); \`samples\`: how many steps were sampled (every 100th).
  (The notebook's "gradient_norm" was the mean of the concatenated gradients, not a norm.)

## timings.csv: one row per run and epoch
- \`seconds\`: wall-clock time of the epoch (training and evaluation). Kept apart from the other
  tables, which are byte-identical when the same command is rerun on the same backend.
`;

/**
 * Writes the four tables of `runs` into `dir` (each atomically), and the README that explains them.
 *
 * @example
 * ```ts ignore
 * await writeResults("results/seed-notebook", runs);
 * ```
 */
export async function writeResults(dir: string, runs: readonly RunRecord[]): Promise<void> {
  const tables: [string, Row[]][] = [
    ["runs.csv", runs.map(runRow)],
    ["epochs.csv", runs.flatMap(epochRows)],
    ["gradient_norms.csv", runs.flatMap(gradientNormRows)],
    ["timings.csv", runs.flatMap(timingRows)],
  ];
  for (const [name, rows] of tables) await writeCsv(join(dir, name), columnsOf(rows), rows);
  await writeFileAtomic(join(dir, "README.md"), RESULTS_README);
}
