// Hostile results and bad input, as a security reviewer tries them: names from a crafted results
// folder are escaped in every page and never make a file name, a bad table or manifest stops the
// report before anything is replaced, bad configs and options exit 2 with one line, and nothing
// is ever written outside the folder named by --out.

import assert from "node:assert/strict";
import { join, relative } from "node:path";
import { formatCsv, parseCsv } from "@gradnets/analysis";
import { encodeIdx, MNIST_FILES } from "@gradnets/data";
import { assertCleanError, type CommandResult, runScript } from "./_command.ts";
import { writeFixtureResults } from "./_fixtures.ts";

const report = (...args: string[]) => runScript("scripts/report.ts", ...args);

/** Every file under `dir` with its bytes, relative paths as keys. */
async function snapshot(dir: string): Promise<Map<string, string>> {
  const files = new Map<string, string>();
  const walk = async (at: string) => {
    for await (const entry of Deno.readDir(at)) {
      const path = join(at, entry.name);
      if (entry.isDirectory) await walk(path);
      else files.set(relative(dir, path), await Deno.readTextFile(path).catch(() => "?"));
    }
  };
  await walk(dir);
  return files;
}

/** Asserts that between two snapshots of one folder, only files under `inside` changed. */
function assertOnlyChanged(
  before: Map<string, string>,
  after: Map<string, string>,
  inside: string | null,
): void {
  const changed = [...new Set([...before.keys(), ...after.keys()])]
    .filter((path) => before.get(path) !== after.get(path));
  const outside = changed.filter((path) =>
    inside === null || !(path === inside || path.startsWith(`${inside}/`))
  );
  assert.deepEqual(outside, [], "nothing written outside --out");
  assert.deepEqual(changed.filter((path) => /\.tmp$|\.building-/.test(path)), [], "no leftovers");
}

/** Fixture results in `dir/results`, with the report going to `dir/site/reports`. */
async function fixture(): Promise<{ dir: string; results: string; out: string }> {
  const dir = await Deno.makeTempDir();
  const results = join(dir, "results");
  await writeFixtureResults(results);
  return { dir, results, out: join(dir, "site", "reports") };
}

/** Rewrites a table of the fixture with `change` applied to its rows. */
async function editTable(
  path: string,
  change: (rows: Record<string, string>[]) => Record<string, string>[],
): Promise<void> {
  const text = await Deno.readTextFile(path);
  const columns = text.slice(0, text.indexOf("\n")).split(",");
  await Deno.writeTextFile(path, formatCsv(columns, change(parseCsv(text))));
}

/** The page without its scripts (whose JSON data holds names as data, not markup). */
const markup = (html: string) => html.replace(/<script>[\s\S]*?<\/script>/g, "");

