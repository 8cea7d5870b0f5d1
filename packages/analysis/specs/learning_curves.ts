/**
 * Learning curves: validation accuracy and training loss per epoch, one panel per depth, one
 * colour per architecture (a line per seed), with g(t) drawn on the same epoch axis below.
 *
 * @module
 */

import { FIGURE_CONFIG, figureTitle, type Provenance, type VegaLiteSpec } from "./common.ts";

/** One point of a learning curve. */
export interface CurvePoint {
  readonly architecture: string;
  readonly depth: number;
  readonly seed: number;
  readonly epoch: number;
  readonly validationAccuracy: number | null;
  readonly trainLoss: number | null;
  readonly g: number;
  /** The schedule of g, e.g. `linear tau 10` (one g(t) line per schedule). */
  readonly schedule: string;
  /**
   * Whether the run's network depends on g (a GradNet layer, gradual batch norm or dropout, or
   * optimiser interpolation). Only these runs' schedules are drawn: a baseline logs a g it ignores.
   */
  readonly gradual: boolean;
  /** False for the partial epoch in which a run diverged (left out of the curves). */
  readonly completed: boolean;
}

/** Input of {@linkcode learningCurvesSpec}. */
export interface LearningCurvesInput {
  readonly title: string;
  readonly points: readonly CurvePoint[];
  readonly provenance: Provenance;
}

/**
 * The Vega-Lite spec of the learning curves.
 *
 * @example
 * ```ts ignore
 * const spec = learningCurvesSpec({ title, points, provenance });
 * ```
 */
export function learningCurvesSpec(input: LearningCurvesInput): VegaLiteSpec {
  const labels = [...new Set(input.points.map((p) => p.architecture))];
  const depths = [...new Set(input.points.map((p) => p.depth))].sort((a, b) => a - b);
  // The partial epoch of a diverged run has no evaluation and a meaningless mean loss; the
  // divergence itself is marked in the headline figure and the tables.
  const values = input.points.filter((p) => p.completed).map((p) => ({
    architecture: p.architecture,
    depth: p.depth,
    seed: p.seed,
    epoch: p.epoch,
    validation_accuracy: p.validationAccuracy,
    // The log scale cannot show a loss of 0 or none (epoch 0 has no training loss).
    train_loss: p.trainLoss !== null && p.trainLoss > 0 ? p.trainLoss : null,
    g: p.g,
  }));
  const color = { field: "architecture", type: "nominal", scale: { domain: labels } };
  const x = { field: "epoch", type: "quantitative", title: "epoch" };
  const column = {
    field: "depth",
    type: "ordinal",
    sort: depths,
    header: { title: "depth", labelExpr: "'depth ' + datum.value" },
  };
  const tooltip = [
    { field: "architecture", type: "nominal" },
    { field: "depth", type: "quantitative" },
    { field: "seed", type: "quantitative" },
    { field: "epoch", type: "quantitative" },
    { field: "validation_accuracy", type: "quantitative", format: ".2%" },
    { field: "train_loss", type: "quantitative", format: ".4f" },
    { field: "g", type: "quantitative", format: ".3f" },
  ];
  const panel = (field: string, title: string, scale: Record<string, unknown>) => ({
    facet: { column },
    spec: {
      width: 150,
      height: 150,
      mark: { type: "line", point: { size: 12 }, strokeWidth: 1.2, opacity: 0.85 },
      encoding: {
        x,
        y: { field, type: "quantitative", title, scale },
        color,
        detail: { field: "seed", type: "nominal" },
        tooltip,
      },
    },
  });
  // One line per schedule: runs with the same schedule share their g(t).
  const schedule = [
    ...new Map(
      input.points.filter((p) => p.completed && p.gradual).map((p) => [
        `${p.schedule}|${p.epoch}`,
        { schedule: p.schedule, epoch: p.epoch, g: p.g },
      ]),
    ).values(),
  ];
  const schedules = [...new Set(schedule.map((v) => v.schedule))];
  return {
    $schema: "https://vega.github.io/schema/vega-lite/v6.json",
    title: figureTitle(input.title, input.provenance),
    config: FIGURE_CONFIG,
    data: { values },
    vconcat: [
      panel("validation_accuracy", "validation accuracy", { zero: false }),
      panel("train_loss", "training loss (log)", { type: "log" }),
      {
        data: { values: schedule },
        width: 150,
        height: 70,
        title: { text: "g(t): the interpolation weight of the GradNet layers", fontSize: 11 },
        mark: { type: "line", color: "#444", interpolate: "linear" },
        encoding: {
          x,
          y: { field: "g", type: "quantitative", scale: { domain: [0, 1] }, title: "g" },
          strokeDash: {
            field: "schedule",
            type: "nominal",
            scale: { domain: schedules },
            legend: { title: "schedule of g" },
          },
        },
      },
    ],
  };
}
