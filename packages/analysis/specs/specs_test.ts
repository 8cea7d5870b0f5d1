import assert from "node:assert/strict";
import { summarizeByDepth } from "../aggregate.ts";
import type { RunRow } from "../tables.ts";
import { accuracyVsDepthSpec } from "./accuracy_vs_depth.ts";
import { gradientHeatmapSpec } from "./gradient_heatmap.ts";
import { learningCurvesSpec } from "./learning_curves.ts";

const provenance = {
  settings: "Settings: init he.",
  versions: "Trained: 4 runs with tfjs 4.22.0.",
};

const runs: RunRow[] = [["grelu", 10, 1, 0.95], ["grelu", 50, 1, 0.9], ["plain", 10, 1, 0.94], [
  "plain",
  50,
  1,
  null,
]]
  .map(([label, depth, seed, accuracy]) => ({
    runId: `${label}${depth}`,
    dataset: "mnist",
    architecture: label as string,
    label: label as string,
    architectureLabel: label as string,
    depth: depth as number,
    width: 50,
    seed: seed as number,
    epochs: 2,
    status: accuracy === null ? "diverged" : "completed",
    divergedStep: accuracy === null ? 7 : null,
    divergedReason: null,
    finalTestAccuracy: accuracy as number | null,
    finalValidationAccuracy: null,
    bestValidationEpoch: null,
    bestValidationAccuracy: null,
    testAccuracyAtBestValidation: accuracy as number | null,
    columns: {},
  }));

type Layer = {
  data: { values: Record<string, unknown>[] };
  mark: { type: string; shape?: string };
  encoding: Record<string, { field?: string; scale?: { type?: string } }>;
};

Deno.test("accuracy against depth: log depth axis, a line per architecture, seeds as points, diverged runs as crosses", () => {
  const spec = accuracyVsDepthSpec({
    title: "t",
    runs,
    summaries: summarizeByDepth(runs),
    provenance,
  });
  const layers = spec.layer as Layer[];
  assert.deepEqual(layers.map((l) => l.mark.type), ["area", "line", "point", "point"]);
  const line = layers[1];
  assert.equal(line.encoding.x.field, "depth");
  assert.equal(line.encoding.x.scale!.type, "log");
  assert.equal(line.encoding.color.field, "architecture");
  assert.equal(new Set(line.data.values.map((v) => v.architecture)).size, 2); // two series
  assert.equal(layers[2].data.values.length, 3); // completed runs with an accuracy
  assert.equal(layers[3].mark.shape, "cross");
  assert.deepEqual(layers[3].data.values.map((v) => [v.architecture, v.depth]), [["plain", 50]]);
  const title = spec.title as { subtitle: string[] };
  assert.ok(title.subtitle.join(" ").includes("tfjs 4.22.0"), "the figure states its versions");
  assert.equal((spec.config as { axis: { labelLimit: number } }).axis.labelLimit, 0);
});

Deno.test("learning curves: accuracy and log loss faceted by depth, g(t) on the same epoch axis", () => {
  const points = [10, 50].flatMap((depth) =>
    [0, 1, 2].map((epoch) => ({
      architecture: "grelu",
      depth,
      seed: 1,
      epoch,
      validationAccuracy: 0.5 + epoch / 10,
      trainLoss: epoch === 0 ? null : 1 / epoch,
      g: epoch / 2,
      schedule: "linear tau 2",
      gradual: true,
      completed: true,
    }))
  );
  // A baseline logs g on its own schedule, but nothing of it depends on g: no line of its own.
  points.push(
    ...[0, 1, 2].map((epoch) => ({
      ...points[epoch],
      architecture: "plain",
      g: epoch / 4,
      schedule: "linear tau 4",
      gradual: false,
    })),
  );
  const spec = learningCurvesSpec({ title: "t", points, provenance });
  const panels = spec.vconcat as {
    facet?: { column: { field: string } };
    spec?: { encoding: Record<string, { field: string; scale?: { type?: string } }> };
    encoding?: Record<string, { field: string }>;
    data?: { values: unknown[] };
  }[];
  assert.equal(panels.length, 3);
  assert.equal(panels[0].facet!.column.field, "depth");
  assert.equal(panels[0].spec!.encoding.y.field, "validation_accuracy");
  assert.equal(panels[1].spec!.encoding.y.scale!.type, "log");
  assert.equal(panels[2].encoding!.x.field, "epoch");
  assert.equal(panels[2].encoding!.y.field, "g");
  // One g(t) line: 3 epochs of the GradNet's schedule, none for the baseline's.
  assert.deepEqual(
    panels[2].data!.values.map((v) => (v as { g: number }).g),
    [0, 0.5, 1],
  );
  assert.equal((spec.data as { values: unknown[] }).values.length, 9);
});

Deno.test("gradient heatmap: layer x epoch rects on a log colour scale, a panel per architecture, zeros left blank", () => {
  const cells = ["grelu", "plain"].flatMap((architecture) =>
    [0, 1, 2].flatMap((layer) =>
      [1, 2].map((epoch) => ({ architecture, layer, epoch, norm: layer === 0 ? 0 : 10 ** layer }))
    )
  );
  const spec = gradientHeatmapSpec({ title: "t", cells, provenance });
  const inner = spec.spec as {
    mark: { type: string };
    encoding: Record<string, { field: string; scale?: { type: string } }>;
  };
  assert.equal(inner.mark.type, "rect");
  assert.deepEqual([inner.encoding.x.field, inner.encoding.y.field], ["epoch", "layer"]);
  assert.equal(inner.encoding.color.scale!.type, "log");
  assert.equal((spec.facet as { column: { field: string } }).column.field, "architecture");
  const values = (spec.data as { values: { norm: number | null }[] }).values;
  assert.equal(values.filter((v) => v.norm === null).length, 4);
});
