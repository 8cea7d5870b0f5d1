/**
 * `deno task bench`: times the training step and the evaluation of 10000 test images for each
 * architecture and depth, with PyTorch on the same network and batch right after each
 * configuration when a `python3` can import torch, and writes every figure to a CSV with the
 * machine and the versions.
 *
 * Timings are measurements of this machine, never assertions. Another process on the machine
 * shows in the spread (min / median / max over repeats) and in the recorded load; compare
 * medians.
 *
 * @module
 */

import {
  type Architecture,
  ARCHITECTURE_KINDS,
  type BackendName,
  BACKENDS,
  createModel,
  createOptimizer,
  defaultArchitecture,
  evaluateAccuracy,
  NOTEBOOK_CONFIG,
  Random,
  type RunConfig,
  runtimeVersions,
  trainStep,
  useBackend,
  useWasmKernels,
  wasmKernelsActive,
} from "@gradnets/core";
import { batches, type Dataset, loadDataset, mnistDataDir, shuffledOrder } from "@gradnets/data";
import { writeCsv } from "@gradnets/analysis";
import * as tf from "@tensorflow/tfjs";
import os from "node:os";
import process from "node:process";
import { choiceOption, integerOption, parseOptions, runMain, UsageError } from "@gradnets/runner";

const HELP = `Time the training step and the evaluation of GradNets, and compare with PyTorch.

Usage: deno task bench [options]

For every backend, architecture and depth: ms per training step and ms per evaluation of the
10000 MNIST test images, as min / median / max over the repeats; kernels per step; peak memory.
Each side also records its process's CPU time: on a loaded machine the CPU-time ratios are the
steadier comparison (wall time counts the time another process held the core).
The network is the notebook's (width 50, batch 50, SGD 0.01) at g = 0.5 with the mean loss;
residual, gradual-residual and gradual-rezero start from weights of std 0.01 and zero biases (from the
notebook's they overflow).
When a python3 (or /usr/bin/python3) can import torch, scripts/bench_torch.py times the same
network and batches right after, and the ratios ours / PyTorch are printed. Every row goes to
the CSV, with the machine and the versions.

Options:
  --depths LIST     comma-separated depths (default 10,50,200)
  --archs LIST      comma-separated architectures (default all: ${ARCHITECTURE_KINDS.join(",")})
  --backends LIST   comma-separated tfjs backends: ${BACKENDS.join(", ")} (default wasm)
  --steps N         training steps per repeat (default 100)
  --repeats N       repeats; min / median / max are over these (default 5)
  --quick           CI-sized: depth 10, 3 steps, 1 repeat (explicit options still apply)
  --no-torch        do not run the PyTorch baseline
  --no-kernels      run the layers on tfjs ops instead of the GradNets kernels (to compare)
  --out FILE        CSV to write (default reports/bench.csv)
  -h, --help        show this help`;

/** The columns of the CSV, in order. */
const COLUMNS = [
  "date",
  "machine",
  "os",
  "load_1min",
  "deno",
  "v8",
  "tfjs",
  "backend",
  "kernels",
  "architecture",
  "depth",
  "width",
  "batch",
  "loss_reduction",
  "init_std",
  "bias_init",
  "steps",
  "repeats",
  "diverged_steps",
  "train_ms_min",
  "train_ms_median",
  "train_ms_max",
  "eval_images",
  "eval_ms_min",
  "eval_ms_median",
  "eval_ms_max",
  "train_cpu_ms_median",
  "eval_cpu_ms_median",
  "kernels_per_step",
  "peak_rss_mb",
  "wasm_heap_mb",
  "torch_version",
  "torch_threads",
  "torch_blas",
  "torch_train_ms_min",
  "torch_train_ms_median",
  "torch_train_ms_max",
  "torch_eval_ms_min",
  "torch_eval_ms_median",
  "torch_eval_ms_max",
  "torch_train_cpu_ms_median",
  "torch_eval_cpu_ms_median",
  "torch_peak_rss_mb",
  "torch_diverged_steps",
  "train_ratio",
  "eval_ratio",
  "train_cpu_ratio",
  "eval_cpu_ratio",
] as const;

