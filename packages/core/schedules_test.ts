import assert from "node:assert/strict";
import { scheduleValue, validateSchedule } from "./schedules.ts";

Deno.test("linear schedule: g at t = 0, tau/2, tau and 2 tau", () => {
  const linear = { kind: "linear", tau: 10 } as const;
  assert.deepEqual([0, 5, 10, 20].map((t) => scheduleValue(linear, t, 20)), [0, 0.5, 1, 1]);
  // Continuous in t: step 100 of 1100 in the first epoch.
  assert.equal(scheduleValue(linear, 100 / 1100, 20), 100 / 1100 / 10);
  assert.equal(scheduleValue({ kind: "linear", tau: 0 }, 0, 20), 1);
});

Deno.test("window, constant and reversed schedules", () => {
  const window = { kind: "window", start: 0.25, end: 0.75 } as const;
  assert.deepEqual([0, 5, 10, 15, 20].map((t) => scheduleValue(window, t, 20)), [0, 0, 0.5, 1, 1]);
  assert.equal(scheduleValue({ kind: "constant", value: 0.3 }, 7, 20), 0.3);
  assert.equal(scheduleValue({ kind: "linear", tau: 10, reversed: true }, 5, 20), 0.5);
  assert.equal(scheduleValue({ kind: "linear", tau: 10, reversed: true }, 0, 20), 1);
});

Deno.test("validateSchedule names the bad parameter", () => {
  assert.match(validateSchedule({ kind: "linear", tau: -1 })!, /tau/);
  assert.match(validateSchedule({ kind: "linear", tau: NaN })!, /tau/);
  assert.match(validateSchedule({ kind: "window", start: 0.8, end: 0.2 })!, /start/);
  assert.match(validateSchedule({ kind: "constant", value: 2 })!, /\[0, 1\]/);
  assert.equal(validateSchedule({ kind: "window", start: 0, end: 1 }), undefined);
});
