/**
 * Learning curves: validation error (log axis) and training loss (log axis, clipped to a
 * readable range) per epoch, one panel per depth, one colour per architecture: the mean over
 * seeds with a min..max band. Seeds that diverged are marked where they diverged, and a mean
 * above the clip is drawn at the clip as a triangle. g(t) is drawn on the same epoch axis below,
 * and a dropdown highlights one architecture.
 *
 * @module
 */

import {
  FIGURE_CONFIG,
  figureTitle,
  logTicks,
  type Provenance,
  seriesEncodings,
  seriesStyle,
  type VegaLiteSpec,
} from "./common.ts";

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
   * optimiser interpolation). Only these runs' schedules are drawn: a baseline logs a g it
   * ignores. GradNet series are drawn solid, the others dashed.
   */
  readonly gradual: boolean;
  /** False for the partial epoch in which a run diverged (left out of the curves, marked). */
  readonly completed: boolean;
}

/** Input of {@linkcode learningCurvesSpec}. */
export interface LearningCurvesInput {
  readonly title: string;
  readonly points: readonly CurvePoint[];
  readonly provenance: Provenance;
  /** The legend's title: what a series is. Default `architecture`. */
  readonly seriesTitle?: string;
  /** Training losses above this are drawn at it. Default {@linkcode LOSS_CLIP}. */
  readonly lossClip?: number;
}

/** The default clip of the training loss (the mean loss at chance is ln 10, about 2.3). */
export const LOSS_CLIP = 10;

/** The name of the dropdown-bound parameter that highlights one series. */
export const FOCUS_PARAM = "focus";

