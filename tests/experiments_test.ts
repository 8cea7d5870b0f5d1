// The published experiments as declared: each file runs alone, each has its page in the report,
// and the notebook's signal table is computed from freshly initialised networks, byte for byte
// the data of the report's figure.

import assert from "node:assert/strict";
import { join } from "node:path";
import { runScript } from "./_command.ts";
import { runId, validateConfig } from "@gradnets/core";
import { attention } from "../experiments/attention.ts";
import { depthStudy } from "../experiments/depth-study.ts";
import { EXPERIMENTS } from "../experiments/main.ts";
import { seedNotebook } from "../experiments/seed-notebook.ts";
import { studyV2 } from "../experiments/study-v2.ts";
import {
  ARCHITECTURE_ENTRIES,
  CHOSEN_200,
  depth200Setting,
  V2_ENTRIES,
} from "../experiments/settings.ts";

Deno.test("each experiment declares its own report page", () => {
  assert.deepEqual(EXPERIMENTS.map((e) => [e.name, e.report?.page]), [
    ["seed-notebook", "notebook"],
    ["search", "search"],
    ["depth-study", "depth-study"],
    ["search-v2", "search"],
    ["search-200", "search"],
    ["study-v2", "depth-study"],
    ["attention", "depth-study"],
  ]);
});

Deno.test("study v2 adds to v1: 14 architectures, 5 seeds at depths 50 and 200, v1's runs shared", () => {
  const runs = studyV2.runs({ quick: false });
  const ids = new Set(runs.map(runId));
  assert.equal(ids.size, runs.length);
  const count = (depth: number) => runs.filter((c) => c.depth === depth).length;
  assert.deepEqual([10, 20, 50, 100, 200].map(count), [84, 84, 140, 84, 140]);
  // Every v1 config below depth 200 is the same run, with the same id: it is not trained twice;
  // at depth 200 only the architectures that keep their depth-50 setting share v1's runs.
  const v1 = depthStudy.runs({ quick: false });
  for (const config of v1.filter((c) => c.depth < 200)) {
    assert.ok(ids.has(runId(config)), `v1 run ${runId(config)} is not in study v2`);
  }
  const shared = v1.filter((c) => ids.has(runId(c)));
  const keep200 = [...ARCHITECTURE_ENTRIES].filter((e) => CHOSEN_200[e.name] === undefined);
  assert.equal(shared.length, 240 + keep200.length * 2 * 3);
  assert.equal(runs.length - shared.length, 274, "the runs study-v2.ts declares it adds");
  for (const name of Object.keys(CHOSEN_200)) {
    assert.ok(
      [...ARCHITECTURE_ENTRIES, ...V2_ENTRIES].some((e) => e.name === name),
      `CHOSEN_200 names ${name}, which is no architecture of the studies`,
    );
  }
  // At depth 200 each architecture trains with its depth-200 setting.
  for (const entry of [...ARCHITECTURE_ENTRIES, ...V2_ENTRIES]) {
    const at200 = runs.filter((c) =>
      c.depth === 200 && c.width === entry.width &&
      JSON.stringify(c.architecture) === JSON.stringify(entry.architecture)
    );
    assert.equal(at200.length, 10, entry.name);
    const setting = depth200Setting(entry);
    for (const c of at200) assert.deepEqual(c.optimizer, setting.optimizer, entry.name);
  }
  for (const config of runs) validateConfig(config);
});

Deno.test("an experiment file run alone lists and runs only its own experiment", async (t) => {
  for (const experiment of EXPERIMENTS) {
    await t.step(experiment.name, async () => {
      const help = await runScript(`experiments/${experiment.name}.ts`, "--help");
      assert.equal(help.code, 0, help.stderr);
      const section =
        help.stdout.split("Experiments (default: all of them):\n")[1].split("\n\n")[0];
      assert.deepEqual(section.split("\n").map((line) => line.trim().split(/\s+/)[0]), [
        experiment.name,
      ]);
      const list = await runScript(`experiments/${experiment.name}.ts`, "--list", "--quick");
      assert.equal(list.code, 0, list.stderr);
      const names = new Set(list.stdout.trim().split("\n").map((line) => line.split("\t")[0]));
      assert.deepEqual([...names], [experiment.name]);
    });
  }
});

Deno.test("the notebook's signal table: deterministic, and the report's figure data", async () => {
  const dir = await Deno.makeTempDir();
  try {
    await seedNotebook.extraTables!(join(dir, "a"));
    await seedNotebook.extraTables!(join(dir, "b"));
    const a = await Deno.readTextFile(join(dir, "a", "signal.csv"));
    assert.equal(a, await Deno.readTextFile(join(dir, "b", "signal.csv")));
    assert.match(a, /^variant,g,layer,signal\n/);
    assert.equal(a.trim().split("\n").length, 1 + 3 * 6 * 50);
    const committed = new URL("../reports/data/seed-notebook-signal.csv", import.meta.url);
    assert.equal(a, await Deno.readTextFile(committed));
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("the attention study: the GradNet stage, both its ends and the pixels", async () => {
  assert.ok(EXPERIMENTS.includes(attention));
  const runs = attention.runs({ quick: false });
  for (const config of runs) validateConfig(config);
  // 2 datasets x 5 seeds x 2 depths x (3 stages + the pixels), every id its own.
  assert.equal(runs.length, 80);
  assert.equal(new Set(runs.map(runId)).size, 80);
  const stages = (kind: string) => runs.filter((c) => (c.inputStage?.kind ?? "pixels") === kind);
  for (const kind of ["gradual-pool", "average-pool", "attention-pool", "pixels"]) {
    assert.equal(stages(kind).length, 20, kind);
  }
  // The arms of a stage differ only in their stage; the pixels are the depth study's own runs.
  const rest = ({ inputStage: _, ...config }: (typeof runs)[number]) => JSON.stringify(config);
  assert.deepEqual(stages("average-pool").map(rest), stages("gradual-pool").map(rest));
  assert.deepEqual(stages("attention-pool").map(rest), stages("gradual-pool").map(rest));
  const depthIds = new Set(depthStudy.runs({ quick: false }).map(runId));
  const shared = runs.filter((c) => depthIds.has(runId(c)));
  assert.deepEqual(shared, stages("pixels").filter((c) => c.seed <= 3));
  const list = await runScript("experiments/attention.ts", "--list", "--quick");
  assert.equal(list.code, 0, list.stderr);
  assert.equal(list.stdout.trim().split("\n").length, 8);
});