/** The width of the table's architecture column. */
const ARCH_WIDTH = Math.max(...ARCHITECTURE_KINDS.map((kind) => kind.length));

/** Untimed steps before the timed ones, on both sides: the JIT compiles, memory grows. */
const WARMUP = 50;

type Row = Partial<Record<(typeof COLUMNS)[number], string | number | null>>;

interface Stats {
  min: number;
  median: number;
  max: number;
}

interface Settings {
  steps: number;
  repeats: number;
}

await runMain(async () => {
  const { values } = parseOptions(Deno.args, {
    depths: { type: "string" },
    archs: { type: "string" },
    backends: { type: "string" },
    steps: { type: "string" },
    repeats: { type: "string" },
    quick: { type: "boolean" },
    "no-torch": { type: "boolean" },
    "no-kernels": { type: "boolean" },
    out: { type: "string" },
    help: { type: "boolean", short: "h" },
  });
  if (values.help) {
    console.log(HELP);
    return;
  }
  const quick = values.quick ?? false;
  const list = (name: string, text: string) => {
    const items = text.split(",").map((s) => s.trim());
    if (items.some((s) => s === "")) throw new UsageError(`--${name} has an empty item: "${text}"`);
    return items;
  };
  const depths = list("depths", values.depths ?? (quick ? "10" : "10,50,200"))
    .map((d) => integerOption("depths", d, 2));
  const archs = list("archs", values.archs ?? ARCHITECTURE_KINDS.join(","))
    .map((a) => choiceOption("archs", a, ARCHITECTURE_KINDS));
  const backends = list("backends", values.backends ?? "wasm")
    .map((b) => choiceOption("backends", b, BACKENDS));
  const settings: Settings = {
    steps: integerOption("steps", values.steps ?? (quick ? "3" : "100"), 1),
    repeats: integerOption("repeats", values.repeats ?? (quick ? "1" : "5"), 1),
  };
  const out = values.out ?? "reports/bench.csv";
  if (out.trim() === "") throw new UsageError("--out must name a file");
  const kernels = !(values["no-kernels"] ?? false);

  const data = await loadDataset("mnist");
  const python = values["no-torch"] ? null : await findTorch();
  const machine = `${os.cpus()[0]?.model ?? "unknown CPU"}, ${os.cpus().length} cores, ${
    Math.round(os.totalmem() / 2 ** 30)
  } GiB`;
  console.log(`machine: ${machine}; ${Deno.build.os} ${Deno.build.arch}`);
  console.log(
    python
      ? `PyTorch baseline: ${python} scripts/bench_torch.py (1 thread)`
      : "PyTorch baseline: off (--no-torch, or no python3 that imports torch)",
  );
  console.log(
    `${settings.repeats} repeats x ${settings.steps} steps; ms: min / median / max; ratio: ` +
      "median ours / median PyTorch",
  );
  console.log(
    [
      "backend",
      "arch".padEnd(ARCH_WIDTH),
      "depth",
      "train ms/step".padEnd(23),
      "eval ms".padEnd(23),
      "kernels",
      "rss MB",
      "heap MB",
      "torch train",
      "torch eval",
      "ratio train",
      "ratio eval",
      "cpu ratio train",
      "cpu ratio eval",
    ].join("  "),
  );

  const rows: Row[] = [];
  for (const backend of backends) {
    await useBackend(backend);
    useWasmKernels(kernels);
    const versions = runtimeVersions();
    for (const arch of archs) {
      for (const depth of depths) {
        const load = os.loadavg()[0];
        const config = benchConfig(arch, depth, backend);
        const ours = await timeOurs(config, data, settings);
        const torch = python ? await timeTorch(python, config, settings) : null;
        // A diverged step skips its backward pass: its time is no step time to compare.
        const comparable = torch !== null && ours.divergedSteps === 0 &&
          torch.nonfinite_steps === 0;
        const trainRatio = comparable ? ours.train.median / torch.step_ms.median : null;
        const evalRatio = torch ? ours.evaluation.median / torch.eval_ms.median : null;
        const trainCpuRatio = comparable ? ours.trainCpu.median / torch.step_cpu_ms.median : null;
        const evalCpuRatio = torch ? ours.evaluationCpu.median / torch.eval_cpu_ms.median : null;
        console.log(
          [
            backend.padEnd(7),
            arch.padEnd(ARCH_WIDTH),
            String(depth).padStart(5),
            format(ours.train, 3).padEnd(23),
            format(ours.evaluation, 1).padEnd(23),
            String(ours.kernelsPerStep).padStart(7),
            ours.peakRssMb.toFixed(0).padStart(6),
            ours.wasmHeapMb === null ? "      -" : ours.wasmHeapMb.toFixed(0).padStart(7),
            (torch ? torch.step_ms.median.toFixed(3) : "-").padStart(11),
            (torch ? torch.eval_ms.median.toFixed(1) : "-").padStart(10),
            (trainRatio === null ? "-" : trainRatio.toFixed(2)).padStart(11),
            (evalRatio === null ? "-" : evalRatio.toFixed(2)).padStart(10),
            (trainCpuRatio === null ? "-" : trainCpuRatio.toFixed(2)).padStart(15),
            (evalCpuRatio === null ? "-" : evalCpuRatio.toFixed(2)).padStart(14),
            ours.divergedSteps > 0 ? `  diverged in ${ours.divergedSteps} steps` : "",
          ].join("  "),
        );
        rows.push({
          date: new Date().toISOString(),
          machine,
          os: `${Deno.build.os} ${Deno.build.arch}`,
          load_1min: Number(load.toFixed(2)),
          deno: versions.deno,
          v8: versions.v8,
          tfjs: versions.tfjs,
          backend,
          kernels: backend === "wasm" && wasmKernelsActive() ? "gradnets" : "tfjs-ops",
          architecture: arch,
          depth,
          width: NOTEBOOK_CONFIG.width,
          batch: NOTEBOOK_CONFIG.batchSize,
          loss_reduction: config.lossReduction,
          init_std: (config.init as { std: number }).std,
          bias_init: config.biasInit,
          steps: settings.steps,
          repeats: settings.repeats,
          diverged_steps: ours.divergedSteps,
          train_ms_min: round(ours.train.min),
          train_ms_median: round(ours.train.median),
          train_ms_max: round(ours.train.max),
          eval_images: data.test.count,
          eval_ms_min: round(ours.evaluation.min),
          eval_ms_median: round(ours.evaluation.median),
          eval_ms_max: round(ours.evaluation.max),
          train_cpu_ms_median: round(ours.trainCpu.median),
          eval_cpu_ms_median: round(ours.evaluationCpu.median),
          kernels_per_step: ours.kernelsPerStep,
          peak_rss_mb: Math.round(ours.peakRssMb),
          wasm_heap_mb: ours.wasmHeapMb === null ? null : Math.round(ours.wasmHeapMb),
          torch_version: torch?.torch_version ?? null,
          torch_threads: torch?.threads ?? null,
          torch_blas: torch ? torch.blas.join(" ") : null,
          torch_train_ms_min: torch ? round(torch.step_ms.min) : null,
          torch_train_ms_median: torch ? round(torch.step_ms.median) : null,
          torch_train_ms_max: torch ? round(torch.step_ms.max) : null,
          torch_eval_ms_min: torch ? round(torch.eval_ms.min) : null,
          torch_eval_ms_median: torch ? round(torch.eval_ms.median) : null,
          torch_eval_ms_max: torch ? round(torch.eval_ms.max) : null,
          torch_train_cpu_ms_median: torch ? round(torch.step_cpu_ms.median) : null,
          torch_eval_cpu_ms_median: torch ? round(torch.eval_cpu_ms.median) : null,
          torch_peak_rss_mb: torch ? Math.round(torch.peak_rss_mb) : null,
          torch_diverged_steps: torch?.nonfinite_steps ?? null,
          train_ratio: trainRatio === null ? null : round(trainRatio),
          eval_ratio: evalRatio === null ? null : round(evalRatio),
          train_cpu_ratio: trainCpuRatio === null ? null : round(trainCpuRatio),
          eval_cpu_ratio: evalCpuRatio === null ? null : round(evalCpuRatio),
        });
        // Written after every configuration, so that an interrupted bench keeps what it measured.
        await writeCsv(out, COLUMNS, rows);
      }
    }
  }
  if (python && rows.length > 0) {
    console.log(`BLAS of PyTorch: ${rows[0].torch_blas || "unknown"}`);
  }
  console.log(`wrote ${out}`);
});

