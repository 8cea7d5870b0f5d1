// The experiment's command line, run as a user runs it: bad input exits 2 with a message and no
// stack trace, before any training; a tiny run writes the documented CSVs.

import assert from "node:assert/strict";
import { ARCHITECTURE_KINDS } from "@gradnets/core";
import { join } from "node:path";
import { assertCleanError, runScript } from "./_command.ts";
import { encodeIdx, MNIST_FILES } from "@gradnets/data";
import { parseCsv } from "@gradnets/analysis";

const run = (...args: string[]) => runScript("experiments/main.ts", ...args);

Deno.test("--help prints usage and exits 0", async () => {
  const result = await run("--help");
  assert.equal(result.code, 0);
  assert.match(result.stdout, /Usage: deno task experiment/);
  assert.match(result.stdout, /--depth N/);
});

Deno.test("bad option values exit 2 naming the option", async (t) => {
  const cases: [string[], RegExp][] = [
    [["--depth", "1"], /--depth must be an integer >= 2, got "1"/],
    [["--tau=-1"], /--tau must be a number >= 0/],
    [["--backend", "gpu"], /--backend must be one of wasm, cpu, got "gpu"/],
    [["--lr", "fast"], /--lr must be a number > 0, got "fast"/],
    [["--epochs", "2.5"], /--epochs must be an integer >= 1/],
    [["--loss", "max"], /--loss must be one of sum, mean, got "max"/],
    [["--bogus"], /Unknown option '--bogus'/],
  ];
  for (const [args, message] of cases) {
    await t.step(args.join(" "), async () => assertCleanError(await run(...args), message));
  }
});

