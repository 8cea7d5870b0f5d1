/**
 * The plan of a study: the runs to do, their size, and how they are dealt to shards.
 *
 * @module
 */

import type { RunConfig } from "@gradnets/core";
import type { RunRecord } from "@gradnets/analysis";

/** A run to do: which experiment declared it, its config and id. */
export interface PlannedRun {
  readonly experiment: string;
  readonly config: RunConfig;
  readonly id: string;
}

/** A stored run and its provenance. */
export interface StoredRun {
  readonly record: RunRecord;
  readonly provenance: Readonly<Record<string, string>>;
}

/** Work of a run in layer-steps: what its training time is proportional to. */
export function work(config: RunConfig): number {
  const trainCount = Math.min(config.dataLimit ?? Infinity, 55000);
  return config.depth * config.epochs * Math.floor(trainCount / config.batchSize);
}

/**
 * The runs of shard `index` of `count`: runs are dealt out longest first, each to the shard
 * with the least work so far (ties to the lower shard), so shards take similar time and their
 * union is the whole plan. Depends only on the plan, so every machine computes the same split.
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

export function unique(plan: readonly PlannedRun[]): PlannedRun[] {
  const seen = new Set<string>();
  return plan.filter((run) => !seen.has(run.id) && seen.add(run.id));
}

export function experimentsOf(plan: readonly PlannedRun[]): string[] {
  return [...new Set(plan.map((run) => run.experiment))];
}
