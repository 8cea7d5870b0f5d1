/**
 * Analysis of gradnets results: reading and writing the tidy CSV tables of a study.
 *
 * @example Round trip of a table
 * ```ts
 * import assert from "node:assert/strict";
 * import { formatCsv, parseCsv } from "@gradnets/analysis";
 * const text = formatCsv(["depth", "accuracy"], [{ depth: 50, accuracy: 0.97 }]);
 * assert(parseCsv(text, ["depth"])[0].accuracy === "0.97");
 * ```
 *
 * @module
 */

export * from "./csv.ts";
export * from "./results.ts";
export * from "./run_store.ts";
