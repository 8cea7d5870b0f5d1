import assert from "node:assert/strict";
import { join } from "node:path";
import { CsvError, formatCsv, parseCsv, readCsv, writeCsv } from "./csv.ts";

Deno.test("formatCsv quotes commas, quotes and line breaks, and leaves nulls empty", () => {
  const text = formatCsv(["a", "b"], [{ a: 'say "hi"', b: "x\ny" }, { a: null, b: 0.1 + 0.2 }]);
  assert.equal(text, 'a,b\n"say ""hi""","x\ny"\n,0.30000000000000004\n');
  assert.deepEqual(parseCsv(text), [{ a: 'say "hi"', b: "x\ny" }, {
    a: "",
    b: "0.30000000000000004",
  }]);
});

Deno.test("parseCsv names a missing column and rejects ragged rows", () => {
  assert.throws(() => parseCsv("run,acc\na,1\n", ["run", "epoch"], "e.csv"), (e: unknown) => {
    assert.ok(e instanceof CsvError);
    assert.match((e as Error).message, /^e\.csv: missing column epoch \(found: run, acc\)/);
    return true;
  });
  assert.throws(() => parseCsv("a,b\n1,2,3\n", [], "r.csv"), /r\.csv: malformed CSV/);
  assert.throws(() => parseCsv("", [], "empty.csv"), /empty file/);
});

Deno.test("writeCsv replaces a file atomically and leaves no temporary file", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const path = join(dir, "t.csv");
    await writeCsv(path, ["x"], [{ x: 1 }]);
    await writeCsv(path, ["x"], [{ x: 2 }]);
    assert.deepEqual(await readCsv(path, ["x"]), [{ x: "2" }]);
    assert.deepEqual([...Deno.readDirSync(dir)].map((e) => e.name), ["t.csv"]);
    await assert.rejects(() => readCsv(join(dir, "missing.csv")), CsvError);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
