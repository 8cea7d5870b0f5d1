import assert from "node:assert/strict";
import {
  choiceOption,
  formatDuration,
  integerOption,
  numberOption,
  parseOptions,
  UsageError,
} from "./cli.ts";

const OPTIONS = { out: { type: "string" }, quick: { type: "boolean" } } as const;

Deno.test("parseOptions: positionals when allowed, a leading -- dropped, mistakes as UsageError", () => {
  const { values, positionals } = parseOptions(["--", "search", "--quick"], OPTIONS, true);
  assert.deepEqual([values.quick, positionals], [true, ["search"]]);
  assert.throws(
    () => parseOptions(["--qiuck"], OPTIONS),
    (error: unknown) => error instanceof UsageError && /--qiuck/.test(error.message),
  );
  assert.throws(
    () => parseOptions(["search"], OPTIONS),
    (error: unknown) =>
      error instanceof UsageError && !/To specify a positional/.test(error.message),
  );
});

Deno.test("typed options name the option and the value they refused", () => {
  assert.equal(integerOption("depth", "50", 2), 50);
  for (const text of ["", " ", "2.5", "1", "x"]) {
    assert.throws(
      () => integerOption("depth", text, 2),
      /^UsageError: --depth must be an integer >= 2/,
    );
  }
  assert.throws(() => integerOption("seed", "x"), /--seed must be an integer, got "x"/);
  assert.equal(numberOption("tau", "0", 0), 0);
  assert.throws(() => numberOption("tau", "-1", 0), /--tau must be a number >= 0, got "-1"/);
  assert.throws(() => numberOption("x", "Infinity"), /--x must be a number, got "Infinity"/);
  assert.throws(() => choiceOption("loss", "Sum", ["sum", "mean"]), /got "Sum"/);
});

Deno.test("formatDuration: seconds, minutes, hours, and ? for an unknown time", () => {
  assert.deepEqual([0, 12.4, 59.6, 61, 3599, 3600, 7380, Infinity].map(formatDuration), [
    "0s",
    "12s",
    "1m00s",
    "1m01s",
    "59m59s",
    "1h00m",
    "2h03m",
    "?",
  ]);
});
