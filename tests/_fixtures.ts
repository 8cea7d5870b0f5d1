// Synthetic but well-formed results, written through the same code as real ones: a depth study
// (2 datasets x 2 architectures x 2 depths x 2 seeds, one run diverged), the notebook's 2 runs
// with a small signal table, and a search of 4 runs.

import { NOTEBOOK_CONFIG, type RunConfig, runId, type RunResult } from "@gradnets/core";
import {
  type ReportedExperiment,
  type RunRecord,
  writeResults,
  writeSignalTable,
} from "@gradnets/analysis";
import { reportedExperiments } from "@gradnets/runner";
import { join } from "node:path";
import { EXPERIMENTS } from "../experiments/main.ts";

/** The published experiments as the report takes them (folders and pages). */
export const REPORTED: readonly ReportedExperiment[] = reportedExperiments(EXPERIMENTS);

function fakeResult(config: RunConfig, quality: number, divergeAt: number | null): RunResult {
  const epochs = [];
  const last = divergeAt ?? config.epochs;
  for (let epoch = 0; epoch <= last; epoch++) {
    const diverged = divergeAt !== null && epoch === divergeAt;
    const accuracy = 0.1 + (quality - 0.1) * (1 - Math.exp(-epoch));
    epochs.push({
      epoch,
      step: epoch * 100,
      g: Math.min(epoch / 2, 1),
      trainLoss: epoch === 0 ? null : 2.3 * Math.exp(-epoch) + 0.05,
      trainAccuracy: epoch === 0 ? null : accuracy - 0.01,
      validationAccuracy: diverged ? null : accuracy,
      testAccuracy: diverged ? null : accuracy - 0.005,
      status: diverged ? "diverged" as const : "ok" as const,
      seconds: 1,
    });
  }
  const gradientNorms = [];
  for (let epoch = 1; epoch <= last; epoch++) {
    for (let layer = 0; layer < config.depth; layer++) {
      const norm = 10 ** (layer / config.depth - epoch / 3);
      gradientNorms.push({
        epoch,
        layer,
        layerName: `l${layer}`,
        meanNorm: norm,
        maxNorm: 2 * norm,
        samples: 1,
      });
    }
  }
  return {
    status: divergeAt === null ? "completed" : "diverged",
    divergedStep: divergeAt === null ? null : divergeAt * 100 - 50,
    divergedReason: divergeAt === null
      ? null
      : "loss NaN in epoch 2 at g = 0.75: all weights finite",
    epochs,
    gradientNorms,
  };
}

/** Writes fixture tables under `root` (as results/ would hold them) and returns the run count. */
export async function writeFixtureResults(root: string): Promise<number> {
  const study: RunRecord[] = [];
  for (const dataset of ["mnist", "fashion-mnist"]) {
    for (const seed of [1, 2]) {
      for (const depth of [10, 50]) {
        for (const architecture of [{ kind: "grelu" }, { kind: "plain" }] as const) {
          const config: RunConfig = {
            ...NOTEBOOK_CONFIG,
            dataset,
            seed,
            depth,
            architecture,
            epochs: 3,
          };
          const diverge = architecture.kind === "plain" && depth === 50 && seed === 2 ? 2 : null;
          const quality = (architecture.kind === "grelu" ? 0.97 : 0.9) - depth / 1000 + seed / 1000;
          study.push({
            runId: runId(config),
            config,
            result: fakeResult(config, quality, diverge),
          });
        }
      }
    }
  }
  await writeResults(join(root, "depth-study"), study);
  const notebook = (["sum", "mean"] as const).map((lossReduction) => {
    const config: RunConfig = { ...NOTEBOOK_CONFIG, lossReduction, depth: 8, epochs: 3 };
    return { runId: runId(config), config, result: fakeResult(config, 0.9, null) };
  });
  await writeResults(join(root, "seed-notebook"), notebook);
  await writeSignalTable(
    join(root, "seed-notebook"),
    [0, 1].flatMap((g) =>
      [0, 1, 2].map((layer) => ({ variant: "grelu", g, layer, signal: 0.5 ** (layer * (1 - g)) }))
    ),
  );
  const search: RunRecord[] = [];
  for (const architecture of [{ kind: "grelu" }, { kind: "plain" }] as const) {
    for (const learningRate of [0.01, 0.001]) {
      const config: RunConfig = {
        ...NOTEBOOK_CONFIG,
        architecture,
        optimizer: { kind: "sgd", learningRate },
        schedule: { kind: "window", start: 0, end: 0.5 },
        evaluateTest: false,
        epochs: 3,
      };
      const quality = 0.9 + learningRate;
      search.push({ runId: runId(config), config, result: fakeResult(config, quality, null) });
    }
  }
  await writeResults(join(root, "search"), search);
  return study.length + notebook.length + search.length;
}
