import assert from "node:assert/strict";
import { grid } from "./experiment.ts";

Deno.test("grid: every combination, the last key varying fastest", () => {
  assert.deepEqual(grid({ dataset: ["mnist", "fashion-mnist"], depth: [10, 20, 50] }), [
    { dataset: "mnist", depth: 10 },
    { dataset: "mnist", depth: 20 },
    { dataset: "mnist", depth: 50 },
    { dataset: "fashion-mnist", depth: 10 },
    { dataset: "fashion-mnist", depth: 20 },
    { dataset: "fashion-mnist", depth: 50 },
  ]);
  assert.deepEqual(grid({}), [{}]);
  assert.deepEqual(grid({ seed: [] }), []);
});