/**
 * The network the bench trains: the notebook's (width 50, batch 50, SGD 0.01, truncated normal
 * 0.1, biases 0.1) at g = 0.5, with the mean loss, so that the step times cover full steps of
 * networks that stay finite. A residual stack without normalisation overflows within two steps
 * from that start (the gradual residual at g = 0.5 at depth 200), so both start from weights of
 * std 0.01 and zero biases instead.
 */
function benchConfig(kind: Architecture["kind"], depth: number, backend: BackendName): RunConfig {
  const architecture = defaultArchitecture(kind);
  // The residual kinds whose branch reaches full weight at g = 0.5 overflow from the notebook's
  // start at depth 200; the scaled kinds (branch 1/sqrt(depth)) and ReZero (from 0) do not.
  const residual = kind === "residual" || kind === "gradual-residual" ||
    kind === "gradual-rezero";
  return {
    ...NOTEBOOK_CONFIG,
    depth,
    architecture,
    backend,
    lossReduction: "mean",
    init: { kind: "truncated-normal", std: residual ? 0.01 : 0.1 },
    biasInit: residual ? 0 : NOTEBOOK_CONFIG.biasInit,
  };
}

/** Times training steps and evaluations of one configuration, in this process. */
async function timeOurs(
  config: RunConfig,
  data: Dataset,
  { steps, repeats }: Settings,
): Promise<{
  train: Stats;
  evaluation: Stats;
  trainCpu: Stats;
  evaluationCpu: Stats;
  kernelsPerStep: number;
  peakRssMb: number;
  wasmHeapMb: number | null;
  divergedSteps: number;
}> {
  const random = new Random(1);
  const model = createModel(config, { inputSize: 784, classes: 10 }, random.fork("init"));
  const optimizer = createOptimizer(config.optimizer, model.variables.map((v) => v.shape));
  const shuffle = random.fork("shuffle");
  let iterator = batches(data.train, shuffledOrder(data.train.count, () => shuffle.uniform()), 50);
  const nextBatch = () => {
    let next = iterator.next();
    if (next.done) {
      // A new epoch: a fresh shuffle.
      iterator = batches(data.train, shuffledOrder(data.train.count, () => shuffle.uniform()), 50);
      next = iterator.next();
    }
    return next.value!;
  };
  const settings = { g: 0.5, learningRateScale: 1, random, sampleNorms: false };
  let divergedSteps = 0;
  const step = () => {
    const { loss } = trainStep(model, optimizer, nextBatch(), data, settings, config);
    if (!Number.isFinite(loss)) divergedSteps++;
  };
  try {
    for (let i = 0; i < Math.min(WARMUP, steps); i++) step(); // code compiled, memory grown
    const kernelsPerStep = await countKernels(step);
    divergedSteps = 0;
    const train: number[] = [], trainCpu: number[] = [];
    for (let r = 0; r < repeats; r++) {
      const started = performance.now(), cpu = cpuMs();
      for (let i = 0; i < steps; i++) step();
      train.push((performance.now() - started) / steps);
      trainCpu.push((cpuMs() - cpu) / steps);
    }
    evaluateAccuracy(model, data.test, 0.5); // warm-up
    const evaluation: number[] = [], evaluationCpu: number[] = [];
    for (let r = 0; r < repeats; r++) {
      const started = performance.now(), cpu = cpuMs();
      evaluateAccuracy(model, data.test, 0.5);
      evaluation.push(performance.now() - started);
      evaluationCpu.push(cpuMs() - cpu);
    }
    const heap = wasmHeapBytes();
    return {
      train: stats(train),
      evaluation: stats(evaluation),
      trainCpu: stats(trainCpu),
      evaluationCpu: stats(evaluationCpu),
      kernelsPerStep,
      peakRssMb: peakRss() / 1e6,
      wasmHeapMb: heap === null ? null : heap / 1e6,
      divergedSteps,
    };
  } finally {
    optimizer.dispose();
    model.dispose();
  }
}

