import assert from "node:assert/strict";
import { searchBlocks, settingLabel } from "./search_page.ts";
import type { PageBlock } from "./render.ts";
import type { RunRow } from "./tables.ts";

function run(id: string, accuracy: number | null, lr: string): RunRow {
  return {
    runId: id,
    dataset: "mnist",
    architecture: "plain",
    label: "plain-50",
    architectureLabel: "plain-50",
    depth: 200,
    width: 50,
    seed: 1,
    epochs: 5,
    status: accuracy === null ? "diverged" : "completed",
    divergedStep: accuracy === null ? 10 : null,
    divergedReason: null,
    finalTestAccuracy: null,
    finalValidationAccuracy: accuracy,
    bestValidationEpoch: null,
    bestValidationAccuracy: accuracy,
    testAccuracyAtBestValidation: null,
    columns: { optimizer: "adam", optimizer_learning_rate: lr, gradient_clip: "1" },
  };
}

Deno.test("search table: collapsed settings counted apart from diverged ones, rates readable", async () => {
  const runs = [
    run("a", 0.1126, "0.0003"), // a constant prediction of the largest class
    run("b", 0.7192, "0.00009999999999999999"),
    run("c", null, "0.001"),
  ];
  const figure = (id: string): Promise<PageBlock> =>
    Promise.resolve({ kind: "html", html: `<figure id="${id}"></figure>` });
  const [, table] = await searchBlocks(
    runs,
    { settings: "" },
    figure,
    undefined,
    "s",
    () => 0.1126,
  );
  assert.equal(table.kind, "table");
  if (table.kind !== "table") return;
  const row = Object.fromEntries(table.columns.map((c, i) => [c, table.rows[0][i]]));
  assert.equal(row["chosen setting"], "adam 0.0001, clip 1");
  assert.equal(row["validation accuracy"], "71.92%");
  assert.deepEqual([row.diverged, row.collapsed], ["1", "1"]);
  // Without a chance level nothing is marked collapsed; a collapsed winner says so.
  const [, plain] = await searchBlocks(runs, { settings: "" }, figure, undefined, "s");
  if (plain.kind === "table") assert.equal(plain.rows[0][table.columns.indexOf("collapsed")], "0");
  const [, only] = await searchBlocks(
    [runs[0]],
    { settings: "" },
    figure,
    undefined,
    "s",
    () => 0.1126,
  );
  if (only.kind === "table") assert.equal(only.rows[0][2], "11.26% (collapsed)");
  assert.equal(settingLabel(runs[1]), "adam 0.0001, clip 1");
});
