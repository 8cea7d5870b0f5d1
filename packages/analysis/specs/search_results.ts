/**
 * The settings search at a glance: the validation accuracy of every setting tried, one column
 * of points per architecture, coloured by optimiser, the chosen setting ringed.
 *
 * @module
 */

import { FIGURE_CONFIG, figureTitle, type Provenance, type VegaLiteSpec } from "./common.ts";

/** One run of the search. */
export interface SearchPoint {
  readonly architecture: string;
  /** The setting in words, e.g. `adam 0.001, clip 1, ramp 0.5`. */
  readonly setting: string;
  /** The optimiser and learning rate, e.g. `adam 0.001` (the colour). */
  readonly optimizer: string;
  /** Validation accuracy after the last epoch; null if the run diverged before any. */
  readonly validationAccuracy: number | null;
  readonly status: string;
  /** True for the setting chosen for the architecture. */
  readonly chosen: boolean;
}

/** Input of {@linkcode searchResultsSpec}. */
export interface SearchResultsInput {
  readonly title: string;
  readonly points: readonly SearchPoint[];
  readonly provenance: Provenance;
}

/**
 * The Vega-Lite spec of the search overview.
 *
 * @example
 * ```ts ignore
 * const spec = searchResultsSpec({ title, points, provenance });
 * ```
 */
export function searchResultsSpec(input: SearchResultsInput): VegaLiteSpec {
  const architectures = [...new Set(input.points.map((p) => p.architecture))];
  const values = input.points.map((p) => ({
    architecture: p.architecture,
    setting: p.setting,
    optimizer: p.optimizer,
    // Diverged runs without an accuracy sit at chance, drawn as crosses.
    accuracy: p.validationAccuracy ?? 0.1,
    status: p.status,
    chosen: p.chosen,
  }));
  const x = {
    field: "architecture",
    type: "nominal",
    sort: architectures,
    axis: { labelAngle: -30 },
  };
  const y = {
    field: "accuracy",
    type: "quantitative",
    title: "validation accuracy after the last epoch",
  };
  const tooltip = [
    { field: "architecture", type: "nominal" },
    { field: "setting", type: "nominal" },
    { field: "accuracy", type: "quantitative", format: ".2%" },
    { field: "status", type: "nominal" },
  ];
  return {
    $schema: "https://vega.github.io/schema/vega-lite/v6.json",
    title: figureTitle(input.title, input.provenance),
    width: 560,
    height: 320,
    config: FIGURE_CONFIG,
    data: { values },
    layer: [
      {
        mark: { type: "point", filled: true, size: 50, opacity: 0.75 },
        encoding: {
          x,
          xOffset: { field: "optimizer", type: "nominal" },
          y,
          color: { field: "optimizer", type: "nominal", title: "optimiser" },
          shape: {
            field: "status",
            type: "nominal",
            scale: { domain: ["completed", "diverged"], range: ["circle", "cross"] },
          },
          tooltip,
        },
      },
      {
        transform: [{ filter: "datum.chosen" }],
        mark: { type: "point", size: 260, strokeWidth: 2, color: "black", filled: false },
        encoding: { x, xOffset: { field: "optimizer", type: "nominal" }, y, tooltip },
      },
    ],
  };
}
