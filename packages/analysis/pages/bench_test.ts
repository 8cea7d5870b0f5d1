import assert from "node:assert/strict";
import { join } from "node:path";
import { CsvError, writeCsv } from "../csv.ts";
import { benchPage } from "./bench.ts";

const COLUMNS = [
  "date",
  "machine",
  "load_1min",
  "backend",
  "kernels",
  "architecture",
  "depth",
  "eval_images",
  "train_ms_median",
  "eval_ms_median",
  "torch_train_ms_median",
  "torch_eval_ms_median",
  "torch_threads",
  "train_ratio",
  "eval_ratio",
];

const row = (architecture: string, depth: number, trainRatio: number | null) => ({
  date: "2026-12-04T20:00:00.000Z",
  machine: "AMD <EPYC>, 2 cores",
  load_1min: 1.5,
  backend: "wasm",
  kernels: "gradnets",
  architecture,
  depth,
  eval_images: 10000,
  train_ms_median: 0.5,
  eval_ms_median: 40,
  torch_train_ms_median: 0.8,
  torch_eval_ms_median: 20,
  torch_threads: 1,
  train_ratio: trainRatio,
  eval_ratio: 2,
});

Deno.test("bench page: the ratios as a figure and a table, the machine named and escaped", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const csv = join(dir, "bench.csv");
    await writeCsv(csv, COLUMNS, [row("grelu", 10, 0.625), row("highway", 10, null)]);
    const path = await benchPage({ out: dir, nav: [["Speed", "bench.html"]] }, csv);
    const html = await Deno.readTextFile(path);
    assert.match(html, /on AMD &#60;EPYC&#62;, 2 cores \(2026-12-04, 1-minute load 1\.5 to 1\.5\)/);
    assert.doesNotMatch(html, /<EPYC>/);
    assert.match(
      html,
      /<td>grelu<\/td><td>10<\/td><td>0\.500<\/td><td>0\.800<\/td><td>0\.63<\/td>/,
    );
    // A diverged configuration has no training ratio: "-" in the table, no point in the figure.
    assert.match(html, /<td>highway<\/td><td>10<\/td><td>0\.500<\/td><td>0\.800<\/td><td>-<\/td>/);
    const svg = await Deno.readTextFile(join(dir, "figures", "bench-ratios.svg"));
    assert.match(svg, /training step/);
    assert.match(svg, /goal 0\.8/);
    const data = await Deno.readTextFile(join(dir, "data", "bench-ratios.csv"));
    assert.equal(data.trim().split("\n").length, 3);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("bench page: CPU-time ratios are plotted where the bench recorded them", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const csv = join(dir, "bench.csv");
    const cpu = {
      train_cpu_ms_median: 0.4,
      eval_cpu_ms_median: 30,
      torch_train_cpu_ms_median: 0.5,
      torch_eval_cpu_ms_median: 20,
      train_cpu_ratio: 0.8,
      eval_cpu_ratio: 1.5,
    };
    await writeCsv(csv, [...COLUMNS, ...Object.keys(cpu)], [{
      ...row("plain", 50, 0.625),
      ...cpu,
    }]);
    const html = await Deno.readTextFile(await benchPage({ out: dir, nav: [] }, csv));
    assert.match(
      html,
      /CPU time of GradNets divided by PyTorch&#39;s|CPU time of GradNets divided by PyTorch's/,
    );
    // CPU times and ratios first, the wall-time ratios last.
    assert.match(
      html,
      /<td>plain<\/td><td>50<\/td><td>0\.400<\/td><td>0\.500<\/td><td>0\.80<\/td><td>30\.0<\/td><td>20\.0<\/td><td>1\.50<\/td><td>0\.63<\/td><td>2\.00<\/td>/,
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("bench page: a CSV without the bench's columns is an error naming the file", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const csv = join(dir, "bench.csv");
    await Deno.writeTextFile(csv, "architecture,depth\ngrelu,10\n");
    await assert.rejects(
      () => benchPage({ out: dir, nav: [] }, csv),
      (error: Error) =>
        error instanceof CsvError && /bench\.csv: missing columns date/.test(error.message),
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
