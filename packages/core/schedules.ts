/**
 * Schedules for the interpolation weight g of a GradNet. Training progress t is measured in
 * epochs, continuously: after step s of an epoch of S steps, t = epoch + s / S. g is recomputed
 * at every step.
 *
 * @module
 */

/**
 * How g moves during training.
 * - `linear`: g = min(t / tau, 1), the paper's and the notebook's (tau = 0 means g = 1 throughout).
 * - `window`: g = clip((t/T - start) / (end - start), 0, 1) with start and end as fractions of the
 *   T training epochs (the first author's later code, treeano's `expected_batches`).
 * - `constant`: g fixed, an ablation.
 * Any schedule can be `reversed` (g -> 1 - g) for variants that interpolate the other way.
 */
export type Schedule =
  | { readonly kind: "linear"; readonly tau: number; readonly reversed?: boolean }
  | {
    readonly kind: "window";
    readonly start: number;
    readonly end: number;
    readonly reversed?: boolean;
  }
  | { readonly kind: "constant"; readonly value: number; readonly reversed?: boolean };

/**
 * The value of g at progress `t` (in epochs) of a run of `totalEpochs` epochs.
 *
 * @example The notebook's schedule, tau = 10
 * ```ts
 * import assert from "node:assert/strict";
 * import { scheduleValue } from "@gradnets/core";
 * const linear = { kind: "linear", tau: 10 } as const;
 * assert(scheduleValue(linear, 0, 20) === 0);
 * assert(scheduleValue(linear, 5, 20) === 0.5);
 * assert(scheduleValue(linear, 20, 20) === 1);
 * ```
 */
export function scheduleValue(schedule: Schedule, t: number, totalEpochs: number): number {
  const g = forward(schedule, t, totalEpochs);
  return schedule.reversed ? 1 - g : g;
}

function forward(schedule: Schedule, t: number, totalEpochs: number): number {
  switch (schedule.kind) {
    case "linear":
      return schedule.tau === 0 ? 1 : Math.min(t / schedule.tau, 1);
    case "window": {
      const progress = t / totalEpochs;
      if (schedule.end === schedule.start) return progress < schedule.start ? 0 : 1;
      return clamp01((progress - schedule.start) / (schedule.end - schedule.start));
    }
    case "constant":
      return schedule.value;
  }
}

function clamp01(x: number): number {
  return Math.min(1, Math.max(0, x));
}

/**
 * A problem with a schedule's parameters, or `undefined` if it makes sense.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { validateSchedule } from "@gradnets/core";
 * assert(validateSchedule({ kind: "linear", tau: -1 })?.includes("tau"));
 * assert(validateSchedule({ kind: "linear", tau: 10 }) === undefined);
 * ```
 */
export function validateSchedule(schedule: Schedule): string | undefined {
  switch (schedule.kind) {
    case "linear":
      if (!(schedule.tau >= 0) || !Number.isFinite(schedule.tau)) {
        return `schedule tau must be a number >= 0, got ${schedule.tau}`;
      }
      return undefined;
    case "window":
      if (!(schedule.start >= 0 && schedule.start <= schedule.end && schedule.end <= 1)) {
        return `schedule window needs 0 <= start <= end <= 1, got start ${schedule.start}, end ${schedule.end}`;
      }
      return undefined;
    case "constant":
      if (!(schedule.value >= 0 && schedule.value <= 1)) {
        return `constant g must be in [0, 1], got ${schedule.value}`;
      }
      return undefined;
    default:
      return `unknown schedule kind ${(schedule as { kind: unknown }).kind}`;
  }
}
