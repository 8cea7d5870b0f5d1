import assert from "node:assert/strict";
import { summarizeByDepth } from "../aggregate.ts";
import type { RunRow } from "../tables.ts";
import { accuracyVsDepthSpec, HIGHLIGHT_PARAM } from "./accuracy_vs_depth.ts";
import { gradientHeatmapSpec, heatmapClip } from "./gradient_heatmap.ts";
import { FOCUS_PARAM, learningCurvesSpec, LOSS_CLIP } from "./learning_curves.ts";

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
  params?: { name: string; bind?: unknown }[];
  mark: { type: string; shape?: string };
  encoding: Record<
    string,
    {
      field?: string;
      scale?: { type?: string; range?: unknown[] };
      condition?: { param?: string; test?: string };
    }
  >;
};

Deno.test("headline: log error against log depth, dashed baselines, a legend that highlights, diverged runs in a row of their own", () => {
  const spec = accuracyVsDepthSpec({
    title: "t",
    runs,
    summaries: summarizeByDepth(runs),
    provenance,
  });
  const layers = spec.layer as Layer[];
  assert.deepEqual(layers.map((l) => l.mark.type), ["area", "line", "point", "rule", "point"]);
  const line = layers[1];
  assert.equal(line.encoding.x.field, "depth");
  assert.equal(line.encoding.x.scale!.type, "log");
  assert.equal(line.encoding.y.field, "mean_error");
  assert.equal(line.encoding.y.scale!.type, "log");
  assert.equal(line.encoding.color.field, "architecture");
  // Baselines first and dashed, GradNets solid.
  assert.deepEqual(line.encoding.strokeDash.scale!.range, [[6, 3], [1, 0]]);
  assert.deepEqual(line.data.values.map((v) => v.architecture), ["grelu", "grelu", "plain"]);
  assert.ok(Math.abs((line.data.values[0].mean_error as number) - 0.05) < 1e-12);
  // The legend-bound selection sets the opacity of every layer but the rule.
  assert.deepEqual(line.params!.map((p) => [p.name, p.bind]), [
    [HIGHLIGHT_PARAM, "legend"],
    ["zoom", "scales"],
  ]);
  for (const layer of [0, 1, 2, 4]) {
    assert.equal(layers[layer].encoding.opacity.condition!.param, HIGHLIGHT_PARAM);
  }
  assert.equal(layers[2].data.values.length, 3); // completed runs with an accuracy
  assert.equal(layers[4].mark.shape, "cross");
  assert.deepEqual(layers[4].data.values.map((v) => [v.architecture, v.depth]), [["plain", 50]]);
  assert.ok((layers[4].data.values[0].y as number) > 1, "the diverged row is above 100% error");
  const title = spec.title as { subtitle: string };
  assert.equal(title.subtitle, "Settings: init he.", "one line, no versions");
  assert.equal((spec.config as { axis: { labelLimit: number } }).axis.labelLimit, 0);
});

Deno.test("headline: the labels it is told depend on g are drawn solid, as GradNets", () => {
  // plain here stands for a baseline made gradual by an option (an input stage, batch norm).
  const spec = accuracyVsDepthSpec({
    title: "t",
    runs,
    summaries: summarizeByDepth(runs),
    provenance,
    gradual: new Set(["plain"]),
  });
  const line = (spec.layer as Layer[])[1];
  assert.deepEqual(line.encoding.strokeDash.scale!.range, [[6, 3], [1, 0]]);
  assert.deepEqual(
    (line.encoding.strokeDash.scale as { domain?: unknown[] }).domain,
    ["grelu", "plain"],
  );
});

