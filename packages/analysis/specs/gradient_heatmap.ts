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

/** The fewest and most decades either side of a panel's median that the colours span. */
const CLIP_RANGE = [2, 8] as const;

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
  const medians = panelMedians(input.cells);
  const panel = (label: string) =>
    `${label}|median ${(10 ** medians.get(label)!).toExponential(1)}`;
  const d = heatmapClip(input.cells);
  const values = input.cells.map((c) => {
    const relative = usable(c.norm) ? Math.log10(c.norm) - medians.get(c.architecture)! : null;
    return {
      panel: panel(c.architecture),
      architecture: c.architecture,
      layer: c.layer,
      epoch: c.epoch,
      norm: usable(c.norm) ? c.norm : null,
      relative: relative === null ? null : Math.max(-d, Math.min(d, relative)),
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
            values: [...new Set([-d, -Math.round(d / 2), 0, Math.round(d / 2), d])],
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

// A norm of exactly 0 (a layer switched off, e.g. g = 0) has no place on a log scale.
const usable = (norm: number) => norm > 0 && Number.isFinite(norm);

/** The median of log10 of each panel's norms. */
function panelMedians(cells: readonly NormCell[]): Map<string, number> {
  const logs = new Map<string, number[]>();
  for (const c of cells) {
    if (!logs.has(c.architecture)) logs.set(c.architecture, []);
    if (usable(c.norm)) logs.get(c.architecture)!.push(Math.log10(c.norm));
  }
  return new Map([...logs].map(([label, values]) => [label, median(values)]));
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  if (sorted.length === 0) return 0;
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/**
 * Decades either side of each panel's median at which the colours are clipped: enough for 98%
 * of the cells, rounded up, between 2 and 8.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { heatmapClip } from "@gradnets/analysis";
 * const cells = [1e-3, 1, 1e3].map((norm, layer) => ({ architecture: "a", layer, epoch: 1, norm }));
 * assert.equal(heatmapClip(cells), 3);
 * ```
 */
export function heatmapClip(cells: readonly NormCell[]): number {
  const medians = panelMedians(cells);
  const spread = cells.filter((c) => usable(c.norm))
    .map((c) => Math.abs(Math.log10(c.norm) - medians.get(c.architecture)!)).sort((a, b) => a - b);
  const p98 = spread.length === 0 ? 0 : spread[Math.floor(0.98 * (spread.length - 1))];
  return Math.min(CLIP_RANGE[1], Math.max(CLIP_RANGE[0], Math.ceil(p98 - 1e-9)));
}
