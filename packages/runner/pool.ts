/**
 * The worker pool: one worker process per core, each taking the next run when it finishes one,
 * with progress, per-epoch lines and an ETA on stderr.
 *
 * @module
 */

import type { RunConfig } from "@gradnets/core";
import { loadRun } from "@gradnets/analysis";
import { formatDuration, Progress, UsageError } from "./cli.ts";
import { Claims } from "./_claims.ts";
import { storageProblem } from "./_storage.ts";
import { TextLineStream } from "./_lines.ts";
import { type PlannedRun, work } from "./plan.ts";
import type { WorkerMessage } from "./worker.ts";

/**
 * Trains `todo` on `count` worker processes, each taking the next run when it finishes one.
 * Calls `onStored` after each run is stored. Each run is claimed before it trains (a file
 * `<id>.claim` created atomically in `store`), so that processes sharing the store never train a
 * run twice: a run another process holds is waited for and read back once stored, or taken over
 * when its claim expires (a killed process stops renewing it). Returns false if any run failed;
 * a run that cannot be stored (disk full, read-only, no permission) stops every worker and
 * throws a {@linkcode UsageError} naming the problem, keeping the runs stored so far. The
 * workers are `deno run -A` processes of this package's `worker.ts`. Progress and its ETA count
 * each run's work in layer-steps: {@linkcode work} of its config unless `workOf` knows better (a
 * run retrained to check it will stop where it stopped before).
 *
 * @example
 * ```ts ignore
 * import { trainWithWorkers } from "@gradnets/runner";
 * const ok = await trainWithWorkers(todo, "results/runs", 2, async (run) => {
 *   console.log(`stored ${run.runId}`);
 * });
 * ```
 */
export async function trainWithWorkers(
  todo: PlannedRun[],
  store: string,
  count: number,
  onStored: (run: { runId: string; config: RunConfig }) => Promise<void>,
  workOf: (run: PlannedRun) => number = (run) => work(run.config),
): Promise<boolean> {
  const total = todo.reduce((sum, run) => sum + workOf(run), 0);
  const progress = new Progress(total);
  const queue = [...todo];
  // Runs another process has claimed: waited for, or taken over once their claim expires.
  const waiting: PlannedRun[] = [];
  const claims = new Claims(store);
  const current = new Map<number, { run: PlannedRun; step: number; epoch: number }>();
  let finishedWork = 0;
  let finished = 0;
  let failed = 0;
  let byOthers = 0;
  // Resolved beside this file, so the workers start wherever the package is imported from.
  const workerModule = import.meta.resolve("./worker.ts");
  const children: Deno.ChildProcess[] = [];
  const stop = () => {
    for (const child of children) {
      try {
        child.kill("SIGTERM");
      } catch {
        // already gone
      }
    }
    claims.releaseAll();
    Deno.exit(130);
  };
  // A storage error stops every worker: each further run would fail to be stored the same way.
  let storageError: string | undefined;
  const stopAll = (problem: string) => {
    storageError ??= problem;
    queue.length = 0;
    waiting.length = 0;
    claims.releaseAll();
    for (const child of children) {
      try {
        child.kill("SIGTERM");
      } catch {
        // already gone
      }
    }
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
    [...current.values()].reduce(
      (s, c) => s + Math.min(c.step * c.run.config.depth, workOf(c.run)),
      0,
    );

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
        if (storageError === undefined) {
          progress.log(`worker ${slot + 1} exited while training ${label}`);
        }
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
            const storage = storageProblem(error);
            if (storage !== undefined) stopAll(storage);
            else progress.log(`${label}: ${(error as Error).message}`);
            return "failed";
          }
        case "error":
          if (message.storage !== undefined) stopAll(message.storage);
          else progress.log(`${label} failed: ${message.message}`);
          return "failed";
      }
    }
  };

  const isStored = async (run: PlannedRun) =>
    (await loadRun(store, run.config, run.id)).kind === "found";
  /** A run stored by another process: read back like one of ours, counted as done. */
  const storedElsewhere = async (run: PlannedRun) => {
    byOthers++;
    finishedWork += work(run.config);
    progress.log(`${run.id} was trained by another process`);
    await onStored({ runId: run.id, config: run.config });
  };
  /**
   * The next run this process trains, claimed: the next of the queue that no other process has
   * claimed; once the queue is empty, the others' runs are waited for (read back when they are
   * stored) and taken over if their claim expires. Undefined when nothing is left.
   */
  const next = async (): Promise<PlannedRun | undefined> => {
    for (;;) {
      const run = queue.shift() ?? waiting.shift();
      if (run === undefined) return undefined;
      if (await claims.take(run.id)) {
        // Stored by another process since this one made its plan: nothing to train.
        if (!await isStored(run)) return run;
        await claims.release(run.id);
        await storedElsewhere(run);
      } else if (await isStored(run)) {
        await storedElsewhere(run);
      } else {
        waiting.push(run);
        // Only other processes' runs are left: each is looked at again about once a second.
        if (queue.length === 0) {
          await new Promise((resolve) => setTimeout(resolve, 1000 / waiting.length));
        }
      }
    }
  };

  const runWorker = async (slot: number) => {
    const child = new Deno.Command(Deno.execPath(), {
      args: ["run", "-A", workerModule],
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
    for (;;) {
      const run = await next().catch((error) => {
        const storage = storageProblem(error);
        if (storage === undefined) throw error;
        stopAll(storage);
        return undefined;
      });
      if (run === undefined) break;
      const outcome = await follow(slot, run, writer, lines);
      await claims.release(run.id);
      current.delete(slot);
      finishedWork += workOf(run);
      if (outcome === "stored") finished++;
      else failed++;
      progress.update(finishedWork + inProgress(), status());
      if (outcome === "worker exited") return;
    }
    // A worker stopped for a storage error may be gone already.
    await writer.close().catch(() => {});
    await child.status;
  };
  await Promise.all(Array.from({ length: count }, (_, slot) => runWorker(slot)));
  Deno.removeSignalListener("SIGINT", stop);
  Deno.removeSignalListener("SIGTERM", stop);
  if (storageError !== undefined) {
    throw new UsageError(
      `cannot store results (in ${store} or beside it): ${storageError}; training stopped, the runs stored so far are kept`,
    );
  }
  progress.log(
    `trained ${finished} runs in ${formatDuration(progress.elapsedSeconds)}${
      failed ? `, ${failed} failed` : ""
    }${byOthers ? `; ${byOthers} trained by another process meanwhile` : ""}`,
  );
  return failed === 0;
}
