/**
 * `deno task verify`: retrains stored runs in a scratch folder, with the worker pool the
 * experiments use, and compares each new run file with the stored one byte for byte. By
 * default it retrains a seeded, stratified sample that fits a time budget
 * ({@linkcode sampleRuns}); it prints a table, writes it as a verification record (CSV and
 * JSON, with the machine, versions and commit) and exits 0 only when every run matched.
 *
 * @module
 */

import { NUMERICS_VERSION, runId, runtimeVersions } from "@gradnets/core";
import { CsvError, formatCsv, readCsv, readRuns, writeFileAtomic } from "@gradnets/analysis";
import { basename, dirname, join, relative, resolve } from "node:path";
import {
  durationOption,
  formatDuration,
  integerOption,
  parseOptions,
  runMain,
  UsageError,
} from "./cli.ts";
import { compareRunFiles } from "./compare.ts";
import type { Experiment } from "./experiment.ts";
import { type PlannedRun, work } from "./plan.ts";
import { trainWithWorkers } from "./pool.ts";
import { gitCommit, machine } from "./_provenance.ts";
import {
  type SampleCandidate,
  sampleRuns,
  STRATA,
  strataOf,
  type Stratum,
  wallSeconds,
} from "./sample.ts";

const OPTIONS = {
  results: { type: "string" },
  scratch: { type: "string" },
  record: { type: "string" },
  budget: { type: "string" },
  seed: { type: "string" },
  workers: { type: "string" },
  runs: { type: "string" },
  experiment: { type: "string" },
  all: { type: "boolean" },
  help: { type: "boolean", short: "h" },
} as const;

const DEFAULT_BUDGET = "10m";

function help(): string {
  return `Retrain stored runs and check that each run file comes out byte-identical.

Usage: deno task verify [options]

By default a seeded sample of the stored runs that fits the time budget (estimated from the
stored timings), stratified so that every experiment, dataset, architecture and depth band is
represented as far as the budget allows.

Options:
  --budget TIME    wall-clock time of training for the sample, e.g. 10m, 90s, 1h30m
                   (default ${DEFAULT_BUDGET})
  --seed N         the sample's seed (default 1): another seed, another sample
  --experiment E   only runs of these experiments (comma-separated); with --all, all of them
  --all            every stored run (of --experiment, if given) instead of a sample
  --runs ID,...    exactly these runs
  --workers N      worker processes, one per core (default: the number of cores, ${navigator.hardwareConcurrency})
  --results DIR    the stored results to check (default results/): DIR/<experiment>/runs.csv
                   lists each experiment's runs, DIR/runs/<id>.json holds them
  --scratch DIR    where the retrained runs and the record go (default: a new temporary folder)
  --record FILE    write the record here instead (.json or .csv) and not into the scratch folder
  -h, --help       show this help

Prints a table (run, experiment, architecture, depth, seconds, and "identical" or the first
field that differs, stored value first) and writes it as a verification record, verify.json and
verify.csv in the scratch folder, with the machine, the Deno, V8 and tfjs versions, the commit,
the date, the budget and the seed. Nothing is written into the results or reports folders.
Exits 0 when every run matched, 1 when one differs or failed, 2 on bad input.`;
}

/** One verified run: a row of the table and of the record. */
export interface VerifiedRun {
  /** The run's id. */
  readonly run: string;
  /** The experiment whose runs.csv lists it. */
  readonly experiment: string;
  /** Its architecture as labelled in figures (runs.csv `label`). */
  readonly architecture: string;
  /** Its dataset. */
  readonly dataset: string;
  /** Its depth. */
  readonly depth: number;
  /** Seconds of training the stored timings led to expect. */
  readonly estimatedSeconds: number;
  /** Seconds the retraining took (null: not retrained). */
  readonly seconds: number | null;
  /** Whether the retrained run file is byte-identical to the stored one. */
  readonly identical: boolean;
  /** When not: the first field that differs with both values, or why it was not compared. */
  readonly difference: string | null;
}

