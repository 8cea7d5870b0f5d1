/**
 * Gradient norms as heatmaps: the L2 norm of each layer's weight gradient (rows: layers, input
 * at the bottom) per epoch (columns), one panel per architecture, wrapped into rows. Each panel
 * is coloured relative to its own median on a log scale, clipped at a thousandfold either way
 * (the panel's header gives its median), so that where gradients vanish or explode within a
 * network shows as a band of colour whatever the network's overall scale.
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
  /** What a panel is, for the tooltip. Default `architecture`. */
  readonly seriesTitle?: string;
}

/** Decades either side of a panel's median at which the colour scale is clipped. */
export const HEATMAP_CLIP_DECADES = 3;

/** Panels per row: five fit a 1400 px page. */
const COLUMNS = 5;

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
  const usable = (norm: number) => norm > 0 && Number.isFinite(norm);
  const medians = new Map(labels.map((label) => {
    const logs = input.cells.filter((c) => c.architecture === label && usable(c.norm))
      .map((c) => Math.log10(c.norm)).sort((a, b) => a - b);
    const mid = logs.length === 0
      ? 0
      : logs.length % 2 === 1
      ? logs[(logs.length - 1) / 2]
      : (logs[logs.length / 2 - 1] + logs[logs.length / 2]) / 2;
    return [label, mid];
  }));
  const panel = (label: string) =>
    `${label}|median ${(10 ** medians.get(label)!).toExponential(1)}`;
  const values = input.cells.map((c) => {
    const relative = usable(c.norm) ? Math.log10(c.norm) - medians.get(c.architecture)! : null;
    return {
      panel: panel(c.architecture),
      architecture: c.architecture,
      layer: c.layer,
      epoch: c.epoch,
      norm: usable(c.norm) ? c.norm : null,
      relative: relative === null
        ? null
        : Math.max(-HEATMAP_CLIP_DECADES, Math.min(HEATMAP_CLIP_DECADES, relative)),
    };
  });
  const layers = Math.max(...input.cells.map((c) => c.layer)) + 1;
  const epochs = [...new Set(input.cells.map((c) => c.epoch))].sort((a, b) => a - b);
  const layerStep = layers > 30 ? 10 : layers > 10 ? 5 : 1;
  const layerTicks = [...Array(layers).keys()].filter((l) =>
    l % layerStep === 0 && (l === 0 || layers - 1 - l >= layerStep / 2) || l === layers - 1
  );
  const epochStep = epochs.length > 10 ? 5 : 1;
  const epochTicks = epochs.filter((e) => e === epochs[0] || e % epochStep === 0);
  const d = HEATMAP_CLIP_DECADES;
  return {
    $schema: "https://vega.github.io/schema/vega-lite/v6.json",
    title: figureTitle(input.title, input.provenance),
    config: { ...FIGURE_CONFIG, view: { stroke: null } },
    data: { values },
    facet: {
      field: "panel",
      type: "nominal",
      sort: labels.map(panel),
      title: null,
      header: { labelExpr: "split(datum.value, '|')", labelFontSize: 11 },
    },
    columns: Math.min(COLUMNS, labels.length),
    spec: {
      width: 160,
      height: Math.min(200, Math.max(100, layers * 3)),
      mark: { type: "rect" },
      encoding: {
        x: {
          field: "epoch",
          type: "ordinal",
          title: "epoch",
          axis: { labelAngle: 0, values: epochTicks },
        },
        y: {
          field: "layer",
          type: "ordinal",
          sort: "descending",
          title: "layer (0 = input)",
          axis: { values: layerTicks },
        },
        color: {
          field: "relative",
          type: "quantitative",
          scale: { scheme: "blueorange", domain: [-d, d], clamp: true },
          title: ["norm / panel median", `(clipped at 1e±${d})`],
          legend: {
            values: [-d, -2, -1, 0, 1, 2, d].filter((v) => Math.abs(v) <= d),
            labelExpr: `datum.value === 0 ? '1 (median)' : '1e' + datum.value`,
            gradientLength: 160,
          },
        },
        tooltip: [
          { field: "architecture", type: "nominal", title: input.seriesTitle ?? "architecture" },
          { field: "layer", type: "quantitative" },
          { field: "epoch", type: "quantitative" },
          { field: "norm", type: "quantitative", format: ".3e", title: "||dL/dW||" },
        ],
      },
    },
  };
}
