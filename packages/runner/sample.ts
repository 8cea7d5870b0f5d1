/**
 * A seeded, stratified sample of stored runs that fits a time budget: what `deno task verify`
 * retrains by default. Every experiment, dataset, architecture and depth band is represented
 * as far as the budget allows, cheap runs first, before any stratum is repeated.
 *
 * @module
 */

import { Random } from "@gradnets/core";

/** A stored run as the sampler sees it: its strata and its estimated cost. */
export interface SampleCandidate {
  /** The run's id. */
  readonly id: string;
  /** The experiment that declared it. */
  readonly experiment: string;
  /** Its dataset. */
  readonly dataset: string;
  /** Its architecture as labelled in figures (runs.csv `label`), e.g. `grelu-leaky+gradual-bn`. */
  readonly label: string;
  /** Its depth. */
  readonly depth: number;
  /** How it ended: `completed` or `diverged` (a diverged run checks only its first steps). */
  readonly status: string;
  /** Estimated seconds of training on one worker (from the stored timings). */
  readonly seconds: number;
}

/** What {@linkcode sampleRuns} needs besides the candidates. */
export interface SampleOptions {
  /** The wall-clock budget in seconds (see {@linkcode wallSeconds}). */
  readonly budgetSeconds: number;
  /** Worker processes the runs are spread over. */
  readonly workers: number;
  /** The sample's seed: the same seed and candidates give the same sample. */
  readonly seed: number;
}

/** Lower bounds of the depth bands. */
const DEPTH_BANDS = [2, 10, 20, 50, 100, 200] as const;

/**
 * The depth band of a depth, e.g. `20-49`: depths in one band behave alike (the deeper bands
 * are where signals vanish and explode).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { depthBand } from "@gradnets/runner";
 * assert.equal(depthBand(3), "2-9");
 * assert.equal(depthBand(50), "50-99");
 * assert.equal(depthBand(200), "200+");
 * ```
 */
export function depthBand(depth: number): string {
  let i = DEPTH_BANDS.length - 1;
  while (i > 0 && depth < DEPTH_BANDS[i]) i--;
  const next = DEPTH_BANDS[i + 1];
  return next === undefined ? `${DEPTH_BANDS[i]}+` : `${DEPTH_BANDS[i]}-${next - 1}`;
}

/**
 * The strata of a run, one per dimension: `experiment`, `dataset`, `architecture`, `depth`
 * (its band) and `outcome` (completed or diverged).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { strataOf } from "@gradnets/runner";
 * const run = {
 *   id: "a", experiment: "e", dataset: "mnist", label: "grelu", depth: 50, status: "completed",
 *   seconds: 1,
 * };
 * assert.deepEqual(strataOf(run), {
 *   experiment: "e", dataset: "mnist", architecture: "grelu", depth: "50-99", outcome: "completed",
 * });
 * ```
 */
export function strataOf(run: SampleCandidate): Record<Stratum, string> {
  return {
    experiment: run.experiment,
    dataset: run.dataset,
    architecture: run.label,
    depth: depthBand(run.depth),
    outcome: run.status,
  };
}

/** A dimension of the sample's strata. */
export type Stratum = "experiment" | "dataset" | "architecture" | "depth" | "outcome";

/** The dimensions, in the order the record lists them. */
export const STRATA: readonly Stratum[] = [
  "experiment",
  "dataset",
  "architecture",
  "depth",
  "outcome",
];

/**
 * Estimated wall-clock seconds of runs on `workers` worker processes that each take the next
 * run when free, the longest first (as `deno task verify` queues them).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { wallSeconds } from "@gradnets/runner";
 * assert.equal(wallSeconds([30, 20, 10], 2), 30);
 * assert.equal(wallSeconds([30, 20, 10], 1), 60);
 * assert.equal(wallSeconds([], 2), 0);
 * ```
 */
