/**
 * The headline figure: test error (1 - accuracy) against depth, both on log axes, one line per
 * architecture (baselines dashed, GradNets solid): the mean over seeds with a min..max band and
 * each seed a point. Runs that diverged are marked in a row labelled "diverged" above the plot.
 * Clicking a legend entry highlights that architecture (double-click to clear).
 *
 * @module
 */

import { architectureEntry } from "@gradnets/core";
import type { DepthSummary } from "../aggregate.ts";
import { runAccuracy } from "../aggregate.ts";
import type { RunRow } from "../tables.ts";
import {
  FIGURE_CONFIG,
  figureTitle,
  logTicks,
  type Provenance,
  seriesEncodings,
  seriesStyle,
  type VegaLiteSpec,
} from "./common.ts";

/** Input of {@linkcode accuracyVsDepthSpec}. */
export interface AccuracyVsDepthInput {
  /** Figure title. */
  readonly title: string;
  /** The runs (one point each). */
  readonly runs: readonly RunRow[];
  /** Their summaries by architecture and depth (one line per architecture). */
  readonly summaries: readonly DepthSummary[];
  /** The settings, in one line under the title. */
  readonly provenance: Provenance;
  /**
   * The labels drawn solid, as GradNets: those whose network depends on g (default: the labels
   * of runs whose architecture is a GradNet in the registry).
   */
  readonly gradual?: ReadonlySet<string>;
}

/** Where the row of diverged runs sits on the error axis (above 100% error). */
const DIVERGED_Y = 1.7;

/** The legend's title: what the dashes mean, for the static SVG too. */
const LEGEND_TITLE = ["architecture", "(dashed: baselines)"];

/** The 95% confidence interval of a summary's mean, in percent; "" where none applies. */
function ci95(mean: number | null, half: number | null): string {
  if (mean === null || half === null) return "";
  const pct = (x: number) => `${(100 * x).toFixed(2)}%`;
  return `${pct(Math.max(0, mean - half))} .. ${pct(Math.min(1, mean + half))}`;
}

/** The name of the legend-bound selection that highlights an architecture. */
export const HIGHLIGHT_PARAM = "highlight";

/**
 * The Vega-Lite spec of the headline figure.
 *
 * @example
 * ```ts ignore
 * const spec = accuracyVsDepthSpec({ title, runs, summaries: summarizeByDepth(runs), provenance });
 * ```
 */
