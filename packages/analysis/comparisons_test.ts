import assert from "node:assert/strict";
import { comparisonText, headlineComparisons, lateLabels } from "./comparisons.ts";
import type { RunRow } from "./tables.ts";

function run(
  architecture: string,
  label: string,
  depth: number,
  seed: number,
  accuracy: number | null,
  extra: Partial<RunRow> = {},
): RunRow {
  return {
    runId: `${label}-${depth}-${seed}`,
    dataset: "mnist",
    architecture,
    label,
    architectureLabel: label.replace(/\+.*/, ""),
    depth,
    width: 50,
    seed,
    epochs: 20,
    status: accuracy === null ? "diverged" : "completed",
    divergedStep: null,
    divergedReason: null,
    finalTestAccuracy: accuracy,
    finalValidationAccuracy: accuracy,
    bestValidationEpoch: accuracy === null ? null : 3,
    bestValidationAccuracy: accuracy,
    testAccuracyAtBestValidation: accuracy,
    columns: { batch_norm: label.includes("gradual-bn") ? "gradual" : "none" },
    ...extra,
  };
}

// A study in miniature: 3 seeds, two depths, the late architectures of every GradNet.
const runs: RunRow[] = [1, 2, 3].flatMap((seed) => [
  run("plain", "plain-71", 200, seed, 0.5, { width: 71 }),
  run("plain", "plain-50", 200, seed, 0.1 + seed / 1000),
  run("residual", "residual", 200, seed, null),
  run("rezero", "rezero", 200, seed, 0.97 + seed / 1000),
  run("grelu", "grelu-vp", 200, seed, 0.94 + seed / 1000),
  run("grelu-leaky", "grelu-leaky+gradual-bn", 200, seed, 0.9 + seed / 100),
  run("gradual-residual", "gradual-residual", 200, seed, 0.971 + seed / 500),
  run("plain", "plain-50", 10, seed, 0.96 + seed / 1000),
  run("grelu", "grelu", 10, seed, 0.96 + seed / 1000),
]);

Deno.test("late architectures: the registry's late kind, the same width, nothing gradual", () => {
  const at200 = runs.filter((r) => r.depth === 200);
  assert.deepEqual(lateLabels(at200, "grelu-vp"), ["plain-50"]);
  assert.deepEqual(lateLabels(at200, "grelu-leaky+gradual-bn"), ["plain-50"]);
  assert.deepEqual(lateLabels(at200, "gradual-residual"), ["residual"]);
  assert.deepEqual(lateLabels(at200, "no-such-label"), []);
  // The late kind's options must agree: scale 0.3 becomes the scaled residual of scale 0.3.
  const scaled = (architecture: string, label: string, scale: string) =>
    run(architecture, label, 200, 1, 0.9, { columns: { architecture_scale: scale } });
  const withScales = [
    scaled("scaled-residual", "scaled-residual", ""),
    scaled("scaled-residual", "scaled-residual-0.3", "0.3"),
    scaled("scaled-gradual-residual", "scaled-gradual-residual-0.3", "0.3"),
    scaled("scaled-gradual-residual", "scaled-gradual-residual", ""),
  ];
  assert.deepEqual(lateLabels(withScales, "scaled-gradual-residual-0.3"), ["scaled-residual-0.3"]);
  assert.deepEqual(lateLabels(withScales, "scaled-gradual-residual"), ["scaled-residual"]);
  // A baseline made gradual by batch norm alone becomes itself without it.
  const gradualPlain = run("plain", "plain-50+gradual-bn", 200, 1, 0.9);
  assert.deepEqual(lateLabels([...at200, gradualPlain], "plain-50+gradual-bn"), ["plain-50"]);
});

Deno.test("headline comparisons: best against best, then each GradNet against its late form", () => {
  const comparisons = headlineComparisons(runs);
  const rows = comparisons.map((c) => [c.kind, c.depth, c.gradNet.label, c.baseline.label]);
  assert.deepEqual(rows, [
    ["best", 10, "grelu", "plain-50"],
    ["late", 10, "grelu", "plain-50"],
    ["best", 200, "gradual-residual", "rezero"],
    ["late", 200, "grelu-vp", "plain-50"],
    ["late", 200, "grelu-leaky+gradual-bn", "plain-50"],
    ["late", 200, "gradual-residual", "residual"],
  ]);
  // Identical sides: no difference, p = 1 by both tests.
  const same = comparisons[0];
  assert.equal(same.difference, 0);
  assert.equal(same.welch!.p, 1);
  assert.equal(same.permutation!.p, 1);
  // gradual-residual 0.973, 0.975, 0.977 against rezero 0.971, 0.972, 0.973.
  const best = comparisons[2];
  assert.ok(Math.abs(best.difference! - 0.003) < 1e-12);
  assert.equal(best.permutation!.splits, 20);
  assert.equal(best.permutation!.extreme, 4); // the observed split, its mirror, and one tie each
  assert.ok(best.welch!.p > 0.05 && best.welch!.p < 0.2, String(best.welch!.p));
  // Every residual run diverged before an epoch: no test, and the text says why.
  const residual = comparisons[5];
  assert.deepEqual([residual.difference, residual.welch, residual.permutation], [null, null, null]);
  assert.equal(
    comparisonText(residual),
    "no test (97.50 vs -; 3 vs 0 runs; residual: 3 of 3 diverged without an accuracy)",
  );
  assert.match(
    comparisonText(comparisons[3]),
    /^\+84\.00 points \(94\.20 vs 10\.20; Welch p < 0\.001/,
  );
});

Deno.test("headline comparisons: the gradual input stage against both of its ends", () => {
  const stage = (kind: string, seed: number, accuracy: number) =>
    run("rezero", `rezero+${kind}-2x2`, 20, seed, accuracy, {
      columns: { batch_norm: "none", input_stage: kind, input_stage_window: "2" },
    });
  const attentionRuns = [1, 2, 3].flatMap((seed) => [
    stage("gradual-pool", seed, 0.975 + seed / 1000),
    stage("average-pool", seed, 0.97 + seed / 1000),
    stage("attention-pool", seed, 0.96 + seed / 1000),
    run("rezero", "rezero", 20, seed, 0.972 + seed / 1000),
  ]);
  const rows = headlineComparisons(attentionRuns).map((c) => [
    c.kind,
    c.gradNet.label,
    c.baseline.label,
    Math.round(1000 * c.difference!),
  ]);
  assert.deepEqual(rows, [
    ["best", "rezero+gradual-pool-2x2", "rezero", 3],
    ["late", "rezero+gradual-pool-2x2", "rezero+attention-pool-2x2", 15],
    ["early", "rezero+gradual-pool-2x2", "rezero+average-pool-2x2", 5],
  ]);
});