Deno.test("learning curves: mean over seeds with a band, log error and clipped log loss by depth, a dropdown, g(t) below", () => {
  const points = [10, 50].flatMap((depth) =>
    [1, 2].flatMap((seed) =>
      [0, 1, 2].map((epoch) => ({
        architecture: "grelu",
        depth,
        seed,
        epoch,
        validationAccuracy: 0.5 + epoch / 10 + seed / 100,
        trainLoss: epoch === 0 ? null : seed === 2 && epoch === 2 ? 1e22 : 1 / epoch,
        g: epoch / 2,
        schedule: "linear tau 2",
        gradual: true,
        completed: true,
      }))
    )
  );
  // A baseline logs g on its own schedule, but nothing of it depends on g: no line of its own.
  points.push(
    ...[0, 1, 2].map((epoch) => ({
      ...points[epoch],
      architecture: "plain",
      g: epoch / 4,
      schedule: "linear tau 4",
      gradual: false,
      completed: epoch < 2,
    })),
  );
  const spec = learningCurvesSpec({ title: "t", points, provenance });
  type Panel = {
    facet?: { column: { field: string } };
    spec?: { layer: Layer[] };
    layer?: Layer[];
    data?: { values: Record<string, unknown>[] };
  };
  const panels = spec.vconcat as Panel[];
  assert.equal(panels.length, 3);
  assert.equal(panels[0].facet!.column.field, "depth");
  const [band, line] = panels[0].spec!.layer;
  assert.equal(band.mark.type, "area");
  assert.equal(line.encoding.y.field, "validation_error");
  assert.equal(line.encoding.y.scale!.type, "log");
  assert.match(line.encoding.opacity.condition!.test!, new RegExp(FOCUS_PARAM));
  assert.equal(panels[1].spec!.layer[1].encoding.y.scale!.type, "log");
  const params = spec.params as { name: string; bind: { input: string; options: string[] } }[];
  assert.deepEqual(params[0].bind.options, ["", "plain", "grelu"]);
  // One g(t) line: 3 epochs of the GradNet's schedule, none for the baseline's.
  assert.deepEqual(panels[2].data!.values.map((v) => v.g), [0, 0.5, 1]);
  const values = (spec.data as { values: Record<string, unknown>[] }).values;
  // Means: 3 epochs x 2 depths of grelu, 2 completed epochs of plain; one diverged mark.
  assert.equal(values.filter((v) => v.kind === "mean").length, 8);
  assert.deepEqual(
    values.filter((v) => v.kind === "diverged").map((v) => [v.architecture, v.epoch]),
    [["plain", 2]],
  );
  const last = values.find((v) => v.architecture === "grelu" && v.depth === 10 && v.epoch === 2)!;
  assert.equal(last.seeds, 2);
  assert.ok(Math.abs((last.validation_error as number) - (1 - 0.715)) < 1e-12);
  assert.equal(last.shown_loss, LOSS_CLIP, "a mean loss above the clip is drawn at it");
  assert.equal(last.clipped, true);
});

Deno.test("gradient heatmap: wrapped panels, each coloured relative to its median and clipped, zeros left blank, layer 0 labelled", () => {
  const cells = ["grelu", "plain"].flatMap((architecture) =>
    [0, 1, 2].flatMap((layer) =>
      [1, 2].map((epoch) => ({
        architecture,
        layer,
        epoch,
        norm: layer === 0 ? 0 : architecture === "plain" ? 10 ** (8 * layer) : 10 ** layer,
      }))
    )
  );
  const spec = gradientHeatmapSpec({ title: "t", cells, provenance });
  const inner = spec.spec as {
    mark: { type: string };
    encoding: Record<
      string,
      { field: string; scale?: { domain?: number[] }; axis?: { values: number[] } }
    >;
  };
  assert.equal(inner.mark.type, "rect");
  assert.deepEqual([inner.encoding.x.field, inner.encoding.y.field], ["epoch", "layer"]);
  assert.equal(inner.encoding.color.field, "relative");
  // 98% of the cells lie within 4 decades of their panel's median.
  assert.equal(heatmapClip(cells), 4);
  assert.deepEqual(inner.encoding.color.scale!.domain, [-4, 4]);
  assert.ok(inner.encoding.y.axis!.values.includes(0), "layer 0 has a tick");
  assert.equal(spec.columns, 2);
  const values = (spec.data as { values: { norm: number | null; relative: number | null }[] })
    .values;
  assert.equal(values.filter((v) => v.norm === null).length, 4);
  // plain: log10 norms 8 and 16, median 12: -4 and +4.
  assert.deepEqual(
    values.filter((_, i) => cells[i].architecture === "plain" && cells[i].layer > 0)
      .map((v) => v.relative),
    [-4, -4, 4, 4],
  );
  // A cell 24 decades out is clipped at the 8 decades the scale may span at most.
  const outlier = [...cells, { architecture: "plain", layer: 3, epoch: 1, norm: 1e40 }];
  const clipped = gradientHeatmapSpec({ title: "t", cells: outlier, provenance });
  const last = (clipped.data as { values: { relative: number }[] }).values.at(-1)!;
  assert.equal(heatmapClip(outlier), 8);
  assert.equal(last.relative, 8);
});
