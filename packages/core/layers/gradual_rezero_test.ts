import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { assertAllClose, checkLayerGradients, disposeLayer, forwardAt } from "../_testing.ts";
import { useBackend } from "../backend.ts";
import { Random } from "../random.ts";
import { gradualRezeroLayer } from "./gradual_rezero.ts";

await useBackend("wasm");

const options = (width = 6) => ({
  name: "hidden1",
  width,
  init: { kind: "truncated-normal", std: 0.5 } as const,
  biasInit: 0.1,
  random: new Random(8),
});

Deno.test("gradual ReZero: y = x + g a relu(xW + b), a learnt from scaleInit", () => {
  const layer = gradualRezeroLayer({ ...options(2), scaleInit: 0.5 });
  assert.deepEqual(layer.params.map((p) => p.name), ["W", "b", "alpha"]);
  tf.tidy(() => {
    layer.params[0].variable.assign(tf.tensor2d([[1, 2], [3, 4]]));
    layer.params[1].variable.assign(tf.tensor1d([-1, 0]));
  });
  // xW + b = [3, 6] at x = [1, 1].
  assertAllClose(forwardAt(layer, [[1, 1]], 0).flat(), [1, 1]);
  assertAllClose(forwardAt(layer, [[1, 1]], 0.5).flat(), [1.75, 2.5]);
  assertAllClose(forwardAt(layer, [[1, 1]], 1).flat(), [2.5, 4]);
  disposeLayer(layer);
});

Deno.test("gradual ReZero: gradients, the scale's included, match finite differences", () => {
  for (const g of [0.3, 1]) {
    const layer = gradualRezeroLayer(options());
    checkLayerGradients(layer, { g });
    disposeLayer(layer);
  }
});