/** Where, with what and on which selection a verification ran: the record's header. */
export interface VerificationContext {
  /** When it started (ISO 8601). */
  readonly date: string;
  /** `git rev-parse HEAD` of the work tree (`+dirty` with changes; `unknown` outside git). */
  readonly commit: string;
  /** CPU model, cores, memory. */
  readonly machine: string;
  /** Operating system and architecture. */
  readonly os: string;
  /** Deno's version. */
  readonly deno: string;
  /** V8's version. */
  readonly v8: string;
  /** tfjs's version. */
  readonly tfjs: string;
  /** The code's NUMERICS_VERSION. */
  readonly numericsVersion: number;
  /** The results folder checked. */
  readonly results: string;
  /** How the runs were chosen: `sample`, `all` or `runs`, e.g. `sample of depth-study`. */
  readonly selection: string;
  /** The budget as given (null when not a sample). */
  readonly budget: string | null;
  /** The sample's seed (null when not a sample). */
  readonly seed: number | null;
  /** Worker processes. */
  readonly workers: number;
  /** Stored runs the selection was made from. */
  readonly storedRuns: number;
  /** Per stratum, how many of the stored runs' values the verified runs cover, e.g. `3/3`. */
  readonly coverage: Readonly<Record<Stratum, string>>;
}

/**
 * The table `deno task verify` prints: one line per run, then how many matched.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { verificationTable } from "@gradnets/runner";
 * const table = verificationTable([{
 *   run: "aeb2554ecee0", experiment: "depth-study", architecture: "plain-71", dataset: "mnist",
 *   depth: 10, estimatedSeconds: 30, seconds: 31.2, identical: true, difference: null,
 * }]);
 * assert.match(table, /aeb2554ecee0 +depth-study +plain-71 +10 +31\.2 +identical/);
 * assert.match(table, /all 1 runs identical/);
 * ```
 */
export function verificationTable(runs: readonly VerifiedRun[]): string {
  const header = ["run", "experiment", "architecture", "depth", "seconds", "result"];
  const rows = runs.map((r) => [
    r.run,
    r.experiment,
    r.architecture,
    String(r.depth),
    r.seconds === null ? "-" : r.seconds.toFixed(1),
    r.identical ? "identical" : r.difference ?? "differs",
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i].length)));
  const line = (cells: string[]) =>
    cells.map((cell, i) =>
      i === cells.length - 1 ? cell : i === 3 || i === 4 ? cell.padStart(widths[i]) : cell.padEnd(
        widths[i],
      )
    ).join("  ");
  const differ = runs.filter((r) => !r.identical).length;
  const summary = differ === 0
    ? `all ${runs.length} runs identical`
    : `${differ} of ${runs.length} runs differ`;
  return [line(header), ...rows.map(line), "", summary].join("\n") + "\n";
}

/**
 * The verification record as JSON: the context, then one entry per run, then the totals.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { type VerificationContext, verificationJson } from "@gradnets/runner";
 * const context = { date: "2026-12-04T19:00:00.000Z", seed: 1 } as VerificationContext;
 * const record = JSON.parse(verificationJson(context, []));
 * assert.equal(record.seed, 1);
 * assert.equal(record.identical, 0);
 * ```
 */
export function verificationJson(
  context: VerificationContext,
  runs: readonly VerifiedRun[],
): string {
  const identical = runs.filter((r) => r.identical).length;
  return JSON.stringify(
    { ...context, runs, verified: runs.length, identical, differ: runs.length - identical },
    null,
    1,
  ) + "\n";
}

/** The columns of the CSV record: a run's fields, then the context on every row. */
const CSV_COLUMNS = [
  "run",
  "experiment",
  "architecture",
  "dataset",
  "depth",
  "estimated_seconds",
  "seconds",
  "identical",
  "difference",
  "date",
  "commit",
  "machine",
  "os",
  "deno",
  "v8",
  "tfjs",
  "numerics_version",
  "results",
  "selection",
  "budget",
  "seed",
  "workers",
] as const;

/**
 * The verification record as CSV: one row per run, each carrying the context (machine,
 * versions, commit, date, budget, seed) so that any row stands alone.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { type VerificationContext, verificationCsv } from "@gradnets/runner";
 * const context = { date: "2026-12-04T19:00:00.000Z", deno: "2.9.6" } as VerificationContext;
 * const csv = verificationCsv(context, [{
 *   run: "a1", experiment: "e", architecture: "grelu", dataset: "mnist", depth: 3,
 *   estimatedSeconds: 1, seconds: 1, identical: false, difference: "status: 1 vs 2",
 * }]);
 * assert.match(csv, /^run,experiment,/);
 * assert.match(csv, /a1,e,grelu,mnist,3,1,1,false,status: 1 vs 2,2026-12-04T19:00:00.000Z/);
 * ```
 */
