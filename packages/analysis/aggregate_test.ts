import assert from "node:assert/strict";
import { describe, headlineGrid, summarizeByDepth } from "./aggregate.ts";
import type { RunRow } from "./tables.ts";

function run(
  label: string,
  depth: number,
  seed: number,
  accuracy: number | null,
  status = "completed",
): RunRow {
  return {
    runId: `${label}-${depth}-${seed}`,
    dataset: "mnist",
    architecture: label,
    label,
    architectureLabel: label,
    depth,
    width: 50,
    seed,
    epochs: 20,
    status: status as RunRow["status"],
    divergedStep: status === "diverged" ? 1234 : null,
    divergedReason: null,
    finalTestAccuracy: status === "completed" ? accuracy : null,
    finalValidationAccuracy: null,
    bestValidationEpoch: accuracy === null ? null : 3,
    bestValidationAccuracy: accuracy,
    testAccuracyAtBestValidation: accuracy,
    columns: {},
  };
}

Deno.test("summarizeByDepth: mean, sample std, min and max over seeds, computed by hand", () => {
  const summaries = summarizeByDepth([
    run("highway", 50, 1, 0.96),
    run("highway", 50, 2, 0.97),
    run("highway", 50, 3, 0.98),
    run("plain", 50, 1, 0.5),
    run("plain", 50, 2, 0.3, "diverged"),
    run("plain", 50, 3, null, "diverged"),
    run("highway", 10, 1, 0.9),
  ]);
  assert.deepEqual(summaries.map((s) => [s.label, s.depth]), [["highway", 10], ["highway", 50], [
    "plain",
    50,
  ]]);
  const highway = summaries[1];
  assert.ok(Math.abs(highway.mean! - 0.97) < 1e-12);
  assert.ok(Math.abs(highway.std! - 0.01) < 1e-12); // sqrt((0.01^2 + 0 + 0.01^2) / 2)
  // t(0.975, 2) = 4.302652729749464 (closed form for 2 degrees of freedom), / sqrt(3).
  assert.ok(Math.abs(highway.halfWidth! - 4.302652729749464 * 0.01 / Math.sqrt(3)) < 1e-12);
  assert.deepEqual([highway.min, highway.max, highway.runs, highway.diverged], [0.96, 0.98, 3, 0]);
  const plain = summaries[2];
  // The diverged run with a pre-divergence accuracy counts; the one without does not.
  assert.deepEqual([plain.runs, plain.diverged, plain.measured], [3, 2, 2]);
  assert.ok(Math.abs(plain.mean! - 0.4) < 1e-12);
  // After the last epoch only completed runs count: one of the three plain runs.
  assert.deepEqual(plain.final, { mean: 0.5, std: null, halfWidth: null, min: 0.5, max: 0.5 });
  assert.equal(plain.finalMeasured, 1);
  assert.equal(summaries[0].std, null);
});

Deno.test("headlineGrid: one row per label, one column per depth, either accuracy", () => {
  const summaries = summarizeByDepth([
    run("plain", 10, 1, 0.9),
    run("plain", 10, 2, 0.8),
    run("plain", 50, 1, 0.4, "diverged"),
  ]);
  const best = headlineGrid(summaries);
  assert.deepEqual(best.columns, ["architecture", "depth 10", "depth 50"]);
  assert.deepEqual(best.rows, [["plain", "85.00 ± 63.53", "40.00 (1/1 diverged)"]]);
  // The fixture's final accuracy equals its best; the diverged run has none.
  assert.deepEqual(headlineGrid(summaries, "final").rows, [[
    "plain",
    "85.00 ± 63.53",
    "- (1/1 diverged)",
  ]]);
});

Deno.test("describe handles empty and single inputs", () => {
  assert.deepEqual(describe([]), { mean: null, std: null, halfWidth: null, min: null, max: null });
  assert.deepEqual(describe([0.5]), { mean: 0.5, std: null, halfWidth: null, min: 0.5, max: 0.5 });
});

Deno.test("collapsed runs: counted per cell at either accuracy, diverged runs never", () => {
  const chance = (r: RunRow) => (r.dataset === "mnist" ? 0.1135 : undefined);
  const summaries = summarizeByDepth([
    run("highway", 200, 1, 0.1135),
    run("highway", 200, 2, 0.1028), // a constant 7
    run("highway", 200, 3, 0.1135, "diverged"),
    run("plain", 200, 1, 0.1186), // half a point and more above chance: learnt something
    run("plain", 200, 2, 0.1185),
  ], { chance });
  assert.deepEqual(summaries.map((s) => [s.label, s.collapsed, s.finalCollapsed]), [
    ["highway", 2, 2],
    ["plain", 1, 1],
  ]);
  assert.deepEqual(headlineGrid(summaries).rows.map((r) => r[1]), [
    "10.99 ± 1.53 (1/3 diverged, 2/3 collapsed)",
    "11.85 ± 0.06 (1/2 collapsed)",
  ]);
  // Without chance levels nothing is marked.
  assert.equal(summarizeByDepth([run("plain", 200, 1, 0.1135)])[0].collapsed, 0);
});
