// The published experiments as declared: each file runs alone, each has its page in the report,
// and the notebook's signal table is computed from freshly initialised networks, byte for byte
// the data of the report's figure.

import assert from "node:assert/strict";
import { join } from "node:path";
import { runScript } from "./_command.ts";
import { EXPERIMENTS } from "../experiments/main.ts";
import { seedNotebook } from "../experiments/seed-notebook.ts";

Deno.test("each experiment declares its own report page", () => {
  assert.deepEqual(EXPERIMENTS.map((e) => [e.name, e.report?.page]), [
    ["seed-notebook", "notebook"],
    ["search", "search"],
    ["depth-study", "depth-study"],
    ["search-v2", undefined],
    ["search-200", undefined],
  ]);
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
