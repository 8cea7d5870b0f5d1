/**
 * Collapsed runs: runs that complete every epoch without diverging, yet end no better than a
 * network that predicts one class for every image. Such a run sits at the chance level of its
 * test split (MNIST: 11.35%, the share of the digit 1 among the 10000 test images; Fashion-MNIST:
 * 10%, its classes are balanced), and the tables mark it, as they mark diverged runs, rather than
 * count it silently as a trained network.
 *
 * The rule: a completed run is **collapsed** when its test accuracy is at most the largest class
 * share of its test split plus {@linkcode COLLAPSE_MARGIN} (0.5 points). A constant prediction of
 * any class scores that class's share, at most the largest; a run within half a point above it
 * has learnt (nearly) nothing. Diverged runs are counted as diverged, never as collapsed.
 *
 * @module
 */

import { loadDataset } from "@gradnets/data";
import type { RunRow } from "./tables.ts";

/** How far above the largest class share a run's test accuracy may be and still count as collapsed. */
export const COLLAPSE_MARGIN = 0.005;

/**
 * The chance level of each run's test split (or validation split, see
 * {@linkcode chanceLevels}), the share of its largest class; undefined where it is not known (the
 * run is then never marked collapsed).
 */
export type ChanceLevel = (run: RunRow) => number | undefined;

/**
 * The share of the most common label: the accuracy of the best constant prediction.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { largestClassShare } from "@gradnets/analysis";
 * assert.equal(largestClassShare(new Uint8Array([1, 1, 2, 0])), 0.5);
 * ```
 */
export function largestClassShare(labels: ArrayLike<number>): number {
  if (labels.length === 0) throw new RangeError("largestClassShare: no labels");
  const counts = new Map<number, number>();
  for (let i = 0; i < labels.length; i++) counts.set(labels[i], (counts.get(labels[i]) ?? 0) + 1);
  return Math.max(...counts.values()) / labels.length;
}

/**
 * Whether a run with this status and test accuracy collapsed, given the chance level of its test
 * split: completed, and the accuracy at most `chance` + {@linkcode COLLAPSE_MARGIN}.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { isCollapsed } from "@gradnets/analysis";
 * assert(isCollapsed("completed", 0.1135, 0.1135)); // MNIST, always the digit 1
 * assert(isCollapsed("completed", 0.1028, 0.1135)); // always the digit 7
 * assert(!isCollapsed("completed", 0.1200, 0.1135));
 * assert(!isCollapsed("diverged", 0.1135, 0.1135)); // counted as diverged instead
 * assert(!isCollapsed("completed", 0.1135, undefined));
 * ```
 */
export function isCollapsed(
  status: RunRow["status"],
  accuracy: number | null,
  chance: number | undefined,
): boolean {
  return status === "completed" && accuracy !== null && chance !== undefined &&
    accuracy <= chance + COLLAPSE_MARGIN + 1e-12;
}

const shares = new Map<string, Promise<number | undefined>>();

/**
 * The chance level of every run's test split (or validation split, for the searches, which read
 * only that one), computed from the labels as `@gradnets/data`
 * loads them (the dataset a run names and its `data_limit`), each dataset loaded once per
 * process. A dataset that cannot be loaded has no chance level (its runs are never marked).
 *
 * @example
 * ```ts ignore
 * const chance = await chanceLevels(runs);
 * chance(mnistRun); // 0.1135
 * ```
 */
export async function chanceLevels(
  runs: readonly RunRow[],
  /** Whose chance level: the test split's (the default) or the validation split's. */
  split: "test" | "validation" = "test",
): Promise<ChanceLevel> {
  const key = (run: RunRow) => JSON.stringify([run.dataset, run.columns.data_limit ?? "", split]);
  const known = new Map<string, number | undefined>();
  for (const run of runs) {
    const k = key(run);
    if (known.has(k)) continue;
    if (!shares.has(k)) {
      const limit = Number(run.columns.data_limit ?? "");
      shares.set(
        k,
        loadDataset(run.dataset, limit > 0 ? { limit } : {}).then(
          (dataset) => largestClassShare(dataset[split].labels),
          () => undefined,
        ),
      );
    }
    known.set(k, await shares.get(k));
  }
  return (run) => known.get(key(run));
}