export function wallSeconds(seconds: readonly number[], workers: number): number {
  const loads = new Array(Math.max(1, workers)).fill(0);
  for (const s of [...seconds].sort((a, b) => b - a)) {
    loads[loads.indexOf(Math.min(...loads))] += s;
  }
  return Math.max(...loads);
}

/**
 * A seeded sample of `candidates` whose estimated wall time ({@linkcode wallSeconds}) fits the
 * budget, chosen greedily: first runs that bring strata (an experiment, dataset, architecture,
 * depth band or outcome) not yet in the sample, most new strata per second first; then runs of
 * combinations of all five not yet sampled, cheapest first (so a combination's completed runs
 * are reached, not only its runs that diverged at once); then second
 * runs of each combination, and so on, until no remaining run fits. The seed perturbs each
 * run's cost by a factor in [1, 2), so that another seed picks other runs of similar cost.
 * Returned in the order of `candidates`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { sampleRuns } from "@gradnets/runner";
 * const run = (id: string, label: string, depth: number, seconds: number) =>
 *   ({ id, experiment: "study", dataset: "mnist", label, depth, status: "completed", seconds });
 * const candidates = [
 *   run("a", "grelu", 10, 5), run("b", "grelu", 100, 60), run("c", "plain", 10, 5),
 *   run("d", "plain", 100, 600),
 * ];
 * const sample = sampleRuns(candidates, { budgetSeconds: 70, workers: 1, seed: 1 });
 * assert.deepEqual(sample.map((r) => r.id), ["a", "b", "c"]); // d does not fit
 * ```
 */
export function sampleRuns<T extends SampleCandidate>(
  candidates: readonly T[],
  options: SampleOptions,
): T[] {
  const random = new Random(options.seed);
  const cost = new Map(
    candidates.map((run) => [run, Math.max(run.seconds, 1e-3) * (1 + random.uniform())]),
  );
  const chosen = new Set<T>();
  const chosenSeconds: number[] = [];
  const covered = new Set<string>();
  const cells = new Map<string, number>();
  const keysOf = (run: T) => {
    const strata = strataOf(run);
    return {
      values: STRATA.map((s) => `${s}=${strata[s]}`),
      cell: STRATA.map((s) => strata[s]).join("|"),
    };
  };
  const keys = new Map(candidates.map((run) => [run, keysOf(run)]));
  const workers = Math.max(1, options.workers);
  let total = 0, longest = 0;
  const fits = (seconds: number) => {
    if (!Number.isFinite(seconds)) return false;
    const sum = total + seconds, max = Math.max(longest, seconds);
    // Bounds of the longest-first schedule first (Graham's), the schedule itself in between.
    if (Math.max(sum / workers, max) > options.budgetSeconds) return false;
    if (sum / workers + max <= options.budgetSeconds) return true;
    return wallSeconds([...chosenSeconds, seconds], workers) <= options.budgetSeconds;
  };
  for (;;) {
    const fitting = candidates.filter((run) => !chosen.has(run) && fits(run.seconds));
    if (fitting.length === 0) break;
    const gain = (run: T) => keys.get(run)!.values.filter((v) => !covered.has(v)).length;
    let pool = fitting.filter((run) => gain(run) > 0);
    let score = (run: T) => gain(run) / cost.get(run)!;
    if (pool.length === 0) {
      // Every stratum that fits is in: the least sampled combinations next, cheapest first.
      const count = (run: T) => cells.get(keys.get(run)!.cell) ?? 0;
      const fewest = Math.min(...fitting.map(count));
      pool = fitting.filter((run) => count(run) === fewest);
      score = (run: T) => 1 / cost.get(run)!;
    }
    const best = pool.reduce((a, b) => (score(b) > score(a) ? b : a));
    chosen.add(best);
    chosenSeconds.push(best.seconds);
    total += best.seconds;
    longest = Math.max(longest, best.seconds);
    const { values, cell } = keys.get(best)!;
    for (const v of values) covered.add(v);
    cells.set(cell, (cells.get(cell) ?? 0) + 1);
  }
  return candidates.filter((run) => chosen.has(run));
}
