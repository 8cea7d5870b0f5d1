/**
 * CSV files in and out. Writing goes to a temporary file in the same folder that is then renamed
 * over the target, so a reader (or a kill at any moment) sees the old file or the new one, never
 * half of one. Reading checks that the columns a caller needs are there.
 *
 * CSV itself is handled by `npm:csv-stringify` and `npm:csv-parse` (JSR's `@std/csv` is not
 * reachable from this project's machines; the import map is the one place to swap it in).
 *
 * @module
 */

import { parse } from "csv-parse/sync";
import { stringify } from "csv-stringify/sync";
import { dirname, join } from "node:path";

/** A CSV cell: numbers are written in JavaScript's shortest round-trip form, null as empty. */
export type Cell = string | number | boolean | null | undefined;

/** A row of a table, by column name. */
export type Row = Record<string, Cell>;

/**
 * Formats rows as CSV text with a header line, columns in the given order. Numbers are written
 * the way JavaScript prints them (shortest round-trip form), so the same numbers always give the
 * same bytes.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { formatCsv } from "@gradnets/analysis";
 * const text = formatCsv(["run", "acc"], [{ run: "a", acc: 0.5 }, { run: "b,c", acc: null }]);
 * assert(text === 'run,acc\na,0.5\n"b,c",\n');
 * ```
 */
export function formatCsv(columns: readonly string[], rows: readonly Row[]): string {
  const records = rows.map((row) => columns.map((c) => cellText(row[c])));
  return stringify([columns as string[], ...records], {
    record_delimiter: "\n",
    // Quote any field holding a line break, whatever the record delimiter.
    quoted_match: /[\r\n]/,
  });
}

function cellText(value: Cell): string {
  if (value === null || value === undefined) return "";
  if (typeof value === "number") return Number.isNaN(value) ? "NaN" : String(value);
  return String(value);
}

/**
 * Writes `text` to `path` atomically: into a temporary file beside it, then renamed over it.
 * Creates the folder if needed.
 *
 * @example
 * ```ts ignore
 * await writeFileAtomic("results/runs.csv", formatCsv(columns, rows));
 * ```
 */
export async function writeFileAtomic(path: string, text: string | Uint8Array): Promise<void> {
  const dir = dirname(path);
  await Deno.mkdir(dir, { recursive: true });
  const temporary = join(dir, `.${crypto.randomUUID()}.tmp`);
  try {
    if (typeof text === "string") await Deno.writeTextFile(temporary, text);
    else await Deno.writeFile(temporary, text);
    await Deno.rename(temporary, path);
  } catch (error) {
    await Deno.remove(temporary).catch(() => {});
    throw error;
  }
}

/**
 * Writes rows as a CSV file atomically (see {@linkcode formatCsv} and {@linkcode writeFileAtomic}).
 *
 * @example
 * ```ts ignore
 * await writeCsv("results/epochs.csv", ["run_id", "epoch"], rows);
 * ```
 */
export async function writeCsv(
  path: string,
  columns: readonly string[],
  rows: readonly Row[],
): Promise<void> {
  await writeFileAtomic(path, formatCsv(columns, rows));
}

/**
 * A CSV file that cannot be used: unreadable, malformed, or missing a needed column.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { CsvError } from "@gradnets/analysis";
 * assert(new CsvError("a.csv", "missing column epoch").message === "a.csv: missing column epoch");
 * ```
 */
export class CsvError extends Error {
  /** The file. */
  readonly path: string;
  /** Creates the error. */
  constructor(path: string, message: string) {
    super(`${path}: ${message}`);
    this.name = "CsvError";
    this.path = path;
  }
}

/**
 * Parses CSV text with a header line into rows of strings, and checks that `required` columns
 * are all present.
 *
 * @throws {CsvError} The text is not valid CSV, a row has the wrong number of fields, or a
 * required column is missing (the message names it).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseCsv } from "@gradnets/analysis";
 * const rows = parseCsv("run,acc\na,0.5\n", ["run", "acc"]);
 * assert(rows[0].acc === "0.5");
 * ```
 */
export function parseCsv(
  text: string,
  required: readonly string[] = [],
  source = "<csv>",
): Record<string, string>[] {
  let records: string[][];
  try {
    records = parse(text, { relax_column_count: false, skip_empty_lines: true }) as string[][];
  } catch (error) {
    throw new CsvError(source, `malformed CSV: ${(error as Error).message}`);
  }
  if (records.length === 0) throw new CsvError(source, "empty file: no header line");
  const [header, ...body] = records;
  const missing = required.filter((column) => !header.includes(column));
  if (missing.length > 0) {
    throw new CsvError(
      source,
      `missing column${missing.length > 1 ? "s" : ""} ${missing.join(", ")} (found: ${
        header.join(", ")
      })`,
    );
  }
  return body.map((record) => Object.fromEntries(header.map((column, i) => [column, record[i]])));
}

/**
 * Reads a CSV file (see {@linkcode parseCsv}).
 *
 * @example
 * ```ts ignore
 * const rows = await readCsv("results/epochs.csv", ["run_id", "epoch"]);
 * ```
 */
export async function readCsv(
  path: string,
  required: readonly string[] = [],
): Promise<Record<string, string>[]> {
  let text: string;
  try {
    text = await Deno.readTextFile(path);
  } catch (error) {
    throw new CsvError(path, `cannot read: ${(error as Error).message}`);
  }
  return parseCsv(text, required, path);
}
