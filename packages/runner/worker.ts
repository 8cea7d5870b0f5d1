/**
 * A worker process of the experiment runner. It reads one run request per line on stdin
 * (JSON), trains the run, stores it, and reports progress and completion as JSON lines on
 * stdout. tfjs's wasm backend uses one core, so the runner starts one worker per core.
 *
 * Datasets are loaded once per worker and kept for its following runs.
 *
 * @module
 */

import { type RunConfig, train, useBackend } from "@gradnets/core";
import { type Dataset, loadDataset } from "@gradnets/data";
import { saveRun } from "@gradnets/analysis";
import { TextLineStream } from "./_lines.ts";
import { provenance } from "./_provenance.ts";
import { storageProblem } from "./_storage.ts";

/** A request: train this run and store it in `dir`. */
export interface WorkerRequest {
  /** The run's id (see `runId` of `@gradnets/core`). */
  readonly id: string;
  /** The run's config. */
  readonly config: RunConfig;
  /** The run store: the run is saved as `<dir>/<id>.json`. */
  readonly dir: string;
}

/** What a worker reports, one JSON object per line. */
export type WorkerMessage =
  | {
    type: "progress";
    id: string;
    step: number;
    totalSteps: number;
    epoch: number;
    g: number;
    loss: number;
  }
  | {
    type: "epoch";
    id: string;
    epoch: number;
    g: number;
    validationAccuracy: number | null;
    seconds: number;
  }
  | {
    type: "done";
    id: string;
    status: string;
    divergedStep: number | null;
    divergedReason: string | null;
  }
  | {
    type: "error";
    id: string;
    message: string;
    /** Set when the run could not be stored (disk full, read-only, no permission): one line. */
    storage?: string;
  };

const datasets = new Map<string, Promise<Dataset>>();

/** The dataset a config names (see the registry of `@gradnets/data`), loaded once. */
function dataset(config: RunConfig): Promise<Dataset> {
  const key = `${config.dataset}|${config.dataLimit}`;
  let loading = datasets.get(key);
  if (!loading) {
    // A name the registry does not know rejects here, listing the known ones.
    loading = (async () =>
      await loadDataset(config.dataset, { limit: config.dataLimit ?? undefined }))();
    datasets.set(key, loading);
  }
  return loading;
}

const encoder = new TextEncoder();
function send(message: WorkerMessage): void {
  Deno.stdout.writeSync(encoder.encode(JSON.stringify(message) + "\n"));
}

async function handle(request: WorkerRequest): Promise<void> {
  const { id, config } = request;
  await useBackend(config.backend);
  const data = await dataset(config);
  let last = 0;
  const result = await train(config, data, {
    onProgress: (p) => {
      const now = performance.now();
      if (now - last < 250 && p.step < p.totalSteps) return;
      last = now;
      send({ type: "progress", id, ...p });
    },
    onEpoch: (e) =>
      send({
        type: "epoch",
        id,
        epoch: e.epoch,
        g: e.g,
        validationAccuracy: e.validationAccuracy,
        seconds: e.seconds,
      }),
  });
  await saveRun(request.dir, { runId: id, config, result }, {
    ...await provenance(config.backend),
  });
  send({
    type: "done",
    id,
    status: result.status,
    divergedStep: result.divergedStep,
    divergedReason: result.divergedReason,
  });
}

if (import.meta.main) {
  const lines = Deno.stdin.readable.pipeThrough(new TextDecoderStream()).pipeThrough(
    new TextLineStream(),
  );
  for await (const line of lines) {
    if (line.trim() === "") continue;
    const request = JSON.parse(line) as WorkerRequest;
    try {
      await handle(request);
    } catch (error) {
      send({
        type: "error",
        id: request.id,
        message: (error as Error).stack ?? String(error),
        storage: storageProblem(error),
      });
    }
  }
}
