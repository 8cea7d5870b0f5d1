import assert from "node:assert/strict";
import { join } from "node:path";
import { CsvError } from "./csv.ts";
import { readEpochs, readRuns, RUN_COLUMNS } from "./tables.ts";

Deno.test("readRuns names a missing or renamed column, and a cell that is not a number", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const header = RUN_COLUMNS.join(",");
    const row = (depth: string) =>
      RUN_COLUMNS.map((
        c,
      ) => (c === "depth"
        ? depth
        : c === "status"
        ? "completed"
        : c === "run_id"
        ? "abc"
        : c === "dataset" || c === "architecture"
        ? "x"
        : "1")
      ).join(",");
    await Deno.writeTextFile(join(dir, "runs.csv"), `${header}\n${row("50")}\n`);
    const [run] = await readRuns(dir);
    assert.equal(run.depth, 50);
    await Deno.writeTextFile(
      join(dir, "runs.csv"),
      `${header.replace("depth", "layers")}\n${row("50")}\n`,
    );
    await assert.rejects(() => readRuns(dir), (e: unknown) => {
      assert.ok(e instanceof CsvError);
      assert.match((e as Error).message, /missing column depth/);
      return true;
    });
    await Deno.writeTextFile(join(dir, "runs.csv"), `${header}\n${row("fifty")}\n`);
    await assert.rejects(() => readRuns(dir), /row 2, column depth: "fifty" is not a number/);
    await assert.rejects(() => readEpochs(dir), /epochs\.csv: cannot read/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
