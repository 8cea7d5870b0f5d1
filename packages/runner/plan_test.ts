import assert from "node:assert/strict";
import { NOTEBOOK_CONFIG, type RunConfig, runId } from "@gradnets/core";
import { experimentsOf, shardOf, unique, work } from "./plan.ts";

Deno.test("shardOf deals every run to exactly one shard, balanced by work", () => {
  const plan = Array.from({ length: 23 }, (_, i) => ({
    config: { ...NOTEBOOK_CONFIG, depth: [10, 20, 50, 100, 200][i % 5], seed: i } as RunConfig,
  }));
  const shards = [1, 2, 3, 4].map((k) => shardOf(plan, k, 4));
  const ids = shards.flat().map((run) => runId(run.config)).sort();
  assert.deepEqual(ids, plan.map((run) => runId(run.config)).sort());
  const loads = shards.map((shard) => shard.reduce((sum, run) => sum + run.config.depth, 0));
  assert.ok(Math.max(...loads) - Math.min(...loads) <= 200, `loads ${loads}`);
  assert.deepEqual(shardOf(plan, 2, 4), shards[1]);
});

Deno.test("work counts layer-steps, with --limit shrinking the epoch", () => {
  assert.equal(work({ ...NOTEBOOK_CONFIG, dataLimit: 500, depth: 4, epochs: 2 }), 4 * 2 * 10);
  assert.equal(work({ ...NOTEBOOK_CONFIG, batchSize: 100 }), 50 * 20 * 550);
});

Deno.test("unique keeps the first of each id; experimentsOf keeps the order of first runs", () => {
  const run = (experiment: string, id: string) => ({ experiment, config: NOTEBOOK_CONFIG, id });
  const plan = [run("search", "a"), run("study", "a"), run("study", "b"), run("search", "c")];
  assert.deepEqual(unique(plan).map((r) => [r.experiment, r.id]), [
    ["search", "a"],
    ["study", "b"],
    ["search", "c"],
  ]);
  assert.deepEqual(experimentsOf(plan), ["search", "study"]);
});
