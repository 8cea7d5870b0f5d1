import assert from "node:assert/strict";
import { canonicalJson } from "@gradnets/core";
import { compareRunFiles, firstDifference } from "./compare.ts";

const record = {
  format: 1,
  runId: "abc",
  status: "completed",
  epochs: [{ epoch: 0, trainLoss: null }, { epoch: 1, trainLoss: 0.2314 }],
  gradientNorms: { layerNames: ["l0", "l1"], epochs: [{ epoch: 1, mean: [0.5, 0.25] }] },
};
const bytes = (value: unknown) => new TextEncoder().encode(canonicalJson(value) + "\n");

Deno.test("compareRunFiles: identical bytes, or the first differing path with both values", () => {
  assert.deepEqual(compareRunFiles(bytes(record), bytes(structuredClone(record))), {
    identical: true,
  });
  const changed = structuredClone(record);
  changed.epochs[1].trainLoss = 0.2315;
  changed.gradientNorms.epochs[0].mean[1] = 0.3; // later in the record: not the first
  assert.deepEqual(compareRunFiles(bytes(record), bytes(changed)), {
    identical: false,
    difference: "epochs[1].trainLoss: 0.2314 vs 0.2315",
  });
});

Deno.test("firstDifference names lengths, missing fields and changed types", () => {
  const shorter = { ...record, epochs: record.epochs.slice(0, 1) };
  assert.deepEqual(firstDifference(record, shorter), {
    path: "epochs.length",
    stored: "2",
    retrained: "1",
  });
  const { status: _, ...withoutStatus } = record;
  assert.deepEqual(firstDifference(record, withoutStatus), {
    path: "status",
    stored: '"completed"',
    retrained: "(absent)",
  });
  assert.deepEqual(firstDifference({ a: { "b-c": 1 } }, { a: { "b-c": "1" } }), {
    path: 'a["b-c"]',
    stored: "1",
    retrained: '"1"',
  });
  const long = { x: "y".repeat(100) };
  assert.match(firstDifference({ v: long }, { v: null })!.stored, /\.\.\.$/);
});

Deno.test("compareRunFiles: same values in other bytes, and files that are not JSON", () => {
  const spaced = new TextEncoder().encode(JSON.stringify(record, null, 1));
  assert.match(
    (compareRunFiles(bytes(record), spaced) as { difference: string }).difference,
    /same values, different bytes/,
  );
  assert.deepEqual(compareRunFiles(bytes(record), new TextEncoder().encode("{trunc")), {
    identical: false,
    difference: "the retrained file is not valid JSON",
  });
});
