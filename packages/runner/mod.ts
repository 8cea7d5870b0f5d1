/**
 * The experiment runner of gradnets: experiments are declared as data (a name, a title, the
 * list of run configs, the report page that shows them), and `experimentMain` turns a list of
 * them into the command line of `deno task experiment`: it plans the runs, skips the ones
 * already stored (a run's id hashes its config), trains the rest on one worker process per
 * core, rewrites each experiment's tidy tables after every run, and regenerates the report once
 * every run is stored. `verifyMain`, behind `deno task verify`, retrains a seeded, stratified
 * sample of the stored runs within a time budget (`sampleRuns`) and compares each run file with
 * the stored one byte for byte (`compareRunFiles`). The command-line helpers (`parseOptions`,
 * `runMain`, `UsageError`, ...) give every script the same clear one-line errors with exit
 * code 2.
 *
 * @example Declare an experiment and run it from the command line
 * ```ts ignore
 * import { NOTEBOOK_CONFIG } from "@gradnets/core";
 * import { type Experiment, experimentMain, grid } from "@gradnets/runner";
 *
 * const depths: Experiment = {
 *   name: "depths",
 *   title: "The notebook's network at three depths",
 *   runs: ({ quick }) =>
 *     grid({ depth: [10, 20, 50] }).map(({ depth }) => ({
 *       ...NOTEBOOK_CONFIG,
 *       depth,
 *       epochs: quick ? 1 : 20,
 *     })),
 * };
 * if (import.meta.main) await experimentMain([depths]);
 * ```
 *
 * @example The plan's pieces are plain functions
 * ```ts
 * import assert from "node:assert/strict";
 * import { NOTEBOOK_CONFIG } from "@gradnets/core";
 * import { grid, shardOf } from "@gradnets/runner";
 * const plan = grid({ depth: [10, 50], seed: [1, 2] }).map((axes) => ({
 *   config: { ...NOTEBOOK_CONFIG, ...axes },
 * }));
 * const [first, second] = [shardOf(plan, 1, 2), shardOf(plan, 2, 2)];
 * assert.equal(first.length + second.length, 4);
 * ```
 *
 * @module
 */

export * from "./cli.ts";
export * from "./compare.ts";
export * from "./experiment.ts";
export * from "./headline.ts";
export * from "./plan.ts";
export * from "./pool.ts";
export * from "./runner.ts";
export * from "./sample.ts";
export * from "./verify.ts";
export type { WorkerMessage, WorkerRequest } from "./worker.ts";