Deno.test("a crafted dataset name is escaped in every page and makes no file name", async () => {
  const { dir, results, out } = await fixture();
  try {
    const hostile = `idx:/../../"><img src=x onerror=alert(1)>`;
    await editTable(
      join(results, "depth-study", "runs.csv"),
      (rows) => rows.map((r) => r.dataset === "mnist" ? { ...r, dataset: hostile } : r),
    );
    const before = await snapshot(dir);
    const result = await report("--results", results, "--out", out);
    assert.equal(result.code, 0, result.stderr);
    const after = await snapshot(dir);
    assertOnlyChanged(before, after, relative(dir, out));
    const written = [...after.keys()].filter((path) => !before.has(path));
    for (const path of written) assert.match(relative("site/reports", path), /^[\w/.-]+$/, path);
    assert.ok(
      written.some((p) =>
        /^site\/reports\/idx-img-src-x-onerror-alert-1-[0-9a-f]{8}\.html$/.test(p)
      ),
    );
    for (const path of written.filter((p) => p.endsWith(".html"))) {
      const page = markup(after.get(path)!);
      assert.doesNotMatch(page, /<img/, `${path}: no injected element`);
      assert.doesNotMatch(page, /onerror=alert\(1\)>/, path);
    }
    const index = after.get("site/reports/index.html")!;
    assert.ok(index.includes("&#34;&#62;&#60;img src=x onerror=alert(1)&#62;"), "the name shows");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("bad results stop the report with one line, exit 2, the previous report kept", async (t) => {
  const cases: [string, (results: string) => Promise<void>, RegExp][] = [
    [
      "a run id repeated in runs.csv",
      (results) =>
        editTable(join(results, "depth-study", "runs.csv"), (rows) => [...rows, rows[0]]),
      /depth-study\/runs\.csv: row 18: run_id \w{12} repeats row 2/,
    ],
    [
      "a garbage manifest.json",
      (results) => Deno.writeTextFile(join(results, "depth-study", "manifest.json"), "{garbage"),
      /depth-study\/manifest\.json: not valid JSON/,
    ],
    [
      "a manifest without counts",
      (results) =>
        Deno.writeTextFile(join(results, "search", "manifest.json"), '{"runsStored": "<b>"}'),
      /search\/manifest\.json: runsDeclared must be an integer >= 0/,
    ],
    [
      "a manifest counting other runs than runs.csv",
      async (results) => {
        const path = join(results, "search", "manifest.json");
        const manifest = { runsDeclared: 4, runsStored: 3, numericsVersion: 2, trainedWith: [] };
        await Deno.writeTextFile(path, JSON.stringify(manifest));
      },
      /search\/manifest\.json: says 3 runs are stored, but runs\.csv has 4/,
    ],
    [
      "epochs of a run runs.csv does not have",
      (results) => editTable(join(results, "seed-notebook", "runs.csv"), (rows) => rows.slice(1)),
      /seed-notebook\/epochs\.csv: run \w{12} is not in runs\.csv/,
    ],
    [
      "a run without epochs",
      (results) =>
        editTable(join(results, "depth-study", "epochs.csv"), (rows) => {
          const gone = rows[0].run_id;
          return rows.filter((r) => r.run_id !== gone);
        }),
      /depth-study\/epochs\.csv: run \w{12} of runs\.csv has no epochs/,
    ],
    [
      "a truncated epochs.csv",
      async (results) => {
        const path = join(results, "seed-notebook", "epochs.csv");
        const text = await Deno.readTextFile(path);
        await Deno.writeTextFile(path, text.slice(0, text.length / 2));
      },
      /seed-notebook\/epochs\.csv: /,
    ],
  ];
  for (const [name, spoil, message] of cases) {
    await t.step(name, async () => {
      const { dir, results, out } = await fixture();
      try {
        await Deno.mkdir(out, { recursive: true });
        await Deno.writeTextFile(join(out, "index.html"), "previous report");
        await spoil(results);
        const before = await snapshot(dir);
        assertCleanError(await report("--results", results, "--out", out), message);
        assertOnlyChanged(before, await snapshot(dir), null);
      } finally {
        await Deno.remove(dir, { recursive: true });
      }
    });
  }
});

Deno.test("report --results naming no folder, or --out naming a file, exits 2", async () => {
  const { dir, results, out } = await fixture();
  try {
    const before = await snapshot(dir);
    assertCleanError(
      await report("--results", join(dir, "nope"), "--out", out),
      /nope: no such results folder/,
    );
    assertCleanError(
      await report("--results", join(results, "search", "runs.csv"), "--out", out),
      /runs\.csv: not a folder/,
    );
    await Deno.mkdir(join(dir, "site"));
    await Deno.writeTextFile(out, "a file");
    assertCleanError(
      await report("--results", results, "--out", out),
      /site\/reports: cannot write the report: not a folder/,
    );
    before.set("site/reports", "a file");
    assertOnlyChanged(before, await snapshot(dir), null);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

const experiment = (...args: string[]) => runScript("experiments/main.ts", ...args);
/** Small enough that a case the checks let through would still end in seconds. */
const TINY = ["--depth", "3", "--epochs", "1", "--limit", "100", "--width", "8"];

Deno.test("config fields that are not the config's own exit 2 naming them, nothing written", async (t) => {
  const dir = await Deno.makeTempDir();
  try {
    const out = join(dir, "out");
    const file = async (name: string, json: string) => {
      const path = join(dir, name);
      await Deno.writeTextFile(path, json);
      return path;
    };
    const cases: [string[], RegExp][] = [
      [["--set", "toString=1"], /--set: unknown config field "toString"/],
      [["--set", "constructor=1"], /--set: unknown config field "constructor"/],
      [["--set", "valueOf=1"], /--set: unknown config field "valueOf"/],
      [["--set", "hasOwnProperty=1"], /--set: unknown config field "hasOwnProperty"/],
      [["--set", "__proto__.depth=3"], /--set needs PATH=VALUE/],
      [["--set", "optimizer.bogus=1"], /optimizer sgd has no field bogus/],
      [["--set", "optimizer.__proto__=1"], /optimizer sgd has no field __proto__/],
      [["--set", 'schedule={"kind":"linear"}'], /schedule tau must be a number >= 0/],
      [
        ["--set", "dropout.kind=none", "--set", "dropout.rate=0.5"],
        /dropout none has no field rate/,
      ],
      [
        ["--config", await file("tostring.json", '{"toString": 1}')],
        /--config \S+tostring\.json has unknown field toString/,
      ],
      [
        ["--config", await file("constructor.json", '[{"constructor": 1}]')],
        /--config \S+constructor\.json: entry 0 has unknown field constructor/,
      ],
      [
        ["--config", await file("own.json", '[{"hasOwnProperty": 1}]')],
        /entry 0 has unknown field hasOwnProperty/,
      ],
      [
        ["--config", await file("proto.json", '{"__proto__": {"depth": 3}}')],
        /--config \S+proto\.json has unknown field __proto__/,
      ],
      [
        ["--config", await file("empty.json", "[]")],
        /--config \S+empty\.json: an empty list, no run to train/,
      ],
      [
        ["--config", await file("entry.json", '[{"depth": 3}, {"depth": 3, "width": 0}]')],
        /--config \S+entry\.json: entry 1: width must be an integer >= 1, got 0/,
      ],
      [
        [
          "--config",
          await file("nested.json", '[{"optimizer": {"kind": "sgd", "learningRate": 1, "x": 2}}]'),
        ],
        /--config \S+nested\.json: entry 0: optimizer sgd has no field x/,
      ],
    ];
    for (const [args, message] of cases) {
      await t.step(args.join(" "), async () => {
        const before = await snapshot(dir);
        assertCleanError(await experiment(...args, ...TINY, "--out", out), message);
        assertOnlyChanged(before, await snapshot(dir), null);
      });
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("a stored run is used only when complete; a folder in its place is an error", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const out = join(dir, "out");
    const config = join(dir, "tiny.json");
    await Deno.writeTextFile(
      config,
      '{"depth": 3, "width": 8, "epochs": 1, "lossReduction": "mean"}',
    );
    const train = () => experiment("--config", config, "--limit", "100", "--out", out);
    const first = await train();
    assert.equal(first.code, 0, first.stderr);
    const [row] = parseCsv(await Deno.readTextFile(join(out, "custom", "runs.csv")), ["run_id"]);
    const file = join(out, "runs", `${row.run_id}.json`);
    const complete = await Deno.readTextFile(file);

    // Epoch records stripped to their numbers: well-formed JSON, but not a finished run.
    const stored = JSON.parse(complete);
    stored.epochs = stored.epochs.map((e: { epoch: number }) => ({ epoch: e.epoch }));
    await Deno.writeTextFile(file, JSON.stringify(stored));
    const again = await train();
    assert.equal(again.code, 0, again.stderr);
    assert.match(again.stderr, /\.json: epoch record 0: no step; it will be rerun/);
    assert.match(again.stderr, /1 runs: 0 stored, 1 to train/);
    assert.equal(await Deno.readTextFile(file), complete, "retrained to the same bytes");
    const [rerun] = parseCsv(await Deno.readTextFile(join(out, "custom", "runs.csv")), ["run_id"]);
    assert.match(rerun.final_test_accuracy, /^0\.\d+$/);

    // A folder where the run file belongs: refused before any training.
    await Deno.remove(file);
    await Deno.mkdir(file);
    const before = await snapshot(dir);
    assertCleanError(
      await train(),
      new RegExp(`${row.run_id}\\.json: not a file, where a stored run's file belongs`),
    );
    assertOnlyChanged(before, await snapshot(dir), null);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("negative numbers after a space get the option's own message", async (t) => {
  const dir = await Deno.makeTempDir();
  try {
    const out = join(dir, "out");
    const cases: [string[], RegExp][] = [
      [["--lr", "-0.1"], /--lr must be a number > 0, got "-0.1"/],
      [["--tau", "-1"], /--tau must be a number >= 0, got "-1"/],
      [["--depth", "-3"], /--depth must be an integer >= 2, got "-3"/],
      [["--seed", "-1"], /--seed must be an integer >= 0, got "-1"/],
      [["--workers", "-2"], /--workers must be an integer >= 1, got "-2"/],
      [["--lr", "-1e-3"], /--lr must be a number > 0, got "-1e-3"/],
      [
        ["--data", "-x"],
        /--data needs a value; for one that starts with a dash, write --data=VALUE/,
      ],
    ];
    for (const [args, message] of cases) {
      await t.step(args.join(" "), async () => {
        const before = await snapshot(dir);
        const result = await experiment(...TINY, "--out", out, ...args);
        assertCleanError(result, message);
        assert.equal(result.stderr.trim().split("\n").length, 1, "one line");
        assertOnlyChanged(before, await snapshot(dir), null);
      });
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("sizes beyond the machine, or an --out that cannot be written, stop before training", async (t) => {
  const dir = await Deno.makeTempDir();
  try {
    const out = join(dir, "out");
    await Deno.writeTextFile(join(dir, "a-file"), "x");
    const cases: [string[], RegExp][] = [
      [["--depth", "1e9"], /depth 1000000000, .*needs about [\d.e+]+ GB of memory, more than/],
      [["--width", "100000"], /width 100000, .*needs about [\d.e+]+ GB of memory/],
      [["--batch", "1000000", "--width", "4000"], /batch 1000000\) needs about/],
      [["--out", join(dir, "a-file")], /cannot write results in \S+a-file\/runs: Not a directory/],
    ];
    for (const [args, message] of cases) {
      await t.step(args.join(" "), async () => {
        const before = await snapshot(dir);
        const started = performance.now();
        const result = await experiment("seed-notebook", "--out", out, ...args);
        assertCleanError(result, message);
        assert.equal(result.stderr.trim().split("\n").length, 1, result.stderr);
        assert.ok(performance.now() - started < 20_000, "refused before any allocation");
        assertOnlyChanged(before, await snapshot(dir), null);
      });
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

/** Whether `chattr +i` works here (root on ext4): an immutable folder refuses even root. */
async function canMakeImmutable(dir: string): Promise<boolean> {
  try {
    const { code } = await new Deno.Command("chattr", { args: ["+i", dir], stderr: "null" })
      .output();
    if (code !== 0) return false;
    await new Deno.Command("chattr", { args: ["-i", dir] }).output();
    return true;
  } catch {
    return false;
  }
}

Deno.test("a results folder that refuses writes: one line, exit 2, stored runs kept", async (t) => {
  const dir = await Deno.makeTempDir();
  try {
    const out = join(dir, "out");
    const config = join(dir, "two.json");
    await Deno.writeTextFile(
      config,
      JSON.stringify(
        [{ seed: 1 }, { seed: 2 }].map((c) => ({ ...c, depth: 3, width: 8, epochs: 1 })),
      ),
    );
    const train = () =>
      experiment("--config", config, "--limit", "100", "--workers", "1", "--out", out);

    await t.step("runs.csv cannot be replaced after the first run", async () => {
      await Deno.mkdir(join(out, "custom", "runs.csv"), { recursive: true });
      const before = await snapshot(dir);
      const result = await train();
      assertCleanError(
        result,
        /error: cannot store results \(in \S+\/runs or beside it\): Is a directory.*training stopped, the runs stored so far are kept/,
      );
      assert.equal(result.stderr.match(/^error:/gm)?.length, 1);
      const after = await snapshot(dir);
      assertOnlyChanged(before, after, "out");
      const stored = [...after.keys()].filter((p) => /^out\/runs\/\w{12}\.json$/.test(p));
      assert.equal(stored.length, 1, "the first run is stored, the second never trained");
      JSON.parse(after.get(stored[0])!);
      await Deno.remove(join(out, "custom", "runs.csv"));
      const resumed = await train();
      assert.equal(resumed.code, 0, resumed.stderr);
      assert.match(resumed.stderr, /2 runs: 1 stored, 1 to train/);
    });

    const runs = join(out, "runs");
    await t.step({
      name: "a read-only runs folder",
      ignore: !await canMakeImmutable(runs),
      fn: async () => {
        await Deno.remove(out, { recursive: true });
        await Deno.mkdir(runs, { recursive: true });
        await new Deno.Command("chattr", { args: ["+i", runs] }).output();
        try {
          const before = await snapshot(dir);
          assertCleanError(
            await train(),
            /cannot write results in \S+\/runs: Operation not permitted/,
          );
          assertOnlyChanged(before, await snapshot(dir), null);
        } finally {
          await new Deno.Command("chattr", { args: ["-i", runs] }).output();
        }
      },
    });
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

/** Runs `fn` with a 200 kB file system mounted at a new folder, if this machine allows it. */
async function withSmallDisk(fn: (disk: string) => Promise<void>): Promise<boolean> {
  const disk = await Deno.makeTempDir();
  try {
    const mount = await new Deno.Command("mount", {
      args: ["-t", "tmpfs", "-o", "size=200k", "tmpfs", disk],
      stderr: "null",
    }).output().catch(() => ({ code: 1 }));
    if (mount.code !== 0) return false;
    try {
      await fn(disk);
    } finally {
      await new Deno.Command("umount", { args: [disk] }).output();
    }
    return true;
  } finally {
    await Deno.remove(disk, { recursive: true });
  }
}

/** Fills `disk` until `blocks` blocks of 4 kB are left. */
async function fill(disk: string, blocks: number): Promise<void> {
  const { stdout } = await new Deno.Command("df", { args: ["-k", disk] }).output();
  const free = Number(new TextDecoder().decode(stdout).trim().split("\n").at(-1)!.split(/\s+/)[3]);
  await Deno.writeFile(join(disk, "fill"), new Uint8Array((free / 4 - blocks) * 4096));
}

/** Runs the experiment command, calling `onLine` with each line it prints on stderr. */
async function experimentWatched(
  args: string[],
  onLine: (line: string, child: Deno.ChildProcess) => Promise<void> | void,
): Promise<CommandResult> {
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", new URL("../experiments/main.ts", import.meta.url).pathname, ...args],
    env: { NO_COLOR: "1", RUST_BACKTRACE: "0" },
    stdout: "null",
    stderr: "piped",
  }).spawn();
  let stderr = "", pending = "";
  for await (const chunk of child.stderr.pipeThrough(new TextDecoderStream())) {
    stderr += chunk;
    pending += chunk;
    const lines = pending.split("\n");
    pending = lines.pop()!;
    for (const line of lines) await onLine(line, child);
  }
  return { code: (await child.status).code, stdout: "", stderr };
}

Deno.test("a disk without room: refused before training, or one line when it fills up", async (t) => {
  const config = await Deno.makeTempFile({ suffix: ".json" });
  const args = (
    out: string,
  ) => ["--config", config, "--limit", "100", "--workers", "1", "--out", out];
  try {
    await Deno.writeTextFile(
      config,
      JSON.stringify(
        [{ seed: 1 }, { seed: 2 }].map((c) => ({ ...c, depth: 3, width: 8, epochs: 1 })),
      ),
    );
    const onSmallDisk = (name: string, fn: (disk: string, out: string) => Promise<void>) =>
      t.step(name, async () => {
        const mounted = await withSmallDisk((disk) => fn(disk, join(disk, "out")));
        if (!mounted) console.log("no tmpfs mount here: skipped");
      });

    await onSmallDisk(
      "too little room for the plan: refused before training",
      async (disk, out) => {
        await fill(disk, 1);
        const before = await snapshot(disk);
        const result = await experiment(...args(out));
        assertCleanError(
          result,
          /2 runs and their tables need about \d+ kB, but \S+ has 4 kB free/,
        );
        assert.equal(result.stderr.match(/^error:/gm)?.length, 1);
        assertOnlyChanged(before, await snapshot(disk), null);
      },
    );

    await onSmallDisk("full while the tables are written", async (disk, out) => {
      await fill(disk, 3);
      const before = await snapshot(disk);
      const result = await experiment(...args(out));
      assertCleanError(
        result,
        /error: cannot store results .*No space left on device.*out\/custom\/.*training stopped/,
      );
      assert.equal(result.stderr.match(/^error:/gm)?.length, 1);
      const after = await snapshot(disk);
      assertOnlyChanged(before, after, "out");
      assert.ok(after.has(`out/runs/${/^(\w{12}) custom/m.exec(result.stderr)![1]}.json`));
    });

    await onSmallDisk("full while a run is being stored", async (disk, out) => {
      const before = await snapshot(disk);
      // Filled by another program once the checks have passed and training starts.
      const result = await experimentWatched(args(out), async (line) => {
        if (line.startsWith("estimated ")) await fill(disk, 0).catch(() => {});
      });
      assertCleanError(
        result,
        /error: cannot store results .*No space left on device.*out\/runs\/.*training stopped/,
      );
      assert.equal(result.stderr.match(/^error:/gm)?.length, 1);
      assert.doesNotMatch(result.stderr, /Uncaught/);
      const after = await snapshot(disk);
      after.delete("fill");
      assertOnlyChanged(before, after, "out");
      const records = [...after.keys()].filter((p) => /^out\/runs\/\w{12}\.json$/.test(p));
      assert.deepEqual(records, [], "no run half-stored");
    });
  } finally {
    await Deno.remove(config);
  }
});

/** A --config file of `n` tiny runs (seeds 1..n) in `dir`. */
async function tinyRuns(dir: string, n: number): Promise<string> {
  const path = join(dir, `tiny-${n}.json`);
  const configs = Array.from(
    { length: n },
    (_, i) => ({ depth: 3, width: 8, epochs: 2, seed: i + 1 }),
  );
  await Deno.writeTextFile(path, JSON.stringify(configs));
  return path;
}

const TABLES = ["runs.csv", "epochs.csv", "gradient_norms.csv", "manifest.json"];

Deno.test("two identical commands on one folder train each run once, tables as one process's", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const config = await tinyRuns(dir, 6);
    const command = (out: string) =>
      experiment("--config", config, "--limit", "500", "--workers", "1", "--out", join(dir, out));
    const [a, b] = await Promise.all([command("shared"), command("shared")]);
    assert.equal(a.code, 0, a.stderr);
    assert.equal(b.code, 0, b.stderr);
    const trained = `${a.stderr}\n${b.stderr}`.match(/^\w{12} custom .* epoch 2:/gm) ?? [];
    assert.equal(trained.length, 6, "every run trained once, by one of the two");
    assert.equal(new Set(trained.map((line) => line.slice(0, 12))).size, 6);
    const single = await command("single");
    assert.equal(single.code, 0, single.stderr);
    for (const table of TABLES) {
      assert.equal(
        await Deno.readTextFile(join(dir, "shared", "custom", table)),
        await Deno.readTextFile(join(dir, "single", "custom", table)),
        table,
      );
    }
    const left = [...Deno.readDirSync(join(dir, "shared", "runs"))].map((e) => e.name);
    assert.deepEqual(left.filter((name) => !/^\w{12}(\.meta)?\.json$/.test(name)), []);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("a claim left by a killed process expires; a live one is waited for", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const config = await tinyRuns(dir, 1);
    const out = join(dir, "out"), runs = join(out, "runs");
    const command = () =>
      experiment("--config", config, "--limit", "500", "--workers", "1", "--out", out);
    const first = await command();
    assert.equal(first.code, 0, first.stderr);
    const id = /^(\w{12}) custom/m.exec(first.stderr)![1];
    const stored = [`${id}.meta.json`, `${id}.json`]; // the record last, as saveRun writes
    const copies = join(dir, "copies");
    await Deno.mkdir(copies);
    for (const file of stored) await Deno.rename(join(runs, file), join(copies, file));

    // Left by a process killed ten minutes ago: taken over, trained, released.
    const claim = join(runs, `${id}.claim`);
    await Deno.writeTextFile(claim, '{"pid": 1}\n');
    const old = new Date(Date.now() - 600_000);
    await Deno.utime(claim, old, old);
    const taken = await command();
    assert.equal(taken.code, 0, taken.stderr);
    assert.match(taken.stderr, new RegExp(`${id} custom .* epoch 2:`));
    await assert.rejects(Deno.stat(claim), Deno.errors.NotFound);

    // Held by a live process, which stores the run a moment later: read back, not trained.
    for (const file of stored) await Deno.remove(join(runs, file));
    await Deno.writeTextFile(claim, '{"pid": 1}\n');
    const other = (async () => {
      await new Promise((resolve) => setTimeout(resolve, 3000));
      for (const file of stored) await Deno.copyFile(join(copies, file), join(runs, file));
      await Deno.remove(claim);
    })();
    const waited = await command();
    await other;
    assert.equal(waited.code, 0, waited.stderr);
    assert.doesNotMatch(waited.stderr, /epoch 2:/);
    assert.match(waited.stderr, new RegExp(`${id} was trained by another process`));
    const [row] = parseCsv(await Deno.readTextFile(join(out, "custom", "runs.csv")), ["run_id"]);
    assert.equal(row.run_id, id);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("a label out of range names the labels file, and nothing is written", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const data = join(dir, "data");
    await Deno.mkdir(data);
    const images = (n: number) =>
      encodeIdx({ type: "uint8", dims: [n, 2, 2], data: new Uint8Array(n * 4) });
    const labels = (values: number[]) =>
      encodeIdx({ type: "uint8", dims: [values.length], data: Uint8Array.from(values) });
    await Deno.writeFile(join(data, MNIST_FILES.trainImages), images(8));
    await Deno.writeFile(join(data, MNIST_FILES.trainLabels), labels([0, 1, 2, 3, 4, 5, 6, 7]));
    await Deno.writeFile(join(data, MNIST_FILES.testImages), images(4));
    await Deno.writeFile(join(data, MNIST_FILES.testLabels), labels([0, 1, 12, 3]));
    const before = await snapshot(dir);
    assertCleanError(
      await experiment("--data", data, ...TINY, "--out", join(dir, "out")),
      /t10k-labels-idx1-ubyte: label 12 at index 2 is not a digit 0-9/,
    );
    assertOnlyChanged(before, await snapshot(dir), null);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("a command killed with SIGKILL resumes at once, its claims expired with it", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const config = await tinyRuns(dir, 3);
    const args = (out: string) => [
      "--config",
      config,
      "--limit",
      "2000",
      "--workers",
      "1",
      "--out",
      join(dir, out),
    ];
    let killed = false;
    const first = await experimentWatched(args("out"), (line, child) => {
      if (!killed && / epoch 1:/.test(line)) {
        killed = true;
        child.kill("SIGKILL");
      }
    });
    assert.ok(killed, first.stderr);
    assert.notEqual(first.code, 0);
    const started = performance.now();
    const resumed = await experiment(...args("out"));
    assert.equal(resumed.code, 0, resumed.stderr);
    assert.ok(performance.now() - started < 60_000, "no wait for the killed process's claims");
    const single = await experiment(...args("single"));
    assert.equal(single.code, 0, single.stderr);
    for (const table of TABLES) {
      assert.equal(
        await Deno.readTextFile(join(dir, "out", "custom", table)),
        await Deno.readTextFile(join(dir, "single", "custom", table)),
        table,
      );
    }
    const left = [...Deno.readDirSync(join(dir, "out", "runs"))].map((e) => e.name);
    assert.deepEqual(left.filter((name) => !/^\w{12}(\.meta)?\.json$/.test(name)), []);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
