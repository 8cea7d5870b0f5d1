import assert from "node:assert/strict";
import { type SampleCandidate, sampleRuns, STRATA, strataOf, wallSeconds } from "./sample.ts";

/** A study-like grid: 2 experiments, 2 datasets, 4 architectures, 4 depths, 3 seeds. */
function grid(): SampleCandidate[] {
  const runs: SampleCandidate[] = [];
  for (const experiment of ["study", "search"]) {
    for (const dataset of ["mnist", "fashion-mnist"]) {
      for (const label of ["grelu", "plain", "residual", "grelu+gradual-bn"]) {
        for (const depth of [10, 20, 50, 200]) {
          for (const seed of [1, 2, 3]) {
            runs.push({
              id: `${experiment}-${dataset}-${label}-${depth}-${seed}`,
              experiment,
              dataset,
              label,
              depth,
              status: label === "plain" && depth === 200 ? "diverged" : "completed",
              seconds: label === "plain" && depth === 200 ? 2 + seed : depth * (1 + seed / 10),
            });
          }
        }
      }
    }
  }
  return runs;
}

const values = (runs: readonly SampleCandidate[]) =>
  new Set(runs.flatMap((r) => STRATA.map((s) => `${s}=${strataOf(r)[s]}`)));
const cell = (r: SampleCandidate) => STRATA.map((s) => strataOf(r)[s]).join("|");

Deno.test("sampleRuns is deterministic for a seed and changes with it", () => {
  const runs = grid();
  const options = { budgetSeconds: 2000, workers: 2, seed: 7 };
  const first = sampleRuns(runs, options).map((r) => r.id);
  assert.deepEqual(sampleRuns(runs, options).map((r) => r.id), first);
  assert.deepEqual(sampleRuns([...runs], options).map((r) => r.id), first);
  assert.notDeepEqual(sampleRuns(runs, { ...options, seed: 8 }).map((r) => r.id), first);
});

Deno.test("sampleRuns respects the budget on the given workers", () => {
  const runs = grid();
  for (const [budgetSeconds, workers] of [[100, 1], [500, 2], [3000, 2], [3000, 4]]) {
    for (const seed of [1, 2, 3]) {
      const sample = sampleRuns(runs, { budgetSeconds, workers, seed });
      assert.ok(sample.length > 0);
      const wall = wallSeconds(sample.map((r) => r.seconds), workers);
      assert.ok(wall <= budgetSeconds, `${wall} > ${budgetSeconds}`);
    }
  }
  assert.deepEqual(sampleRuns(runs, { budgetSeconds: 2, workers: 2, seed: 1 }), []);
  const everything = sampleRuns(runs, { budgetSeconds: 1e9, workers: 2, seed: 1 });
  assert.equal(everything.length, runs.length);
});

Deno.test("sampleRuns covers every stratum, then every combination, before repeating", () => {
  const runs = grid();
  // Enough for every stratum (the deepest band included) but far from every run.
  const sample = sampleRuns(runs, { budgetSeconds: 1500, workers: 2, seed: 3 });
  assert.deepEqual(values(sample), values(runs));
  assert.ok(sample.length < runs.length / 2, `${sample.length} runs`);
  // A combination is sampled twice only when no unsampled combination fits what is left.
  const counts = new Map<string, number>();
  for (const r of sample) counts.set(cell(r), (counts.get(cell(r)) ?? 0) + 1);
  if ([...counts.values()].some((n) => n > 1)) {
    const left = 1500 - wallSeconds(sample.map((r) => r.seconds), 2);
    const unsampled = runs.filter((r) => !counts.has(cell(r)));
    assert.ok(unsampled.every((r) => r.seconds > left), "an unsampled combination would fit");
  }
  // A small budget still reaches every experiment, dataset and outcome, with the cheap runs.
  const small = sampleRuns(runs, { budgetSeconds: 120, workers: 1, seed: 1 });
  for (const s of ["experiment", "dataset", "architecture", "outcome"] as const) {
    assert.equal(
      new Set(small.map((r) => strataOf(r)[s])).size,
      new Set(runs.map((r) => strataOf(r)[s])).size,
      s,
    );
  }
});

Deno.test("runs without a cost estimate are never sampled", () => {
  const runs = grid().map((r, i) => i % 2 ? { ...r, seconds: NaN } : r);
  const sample = sampleRuns(runs, { budgetSeconds: 1e9, workers: 2, seed: 1 });
  assert.ok(sample.every((r) => Number.isFinite(r.seconds)));
});
