// The same seeded runs give the same bits under two Deno versions (two V8 engines): the
// pinned one running this test, and a second Deno 2.x named by GRADNETS_SECOND_DENO (.ci/run
// installs Deno 2.7.14 from npm and sets it). Results must not depend on the engine: the host
// math is ieee_math.ts, the rest runs in wasm.

import assert from "node:assert/strict";
import { join } from "node:path";
import { type CommandResult, runScriptWith } from "./_command.ts";

const second = Deno.env.get("GRADNETS_SECOND_DENO");

/** A short study that touches every engine-sensitive path: the loss (sum and mean), Box-Muller
 * initialisers, Adam's bias correction, learning-rate decay, dropout masks, batch norm. */
const CONFIGS = [
  // The notebook's summed loss with Adam and a decaying rate: under Deno 2.7 and 2.9 its logged
  // loss differed in the last digits before version 3 (Math.exp, Math.log and ** on the host).
  {
    depth: 10,
    dataLimit: 2000,
    epochs: 2,
    schedule: { kind: "linear", tau: 1 },
    optimizer: { kind: "adam", learningRate: 0.001, beta1: 0.9, beta2: 0.999, epsilon: 1e-7 },
    learningRateDecay: { kind: "exponential", rate: 0.5, epochs: 1 },
  },
  {
    depth: 6,
    width: 16,
    dataLimit: 1000,
    epochs: 2,
    init: { kind: "he" },
    lossReduction: "mean",
    optimizer: { kind: "adam", learningRate: 0.001, beta1: 0.9, beta2: 0.999, epsilon: 1e-7 },
    learningRateDecay: { kind: "exponential", rate: 0.1, epochs: 2 },
    dropout: { kind: "gradual", rate: 0.1 },
    batchNorm: { kind: "gradual" },
  },
  {
    depth: 5,
    width: 16,
    dataLimit: 1000,
    epochs: 2,
    architecture: { kind: "highway", carryBias: -2 },
    init: { kind: "orthogonal", gain: 1 },
    lossReduction: "mean",
    optimizer: { kind: "momentum", learningRate: 0.01, momentum: 0.9 },
    gradientClip: 1,
    weightDecay: 1e-4,
  },
];

/** The tables that hold results (timings and the manifest name versions and seconds). */
const TABLES = ["runs.csv", "epochs.csv", "gradient_norms.csv"];

async function study(deno: string, dir: string): Promise<Map<string, string>> {
  await Deno.mkdir(dir, { recursive: true });
  const config = join(dir, "configs.json");
  await Deno.writeTextFile(config, JSON.stringify(CONFIGS));
  const out = join(dir, "results");
  const result: CommandResult = await runScriptWith(
    deno,
    "experiments/main.ts",
    "--config",
    config,
    "--out",
    out,
    "--workers",
    "1",
  );
  assert.equal(result.code, 0, `${deno}: ${result.stderr}`);
  const files = new Map<string, string>();
  for await (const entry of Deno.readDir(join(out, "runs"))) {
    if (!entry.name.endsWith(".meta.json")) {
      files.set(`runs/${entry.name}`, await Deno.readTextFile(join(out, "runs", entry.name)));
    }
  }
  for (const table of TABLES) {
    files.set(`custom/${table}`, await Deno.readTextFile(join(out, "custom", table)));
  }
  return files;
}

Deno.test({
  name: "a short seeded study gives byte-identical run files and tables under a second Deno",
  ignore: second === undefined,
  async fn() {
    const version = new TextDecoder().decode(
      (await new Deno.Command(second!, { args: ["--version"], stdout: "piped" }).output()).stdout,
    ).split("\n")[0];
    assert.notEqual(version.split(" ")[1], Deno.version.deno, "the second Deno is another version");
    const dir = await Deno.makeTempDir({ prefix: "gradnets-engines-" });
    try {
      const pinned = await study(Deno.execPath(), join(dir, "pinned"));
      const other = await study(second!, join(dir, "other"));
      assert.equal(pinned.size, CONFIGS.length + TABLES.length);
      assert.deepEqual([...other.keys()].sort(), [...pinned.keys()].sort());
      for (const [file, text] of pinned) {
        assert.ok(other.get(file) === text, `${file} differs under ${version}`);
      }
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});
