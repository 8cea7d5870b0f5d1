/**
 * The speed page: `deno task bench`'s measurements (reports/bench.csv) as ratios to PyTorch, a
 * figure and the table.
 *
 * @module
 */

import { join } from "node:path";
import { readCsv, writeFileAtomic } from "../csv.ts";
import { escapeHtml, htmlPage, type PageBlock } from "../render.ts";
import { type BenchPoint, benchRatiosSpec } from "../specs/bench_ratios.ts";
import { figure, type PageContext } from "./shared.ts";

/** The columns of bench.csv that the page reads. */
const BENCH_COLUMNS = [
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
] as const;

/** The goals of the speed issue: training 0.8 times PyTorch's step, evaluation 1.5 times. */
export const BENCH_GOALS = { train: 0.8, eval: 1.5 } as const;

/**
 * Writes `bench.html` from the bench's CSV at `csvPath` (see `deno task bench`). A malformed
 * file throws a `CsvError` naming it.
 *
 * @example
 * ```ts ignore
 * const path = await benchPage(ctx, "reports/bench.csv");
 * ```
 */
export async function benchPage(ctx: PageContext, csvPath: string): Promise<string> {
  const rows = await readCsv(csvPath, BENCH_COLUMNS);
  const number = (s: string | undefined) => (s === undefined || s === "" ? null : Number(s));
  const setups = [...new Set(rows.map((r) => `${r.backend} ${r.kernels}`))];
  // A bench that recorded CPU times is plotted by them: on a loaded machine they are the
  // steadier comparison (wall time counts the time other processes held the core). Older
  // files are plotted by their wall times.
  const cpu = rows.length > 0 && "train_cpu_ratio" in rows[0];
  const basis = cpu ? "CPU time" : "wall time";
  const points: BenchPoint[] = rows.map((r) => ({
    architecture: setups.length > 1
      ? `${r.architecture} (${r.backend} ${r.kernels})`
      : r.architecture,
    depth: Number(r.depth),
    trainMs: number(cpu ? r.train_cpu_ms_median : r.train_ms_median),
    torchTrainMs: number(cpu ? r.torch_train_cpu_ms_median : r.torch_train_ms_median),
    trainRatio: number(cpu ? r.train_cpu_ratio : r.train_ratio),
    evalMs: number(cpu ? r.eval_cpu_ms_median : r.eval_ms_median),
    torchEvalMs: number(cpu ? r.torch_eval_cpu_ms_median : r.torch_eval_ms_median),
    evalRatio: number(cpu ? r.eval_cpu_ratio : r.eval_ratio),
  }));
  const wall = rows.map((r) => [number(r.train_ratio), number(r.eval_ratio)]);
  const machines = [...new Set(rows.map((r) => r.machine))].join("; ");
  const dates = rows.map((r) => r.date.slice(0, 10)).sort();
  const when = dates.length === 0
    ? "no rows"
    : dates[0] === dates.at(-1)
    ? dates[0]
    : `${dates[0]} to ${dates.at(-1)}`;
  const loads = rows.map((r) => Number(r.load_1min)).filter((l) => Number.isFinite(l));
  const load = loads.length === 0
    ? "unknown"
    : `${Math.min(...loads).toFixed(1)} to ${Math.max(...loads).toFixed(1)}`;
  const images = rows[0]?.eval_images ?? "10000";
  const blocks: PageBlock[] = [
    {
      kind: "html",
      html:
        `<p>How long a training step of GradNets (the notebook's network: width 50, batch 50, SGD, g = 0.5) and an evaluation of the ${
          escapeHtml(images)
        } test images take, divided by PyTorch's time for the same network and batches on the same machine in the same run (1 thread, OpenBLAS; <code>scripts/bench_torch.py</code>): medians over the repeats of <code>deno task bench</code>, which wrote <code>bench.csv</code> beside this page. A ratio below 1 is faster than PyTorch. Timings belong to one machine and its load; the ratios, measured side by side, travel better than the milliseconds, and ratios of the CPU time each process used (plotted when the bench recorded them) leave out the time that other processes held the core.</p>`,
    },
  ];
  if (points.some((p) => p.trainRatio !== null || p.evalRatio !== null)) {
    const data = points.map((p) => ({
      architecture: p.architecture,
      depth: p.depth,
      train_ms: p.trainMs,
      torch_train_ms: p.torchTrainMs,
      train_ratio: p.trainRatio,
      eval_ms: p.evalMs,
      torch_eval_ms: p.torchEvalMs,
      eval_ratio: p.evalRatio,
    }));
    blocks.push(
      await figure(
        ctx.out,
        "bench-ratios",
        benchRatiosSpec({
          title: `${cpu ? "CPU time" : "Time"} of GradNets / ${
            cpu ? "CPU time" : "time"
          } of PyTorch`,
          points,
          goals: BENCH_GOALS,
        }),
        `${
          cpu ? "CPU time" : "Time"
        } of GradNets divided by PyTorch's, by architecture and depth, on ${
          escapeHtml(machines)
        } (${escapeHtml(when)}, 1-minute load ${
          escapeHtml(load)
        }); dashed: the goals (training ${BENCH_GOALS.train}, evaluation ${BENCH_GOALS.eval}).`,
        data,
      ),
    );
  } else {
    blocks.push({
      kind: "html",
      html: "<p>No ratios: the bench ran without PyTorch (<code>--no-torch</code>).</p>",
    });
  }
  const ms = (x: number | null, digits: number) => (x === null ? "-" : x.toFixed(digits));
  blocks.push({
    kind: "table",
    caption: `Median ${basis}s on ${machines} (${when}); ratio: ours / PyTorch ("-": a ` +
      `diverged step or no PyTorch)${cpu ? "; the ratios of the wall times last" : ""}.`,
    columns: [
      "architecture",
      "depth",
      "train ms",
      "PyTorch train ms",
      "train ratio",
      "eval ms",
      "PyTorch eval ms",
      "eval ratio",
      ...(cpu ? ["train ratio (wall)", "eval ratio (wall)"] : []),
    ],
    rows: points.map((p, i) => [
      p.architecture,
      String(p.depth),
      ms(p.trainMs, 3),
      ms(p.torchTrainMs, 3),
      ms(p.trainRatio, 2),
      ms(p.evalMs, 1),
      ms(p.torchEvalMs, 1),
      ms(p.evalRatio, 2),
      ...(cpu ? [ms(wall[i][0], 2), ms(wall[i][1], 2)] : []),
    ]),
  });
  const path = join(ctx.out, "bench.html");
  await writeFileAtomic(
    path,
    await htmlPage({ title: "GradNets: speed against PyTorch", nav: ctx.nav, blocks }),
  );
  return path;
}