Deno.test("--data with malformed IDX files exits 2 with the file and the problem", async (t) => {
  const dir = await Deno.makeTempDir();
  try {
    const images = (n: number) =>
      encodeIdx({ type: "uint8", dims: [n, 2, 2], data: new Uint8Array(n * 4) });
    const labels = (n: number) => encodeIdx({ type: "uint8", dims: [n], data: new Uint8Array(n) });
    await Deno.writeFile(join(dir, MNIST_FILES.trainImages), images(8));
    await Deno.writeFile(join(dir, MNIST_FILES.trainLabels), labels(8));
    await Deno.writeFile(join(dir, MNIST_FILES.testImages), images(4).subarray(0, 20));
    await Deno.writeFile(join(dir, MNIST_FILES.testLabels), labels(4));
    await t.step("truncated", async () => {
      assertCleanError(await run("--data", dir), /t10k-images-idx3-ubyte: truncated/);
    });
    await Deno.writeFile(
      join(dir, MNIST_FILES.testImages),
      new TextEncoder().encode("<html>404</html>"),
    );
    await t.step("wrong magic", async () => {
      assertCleanError(await run("--data", dir), /t10k-images-idx3-ubyte: not an IDX file/);
    });
    await Deno.writeFile(join(dir, MNIST_FILES.testImages), images(3));
    await t.step("count mismatch", async () => {
      assertCleanError(await run("--data", dir), /3 images but 4 labels/);
    });
    await Deno.remove(join(dir, MNIST_FILES.testLabels));
    await t.step("missing", async () => {
      assertCleanError(await run("--data", dir), /t10k-labels-idx1-ubyte: file not found/);
    });
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("a tiny run on real MNIST writes the documented tables", async () => {
  const root = await Deno.makeTempDir();
  try {
    const result = await run(
      "seed-notebook",
      "--depth",
      "4",
      "--epochs",
      "1",
      "--limit",
      "500",
      "--out",
      root,
    );
    assert.equal(result.code, 0, result.stderr);
    const out = join(root, "seed-notebook");
    const runs = parseCsv(await Deno.readTextFile(join(out, "runs.csv")), [
      "run_id",
      "loss_reduction",
      "status",
    ]);
    assert.deepEqual(runs.map((r) => r.loss_reduction), ["sum", "mean"]);
    const epochs = parseCsv(await Deno.readTextFile(join(out, "epochs.csv")), [
      "run_id",
      "depth",
      "epoch",
      "step",
      "g",
      "train_loss",
      "train_accuracy",
      "validation_accuracy",
      "test_accuracy",
      "status",
    ]);
    assert.equal(epochs.length, 4); // 2 runs x (epoch 0 + epoch 1)
    assert.equal(epochs[1].step, "10");
    const norms = parseCsv(await Deno.readTextFile(join(out, "gradient_norms.csv")), [
      "run_id",
      "layer",
      "mean_norm",
    ]);
    assert.equal(norms.length, 2 * 4);
    assert.match(await Deno.readTextFile(join(out, "README.md")), /never used for\s+any decision/);
    // Rerunning the same command finds both runs stored and trains nothing.
    const again = await run(
      "seed-notebook",
      "--depth",
      "4",
      "--epochs",
      "1",
      "--limit",
      "500",
      "--out",
      root,
    );
    assert.match(again.stderr, /2 runs: 2 stored, 0 to train/);
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("any architecture runs by config: --arch, --set and --config", async () => {
  const root = await Deno.makeTempDir();
  try {
    const configFile = join(root, "configs.json");
    await Deno.writeTextFile(
      configFile,
      JSON.stringify([
        { architecture: { kind: "rezero" }, depth: 4, epochs: 1, lossReduction: "mean" },
        {
          architecture: { kind: "plain" },
          depth: 4,
          epochs: 1,
          dropout: { kind: "gradual", rate: 0.1 },
          // An optional field (the search's runs leave the test split unread).
          evaluateTest: false,
        },
      ]),
    );
    const fromFile = await run("--config", configFile, "--limit", "300", "--out", root);
    assert.equal(fromFile.code, 0, fromFile.stderr);
    const runs = parseCsv(await Deno.readTextFile(join(root, "custom", "runs.csv")), [
      "architecture",
      "dropout",
    ]);
    assert.deepEqual(runs.map((r) => [r.architecture, r.dropout]), [["rezero", "none"], [
      "plain",
      "gradual",
    ]]);
    assert.match(runs[0].final_test_accuracy, /^0\.\d+$/);
    assert.equal(runs[1].final_test_accuracy, "");

    const highway = await run(
      "seed-notebook",
      "--arch",
      "highway",
      "--set",
      "architecture.carryBias=-1",
      "--loss",
      "mean",
      "--depth",
      "3",
      "--epochs",
      "1",
      "--limit",
      "300",
      "--out",
      root,
    );
    assert.equal(highway.code, 0, highway.stderr);
    const rows = parseCsv(await Deno.readTextFile(join(root, "seed-notebook", "runs.csv")), [
      "architecture_carry_bias",
    ]);
    assert.deepEqual(
      rows.map((r) => [r.architecture, r.architecture_carry_bias, r.loss_reduction]),
      [["highway", "-1", "mean"]],
    );
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("config mistakes exit 2 naming the field", async (t) => {
  const cases: [string[], RegExp][] = [
    [["--set", "archtecture=plain"], /unknown config field "archtecture"/],
    [["--set", "dropout.kind=gradual"], /dropout rate must be in \[0, 1\), got undefined/],
    [["--set", "architecture.kind=transformer"], /unknown architecture "transformer"/],
    [["--set", "optimizer.learningRate=-1"], /learning rate must be a number > 0, got -1/],
    [
      ["--arch", "densenet"],
      new RegExp(`--arch must be one of ${ARCHITECTURE_KINDS.join(", ")}, got "densenet"`),
    ],
    [["no-such-experiment"], /unknown experiment "no-such-experiment"/],
  ];
  for (const [args, message] of cases) {
    await t.step(
      args.join(" "),
      async () => assertCleanError(await run(...args, "--list"), message),
    );
  }
});
