// `deno task verify` run as a reviewer runs it, on a tiny results folder trained here: a match
// exits 0 with its record, an altered stored run exits 1 naming the field, bad input exits 2.

import assert from "node:assert/strict";
import { join } from "node:path";
import { canonicalJson } from "@gradnets/core";
import { parseCsv } from "@gradnets/analysis";
import { assertCleanError, runScript } from "./_command.ts";

const verify = (...args: string[]) => runScript("scripts/verify.ts", ...args);

/** Trains two very small runs into `root` (results/custom/ as `--config` writes them). */
async function tinyResults(root: string): Promise<string[]> {
  const config = join(root, "tiny.json");
  const tiny = { depth: 3, width: 8, dataLimit: 200, epochs: 1 };
  await Deno.writeTextFile(
    config,
    JSON.stringify([tiny, { ...tiny, architecture: { kind: "plain" } }]),
  );
  const results = join(root, "results");
  const trained = await runScript("experiments/main.ts", "--config", config, "--out", results);
  assert.equal(trained.code, 0, trained.stderr);
  const runs = parseCsv(await Deno.readTextFile(join(results, "custom", "runs.csv")));
  return runs.map((row) => row.run_id);
}

Deno.test("deno task verify: match, altered record, bad input", async (t) => {
  const root = await Deno.makeTempDir();
  try {
    const ids = await tinyResults(root);
    assert.equal(ids.length, 2);
    const results = join(root, "results");

    await t.step("a matching sample passes and writes the record", async () => {
      const scratch = join(root, "scratch");
      const result = await verify("--results", results, "--scratch", scratch);
      assert.equal(result.code, 0, result.stderr);
      assert.match(result.stdout, /^run +experiment +architecture +depth +seconds +result$/m);
      for (const id of ids) {
        assert.match(result.stdout, new RegExp(`^${id} +custom .* identical$`, "m"));
      }
      assert.match(result.stdout, /all 2 runs identical/);
      assert.match(
        result.stderr,
        /verifying 2 of 2 stored runs .*seeded sample, seed 1, budget 10m/,
      );
      const record = JSON.parse(await Deno.readTextFile(join(scratch, "verify.json")));
      assert.equal(record.identical, 2);
      assert.equal(record.budget, "10m");
      assert.equal(record.seed, 1);
      assert.equal(record.deno, Deno.version.deno);
      assert.ok(record.machine && record.commit && record.tfjs && record.date);
      const csv = parseCsv(await Deno.readTextFile(join(scratch, "verify.csv")));
      assert.deepEqual(csv.map((row) => row.identical), ["true", "true"]);
    });

    await t.step("an altered stored run fails, naming the field and both values", async () => {
      const path = join(results, "runs", `${ids[1]}.json`);
      const stored = JSON.parse(await Deno.readTextFile(path));
      const loss = stored.epochs[1].trainLoss;
      stored.epochs[1].trainLoss = loss + 1e-3;
      await Deno.writeTextFile(path, canonicalJson(stored) + "\n");
      const record = join(root, "review.csv");
      const result = await verify(
        "--results",
        results,
        "--runs",
        ids.join(","),
        "--record",
        record,
        "--scratch",
        join(root, "scratch2"),
      );
      assert.equal(result.code, 1, result.stderr);
      assert.match(result.stdout, new RegExp(`^${ids[0]} .* identical$`, "m"));
      assert.ok(
        result.stdout.includes(`epochs[1].trainLoss: ${loss + 1e-3} vs ${loss}`),
        result.stdout,
      );
      assert.match(result.stdout, /1 of 2 runs differ/);
      const rows = parseCsv(await Deno.readTextFile(record));
      assert.deepEqual(rows.map((row) => row.identical), ["true", "false"]);
      assert.match(rows[1].difference, /^epochs\[1\]\.trainLoss: /);
    });

    await t.step("bad input exits 2 with one line, before any training", async (t) => {
      const cases: [string[], RegExp][] = [
        [["--runs", "0123456789ab"], /unknown run id "0123456789ab"/],
        [["--experiment", "nope"], /unknown experiment "nope" in .* \(known: custom\)/],
        [["--budget", "ten"], /--budget must be a duration like 10m/],
        [["--budget", "1ms"], /--budget must be a duration/],
        [["--budget", "0s"], /more than zero/],
        [["--seed", "x"], /--seed must be an integer/],
        [["--workers", "0"], /--workers must be an integer >= 1/],
        [["--runs", ids[0], "--all"], /--runs names the runs itself/],
        [["--record", join(root, "record.txt")], /--record must name a \.json or \.csv file/],
        [["--scratch", join(results, "scratch")], /lies inside .*: verify never writes into/],
        [["--record", join(results, "custom", "v.json")], /lies inside/],
        [
          ["--budget", "0.001s"],
          /no stored run fits a budget of 0.001s \(the shortest takes about/,
        ],
        [["--bogus"], /Unknown option '--bogus'/],
      ];
      for (const [args, message] of cases) {
        await t.step(args.join(" "), async () => {
          assertCleanError(await verify("--results", results, ...args), message);
        });
      }
      await t.step("a missing results folder", async () => {
        assertCleanError(
          await verify("--results", join(root, "none")),
          /results folder .* not found/,
        );
      });
    });

    await t.step("a run stored under other numerics, or missing, fails untrained", async () => {
      const path = join(results, "runs", `${ids[0]}.json`);
      const stored = JSON.parse(await Deno.readTextFile(path));
      stored.config.width = 9; // as if the code's numerics or a default had changed its id
      await Deno.writeTextFile(path, canonicalJson(stored) + "\n");
      const scratch = join(root, "scratch3");
      const other = await verify("--results", results, "--runs", ids[0], "--scratch", scratch);
      assert.equal(other.code, 1, other.stderr);
      assert.match(
        other.stdout,
        new RegExp(`^${ids[0]} .* runId: "${ids[0]}" vs "[0-9a-f]+"`, "m"),
      );
      await Deno.remove(path);
      const missing = await verify("--results", results, "--runs", ids[0], "--scratch", scratch);
      assert.equal(missing.code, 1, missing.stderr);
      assert.match(missing.stdout, /stored run file .* missing/);
      assert.doesNotMatch(missing.stderr, /trained \d+ run/);
    });
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("deno task verify --help prints usage and exits 0", async () => {
  const result = await verify("--help");
  assert.equal(result.code, 0);
  assert.match(result.stdout, /Usage: deno task verify/);
  assert.match(result.stdout, /--budget TIME/);
});