/** Mean, minimum and maximum of some numbers. */
function stats(values: number[]): { mean: number; min: number; max: number } {
  return {
    mean: values.reduce((a, b) => a + b, 0) / values.length,
    min: Math.min(...values),
    max: Math.max(...values),
  };
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
  const style = seriesStyle(
    labels,
    new Set(input.points.filter((p) => p.gradual).map((p) => p.architecture)),
  );
  const depths = [...new Set(input.points.map((p) => p.depth))].sort((a, b) => a - b);
  const seriesTitle = input.seriesTitle ?? "architecture";
  const clip = input.lossClip ?? LOSS_CLIP;
  // The mean over seeds of each architecture, depth and epoch (over the seeds that completed it).
  const groups = new Map<string, CurvePoint[]>();
  for (const p of input.points.filter((p) => p.completed)) {
    const key = JSON.stringify([p.architecture, p.depth, p.epoch]);
    groups.set(key, [...(groups.get(key) ?? []), p]);
  }
  const values = [...groups.values()].map((group) => {
    const errors = group.map((p) => p.validationAccuracy).filter((a): a is number => a !== null)
      .map((a) => Math.max(1 - a, 1e-4));
    // The log scale cannot show a loss of 0 or none (epoch 0 has no training loss).
    const losses = group.map((p) => p.trainLoss).filter((l): l is number =>
      l !== null && l > 0 && Number.isFinite(l)
    );
    const error = errors.length > 0 ? stats(errors) : null;
    const loss = losses.length > 0 ? stats(losses) : null;
    return {
      kind: "mean",
      architecture: group[0].architecture,
      depth: group[0].depth,
      epoch: group[0].epoch,
      seeds: group.length,
      validation_error: error?.mean ?? null,
      validation_error_low: error?.min ?? null,
      validation_error_high: error?.max ?? null,
      train_loss: loss?.mean ?? null,
      shown_loss: loss === null ? null : Math.min(loss.mean, clip),
      shown_loss_low: loss === null ? null : Math.min(loss.min, clip),
      shown_loss_high: loss === null ? null : Math.min(loss.max, clip),
      clipped: loss !== null && loss.mean > clip,
    };
  });
  // A facet's layers share its data: the diverged seeds are rows of their own kind.
  const diverged = input.points.filter((p) => !p.completed).map((p) => ({
    kind: "diverged",
    architecture: p.architecture,
    depth: p.depth,
    seed: p.seed,
    epoch: p.epoch,
    shown_loss: clip,
  }));
  const errorValues = values.flatMap((v) =>
    [v.validation_error_low, v.validation_error_high].filter((e): e is number => e !== null)
  );
  const errorLow = Math.min(...errorValues, 0.5) * 0.85;
  const lossValues = values.map((v) => v.shown_loss_low).filter((l): l is number => l !== null);
  const lossLow = Math.min(...lossValues, 1) * 0.8;
  // Say what the dashes mean where there are both kinds (on the static SVG too).
  const legendTitle = style.dashes.some((d) => d[1] !== 0) && style.dashes.some((d) => d[1] === 0)
    ? [seriesTitle, "(dashed: baselines)"]
    : seriesTitle;
  const { color, strokeDash } = seriesEncodings(style, legendTitle, 300);
  const focused = (on: number, off: number) => ({
    condition: {
      test: `${FOCUS_PARAM} === '' || datum.architecture === ${FOCUS_PARAM}`,
      value: on,
    },
    value: off,
  });
  const x = {
    field: "epoch",
    type: "quantitative",
    title: "epoch",
    axis: { values: epochTicks(input.points.map((p) => p.epoch)), format: "d" },
  };
  const column = {
    field: "depth",
    type: "ordinal",
    sort: depths,
    header: { title: null, labelExpr: "'depth ' + datum.value", labelFontSize: 12 },
  };
  const width = depths.length > 3 ? 160 : 260;
  const tooltip = [
    { field: "architecture", type: "nominal", title: seriesTitle },
    { field: "depth", type: "quantitative" },
    { field: "epoch", type: "quantitative" },
    { field: "seeds", type: "quantitative" },
    {
      field: "validation_error",
      type: "quantitative",
      format: ".2%",
      title: "mean validation error",
    },
    { field: "train_loss", type: "quantitative", format: ".4~g", title: "mean training loss" },
  ];
  const panel = (
    field: string,
    title: string,
    scale: Record<string, unknown>,
    ticks: number[],
    format: string,
    extra: Record<string, unknown>[],
  ) => {
    const y = {
      field,
      type: "quantitative",
      title,
      scale,
      axis: { values: ticks, format },
    };
    return {
      facet: { column },
      // Laid out by the plots' widths alone, so that the panels of both rows line up.
      bounds: "flush",
      spacing: 28,
      spec: {
        width,
        height: 150,
        layer: [
          {
            transform: [{ filter: "datum.kind === 'mean'" }],
            mark: { type: "area", opacity: 0.15 },
            encoding: {
              x,
              y: { ...y, field: `${field}_low` },
              y2: { field: `${field}_high` },
              color,
              opacity: focused(0.15, 0.02),
            },
          },
          {
            transform: [{ filter: "datum.kind === 'mean'" }],
            mark: { type: "line", strokeWidth: 1.8 },
            encoding: { x, y, color, strokeDash, opacity: focused(1, 0.1), tooltip },
          },
          ...extra.map((layer) => ({ ...layer, encoding: { x, y, ...layer.encoding as object } })),
        ],
      },
    };
  };
  const lossTicks = logTicks(lossLow, clip);
  // One line per schedule: runs with the same schedule share their g(t).
  const schedule = [
    ...new Map(
      input.points.filter((p) => p.completed && p.gradual).map((p) => [
        `${p.schedule}|${p.epoch}`,
        { schedule: p.schedule, epoch: p.epoch, g: p.g },
      ]),
    ).values(),
  ];
  return {
    $schema: "https://vega.github.io/schema/vega-lite/v6.json",
    title: figureTitle(input.title, input.provenance),
    // The same room for every y axis, so that the panels of a column line up.
    config: { ...FIGURE_CONFIG, axisY: { minExtent: 42 } },
    params: [{
      name: FOCUS_PARAM,
      value: "",
      bind: {
        input: "select",
        options: ["", ...style.domain],
        labels: ["all", ...style.domain],
        name: `highlight ${seriesTitle}: `,
      },
    }],
    data: { values: [...values, ...diverged] },
    vconcat: [
      panel(
        "validation_error",
        "validation error (log)",
        { type: "log", domain: [errorLow, 1], nice: false },
        logTicks(errorLow, 1),
        ".1~%",
        [],
      ),
      panel(
        "shown_loss",
        `training loss (log, clipped at ${clip})`,
        { type: "log", domain: [lossLow, clip * 1.6], nice: false },
        lossTicks,
        "~g",
        [
          {
            transform: [{ filter: "datum.kind === 'mean' && datum.clipped" }],
            mark: { type: "point", shape: "triangle-up", filled: true, size: 40 },
            encoding: { color, opacity: focused(1, 0.1), tooltip },
          },
          {
            transform: [{ filter: "datum.kind === 'diverged'" }],
            mark: { type: "point", shape: "cross", filled: true, size: 60 },
            encoding: {
              color,
              opacity: focused(1, 0.1),
              tooltip: [
                { field: "architecture", type: "nominal", title: seriesTitle },
                { field: "seed", type: "quantitative" },
                { field: "epoch", type: "quantitative", title: "diverged in epoch" },
              ],
            },
          },
        ],
      ),
      {
        data: { values: schedule },
        width,
        height: 60,
        title: { text: "g(t): the interpolation weight of the GradNet layers", fontSize: 11 },
        // Each schedule is named at the end of its line: a legend of its own would split the
        // architectures' legend, which the panels above share.
        layer: [
          {
            mark: { type: "line", color: "#444", interpolate: "linear" },
            encoding: {
              x,
              y: {
                field: "g",
                type: "quantitative",
                scale: { domain: [0, 1] },
                title: "g",
                axis: { values: [0, 0.5, 1] },
              },
              detail: { field: "schedule", type: "nominal" },
            },
          },
          {
            transform: [
              { joinaggregate: [{ op: "max", field: "epoch", as: "last" }], groupby: ["schedule"] },
              { filter: "datum.epoch === datum.last" },
            ],
            mark: { type: "text", align: "left", dx: 6, fontSize: 10, color: "#444" },
            encoding: {
              x,
              y: { field: "g", type: "quantitative" },
              text: { field: "schedule", type: "nominal" },
            },
          },
        ],
      },
    ],
  };
}

/** Epoch ticks: 0 (or the first), then every 5 epochs, or every epoch for short runs. */
function epochTicks(epochs: number[]): number[] {
  const last = Math.max(...epochs);
  const first = Math.min(...epochs);
  const step = last - first > 10 ? 5 : 1;
  const ticks = [];
  for (let e = first; e <= last; e++) if (e === first || e % step === 0) ticks.push(e);
  return ticks;
}