/** The CPU time of this process so far, in ms (user and system, every thread). */
function cpuMs(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
}

/** The kernels one call of `f` launches, from tfjs's profiler. */
async function countKernels(f: () => void): Promise<number> {
  const profile = await tf.profile(f);
  return profile.kernels.length;
}

/** The process's peak resident memory (VmHWM on Linux), else its current RSS. */
function peakRss(): number {
  try {
    const status = Deno.readTextFileSync("/proc/self/status");
    const match = status.match(/^VmHWM:\s+(\d+)\s+kB/m);
    if (match) return Number(match[1]) * 1024;
  } catch {
    // not Linux
  }
  return Deno.memoryUsage().rss;
}

/** The size of the wasm backend's memory (it grows and never shrinks), or null on another. */
function wasmHeapBytes(): number | null {
  if (tf.getBackend() !== "wasm") return null;
  // deno-lint-ignore no-explicit-any
  return (tf.backend() as any).wasm.HEAPU8.buffer.byteLength;
}

/** What scripts/bench_torch.py --json prints (the fields used here). */
interface TorchResult {
  torch_version: string;
  threads: number;
  blas: string[];
  step_ms: Stats;
  eval_ms: Stats;
  step_cpu_ms: Stats;
  eval_cpu_ms: Stats;
  peak_rss_mb: number;
  nonfinite_steps: number;
}