export function verificationCsv(
  context: VerificationContext,
  runs: readonly VerifiedRun[],
): string {
  return formatCsv(
    CSV_COLUMNS,
    runs.map((r) => ({
      run: r.run,
      experiment: r.experiment,
      architecture: r.architecture,
      dataset: r.dataset,
      depth: r.depth,
      estimated_seconds: Number(r.estimatedSeconds.toFixed(1)),
      seconds: r.seconds === null ? null : Number(r.seconds.toFixed(1)),
      identical: r.identical,
      difference: r.difference,
      date: context.date,
      commit: context.commit,
      machine: context.machine,
      os: context.os,
      deno: context.deno,
      v8: context.v8,
      tfjs: context.tfjs,
      numerics_version: context.numericsVersion,
      results: context.results,
      selection: context.selection,
      budget: context.budget,
      seed: context.seed,
      workers: context.workers,
    })),
  );
}

/** A stored run that verify may retrain. */
type Candidate = SampleCandidate;

async function exists(path: string): Promise<boolean> {
  try {
    await Deno.stat(path);
    return true;
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return false;
    throw error;
  }
}

/** The stored runs of each experiment folder of `results` (those with a runs.csv). */
async function storedCandidates(
  results: string,
  experiments: readonly Experiment[],
): Promise<{ names: string[]; candidates: Candidate[]; stale: number; named: Candidate[] }> {
  let entries: Deno.DirEntry[];
  try {
    entries = await Array.fromAsync(Deno.readDir(results));
  } catch {
    throw new UsageError(`results folder "${results}" not found`);
  }
  if (!entries.some((e) => e.name === "runs" && e.isDirectory)) {
    throw new UsageError(`"${results}" has no runs/ folder of stored runs`);
  }
  const folders: string[] = [];
  for (const entry of entries) {
    if (entry.isDirectory && await exists(join(results, entry.name, "runs.csv"))) {
      folders.push(entry.name);
    }
  }
  // The published experiments in their order, then any other folder (a --config study).
  const order = experiments.map((e) => e.name);
  const rank = (name: string) => order.includes(name) ? order.indexOf(name) : order.length;
  const names = folders.sort((a, b) => rank(a) - rank(b) || (a < b ? -1 : a > b ? 1 : 0));
  if (names.length === 0) {
    throw new UsageError(`"${results}" has no experiment folder with a runs.csv`);
  }
  const seen = new Set<string>();
  const untimed: { row: RunRow; experiment: string }[] = [];
  const ids: string[] = [];
  let timedSeconds = 0, timedWork = 0;
  const byId = new Map<string, Candidate>();
  for (const experiment of names) {
    const dir = join(results, experiment);
    const seconds = new Map<string, number>();
    if (await exists(join(dir, "timings.csv"))) {
      for (const row of await readCsv(join(dir, "timings.csv"), ["run_id", "seconds"])) {
        const s = Number(row.seconds);
        if (Number.isFinite(s)) seconds.set(row.run_id, (seconds.get(row.run_id) ?? 0) + s);
      }
    }
    for (const row of await readRuns(dir)) {
      if (seen.has(row.runId)) continue;
      seen.add(row.runId);
      ids.push(row.runId);
      const s = seconds.get(row.runId);
      if (s === undefined) {
        untimed.push({ row, experiment });
        continue;
      }
      byId.set(row.runId, candidateOf(row, experiment, s));
      timedSeconds += s;
      timedWork += workOfRow(row);
    }
  }
  // Runs without timings: at the average speed of the timed ones (per layer-step).
  const rate = timedWork > 0 ? timedSeconds / timedWork : NaN;
  for (const { row, experiment } of untimed) {
    byId.set(row.runId, candidateOf(row, experiment, rate * workOfRow(row)));
  }
  // A table written under an older numerics version (or tfjs) names runs whose configs this code
  // gives other ids: where the same config's run under this code is stored (a study being
  // retrained), that run is the one to check; the others cannot be checked by this code.
  const candidates: Candidate[] = [];
  let stale = 0;
  for (const id of ids) {
    const candidate = byId.get(id)!;
    const current = await currentId(results, id);
    if (current === id) candidates.push(candidate);
    else if (current !== null && await exists(join(results, "runs", `${current}.json`))) {
      candidates.push({ ...candidate, id: current });
    } else stale++;
  }
  return { names, candidates, stale, named: ids.map((id) => byId.get(id)!) };
}

