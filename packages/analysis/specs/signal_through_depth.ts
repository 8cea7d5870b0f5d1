/**
 * The signal of the input through the layers of a network at initialisation, for several
 * values of g: where it fades, the network has forgotten its input.
 *
 * @module
 */

import { FIGURE_CONFIG, figureTitle, type Provenance, type VegaLiteSpec } from "./common.ts";

/** The signal at one layer, for one variant and one g. */
export interface SignalPoint {
  /** The network, e.g. `grelu, truncated normal 0.1 (the notebook's)`. */
  readonly variant: string;
  readonly g: number;
  readonly layer: number;
  readonly signal: number;
}

/**
 * The Vega-Lite spec of the signal figure: signal (log) against layer, a line per g, a panel per
 * variant.
 *
 * @example
 * ```ts ignore
 * const spec = signalThroughDepthSpec({ title, points, provenance });
 * ```
 */
export function signalThroughDepthSpec(
  input: { title: string; points: readonly SignalPoint[]; provenance: Provenance },
): VegaLiteSpec {
  const variants = [...new Set(input.points.map((p) => p.variant))];
  return {
    $schema: "https://vega.github.io/schema/vega-lite/v6.json",
    title: figureTitle(input.title, input.provenance),
    config: FIGURE_CONFIG,
    // A signal of exactly 0 (or below float resolution) has no place on a log scale.
    data: { values: input.points.map((p) => ({ ...p, signal: p.signal > 0 ? p.signal : null })) },
    facet: { column: { field: "variant", type: "nominal", sort: variants, title: null } },
    spec: {
      width: 230,
      height: 200,
      mark: { type: "line", point: { size: 10 } },
      encoding: {
        x: { field: "layer", type: "quantitative", title: "layer (0 = input, last = logits)" },
        y: {
          field: "signal",
          type: "quantitative",
          scale: { type: "log" },
          // Decades only, all in one format: "1e-7" beside "0.000001" reads as two scales.
          axis: { values: decades(input.points.map((p) => p.signal)), format: ".0e" },
          title: "signal: std across examples (mean over units)",
        },
        color: { field: "g", type: "ordinal", scale: { scheme: "viridis" }, title: "g" },
        tooltip: [
          { field: "variant", type: "nominal" },
          { field: "g", type: "quantitative" },
          { field: "layer", type: "quantitative" },
          { field: "signal", type: "quantitative", format: ".2e" },
        ],
      },
    },
  };
}

/** The powers of ten spanning the positive values. */
function decades(values: readonly number[]): number[] {
  const positive = values.filter((v) => v > 0 && Number.isFinite(v));
  if (positive.length === 0) return [];
  const low = Math.floor(Math.log10(Math.min(...positive)));
  const high = Math.ceil(Math.log10(Math.max(...positive)));
  return Array.from({ length: high - low + 1 }, (_, i) => Number(`1e${low + i}`));
}