/** A python3 that imports torch: the one on PATH, else Debian's; null if neither does. */
async function findTorch(): Promise<string | null> {
  for (const python of ["python3", "/usr/bin/python3"]) {
    try {
      const probe = await new Deno.Command(python, {
        args: ["-c", "import torch"],
        stdout: "null",
        stderr: "null",
      }).output();
      if (probe.success) return python;
    } catch {
      // not installed
    }
  }
  return null;
}

/** Runs scripts/bench_torch.py on the network and batch that timeOurs trains. */
async function timeTorch(
  python: string,
  config: RunConfig,
  { steps, repeats }: Settings,
): Promise<TorchResult> {
  const script = new URL("./bench_torch.py", import.meta.url).pathname;
  const { depth, architecture, width, batchSize, lossReduction, optimizer, biasInit } = config;
  const learningRate = (optimizer as { learningRate: number }).learningRate;
  const std = (config.init as { std: number }).std;
  const args = [
    script,
    ...["--depth", String(depth), "--arch", architecture.kind, "--width", String(width)],
    ...["--batch", String(batchSize), "--gate", "0.5", "--carry-bias", "-2"],
    ...["--lr", String(learningRate), "--loss-reduction", lossReduction],
    ...["--init-std", String(std), "--bias", String(biasInit)],
    ...["--steps", String(steps), "--repeats", String(repeats)],
    ...["--warmup", String(Math.min(WARMUP, steps)), "--mnist", mnistDataDir(), "--json"],
  ];
  const run = await new Deno.Command(python, { args, stdout: "piped", stderr: "piped" }).output();
  if (!run.success) {
    throw new Error(`bench_torch.py failed:\n${new TextDecoder().decode(run.stderr)}`);
  }
  return JSON.parse(new TextDecoder().decode(run.stdout));
}

function stats(xs: number[]): Stats {
  const sorted = [...xs].sort((a, b) => a - b);
  const mid = sorted.length / 2;
  const median = sorted.length % 2 === 1
    ? sorted[Math.floor(mid)]
    : (sorted[mid - 1] + sorted[mid]) / 2;
  return { min: sorted[0], median, max: sorted.at(-1)! };
}

function format(s: Stats, digits: number): string {
  return `${s.min.toFixed(digits)} / ${s.median.toFixed(digits)} / ${s.max.toFixed(digits)}`;
}

function round(x: number): number {
  return Number(x.toPrecision(4));
}
