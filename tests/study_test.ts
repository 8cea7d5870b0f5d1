// The study runner end to end, as reviewers use it: a tiny grid on real MNIST, killed and
// resumed, sharded and merged, with a corrupt result file in the way. Every comparison is of
// bytes: the same command must write the same result files.

import assert from "node:assert/strict";
import { join } from "node:path";

const MAIN = new URL("../experiments/main.ts", import.meta.url).pathname;
const TABLES = ["runs.csv", "epochs.csv", "gradient_norms.csv"];

/** A tiny grid: 2 depths x 3 architectures, 1 seed, a few steps on 600 MNIST images. */
const GRID = [4, 6].flatMap((depth) =>
  [{ kind: "grelu" }, { kind: "residual" }, { kind: "highway", carryBias: -2 }].map((
    architecture,
  ) => ({
    architecture,
    depth,
    width: 16,
    epochs: 2,
    lossReduction: "mean",
    init: { kind: "he" },
  }))
);

function command(root: string, configFile: string, ...extra: string[]) {
  return new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", MAIN, "--config", configFile, "--limit", "600", "--out", root, ...extra],
    env: { NO_COLOR: "1", RUST_BACKTRACE: "0" },
    stdout: "piped",
    stderr: "piped",
  });
}

async function run(root: string, configFile: string, ...extra: string[]) {
  const output = await command(root, configFile, ...extra).output();
  const stderr = new TextDecoder().decode(output.stderr);
  assert.equal(output.code, 0, stderr);
  return stderr;
}

async function tables(root: string): Promise<string[]> {
  return await Promise.all(TABLES.map((name) => Deno.readTextFile(join(root, "custom", name))));
}

async function records(root: string): Promise<string[]> {
  const names = [...Deno.readDirSync(join(root, "runs"))].map((e) => e.name)
    .filter((name) => /^[0-9a-f]{12}\.json$/.test(name)).sort();
  return await Promise.all(
    names.map(async (name) => `${name}:${await Deno.readTextFile(join(root, "runs", name))}`),
  );
}

Deno.test("the study runner: resumable, byte-identical, shardable, and it reruns corrupt results", async (t) => {
  const dir = await Deno.makeTempDir();
  const configFile = join(dir, "grid.json");
  await Deno.writeTextFile(configFile, JSON.stringify(GRID));
  try {
    const reference = join(dir, "reference");
    await t.step("an uninterrupted run of the grid on 2 workers writes every table", async () => {
      const stderr = await run(reference, configFile, "--workers", "2");
      assert.match(stderr, /6 runs: 0 stored, 6 to train/);
      assert.match(stderr, /estimated \S+ on 2 workers/);
      const [runs] = await tables(reference);
      assert.equal(runs.trim().split("\n").length, 1 + 6);
      assert.equal((await records(reference)).length, 6);
      const manifest = JSON.parse(
        await Deno.readTextFile(join(reference, "custom", "manifest.json")),
      );
      assert.equal(manifest.runsStored, 6);
      assert.match(manifest.trainedWith[0].provenance.tfjs, /^4\.22\.0$/);
    });

    await t.step("rerunning trains nothing and rewrites the same bytes", async () => {
      const before = await tables(reference);
      const stderr = await run(reference, configFile);
      assert.match(stderr, /6 runs: 6 stored, 0 to train/);
      assert.deepEqual(await tables(reference), before);
    });

    await t.step(
      "killed with SIGKILL mid-grid, then rerun: the same bytes as uninterrupted",
      async () => {
        const killed = join(dir, "killed");
        const child = command(killed, configFile, "--workers", "1").spawn();
        const store = join(killed, "runs");
        // Wait until some but not all runs are stored, then kill without warning.
        for (let i = 0; i < 600; i++) {
          await new Promise((resolve) => setTimeout(resolve, 25));
          let stored = 0;
          try {
            stored = [...Deno.readDirSync(store)].filter((e) =>
              /^[0-9a-f]{12}\.json$/.test(e.name)
            ).length;
          } catch {
            // not created yet
          }
          if (stored >= 2) break;
        }
        child.kill("SIGKILL");
        const status = await child.status;
        assert.equal(status.signal, "SIGKILL");
        await child.stdout.cancel();
        await child.stderr.cancel();
        const partial = (await records(killed)).length;
        assert.ok(partial >= 2 && partial < 6, `${partial} runs stored when killed`);
        const stderr = await run(killed, configFile);
        assert.match(stderr, new RegExp(`6 runs: ${partial}|6 runs: \\d stored`));
        assert.deepEqual(await tables(killed), await tables(reference));
        assert.deepEqual(await records(killed), await records(reference));
      },
    );

    await t.step("shards 1/3, 2/3 and 3/3 together make the unsharded grid", async () => {
      const sharded = join(dir, "sharded");
      for (const shard of ["1/3", "2/3", "3/3"]) {
        const stderr = await run(sharded, configFile, "--shard", shard);
        assert.match(stderr, new RegExp(`runs \\(shard ${shard.replace("/", "\\/")}\\)`));
      }
      assert.deepEqual(await tables(sharded), await tables(reference));
      assert.deepEqual(await records(sharded), await records(reference));
    });

    await t.step("a truncated or corrupt result file is reported and rerun, not used", async () => {
      const names = [...Deno.readDirSync(join(reference, "runs"))].map((e) => e.name)
        .filter((name) => /^[0-9a-f]{12}\.json$/.test(name)).sort();
      const truncated = join(reference, "runs", names[0]);
      const text = await Deno.readTextFile(truncated);
      await Deno.writeTextFile(truncated, text.slice(0, text.length / 2));
      const corrupt = join(reference, "runs", names[1]);
      const record = JSON.parse(await Deno.readTextFile(corrupt));
      record.epochs.pop(); // a completed run missing its last epoch
      await Deno.writeTextFile(corrupt, JSON.stringify(record));
      const before = await tables(reference);
      const stderr = await run(reference, configFile);
      assert.match(stderr, new RegExp(`${names[0]}: not valid JSON.*it will be rerun`));
      assert.match(
        stderr,
        new RegExp(`${names[1]}: completed but its last epoch is 1 of 2; it will be rerun`),
      );
      assert.match(stderr, /6 runs: 4 stored, 2 to train/);
      assert.deepEqual(await tables(reference), before);
    });

    await t.step("a changed config field gives a new run id", async () => {
      const list = async (...extra: string[]) => {
        const out = await command(reference, configFile, "--list", ...extra).output();
        return new TextDecoder().decode(out.stdout).trim().split("\n").map((line) =>
          line.split("\t")[1]
        );
      };
      const ids = await list();
      const changed = await list("--set", "weightDecay=0.0001");
      assert.equal(ids.length, 6);
      assert.equal(changed.filter((id) => ids.includes(id)).length, 0);
    });
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
