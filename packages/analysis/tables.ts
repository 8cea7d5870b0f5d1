/**
 * Reading the result tables back, typed. Each reader checks that the columns it needs are there
 * (a missing or renamed column is an error naming it) and that numbers parse.
 *
 * @module
 */

import { join } from "node:path";
import { CsvError, readCsv } from "./csv.ts";

/** A row of runs.csv, with the fields the reports use typed and every column kept as text. */
export interface RunRow {
  readonly runId: string;
  readonly dataset: string;
  readonly architecture: string;
  /** The run's name in figures (runs.csv `label`), e.g. `plain-71`, `grelu-vp`, `plain+gradual-bn`. */
  readonly label: string;
  /** The label without batch norm and dropout (runs.csv `architecture_label`), e.g. `plain-71`. */
  readonly architectureLabel: string;
  readonly depth: number;
  readonly width: number;
  readonly seed: number;
  readonly epochs: number;
  readonly status: "completed" | "diverged";
  readonly divergedStep: number | null;
  readonly divergedReason: string | null;
  readonly finalTestAccuracy: number | null;
  readonly finalValidationAccuracy: number | null;
  readonly bestValidationEpoch: number | null;
  readonly bestValidationAccuracy: number | null;
  readonly testAccuracyAtBestValidation: number | null;
  /** Every column of the row as text (config fields included). */
  readonly columns: Readonly<Record<string, string>>;
}

/** A row of epochs.csv. */
export interface EpochRow {
  readonly runId: string;
  readonly epoch: number;
  readonly step: number;
  readonly g: number;
  readonly trainLoss: number | null;
  readonly trainAccuracy: number | null;
  readonly validationAccuracy: number | null;
  readonly testAccuracy: number | null;
  readonly status: string;
}

/** A row of gradient_norms.csv. */
export interface GradientNormRow {
  readonly runId: string;
  readonly epoch: number;
  readonly layer: number;
  readonly layerName: string;
  readonly meanNorm: number;
  readonly maxNorm: number;
}

/** The columns of runs.csv that the reports need. */
export const RUN_COLUMNS = [
  "run_id",
  "label",
  "architecture_label",
  "dataset",
  "architecture",
  "depth",
  "width",
  "seed",
  "epochs",
  "status",
  "diverged_step",
  "diverged_reason",
  "final_test_accuracy",
  "final_validation_accuracy",
  "best_validation_epoch",
  "best_validation_accuracy",
  "test_accuracy_at_best_validation",
] as const;

/** The columns of epochs.csv that the reports need. */
export const EPOCH_COLUMNS = [
  "run_id",
  "epoch",
  "step",
  "g",
  "train_loss",
  "train_accuracy",
  "validation_accuracy",
  "test_accuracy",
  "status",
] as const;

/** The columns of gradient_norms.csv that the reports need. */
export const GRADIENT_NORM_COLUMNS = [
  "run_id",
  "epoch",
  "layer",
  "layer_name",
  "mean_norm",
  "max_norm",
] as const;

function numberParser(path: string) {
  return (row: Record<string, string>, column: string, index: number): number | null => {
    const text = row[column];
    if (text === "" || text === undefined) return null;
    const value = Number(text);
    if (Number.isNaN(value) && text !== "NaN") {
      throw new CsvError(path, `row ${index + 2}, column ${column}: "${text}" is not a number`);
    }
    return value;
  };
}

/**
 * Reads an experiment's runs.csv.
 *
 * @example
 * ```ts ignore
 * const runs = await readRuns("results/depth-study");
 * ```
 */
export async function readRuns(dir: string): Promise<RunRow[]> {
  const path = join(dir, "runs.csv");
  const num = numberParser(path);
  const rowOf = new Map<string, number>();
  return (await readCsv(path, RUN_COLUMNS)).map((row, i) => {
    // A run counted twice would weigh twice in every mean.
    const first = rowOf.get(row.run_id);
    if (first !== undefined) {
      throw new CsvError(path, `row ${i + 2}: run_id ${row.run_id} repeats row ${first}`);
    }
    rowOf.set(row.run_id, i + 2);
    const status = row.status;
    if (status !== "completed" && status !== "diverged") {
      throw new CsvError(path, `row ${i + 2}, column status: unknown status "${status}"`);
    }
    const required = (column: string) => {
      const value = num(row, column, i);
      if (value === null) throw new CsvError(path, `row ${i + 2}, column ${column}: empty`);
      return value;
    };
    return {
      runId: row.run_id,
      dataset: row.dataset,
      architecture: row.architecture,
      label: row.label,
      architectureLabel: row.architecture_label,
      depth: required("depth"),
      width: required("width"),
      seed: required("seed"),
      epochs: required("epochs"),
      status,
      divergedStep: num(row, "diverged_step", i),
      divergedReason: row.diverged_reason || null,
      finalTestAccuracy: num(row, "final_test_accuracy", i),
      finalValidationAccuracy: num(row, "final_validation_accuracy", i),
      bestValidationEpoch: num(row, "best_validation_epoch", i),
      bestValidationAccuracy: num(row, "best_validation_accuracy", i),
      testAccuracyAtBestValidation: num(row, "test_accuracy_at_best_validation", i),
      columns: row,
    };
  });
}

