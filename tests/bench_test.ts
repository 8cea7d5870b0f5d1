// The bench as a user runs it, CI-sized: it must run and write its CSV. Timings are never
// asserted; this only checks that the bench works.

import assert from "node:assert/strict";
import { join } from "node:path";
import { assertCleanError, runScript } from "./_command.ts";
import { parseCsv } from "@gradnets/analysis";
import { ARCHITECTURE_KINDS } from "@gradnets/core";

const run = (...args: string[]) => runScript("scripts/bench.ts", ...args);

Deno.test("bench --quick --no-torch runs every architecture and writes the CSV", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const out = join(dir, "bench.csv");
    const result = await run("--quick", "--no-torch", "--out", out);
    assert.equal(result.code, 0, result.stderr);
    const columns = [
      "machine",
      "deno",
      "tfjs",
      "backend",
      "kernels",
      "architecture",
      "depth",
      "train_ms_min",
      "train_ms_median",
      "train_ms_max",
      "eval_ms_median",
      "kernels_per_step",
      "peak_rss_mb",
      "wasm_heap_mb",
      "torch_train_ms_median",
      "torch_blas",
      "train_ratio",
      "eval_ratio",
      "train_cpu_ms_median",
      "eval_cpu_ms_median",
      "train_cpu_ratio",
      "eval_cpu_ratio",
    ];
    const rows = parseCsv(await Deno.readTextFile(out), columns, out);
    assert.deepEqual(rows.map((r) => r.architecture), [...ARCHITECTURE_KINDS]);
    for (const row of rows) {
      assert.equal(row.backend, "wasm");
      assert.equal(row.kernels, "gradnets");
      assert.equal(row.depth, "10");
      assert.ok(Number(row.train_ms_median) > 0 && Number(row.eval_ms_median) > 0);
      assert.ok(Number(row.train_cpu_ms_median) > 0 && Number(row.eval_cpu_ms_median) > 0);
      // One kernel forward and one backward per layer, and one optimiser step; the gradual
      // ReZero also multiplies its learnt scale by g and back, once each way per hidden layer.
      const scaleOps = row.architecture === "gradual-rezero" ? 2 * (10 - 2) : 0;
      assert.equal(row.kernels_per_step, String(21 + scaleOps), row.architecture);
      assert.equal(row.torch_train_ms_median, "", "no PyTorch with --no-torch");
    }
    assert.match(result.stdout, /ms\/step/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("bench_torch.py knows every architecture of the registry, in its order", async () => {
  // Read from the source, so that the check needs neither python nor torch.
  const source = await Deno.readTextFile(new URL("../scripts/bench_torch.py", import.meta.url));
  const match = source.match(/^ARCHS = \(([^)]*)\)/m);
  assert(match, "bench_torch.py has no ARCHS = (...) line");
  const archs = [...match[1].matchAll(/"([^"]+)"/g)].map((m) => m[1]);
  assert.deepEqual(archs, [...ARCHITECTURE_KINDS], "ARCHS of bench_torch.py vs ARCHITECTURE_KINDS");
  for (const kind of ARCHITECTURE_KINDS) {
    assert.match(source, new RegExp(`self\\.arch == "${kind}"`), `no forward for ${kind}`);
  }
});

Deno.test("bench: bad option values exit 2 naming the option", async (t) => {
  const cases: [string[], RegExp][] = [
    [["--depths", "10,1"], /--depths must be an integer >= 2, got "1"/],
    [["--archs", "grelu,mlp"], /--archs must be one of .*, got "mlp"/],
    [["--backends", "gpu"], /--backends must be one of wasm, cpu, got "gpu"/],
    [["--steps", "0"], /--steps must be an integer >= 1/],
    [["--repeats", "x"], /--repeats must be an integer >= 1/],
    [["--depths", "10,,50"], /--depths has an empty item/],
    [["--bogus"], /Unknown option '--bogus'/],
  ];
  for (const [args, message] of cases) {
    await t.step(args.join(" "), async () => assertCleanError(await run(...args), message));
  }
});
