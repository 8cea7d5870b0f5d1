/**
 * Finished runs stored one file per run, named by run id, so that a study can stop at any
 * moment and resume: a run whose file is present and valid is not trained again.
 *
 * `<id>.json` holds the config and everything the run measured except wall-clock time, in
 * canonical JSON, so the same run always writes the same bytes; `<id>.meta.json` holds what
 * varies between machines and sessions: the seconds per epoch and the run's provenance (versions,
 * commit, machine). Both are written atomically, the record last.
 *
 * @module
 */

import { canonicalJson, type EpochRecord, type RunConfig, runId } from "@gradnets/core";
import { join } from "node:path";
import { CsvError, writeFileAtomic } from "./csv.ts";
import type { RunRecord } from "./results.ts";

/** Version of the run file format; files of another version are rerun. */
export const RUN_FORMAT = 1;

/**
 * Writes a finished run into `dir` (atomically).
 *
 * @example
 * ```ts ignore
 * await saveRun("results/depth-study/runs", { runId, config, result });
 * ```
 */
export async function saveRun(
  dir: string,
  run: RunRecord,
  provenance: Readonly<Record<string, string>> = {},
): Promise<void> {
  const { epochs, gradientNorms, ...outcome } = run.result;
  const stored = {
    format: RUN_FORMAT,
    runId: run.runId,
    config: run.config,
    ...outcome,
    epochs: epochs.map(({ seconds: _, ...rest }) => rest),
    gradientNorms: packNorms(gradientNorms),
  };
  const meta = { seconds: epochs.map((e) => e.seconds), provenance };
  await writeFileAtomic(join(dir, `${run.runId}.meta.json`), JSON.stringify(meta, null, 1) + "\n");
  // The record last: its presence marks the run finished.
  await writeFileAtomic(join(dir, `${run.runId}.json`), canonicalJson(stored) + "\n");
}

/** What {@linkcode loadRun} found. */
export type LoadedRun =
  | {
    readonly kind: "found";
    readonly run: RunRecord;
    /** Where and with what it was trained (empty when unknown). */
    readonly provenance: Readonly<Record<string, string>>;
  }
  | { readonly kind: "missing" }
  | { readonly kind: "invalid"; readonly problem: string };

/**
 * Reads the stored run of `config` from `dir`, checking that it is complete and belongs to this
 * config. A truncated, corrupt, incomplete (an epoch record without its measurements) or foreign
 * file is reported as `invalid` (the caller reruns it); a folder or other non-file where the
 * run's file belongs throws a {@linkcode CsvError}.
 *
 * @example
 * ```ts ignore
 * const loaded = await loadRun("results/depth-study/runs", config);
 * if (loaded.kind !== "found") console.log("to train");
 * ```
 */
export async function loadRun(
  dir: string,
  config: RunConfig,
  id: string = runId(config),
): Promise<LoadedRun> {
  const path = join(dir, `${id}.json`);
  // A folder (or another non-file) where a run's file belongs cannot be replaced by a retrain:
  // the user must look at it.
  for (const file of [path, join(dir, `${id}.meta.json`)]) {
    const info = await Deno.lstat(file).catch((error) => {
      if (error instanceof Deno.errors.NotFound || error instanceof Deno.errors.NotADirectory) {
        return null;
      }
      throw new CsvError(file, `cannot read: ${(error as Error).message}`);
    });
    if (info !== null && !info.isFile) {
      throw new CsvError(file, "not a file, where a stored run's file belongs: move it away");
    }
  }
  let text: string;
  try {
    text = await Deno.readTextFile(path);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound || error instanceof Deno.errors.NotADirectory) {
      return { kind: "missing" };
    }
    return { kind: "invalid", problem: `${path}: cannot read: ${(error as Error).message}` };
  }
  let stored: StoredRun;
  try {
    stored = JSON.parse(text);
  } catch (error) {
    return { kind: "invalid", problem: `${path}: not valid JSON (${(error as Error).message})` };
  }
  const problem = checkStored(stored, config, id);
  if (problem) return { kind: "invalid", problem: `${path}: ${problem}` };
  const meta = await readMeta(join(dir, `${id}.meta.json`), stored.epochs.length);
  const seconds = meta.seconds;
  return {
    kind: "found",
    provenance: meta.provenance,
    run: {
      runId: id,
      config,
      result: {
        status: stored.status,
        divergedStep: stored.divergedStep,
        divergedReason: stored.divergedReason,
        epochs: stored.epochs.map((e, i) => ({ ...e, seconds: seconds[i] })),
        gradientNorms: unpackNorms(stored.gradientNorms),
      },
    },
  };
}

interface StoredRun {
  format: number;
  runId: string;
  config: RunConfig;
  status: "completed" | "diverged";
  divergedStep: number | null;
  divergedReason: string | null;
  epochs: Omit<EpochRecord, "seconds">[];
  gradientNorms: PackedNorms;
}

