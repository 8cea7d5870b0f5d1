/**
 * The table of the input's signal through a network at initialisation (`signal.csv` in an
 * experiment's results folder): one row per variant, g and layer, in the order computed. The
 * experiment computes it (it builds the networks); the report only reads it.
 *
 * @module
 */

import { join } from "node:path";
import { CsvError, readCsv, writeCsv } from "./csv.ts";
import type { SignalPoint } from "./specs/signal_through_depth.ts";

/** File name of the signal table inside an experiment's results folder. */
export const SIGNAL_TABLE = "signal.csv";

/** Columns of the signal table, in order. */
export const SIGNAL_COLUMNS = ["variant", "g", "layer", "signal"] as const;

/**
 * Writes `points` as `<dir>/signal.csv` atomically, rows in the given order, numbers in
 * JavaScript's shortest round-trip form (so the same points give the same bytes).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { readSignalTable, writeSignalTable } from "@gradnets/analysis";
 * const dir = await Deno.makeTempDir();
 * const points = [{ variant: "grelu", g: 0.5, layer: 0, signal: 0.25 }];
 * await writeSignalTable(dir, points);
 * assert.equal(await Deno.readTextFile(`${dir}/signal.csv`), "variant,g,layer,signal\ngrelu,0.5,0,0.25\n");
 * assert.deepEqual(await readSignalTable(dir), points);
 * await Deno.remove(dir, { recursive: true });
 * ```
 */
export async function writeSignalTable(
  dir: string,
  points: readonly SignalPoint[],
): Promise<void> {
  await writeCsv(join(dir, SIGNAL_TABLE), SIGNAL_COLUMNS, points.map((p) => ({ ...p })));
}

/**
 * Reads `<dir>/signal.csv`; null when the experiment has none. A malformed table throws
 * {@linkcode CsvError} naming the file.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { readSignalTable } from "@gradnets/analysis";
 * const dir = await Deno.makeTempDir();
 * assert.equal(await readSignalTable(dir), null);
 * await Deno.remove(dir);
 * ```
 */
export async function readSignalTable(dir: string): Promise<SignalPoint[] | null> {
  const path = join(dir, SIGNAL_TABLE);
  try {
    await Deno.stat(path);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return null;
    throw error;
  }
  return (await readCsv(path, SIGNAL_COLUMNS)).map((row) => ({
    variant: row.variant,
    g: number(path, row, "g"),
    layer: number(path, row, "layer"),
    signal: number(path, row, "signal"),
  }));
}

function number(path: string, row: Record<string, string>, column: string): number {
  const value = Number(row[column]);
  // NaN is written as "NaN" (a network whose signal overflowed); anything else is a number.
  if (row[column].trim() === "" || (Number.isNaN(value) && row[column] !== "NaN")) {
    throw new CsvError(path, `${column} must be a number, got "${row[column]}"`);
  }
  return value;
}
