/**
 * The headline figure: test accuracy against depth (log axis), one line per architecture,
 * the mean over seeds with a min..max band, each seed a point, diverged runs marked.
 *
 * @module
 */

import type { DepthSummary } from "../aggregate.ts";
import { runAccuracy } from "../aggregate.ts";
import type { RunRow } from "../tables.ts";
import { FIGURE_CONFIG, figureTitle, type Provenance, type VegaLiteSpec } from "./common.ts";

/** Input of {@linkcode accuracyVsDepthSpec}. */
export interface AccuracyVsDepthInput {
  /** Figure title. */
  readonly title: string;
  /** The runs (one point each). */
  readonly runs: readonly RunRow[];
  /** Their summaries by architecture and depth (one line per architecture). */
  readonly summaries: readonly DepthSummary[];
  /** Settings and versions, shown under the title. */
  readonly provenance: Provenance;
}

/**
 * The Vega-Lite spec of the headline figure.
 *
 * @example
 * ```ts ignore
 * const spec = accuracyVsDepthSpec({ title, runs, summaries: summarizeByDepth(runs), provenance });
 * ```
 */
export function accuracyVsDepthSpec(input: AccuracyVsDepthInput): VegaLiteSpec {
  const labels = [...new Set(input.summaries.map((s) => s.label))];
  const depths = [...new Set(input.summaries.map((s) => s.depth))].sort((a, b) => a - b);
  const color = {
    field: "architecture",
    type: "nominal",
    scale: { domain: labels },
    title: "architecture",
  };
  const x = {
    field: "depth",
    type: "quantitative",
    scale: { type: "log", domain: [depths[0] * 0.85, depths.at(-1)! * 1.15], nice: false },
    axis: { values: depths, format: "d", title: "depth (layers, input and output included)" },
  };
  const yTitle = "test accuracy (at best validation epoch)";
  const means = input.summaries.filter((s) => s.mean !== null).map((s) => ({
    architecture: s.label,
    depth: s.depth,
    mean: s.mean,
    min: s.min,
    max: s.max,
    std: s.std ?? 0,
    runs: s.runs,
    diverged: s.diverged,
  }));
  const points = input.runs.map((r) => ({
    architecture: r.label,
    depth: r.depth,
    seed: r.seed,
    accuracy: runAccuracy(r),
    status: r.status,
    diverged_step: r.divergedStep,
  }));
  const tooltip = [
    { field: "architecture", type: "nominal" },
    { field: "depth", type: "quantitative" },
    { field: "seed", type: "quantitative" },
    { field: "accuracy", type: "quantitative", format: ".2%" },
    { field: "status", type: "nominal" },
  ];
  return {
    $schema: "https://vega.github.io/schema/vega-lite/v6.json",
    title: figureTitle(input.title, input.provenance),
    width: 520,
    height: 340,
    // Opaque legend symbols: the first layer (the translucent band) would set their opacity.
    config: { ...FIGURE_CONFIG, legend: { ...FIGURE_CONFIG.legend, symbolOpacity: 1 } },
    layer: [
      {
        data: { values: means },
        mark: { type: "area", opacity: 0.15 },
        encoding: {
          x,
          y: { field: "min", type: "quantitative", title: yTitle },
          y2: { field: "max" },
          color,
        },
      },
      {
        data: { values: means },
        mark: { type: "line", point: false, strokeWidth: 2 },
        encoding: {
          x,
          y: { field: "mean", type: "quantitative", title: yTitle, scale: { zero: false } },
          color,
          tooltip: [
            { field: "architecture", type: "nominal" },
            { field: "depth", type: "quantitative" },
            { field: "mean", type: "quantitative", format: ".2%", title: "mean accuracy" },
            { field: "std", type: "quantitative", format: ".2%" },
            { field: "runs", type: "quantitative", title: "seeds" },
            { field: "diverged", type: "quantitative" },
          ],
        },
      },
      {
        data: { values: points.filter((p) => p.accuracy !== null && p.status === "completed") },
        mark: { type: "point", filled: true, size: 40, opacity: 0.8 },
        encoding: { x, y: { field: "accuracy", type: "quantitative" }, color, tooltip },
      },
      {
        // Diverged runs: a cross at the accuracy they had before diverging (or at the bottom).
        data: {
          values: points.filter((p) => p.status === "diverged").map((p) => ({
            ...p,
            shown: p.accuracy ?? Math.min(...points.map((q) => q.accuracy ?? 1)),
          })),
        },
        mark: { type: "point", shape: "cross", size: 90, strokeWidth: 2, filled: true },
        encoding: {
          x,
          y: { field: "shown", type: "quantitative" },
          color,
          tooltip: [...tooltip, {
            field: "diverged_step",
            type: "quantitative",
            title: "diverged at step",
          }],
        },
      },
    ],
  };
}