function checkStored(stored: StoredRun, config: RunConfig, id: string): string | undefined {
  if (stored === null || typeof stored !== "object") return "not a run record";
  if (stored.format !== RUN_FORMAT) return `format ${stored.format}, expected ${RUN_FORMAT}`;
  if (stored.runId !== id) return `run id ${stored.runId} does not match the file name`;
  if (canonicalJson(stored.config) !== canonicalJson(config)) {
    return "its config differs from the run's";
  }
  if (stored.status !== "completed" && stored.status !== "diverged") {
    return `unknown status ${stored.status}`;
  }
  if (!(stored.divergedStep === null || Number.isInteger(stored.divergedStep))) {
    return "divergedStep must be a step or null";
  }
  if (!(stored.divergedReason === null || typeof stored.divergedReason === "string")) {
    return "divergedReason must be text or null";
  }
  if (!Array.isArray(stored.epochs) || stored.epochs.length === 0) return "no epoch records";
  for (const [i, record] of stored.epochs.entries()) {
    const problem = epochProblem(record, i);
    if (problem !== undefined) return `epoch record ${i}: ${problem}`;
  }
  const last = stored.epochs.at(-1)!;
  if (stored.status === "completed" && last.epoch !== config.epochs) {
    return `completed but its last epoch is ${last.epoch} of ${config.epochs}`;
  }
  if (last.epoch > config.epochs) return `epoch ${last.epoch} of a run of ${config.epochs}`;
  const norms = stored.gradientNorms;
  if (
    !norms || !Array.isArray(norms.layerNames) || !Array.isArray(norms.epochs) ||
    !norms.layerNames.every((name) => typeof name === "string")
  ) {
    return "gradient norms missing";
  }
  const layers = norms.layerNames.length;
  for (const row of norms.epochs) {
    // A norm that was not finite is stored as null.
    const column = (c: unknown[], ok: (x: unknown) => boolean) =>
      Array.isArray(c) && c.length === layers && c.every(ok);
    if (
      !Number.isInteger(row?.epoch) || !column(row?.samples, isNumber) ||
      !column(row?.mean, isNumberOrNull) || !column(row?.max, isNumberOrNull)
    ) {
      return `gradient norms of epoch ${row?.epoch}: not one number per layer`;
    }
  }
  return undefined;
}

const isNumber = (x: unknown): x is number => typeof x === "number";
const isNumberOrNull = (x: unknown) => x === null || typeof x === "number";

/** What is wrong with the `i`-th stored epoch record (numbered from 0, one per epoch). */
function epochProblem(record: Omit<EpochRecord, "seconds">, i: number): string | undefined {
  if (record === null || typeof record !== "object") return "not an object";
  if (record.epoch !== i) return `epoch ${record.epoch}, expected ${i}`;
  if (!Number.isInteger(record.step) || record.step < 0) return "no step";
  if (!isNumber(record.g)) return "no g";
  if (record.status !== "ok" && record.status !== "diverged") return "no status";
  for (
    const field of ["trainLoss", "trainAccuracy", "validationAccuracy", "testAccuracy"] as const
  ) {
    if (!(field in record) || !isNumberOrNull(record[field])) {
      return `${field} must be a number or null`;
    }
  }
  return undefined;
}

async function readMeta(
  path: string,
  epochs: number,
): Promise<{ seconds: number[]; provenance: Record<string, string> }> {
  try {
    const meta = JSON.parse(await Deno.readTextFile(path));
    if (Array.isArray(meta?.seconds) && meta.seconds.length === epochs) {
      return { seconds: meta.seconds, provenance: meta.provenance ?? {} };
    }
  } catch {
    // Timings and provenance are informative only; a missing file leaves them unknown.
  }
  return { seconds: new Array(epochs).fill(NaN), provenance: {} };
}

/** Gradient norms as arrays (one row per epoch, one column per layer): compact on disk. */
interface PackedNorms {
  layerNames: string[];
  epochs: { epoch: number; samples: number[]; mean: number[]; max: number[] }[];
}

function packNorms(norms: RunRecord["result"]["gradientNorms"]): PackedNorms {
  const layerNames: string[] = [];
  for (const n of norms) layerNames[n.layer] = n.layerName;
  const byEpoch = new Map<number, PackedNorms["epochs"][number]>();
  for (const n of norms) {
    let row = byEpoch.get(n.epoch);
    if (!row) {
      const empty = () => new Array(layerNames.length).fill(0);
      row = { epoch: n.epoch, samples: empty(), mean: empty(), max: empty() };
      byEpoch.set(n.epoch, row);
    }
    row.samples[n.layer] = n.samples;
    row.mean[n.layer] = n.meanNorm;
    row.max[n.layer] = n.maxNorm;
  }
  return { layerNames, epochs: [...byEpoch.values()] };
}

function unpackNorms(packed: PackedNorms): RunRecord["result"]["gradientNorms"] {
  return packed.epochs.flatMap((row) =>
    packed.layerNames.map((layerName, layer) => ({
      epoch: row.epoch,
      layer,
      layerName,
      meanNorm: row.mean[layer],
      maxNorm: row.max[layer],
      samples: row.samples[layer],
    })).filter((n) => n.samples > 0)
  );
}
