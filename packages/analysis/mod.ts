/**
 * Analysis of gradnets results: the tidy CSV tables of a study (written, stored, read back and
 * checked), aggregation over seeds, Vega-Lite figure specs, and the HTML and SVG report.
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

export * from "./aggregate.ts";
export * from "./collapse.ts";
export * from "./comparisons.ts";
export * from "./csv.ts";
export * from "./findings.ts";
export * from "./goal.ts";
export { publishedRunId, snakeCase } from "./pages/shared.ts";
export * from "./html.ts";
export * from "./readme.ts";
export * from "./render.ts";
export * from "./report.ts";
export * from "./search_page.ts";
export * from "./signal_table.ts";
export * from "./stats.ts";
export * from "./specs/accuracy_vs_depth.ts";
export * from "./specs/bench_ratios.ts";
export * from "./specs/common.ts";
export * from "./specs/gradient_heatmap.ts";
export * from "./specs/learning_curves.ts";
export * from "./specs/search_results.ts";
export * from "./specs/signal_through_depth.ts";
export * from "./tables.ts";
export * from "./results.ts";
export * from "./run_store.ts";