/** The id this code gives the config of stored run `id`; null without a readable run file. */
async function currentId(results: string, id: string): Promise<string | null> {
  try {
    const record = JSON.parse(await Deno.readTextFile(join(results, "runs", `${id}.json`)));
    return runId(record.config);
  } catch {
    // A missing or broken file: left to the check itself, which reports it.
    return id;
  }
}

type RunRow = Awaited<ReturnType<typeof readRuns>>[number];

function candidateOf(row: RunRow, experiment: string, seconds: number): Candidate {
  return {
    id: row.runId,
    experiment,
    dataset: row.dataset,
    label: row.label,
    depth: row.depth,
    status: row.status,
    seconds,
  };
}

/** Layer-steps of a runs.csv row, as {@linkcode work} counts them for a config. */
function workOfRow(row: RunRow): number {
  const limit = row.columns.data_limit === "" ? null : Number(row.columns.data_limit);
  const batchSize = Number(row.columns.batch_size);
  return work(
    { depth: row.depth, epochs: row.epochs, dataLimit: limit, batchSize } as Parameters<
      typeof work
    >[0],
  );
}

/** `path` made absolute, through symbolic links where it exists. */
function absolute(path: string): string {
  try {
    return Deno.realPathSync(path);
  } catch {
    const parent = dirname(resolve(path));
    return parent === resolve(path) ? parent : join(absolute(parent), basename(path));
  }
}

function inside(path: string, dir: string): boolean {
  const rel = relative(absolute(dir), absolute(path));
  return rel === "" || (!rel.startsWith("..") && !rel.startsWith("/"));
}

/** Refuses a place to write that lies in the results or reports folders. */
function checkWritable(option: string, path: string, results: string): void {
  for (const dir of [results, "results", "reports"]) {
    if (inside(path, dir)) {
      throw new UsageError(
        `--${option} ${path} lies inside ${dir}/: verify never writes into results or reports`,
      );
    }
  }
}

function splitList(text: string): string[] {
  return text.split(",").map((s) => s.trim()).filter((s) => s !== "");
}

function coverage(
  all: readonly SampleCandidate[],
  chosen: readonly SampleCandidate[],
): Record<Stratum, string> {
  const count = (runs: readonly SampleCandidate[], s: Stratum) =>
    new Set(runs.map((r) => strataOf(r)[s])).size;
  return Object.fromEntries(
    STRATA.map((s) => [s, `${count(chosen, s)}/${count(all, s)}`]),
  ) as Record<Stratum, string>;
}

/** The options as {@linkcode parseOptions} returns them. */
type Values = ReturnType<typeof parseOptions<typeof OPTIONS>>["values"];

/** The runs the options choose, and how they were chosen (`sample`, `all`, `runs`). */
function selectRuns(
  values: Values,
  results: string,
  names: readonly string[],
  candidates: readonly Candidate[],
  sample: { budgetText: string; budgetSeconds: number; workers: number; seed: number },
): { chosen: Candidate[]; selection: string } {
  if (values.runs !== undefined) {
    const ids = [...new Set(splitList(values.runs))];
    if (ids.length === 0) throw new UsageError("--runs needs at least one run id");
    const chosen = ids.map((id) => {
      const found = candidates.find((c) => c.id === id);
      if (!found) {
        throw new UsageError(
          `unknown run id "${id}": not in the runs.csv of any experiment in ${results}`,
        );
      }
      return found;
    });
    return { chosen, selection: "runs" };
  }
  let pool = [...candidates];
  if (values.experiment !== undefined) {
    const wanted = splitList(values.experiment);
    for (const name of wanted) {
      if (!names.includes(name)) {
        throw new UsageError(
          `unknown experiment "${name}" in ${results} (known: ${names.join(", ")})`,
        );
      }
    }
    pool = pool.filter((c) => wanted.includes(c.experiment));
  }
  const of = values.experiment === undefined ? "" : ` of ${values.experiment}`;
  if (values.all) return { chosen: pool, selection: `all${of}` };
  if (pool.every((c) => !Number.isFinite(c.seconds))) {
    throw new UsageError(
      `no timings.csv in ${results} to estimate the runs' time: use --all or --runs`,
    );
  }
  const chosen = sampleRuns(pool, sample);
  if (chosen.length === 0) {
    const shortest = Math.min(...pool.map((c) => c.seconds));
    throw new UsageError(
      `no stored run fits a budget of ${sample.budgetText} (the shortest takes about ${
        formatDuration(shortest)
      }): raise --budget or name runs with --runs`,
    );
  }
  return { chosen, selection: `sample${of}` };
}

