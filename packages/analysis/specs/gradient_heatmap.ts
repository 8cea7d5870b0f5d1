/**
 * Gradient norms as heatmaps: the L2 norm of each layer's weight gradient (rows: layers, input
 * at the bottom) per epoch (columns), on a log colour scale, one panel per architecture. Where
 * gradients vanish or explode shows as a band of colour.
 *
 * @module
 */

import { FIGURE_CONFIG, figureTitle, type Provenance, type VegaLiteSpec } from "./common.ts";

/** One cell of the heatmap. */
export interface NormCell {
  readonly architecture: string;
  readonly layer: number;
  readonly epoch: number;
  /** Mean over the epoch's sampled steps of the layer's weight-gradient norm. */
  readonly norm: number;
}

/** Input of {@linkcode gradientHeatmapSpec}. */
export interface GradientHeatmapInput {
  readonly title: string;
  readonly cells: readonly NormCell[];
  readonly provenance: Provenance;
}

/**
 * The Vega-Lite spec of the gradient-norm heatmaps.
 *
 * @example
 * ```ts ignore
 * const spec = gradientHeatmapSpec({ title, cells, provenance });
 * ```
 */
export function gradientHeatmapSpec(input: GradientHeatmapInput): VegaLiteSpec {
  const labels = [...new Set(input.cells.map((c) => c.architecture))];
  // A norm of exactly 0 (a layer switched off, e.g. g = 0) has no place on a log scale.
  const values = input.cells.map((c) => ({
    ...c,
    norm: c.norm > 0 && Number.isFinite(c.norm) ? c.norm : null,
  }));
  const layers = Math.max(...input.cells.map((c) => c.layer)) + 1;
  return {
    $schema: "https://vega.github.io/schema/vega-lite/v6.json",
    title: figureTitle(input.title, input.provenance),
    config: { ...FIGURE_CONFIG, view: { stroke: null } },
    data: { values },
    facet: { column: { field: "architecture", type: "nominal", sort: labels, title: null } },
    spec: {
      width: 130,
      height: Math.min(300, Math.max(120, layers * 3)),
      mark: { type: "rect" },
      encoding: {
        x: {
          field: "epoch",
          type: "ordinal",
          title: "epoch",
          axis: { labelAngle: 0, labelOverlap: "greedy" },
        },
        y: {
          field: "layer",
          type: "ordinal",
          sort: "descending",
          title: "layer (0 = input)",
          axis: { labelOverlap: "greedy" },
        },
        color: {
          field: "norm",
          type: "quantitative",
          scale: { type: "log", scheme: "viridis" },
          title: "||dL/dW||",
          legend: { format: ".0e" },
        },
        tooltip: [
          { field: "architecture", type: "nominal" },
          { field: "layer", type: "quantitative" },
          { field: "epoch", type: "quantitative" },
          { field: "norm", type: "quantitative", format: ".3e" },
        ],
      },
    },
  };
}