export function accuracyVsDepthSpec(input: AccuracyVsDepthInput): VegaLiteSpec {
  const gradNets = input.gradual ?? new Set(
    input.runs.filter((r) => architectureEntry(r.architecture)?.gradNet).map((r) => r.label),
  );
  const style = seriesStyle([...new Set(input.summaries.map((s) => s.label))], gradNets);
  const depths = [...new Set(input.summaries.map((s) => s.depth))].sort((a, b) => a - b);
  const error = (accuracy: number | null) => (accuracy === null ? null : 1 - accuracy);
  const errors = input.runs.map((r) => error(runAccuracy(r))).filter((e): e is number =>
    e !== null && e > 0
  );
  const low = Math.min(...errors, 0.5) * 0.85;
  // 90% is chance; 100% would crowd it.
  const ticks = [...logTicks(low, 0.6), 0.9, DIVERGED_Y];
  const y = (field: string) => ({
    field,
    type: "quantitative",
    title: "test error (1 - accuracy, log scale)",
    scale: { type: "log", domain: [low, DIVERGED_Y * 1.25], nice: false },
    axis: {
      values: ticks,
      labelExpr: `datum.value > 1 ? 'diverged' : datum.value > 0.89 && datum.value < 0.91 ` +
        `? '90% (chance)' : format(datum.value, '.1~%')`,
      gridDash: [2, 2],
    },
  });
  const x = {
    field: "depth",
    type: "quantitative",
    scale: { type: "log", domain: [depths[0] * 0.85, depths.at(-1)! * 1.18], nice: false },
    axis: { values: depths, format: "d", title: "depth (layers, input and output included)" },
  };
  const { color, strokeDash } = seriesEncodings(style, LEGEND_TITLE, 400);
  const highlighted = (on: number, off: number) => ({
    condition: { param: HIGHLIGHT_PARAM, value: on, empty: true },
    value: off,
  });
  const means = input.summaries.filter((s) => s.mean !== null).map((s) => ({
    architecture: s.label,
    depth: s.depth,
    mean_error: error(s.mean),
    // The best seed has the lowest error.
    low_error: error(s.max),
    high_error: error(s.min),
    mean: s.mean,
    std: s.std ?? 0,
    ci95: ci95(s.mean, s.halfWidth),
    runs: s.runs,
    diverged: s.diverged,
  }));
  const points = input.runs.filter((r) => r.status === "completed" && runAccuracy(r) !== null)
    .map((r) => ({
      architecture: r.label,
      depth: r.depth,
      seed: r.seed,
      accuracy: runAccuracy(r),
      error: error(runAccuracy(r)),
    }));
  // One cross per architecture and depth with diverged runs, spread sideways so that several
  // architectures diverging at the same depth stay apart.
  const divergedGroups = input.summaries.filter((s) => s.diverged > 0);
  const diverged = divergedGroups.map((s) => {
    const here = divergedGroups.filter((d) => d.depth === s.depth);
    const k = here.indexOf(s) - (here.length - 1) / 2;
    const steps = input.runs.filter((r) =>
      r.label === s.label && r.depth === s.depth && r.status === "diverged"
    ).map((r) => r.divergedStep).filter((v) => v !== null).sort((a, b) => a! - b!);
    return {
      architecture: s.label,
      depth: s.depth,
      shown_depth: s.depth * 1.06 ** k,
      y: DIVERGED_Y,
      diverged: `${s.diverged} of ${s.runs} seeds`,
      steps: steps.join(", "),
    };
  });
  return {
    $schema: "https://vega.github.io/schema/vega-lite/v6.json",
    title: figureTitle(input.title, input.provenance),
    width: 600,
    height: 380,
    config: FIGURE_CONFIG,
    layer: [
      {
        data: { values: means },
        mark: { type: "area", opacity: 0.12 },
        encoding: {
          x,
          y: y("low_error"),
          y2: { field: "high_error" },
          color,
          opacity: highlighted(0.14, 0.02),
        },
      },
      {
        data: { values: means },
        params: [
          {
            name: HIGHLIGHT_PARAM,
            select: { type: "point", fields: ["architecture"] },
            bind: "legend",
          },
          // The error axis only: drag to pan, shift + wheel to zoom (a plain wheel still
          // scrolls the page), to pull apart the lines bunched at a few percent.
          {
            name: "zoom",
            select: { type: "interval", encodings: ["y"], zoom: "wheel![event.shiftKey]" },
            bind: "scales",
          },
        ],
        mark: { type: "line", strokeWidth: 2.5, point: { filled: true, size: 30 } },
        encoding: {
          x,
          y: y("mean_error"),
          color,
          strokeDash,
          opacity: highlighted(1, 0.12),
          tooltip: [
            { field: "architecture", type: "nominal" },
            { field: "depth", type: "quantitative" },
            { field: "mean", type: "quantitative", format: ".2%", title: "mean accuracy" },
            { field: "std", type: "quantitative", format: ".2%", title: "std over seeds" },
            { field: "ci95", type: "nominal", title: "95% CI of the mean" },
            { field: "runs", type: "quantitative", title: "seeds" },
            { field: "diverged", type: "quantitative", title: "seeds diverged" },
          ],
        },
      },
      {
        data: { values: points },
        mark: { type: "point", filled: false, size: 22, strokeWidth: 1 },
        encoding: {
          x,
          y: y("error"),
          color,
          opacity: highlighted(0.7, 0.06),
          tooltip: [
            { field: "architecture", type: "nominal" },
            { field: "depth", type: "quantitative" },
            { field: "seed", type: "quantitative" },
            { field: "accuracy", type: "quantitative", format: ".2%" },
          ],
        },
      },
      {
        data: { values: [{ y: 1.25 }] },
        mark: { type: "rule", color: "#bbb", strokeDash: [4, 3] },
        encoding: { y: { field: "y", type: "quantitative" } },
      },
      {
        data: { values: diverged },
        mark: { type: "point", shape: "cross", size: 110, filled: true },
        encoding: {
          x: { ...x, field: "shown_depth" },
          y: y("y"),
          color,
          opacity: highlighted(1, 0.12),
          tooltip: [
            { field: "architecture", type: "nominal" },
            { field: "depth", type: "quantitative" },
            { field: "diverged", type: "nominal", title: "diverged" },
            { field: "steps", type: "nominal", title: "at steps" },
          ],
        },
      },
    ],
  };
}