/** A chosen run's stored file, ready to retrain; or why it cannot be. */
type Prepared =
  | { readonly kind: "train"; readonly planned: PlannedRun; bytes: Uint8Array; steps: number }
  | { readonly kind: "not retrained"; readonly reason: string };

/**
 * Reads a chosen run's stored file and its config; a missing file, or one whose config this
 * code gives another id (other numerics or tfjs), is reported without training.
 */
async function prepare(results: string, run: Candidate): Promise<Prepared> {
  const path = join(results, "runs", `${run.id}.json`);
  let bytes: Uint8Array;
  try {
    bytes = await Deno.readFile(path);
  } catch {
    return { kind: "not retrained", reason: `stored run file ${path} missing` };
  }
  let config, steps, id;
  try {
    const record = JSON.parse(new TextDecoder().decode(bytes));
    config = record.config;
    steps = Math.max(record.divergedStep ?? 0, record.epochs?.at(-1)?.step ?? 0);
    id = runId(config);
  } catch {
    return { kind: "not retrained", reason: `${path} holds no valid run config` };
  }
  if (id !== run.id) {
    return {
      kind: "not retrained",
      reason: `runId: "${run.id}" vs "${id}" (this code's numerics or tfjs differ)`,
    };
  }
  return { kind: "train", planned: { experiment: run.experiment, config, id }, bytes, steps };
}

/**
 * The command line of `deno task verify` (see its `--help`). `experiments` are the published
 * experiments: their folders in the results are checked in their order, then any other.
 *
 * @example
 * ```ts ignore
 * import { verifyMain } from "@gradnets/runner";
 * import { EXPERIMENTS } from "./experiments/main.ts";
 * await verifyMain(EXPERIMENTS); // deno task verify [--budget 10m] [--seed N] ...
 * ```
 */