/**
 * Reads an experiment's epochs.csv.
 *
 * @example
 * ```ts ignore
 * const epochs = await readEpochs("results/depth-study");
 * ```
 */
export async function readEpochs(dir: string): Promise<EpochRow[]> {
  const path = join(dir, "epochs.csv");
  const num = numberParser(path);
  return (await readCsv(path, EPOCH_COLUMNS)).map((row, i) => ({
    runId: row.run_id,
    epoch: num(row, "epoch", i) ?? 0,
    step: num(row, "step", i) ?? 0,
    g: num(row, "g", i) ?? 0,
    trainLoss: num(row, "train_loss", i),
    trainAccuracy: num(row, "train_accuracy", i),
    validationAccuracy: num(row, "validation_accuracy", i),
    testAccuracy: num(row, "test_accuracy", i),
    status: row.status,
  }));
}

/**
 * Reads an experiment's gradient_norms.csv.
 *
 * @example
 * ```ts ignore
 * const norms = await readGradientNorms("results/depth-study");
 * ```
 */
export async function readGradientNorms(dir: string): Promise<GradientNormRow[]> {
  const path = join(dir, "gradient_norms.csv");
  const num = numberParser(path);
  return (await readCsv(path, GRADIENT_NORM_COLUMNS)).map((row, i) => ({
    runId: row.run_id,
    epoch: num(row, "epoch", i) ?? 0,
    layer: num(row, "layer", i) ?? 0,
    layerName: row.layer_name,
    meanNorm: num(row, "mean_norm", i) ?? NaN,
    maxNorm: num(row, "max_norm", i) ?? NaN,
  }));
}

/** A row of timings.csv: wall-clock seconds of one epoch of one run. */
export interface TimingRow {
  /** The run. */
  readonly runId: string;
  /** Epochs completed (0: the evaluation before training). */
  readonly epoch: number;
  /** Wall-clock seconds of the epoch, training and evaluation. */
  readonly seconds: number;
}

/**
 * Reads an experiment's timings.csv.
 *
 * @example
 * ```ts ignore
 * const timings = await readTimings("results/depth-study");
 * const seconds = timings.reduce((sum, t) => sum + t.seconds, 0);
 * ```
 */
export async function readTimings(dir: string): Promise<TimingRow[]> {
  const path = join(dir, "timings.csv");
  const num = numberParser(path);
  return (await readCsv(path, ["run_id", "epoch", "seconds"])).map((row, i) => {
    const seconds = num(row, "seconds", i);
    if (seconds === null) throw new CsvError(path, `row ${i + 2}, column seconds: empty`);
    return { runId: row.run_id, epoch: num(row, "epoch", i) ?? 0, seconds };
  });
}

/**
 * Checks that an experiment's tables agree with each other: every run of epochs.csv and
 * gradient_norms.csv (when present) is a row of runs.csv, and every run of runs.csv has its
 * epochs. Returns the number of runs; throws a {@linkcode CsvError} naming the file and the
 * first run that disagrees.
 *
 * @example
 * ```ts ignore
 * await checkTablesAgree("results/depth-study");
 * ```
 */
export async function checkTablesAgree(dir: string): Promise<number> {
  const runs = new Set((await readRuns(dir)).map((r) => r.runId));
  const epochsPath = join(dir, "epochs.csv");
  const withEpochs = new Set<string>();
  if (await isFile(epochsPath)) {
    for (const row of await readEpochs(dir)) {
      if (!runs.has(row.runId)) {
        throw new CsvError(epochsPath, `run ${row.runId} is not in runs.csv`);
      }
      withEpochs.add(row.runId);
    }
    const without = [...runs].find((id) => !withEpochs.has(id));
    if (without !== undefined) {
      throw new CsvError(epochsPath, `run ${without} of runs.csv has no epochs`);
    }
  }
  const normsPath = join(dir, "gradient_norms.csv");
  if (await isFile(normsPath)) {
    const stray = (await readGradientNorms(dir)).find((row) => !runs.has(row.runId));
    if (stray) throw new CsvError(normsPath, `run ${stray.runId} is not in runs.csv`);
  }
  return runs.size;
}

async function isFile(path: string): Promise<boolean> {
  try {
    return (await Deno.stat(path)).isFile;
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return false;
    throw new CsvError(path, `cannot read: ${(error as Error).message}`);
  }
}
