/**
 * The plan of a study: the runs to do, their size, and how they are dealt to shards.
 *
 * @module
 */

import type { RunConfig } from "@gradnets/core";
import type { RunRecord } from "@gradnets/analysis";

/** A run to do: which experiment declared it, its config and id. */
export interface PlannedRun {
  /** The name of the experiment that declared it (`custom` for a `--config` file). */
  readonly experiment: string;
  /** Its config, after the command's overrides. */
  readonly config: RunConfig;
  /** Its id: the hash of the config and of the versions that affect results. */
  readonly id: string;
}

/** A stored run and its provenance. */
export interface StoredRun {
  /** The run as stored: id, config and result. */
  readonly record: RunRecord;
  /** What trained it: versions, commit, machine (the manifests group runs by it). */
  readonly provenance: Readonly<Record<string, string>>;
}

/**
 * Work of a run in layer-steps: what its training time is proportional to.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { NOTEBOOK_CONFIG } from "@gradnets/core";
 * import { work } from "@gradnets/runner";
 * assert.equal(work(NOTEBOOK_CONFIG), 50 * 20 * 1100); // depth x epochs x steps per epoch
 * ```
 */
export function work(config: RunConfig): number {
  const trainCount = Math.min(config.dataLimit ?? Infinity, 55000);
  return config.depth * config.epochs * Math.floor(trainCount / config.batchSize);
}

/**
 * The runs of shard `index` of `count`: runs are dealt out longest first, each to the shard
 * with the least work so far (ties to the lower shard), so shards take similar time and their
 * union is the whole plan. Depends only on the plan, so every machine computes the same split.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { NOTEBOOK_CONFIG } from "@gradnets/core";
 * import { shardOf } from "@gradnets/runner";
 * const plan = [10, 20, 50, 100].map((depth) => ({ config: { ...NOTEBOOK_CONFIG, depth } }));
 * assert.deepEqual(shardOf(plan, 1, 2).map((run) => run.config.depth), [100]);
 * assert.deepEqual(shardOf(plan, 2, 2).map((run) => run.config.depth), [10, 20, 50]);
 * ```
 */
export function shardOf<T extends { config: RunConfig }>(
  plan: readonly T[],
  index: number,
  count: number,
): T[] {
  const load = new Array(count).fill(0);
  const owner = new Array(plan.length);
  const order = plan.map((_, i) => i).sort((a, b) =>
    work(plan[b].config) - work(plan[a].config) || a - b
  );
  for (const i of order) {
    const target = load.indexOf(Math.min(...load));
    owner[i] = target;
    load[target] += work(plan[i].config);
  }
  return plan.filter((_, i) => owner[i] === index - 1);
}

/**
 * The plan without repeated runs (the first of each id): two experiments may declare one run.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { NOTEBOOK_CONFIG } from "@gradnets/core";
 * import { unique } from "@gradnets/runner";
 * const run = { experiment: "a", config: NOTEBOOK_CONFIG, id: "x" };
 * assert.equal(unique([run, { ...run, experiment: "b" }]).length, 1);
 * ```
 */
export function unique(plan: readonly PlannedRun[]): PlannedRun[] {
  const seen = new Set<string>();
  return plan.filter((run) => !seen.has(run.id) && seen.add(run.id));
}

/**
 * The experiments of a plan, in the order of their first run.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { NOTEBOOK_CONFIG } from "@gradnets/core";
 * import { experimentsOf } from "@gradnets/runner";
 * const run = (experiment: string, id: string) => ({ experiment, config: NOTEBOOK_CONFIG, id });
 * assert.deepEqual(experimentsOf([run("b", "1"), run("a", "2"), run("b", "3")]), ["b", "a"]);
 * ```
 */
export function experimentsOf(plan: readonly PlannedRun[]): string[] {
  return [...new Set(plan.map((run) => run.experiment))];
}
