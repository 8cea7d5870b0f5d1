/**
 * What every figure shares: a one-line caption under the title (the settings in plain words;
 * versions, commits and machines belong to the page's manifest section), the colours and dashes
 * of the architectures, tick values for log axes, and a config that works without a canvas (no
 * label truncation, which needs text measurement).
 *
 * @module
 */

/** A Vega-Lite specification, as plain data. */
export type VegaLiteSpec = Record<string, unknown>;

/** What a figure says about where its data came from, under its title. */
export interface Provenance {
  /** The settings in one plain line, e.g. `Adam, He init, 20 epochs, batch 50, width 50`. */
  readonly settings: string;
  /**
   * Versions, commits and machines. Not drawn on the figure: the page's manifest section shows
   * them, once per page.
   */
  readonly versions?: string;
  /** A warning drawn after the settings, e.g. `Incomplete: 16 of 20 runs stored.` */
  readonly notice?: string;
}

/** The config block of every figure: no label limits (no canvas to measure text in Deno). */
export const FIGURE_CONFIG = {
  axis: { labelLimit: 0, titleLimit: 0 },
  legend: { labelLimit: 0, titleLimit: 0, symbolOpacity: 1 },
  header: { labelLimit: 0, titleLimit: 0 },
  title: { anchor: "start", subtitleColor: "#555", subtitleFontSize: 11, limit: 0 },
  font: "Helvetica, Arial, sans-serif",
} as const;

/**
 * A title with the settings (and a notice, if any) as its one subtitle line.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { figureTitle } from "@gradnets/analysis";
 * const title = figureTitle("Accuracy", { settings: "Adam, He init", versions: "tfjs 4.22.0" });
 * assert.deepEqual(title, { text: "Accuracy", subtitle: "Adam, He init" });
 * ```
 */
export function figureTitle(
  text: string,
  provenance: Provenance,
): { text: string; subtitle: string } {
  const parts = [provenance.settings, provenance.notice ?? ""].filter((p) => p !== "");
  return { text, subtitle: parts.join(" ") };
}

/** How one series (an architecture) is drawn. */
export interface SeriesStyle {
  /** The labels, baselines first, in the order of the legend. */
  readonly domain: string[];
  /** A colour per label. */
  readonly colors: string[];
  /** A dash per label: dashed for baselines, solid for GradNets. */
  readonly dashes: number[][];
}

/**
 * Strong colours for the architectures the findings talk about; other labels take the rest of
 * the palette in order.
 */
const COLORS: Readonly<Record<string, string>> = {
  "plain-71": "#222222",
  "plain-50": "#9a9a9a",
  highway: "#8c564b",
  residual: "#17becf",
  rezero: "#1f77b4",
  grelu: "#ff7f0e",
  "grelu-leaky+gradual-bn": "#b8a000",
  "grelu-vp": "#d62728",
  "grelu-leaky-vp": "#e377c2",
  "gradual-residual": "#2ca02c",
};
const SPARE = ["#9467bd", "#7f7f7f", "#bcbd22", "#aec7e8", "#ff9896", "#98df8a", "#c5b0d5"];

/**
 * Colours and dashes of the series `labels`: baselines first and dashed, GradNets solid.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { seriesStyle } from "@gradnets/analysis";
 * const style = seriesStyle(["grelu", "plain-71"], new Set(["grelu"]));
 * assert.deepEqual(style.domain, ["plain-71", "grelu"]);
 * assert.deepEqual(style.dashes, [[6, 3], [1, 0]]);
 * ```
 */
export function seriesStyle(
  labels: readonly string[],
  gradNets: ReadonlySet<string>,
): SeriesStyle {
  const domain = [
    ...labels.filter((l) => !gradNets.has(l)),
    ...labels.filter((l) => gradNets.has(l)),
  ];
  const used = new Set(domain.map((l) => COLORS[l]).filter((c) => c !== undefined));
  const spare = SPARE.filter((c) => !used.has(c));
  let next = 0;
  return {
    domain,
    colors: domain.map((l) => COLORS[l] ?? spare[next++ % spare.length]),
    dashes: domain.map((l) => (gradNets.has(l) ? [1, 0] : [6, 3])),
  };
}

/** The colour and dash encodings of a figure's series (see {@linkcode seriesEncodings}). */
export interface SeriesEncodings {
  /** One colour per series, with the legend. */
  readonly color: {
    field: "architecture";
    type: "nominal";
    scale: { domain: string[]; range: string[] };
    title: string | string[];
    legend: {
      symbolType: "stroke";
      symbolStrokeWidth: number;
      symbolSize: number;
      symbolOpacity: number;
    };
  };
  /** Dashed baselines, solid GradNets. */
  readonly strokeDash: {
    field: "architecture";
    type: "nominal";
    scale: { domain: string[]; range: number[][] };
    title: string | string[];
  };
}

/**
 * The colour and dash encodings of the series of `style` on the field `architecture`, one
 * legend titled `title` whose symbols are strokes of `symbolSize`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { seriesEncodings, seriesStyle } from "@gradnets/analysis";
 * const { color, strokeDash } = seriesEncodings(seriesStyle(["grelu"], new Set()), "run", 300);
 * assert.equal(color.legend.symbolSize, 300);
 * assert.deepEqual(strokeDash.scale.range, [[6, 3]]);
 * ```
 */
export function seriesEncodings(
  style: SeriesStyle,
  title: string | string[],
  symbolSize: number,
): SeriesEncodings {
  return {
    color: {
      field: "architecture",
      type: "nominal",
      scale: { domain: style.domain, range: style.colors },
      title,
      legend: { symbolType: "stroke", symbolStrokeWidth: 3, symbolSize, symbolOpacity: 1 },
    },
    strokeDash: {
      field: "architecture",
      type: "nominal",
      scale: { domain: style.domain, range: style.dashes },
      title,
    },
  };
}

/**
 * Tick values for a log axis between `low` and `high`: 1, 2 and 5 per decade, with 1.5, 3 and 7
 * added when that gives fewer than four ticks.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { logTicks } from "@gradnets/analysis";
 * assert.deepEqual(logTicks(0.015, 1), [0.02, 0.05, 0.1, 0.2, 0.5, 1]);
 * assert.deepEqual(logTicks(0.09, 0.4), [0.1, 0.15, 0.2, 0.3]);
 * ```
 */
export function logTicks(low: number, high: number): number[] {
  const pick = (mantissas: number[]) => {
    const ticks: number[] = [];
    for (let e = Math.floor(Math.log10(low)); e <= Math.ceil(Math.log10(high)); e++) {
      for (const m of mantissas) {
        const v = Number((m * 10 ** e).toPrecision(3));
        if (v >= low * (1 - 1e-9) && v <= high * (1 + 1e-9)) ticks.push(v);
      }
    }
    return ticks;
  };
  const ticks = pick([1, 2, 5]);
  if (ticks.length < 4) return pick([1, 1.5, 2, 3, 5, 7]);
  if (ticks.length <= 8) return ticks;
  const fewer = pick([1, 3]);
  return fewer.length <= 8 ? fewer : pick([1]);
}
