import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import {
  assertAllClose,
  checkLayerGradients,
  disposeLayer,
  fixture,
  forwardAt,
} from "../_testing.ts";
import { useBackend } from "../backend.ts";
import { batchNormLayer } from "./batch_norm.ts";

await useBackend("wasm");

const x = Array.from({ length: 4 }, (_, i) => Array.from(fixture(6, 50 + i, 3)).map((v) => v + i));

Deno.test("gradual batch norm at g = 0 normalises each feature over the batch; at g = 1 it is the identity", () => {
  const layer = batchNormLayer({ name: "norm1", width: 6, gradual: true, epsilon: 1e-3 });
  const y = forwardAt(layer, x, 0);
  for (let j = 0; j < 6; j++) {
    const column = x.map((row) => row[j]);
    const mean = column.reduce((s, v) => s + v, 0) / 4;
    const variance = column.reduce((s, v) => s + (v - mean) ** 2, 0) / 4;
    const expected = column.map((v) => (v - mean) / Math.sqrt(variance + 1e-3));
    assertAllClose(y.map((row) => row[j]), expected, {
      rtol: 1e-4,
      atol: 1e-5,
      what: `feature ${j}`,
    });
  }
  assertAllClose(forwardAt(layer, x, 1).flat(), x.flat(), { what: "g=1" });
  const half = forwardAt(layer, x, 0.5).flat();
  assertAllClose(half, y.flat().map((v, i) => 0.5 * v + 0.5 * x.flat()[i]), {
    rtol: 1e-5,
    atol: 1e-6,
  });
  disposeLayer(layer);
});

Deno.test("batch norm's hand-written gradients match finite differences", () => {
  for (const gradual of [true, false]) {
    const layer = batchNormLayer({ name: "norm1", width: 6, gradual });
    tf.tidy(() => {
      layer.params[0].variable.assign(tf.tensor1d(fixture(6, 60, 1).map((v) => 1 + v)));
      layer.params[1].variable.assign(tf.tensor1d(fixture(6, 61, 1)));
    });
    for (const g of [0, 0.4]) checkLayerGradients(layer, { g, rtol: 3e-2, atol: 3e-3 });
    disposeLayer(layer);
  }
});

Deno.test("running statistics track the training batches and are used at evaluation", () => {
  const layer = batchNormLayer({ name: "norm1", width: 6, gradual: false, momentum: 0 });
  forwardAt(layer, x, 0); // momentum 0: the running statistics become this batch's
  const evaluated = forwardAt(layer, x, 0, false);
  const trained = forwardAt(layer, x, 0, true);
  assertAllClose(evaluated.flat(), trained.flat(), { rtol: 1e-4, atol: 1e-5 });
  const mean = Array.from(layer.runningMean.dataSync());
  assertAllClose(
    mean,
    Array.from({ length: 6 }, (_, j) => x.reduce((s, row) => s + row[j], 0) / 4),
    { rtol: 1e-5 },
  );
  disposeLayer(layer);
});

Deno.test("at g = 1 evaluation needs no running statistics, even broken ones", () => {
  const layer = batchNormLayer({ name: "norm1", width: 6, gradual: true });
  const before = forwardAt(layer, x, 1, false);
  tf.tidy(() => {
    layer.runningMean.assign(tf.fill([6], NaN));
    layer.runningVariance.assign(tf.fill([6], -1));
  });
  assert.deepEqual(forwardAt(layer, x, 1, false), before);
  assertAllClose(before.flat(), x.flat());
  disposeLayer(layer);
});
