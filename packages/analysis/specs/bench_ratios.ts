/**
 * The bench at a glance: the time of GradNets' training step and evaluation divided by
 * PyTorch's on the same network and machine, against depth, one line per architecture; below 1
 * is faster than PyTorch.
 *
 * @module
 */

import { FIGURE_CONFIG, type VegaLiteSpec } from "./common.ts";

const PALETTE = [
  "#4c78a8",
  "#f58518",
  "#e45756",
  "#72b7b2",
  "#54a24b",
  "#eeca3b",
  "#b279a2",
  "#ff9da6",
  "#9d755d",
  "#bab0ac",
  "#000000",
];

/** One measured configuration of the bench: medians, ours and PyTorch's. */
export interface BenchPoint {
  /** The series: the architecture (with the backend, when the bench ran several). */
  readonly architecture: string;
  readonly depth: number;
  /** Median ms per training step: ours, PyTorch's; null where not measured. */
  readonly trainMs: number | null;
  readonly torchTrainMs: number | null;
  /** ours / PyTorch; null where not comparable (a diverged step, no PyTorch). */
  readonly trainRatio: number | null;
  /** Median ms per evaluation of the test images: ours, PyTorch's. */
  readonly evalMs: number | null;
  readonly torchEvalMs: number | null;
  readonly evalRatio: number | null;
}

/** Input of {@linkcode benchRatiosSpec}. */
export interface BenchRatiosInput {
  readonly title: string;
  readonly points: readonly BenchPoint[];
  /** A dashed line per panel, e.g. the goals: training 0.8, evaluation 1.5 (optional). */
  readonly goals?: { readonly train?: number; readonly eval?: number };
}

/**
 * The Vega-Lite spec of the bench figure: two panels (training step, evaluation) sharing a log
 * ratio axis, with PyTorch's time as the line at 1. Clicking an architecture in the legend
 * highlights it.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { benchRatiosSpec } from "@gradnets/analysis";
 * const spec = benchRatiosSpec({
 *   title: "ours / PyTorch",
 *   points: [{
 *     architecture: "grelu", depth: 10, trainMs: 0.6, torchTrainMs: 0.9, trainRatio: 0.67,
 *     evalMs: 55, torchEvalMs: 22, evalRatio: 2.5,
 *   }],
 * });
 * assert.equal((spec.hconcat as unknown[]).length, 2);
 * ```
 */
export function benchRatiosSpec(input: BenchRatiosInput): VegaLiteSpec {
  const architectures = [...new Set(input.points.map((p) => p.architecture))];
  const depths = [...new Set(input.points.map((p) => p.depth))].sort((a, b) => a - b);
  const ratios = input.points.flatMap((p) => [p.trainRatio, p.evalRatio])
    .filter((r): r is number => r !== null && r > 0);
  const goals = [input.goals?.train, input.goals?.eval].filter((g): g is number => g !== undefined);
  const low = Math.min(1, ...ratios, ...goals), high = Math.max(1, ...ratios, ...goals);
  const y = {
    field: "ratio",
    type: "quantitative",
    scale: { type: "log", domain: [low / 1.15, high * 1.15], nice: false },
    axis: { format: ".1f", title: "time, ours / PyTorch (log scale; below 1: faster)" },
  };
  const x = {
    field: "depth",
    type: "quantitative",
    scale: {
      type: "log",
      domain: [(depths[0] ?? 10) * 0.85, (depths.at(-1) ?? 10) * 1.15],
      nice: false,
    },
    axis: { values: depths, format: "d", title: "depth (layers)" },
  };
  const color = {
    field: "architecture",
    type: "nominal",
    // Tableau 10 and black: one colour per architecture up to 11 (the default repeats at 11).
    scale: {
      domain: architectures,
      range: architectures.map((_, i) => PALETTE[i % PALETTE.length]),
    },
    title: "architecture (click to highlight)",
  };
  const highlight = { param: "pick", empty: true };
  const opacity = { condition: { ...highlight, value: 1 }, value: 0.15 };
  const panel = (
    title: string,
    ratio: (p: BenchPoint) => number | null,
    ours: (p: BenchPoint) => number | null,
    torch: (p: BenchPoint) => number | null,
    goal: number | undefined,
    first: boolean,
  ) => {
    const values = input.points.filter((p) => ratio(p) !== null).map((p) => ({
      architecture: p.architecture,
      depth: p.depth,
      ratio: ratio(p),
      ours_ms: ours(p),
      torch_ms: torch(p),
    }));
    const tooltip = [
      { field: "architecture", type: "nominal" },
      { field: "depth", type: "quantitative" },
      { field: "ratio", type: "quantitative", format: ".2f", title: "ours / PyTorch" },
      { field: "ours_ms", type: "quantitative", format: ".3~f", title: "ours, ms" },
      { field: "torch_ms", type: "quantitative", format: ".3~f", title: "PyTorch, ms" },
    ];
    const rules = [
      { ratio: 1, text: "PyTorch" },
      ...(goal === undefined ? [] : [{
        ratio: goal,
        text: `goal ${goal}`,
      }]),
    ];
    return {
      title: { text: title, anchor: "middle", fontSize: 13 },
      width: 360,
      height: 300,
      layer: [
        {
          data: { values: rules },
          mark: { type: "rule", color: "#888" },
          encoding: {
            y: { field: "ratio", type: "quantitative" },
            strokeDash: {
              condition: { test: "datum.ratio === 1", value: [1, 0] },
              value: [5, 4],
            },
          },
        },
        {
          data: { values: rules },
          // Beside the panel's right edge, clear of the lines, which start and end at the
          // first and last depth.
          mark: { type: "text", align: "left", dx: 4, color: "#666", fontSize: 10 },
          encoding: {
            x: { datum: (depths.at(-1) ?? 10) * 1.15 },
            y: { field: "ratio", type: "quantitative" },
            text: { field: "text" },
          },
        },
        {
          data: { values },
          mark: { type: "line", point: { size: 50, filled: true } },
          ...(first
            ? {
              params: [{
                name: "pick",
                select: { type: "point", fields: ["architecture"] },
                bind: "legend",
              }],
            }
            : {}),
          encoding: { x, y, color, opacity, tooltip },
        },
      ],
    };
  };
  return {
    $schema: "https://vega.github.io/schema/vega-lite/v6.json",
    title: { text: input.title, anchor: "start" },
    // The legend clears the labels beside the right panel.
    config: { ...FIGURE_CONFIG, legend: { ...FIGURE_CONFIG.legend, offset: 60 } },
    resolve: { scale: { y: "shared", color: "shared" } },
    // Room beside each panel for the labels of its rules.
    spacing: 56,
    hconcat: [
      panel(
        "training step",
        (p) => p.trainRatio,
        (p) => p.trainMs,
        (p) => p.torchTrainMs,
        input.goals?.train,
        true,
      ),
      panel(
        "evaluation of the test images",
        (p) => p.evalRatio,
        (p) => p.evalMs,
        (p) => p.torchEvalMs,
        input.goals?.eval,
        false,
      ),
    ],
  };
}
