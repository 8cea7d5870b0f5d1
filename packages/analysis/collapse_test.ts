import assert from "node:assert/strict";
import { loadMnist } from "@gradnets/data";
import { chanceLevels, largestClassShare } from "./collapse.ts";
import type { RunRow } from "./tables.ts";

const run = (dataset: string, dataLimit = ""): RunRow => ({
  runId: `${dataset}${dataLimit}`,
  dataset,
  architecture: "plain",
  label: "plain-50",
  architectureLabel: "plain-50",
  depth: 10,
  width: 50,
  seed: 1,
  epochs: 1,
  status: "completed",
  divergedStep: null,
  divergedReason: null,
  finalTestAccuracy: 0.1,
  finalValidationAccuracy: 0.1,
  bestValidationEpoch: 1,
  bestValidationAccuracy: 0.1,
  testAccuracyAtBestValidation: 0.1,
  columns: { data_limit: dataLimit },
});

Deno.test("chance levels come from the test labels: MNIST's digit 1, balanced Fashion-MNIST", async () => {
  const chance = await chanceLevels([run("mnist"), run("fashion-mnist"), run("mnist", "500")]);
  assert.equal(chance(run("mnist")), 0.1135); // 1135 of the 10000 test images are a 1
  assert.equal(chance(run("fashion-mnist")), 0.1);
  const limited = await loadMnist({ limit: 500 });
  assert.equal(chance(run("mnist", "500")), largestClassShare(limited.test.labels));
  // A dataset that cannot be loaded has no chance level, and a run never asked about neither.
  const unknown = await chanceLevels([run("idx:/no/such/folder")]);
  assert.equal(unknown(run("idx:/no/such/folder")), undefined);
  assert.equal(unknown(run("mnist")), undefined);
});

Deno.test("largestClassShare: the best constant prediction", () => {
  assert.equal(largestClassShare([3, 3, 3]), 1);
  assert.equal(largestClassShare([0, 1, 2, 3]), 0.25);
  assert.throws(() => largestClassShare([]), RangeError);
});