export async function verifyMain(experiments: readonly Experiment[]): Promise<void> {
  await runMain(async () => {
    const { values } = parseOptions(Deno.args, OPTIONS);
    if (values.help) {
      console.log(help());
      return;
    }
    const budgetText = values.budget ?? DEFAULT_BUDGET;
    const budgetSeconds = durationOption("budget", budgetText);
    const seed = values.seed === undefined ? 1 : integerOption("seed", values.seed, 0);
    const workers = values.workers === undefined
      ? navigator.hardwareConcurrency
      : integerOption("workers", values.workers, 1);
    if (values.runs !== undefined && (values.all || values.experiment !== undefined)) {
      throw new UsageError("--runs names the runs itself: leave out --all and --experiment");
    }
    if (values.record !== undefined && !/\.(json|csv)$/.test(values.record)) {
      throw new UsageError(`--record must name a .json or .csv file, got "${values.record}"`);
    }
    const results = values.results ?? "results";
    if (values.scratch !== undefined) checkWritable("scratch", values.scratch, results);
    if (values.record !== undefined) {
      checkWritable("record", values.record, results);
      if (!await exists(dirname(resolve(values.record)))) {
        throw new UsageError(`--record ${values.record}: its folder does not exist`);
      }
    }
    const stored = await storedCandidates(results, experiments);
    const { names, stale } = stored;
    // Runs named with --runs are checked as the tables name them, stale or not.
    const candidates = values.runs !== undefined ? stored.named : stored.candidates;
    if (stale > 0 && values.runs === undefined) {
      console.error(
        `note: ${stale} runs of the tables were trained under another numerics version or tfjs ` +
          `(this code: numerics ${NUMERICS_VERSION}, tfjs ${runtimeVersions().tfjs}) and are ` +
          "not stored under this code yet; they are left out (deno task experiment retrains them)",
      );
    }
    if (candidates.length === 0) {
      throw new UsageError(`no stored run in ${results} can be checked by this code`);
    }
    const { chosen, selection } = selectRuns(values, results, names, candidates, {
      budgetText,
      budgetSeconds,
      workers,
      seed,
    });
    const sampled = selection.startsWith("sample");

    const scratch = values.scratch ?? await Deno.makeTempDir({ prefix: "gradnets-verify-" });
    const runs = join(scratch, "runs");
    await Deno.mkdir(runs, { recursive: true });
    const versions = runtimeVersions();
    const context: VerificationContext = {
      date: new Date().toISOString(),
      commit: await gitCommit(),
      ...machine(),
      deno: versions.deno,
      v8: versions.v8,
      tfjs: versions.tfjs,
      numericsVersion: NUMERICS_VERSION,
      results,
      selection,
      budget: sampled ? budgetText : null,
      seed: sampled ? seed : null,
      workers,
      storedRuns: candidates.length,
      coverage: coverage(candidates, chosen),
    };

    const prepared = new Map<string, Prepared>();
    for (const run of chosen) prepared.set(run.id, await prepare(results, run));
    const toTrain = chosen.flatMap((run) => {
      const p = prepared.get(run.id)!;
      return p.kind === "train" ? [{ ...p, seconds: run.seconds }] : [];
    });
    const coverageText = STRATA.map((s) =>
      `${context.coverage[s]} ${s === "depth" ? "depth bands" : `${s}s`}`
    ).join(", ");
    const how = sampled ? `seeded sample, seed ${seed}, budget ${budgetText}` : selection;
    console.error(
      `verifying ${chosen.length} of ${candidates.length} stored runs in ${results} (${how}): ${coverageText}`,
    );
    const used = Math.min(workers, Math.max(toTrain.length, 1));
    console.error(
      `estimated ${
        formatDuration(wallSeconds(toTrain.map((r) => r.seconds), used))
      } of training on ${used} worker${used > 1 ? "s" : ""}; retrained runs go to ${runs}`,
    );

    const verdicts = new Map<string, { seconds: number | null; difference: string | null }>();
    for (const [id, p] of prepared) {
      if (p.kind === "not retrained") verdicts.set(id, { seconds: null, difference: p.reason });
    }
    if (toTrain.length > 0) {
      const byId = new Map(toTrain.map((r) => [r.planned.id, r]));
      const longestFirst = [...toTrain].sort((a, b) => b.seconds - a.seconds);
      await trainWithWorkers(
        longestFirst.map((r) => r.planned),
        runs,
        used,
        async ({ runId: id }) => {
          const comparison = compareRunFiles(
            byId.get(id)!.bytes,
            await Deno.readFile(join(runs, `${id}.json`)),
          );
          verdicts.set(id, {
            seconds: await trainingSeconds(join(runs, `${id}.meta.json`)),
            difference: comparison.identical ? null : comparison.difference,
          });
        },
        // Progress counts the steps the stored run took (a diverged run stops early).
        (run) => Math.max(1, byId.get(run.id)!.steps * run.config.depth),
      );
    }

    const verified: VerifiedRun[] = chosen.map((c) => {
      const verdict = verdicts.get(c.id) ?? { seconds: null, difference: "training failed" };
      return {
        run: c.id,
        experiment: c.experiment,
        architecture: c.label,
        dataset: c.dataset,
        depth: c.depth,
        estimatedSeconds: c.seconds,
        seconds: verdict.seconds,
        identical: verdict.difference === null,
        difference: verdict.difference,
      };
    });
    console.log(verificationTable(verified).trimEnd());
    const records = values.record !== undefined
      ? [values.record]
      : [join(scratch, "verify.json"), join(scratch, "verify.csv")];
    for (const path of records) {
      await writeFileAtomic(
        path,
        path.endsWith(".csv")
          ? verificationCsv(context, verified)
          : verificationJson(context, verified),
      );
    }
    console.error(`record: ${records.join(", ")}`);
    if (verified.some((r) => !r.identical)) Deno.exit(1);
  }, (error) => error instanceof CsvError);
}

/** The seconds of training a run's meta file records (null when unreadable). */
async function trainingSeconds(path: string): Promise<number | null> {
  try {
    const meta = JSON.parse(await Deno.readTextFile(path));
    const seconds = (meta.seconds as number[]).reduce((sum, s) => sum + s, 0);
    return Number.isFinite(seconds) ? seconds : null;
  } catch {
    return null;
  }
}
