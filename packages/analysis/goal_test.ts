import assert from "node:assert/strict";
import type { DepthSummary } from "./aggregate.ts";
import { checkGoal, goalTable, type StudyGoal } from "./goal.ts";

const summary = (
  dataset: string,
  label: string,
  depth: number,
  mean: number | null,
  halfWidth: number | null = 0.002,
): DepthSummary => ({
  dataset,
  label,
  depth,
  runs: 5,
  diverged: mean === null ? 5 : 0,
  collapsed: 0,
  measured: mean === null ? 0 : 5,
  mean,
  std: null,
  halfWidth: mean === null ? null : halfWidth,
  min: null,
  max: null,
  final: { mean: null, std: null, halfWidth: null, min: null, max: null },
  finalMeasured: 0,
  finalCollapsed: 0,
});

const goal: StudyGoal = {
  reference: "rezero",
  depths: [50, 200],
  accuracy: { dataset: "mnist", value: 0.975, depths: [50, 200] },
};

Deno.test("goal: the best GradNet against the reference's interval, with the shortfall", () => {
  const summaries = [
    summary("mnist", "rezero", 50, 0.978),
    summary("mnist", "a", 50, 0.9765), // within rezero's interval (0.976 and up)
    summary("mnist", "b", 50, 0.95),
    summary("mnist", "rezero", 200, 0.978),
    summary("mnist", "a", 200, 0.97), // 0.6 points below 0.976
    summary("mnist", "b", 200, null), // diverged: no mean, never the best
    summary("mnist", "rezero", 10, 0.99), // not a depth of the goal
    summary("fashion-mnist", "rezero", 50, 0.88),
    summary("fashion-mnist", "a", 50, 0.89),
  ];
  const checks = checkGoal(summaries, new Set(["a", "b"]), goal);
  const rows = checks.map((c) => [
    c.dataset,
    c.depth,
    c.best?.label,
    c.reached,
    c.shortfall === null ? null : Number(c.shortfall.toFixed(6)),
    c.target,
  ]);
  assert.deepEqual(rows, [
    ["mnist", 50, "a", true, 0, true],
    ["mnist", 200, "a", false, 0.6, false],
    ["fashion-mnist", 50, "a", true, 0, null],
    ["fashion-mnist", 200, undefined, null, null, null], // not measured yet: a row of "-"
  ]);
  const table = goalTable(checks, goal, "mnist");
  assert.equal(table.kind, "table");
  if (table.kind !== "table") return;
  assert.deepEqual(table.columns.at(-1), "at least 97.5%");
  assert.deepEqual(table.rows[1].slice(4), ["no", "0.60", "no"]);
  // Fashion-MNIST has no accuracy target: no column for it.
  const fashion = goalTable(checks, goal, "fashion-mnist");
  if (fashion.kind === "table") assert.equal(fashion.columns.length, 6);
});

Deno.test("goal: nothing measured yet reads as not decided, not as failed", () => {
  const checks = checkGoal([summary("mnist", "rezero", 50, 0.978)], new Set(["a"]), goal);
  assert.deepEqual(checks.map((c) => [c.depth, c.reached, c.shortfall, c.target]), [
    [50, null, null, null],
    [200, null, null, null],
  ]);
});

Deno.test("goal: a GradNet with a diverged or collapsed seed does not count; one reference seed gives no level", () => {
  const diverged = { ...summary("mnist", "a", 50, 0.99), diverged: 1 };
  const collapsed = { ...summary("mnist", "b", 50, 0.98), collapsed: 1 };
  const steady = summary("mnist", "c", 50, 0.96);
  const [check] = checkGoal(
    [summary("mnist", "rezero", 50, 0.978), diverged, collapsed, steady],
    new Set(["a", "b", "c"]),
    goal,
  );
  assert.equal(check.best?.label, "c");
  const single = { ...summary("mnist", "rezero", 50, 0.95), measured: 1 };
  const [alone] = checkGoal([single, steady], new Set(["c"]), goal);
  assert.deepEqual([alone.best?.label, alone.reached, alone.target], ["c", null, false]);
});
