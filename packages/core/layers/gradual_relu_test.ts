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
import { Random } from "../random.ts";
import { gradualReluLayer } from "./gradual_relu.ts";
import { layerContext } from "./layer.ts";

await useBackend("wasm");

const makeLayer = (width = 6) =>
  gradualReluLayer({
    name: "hidden1",
    width,
    init: { kind: "truncated-normal", std: 0.5 },
    biasInit: 0.1,
    random: new Random(5),
  });

Deno.test("GReLU at g = 0 is the identity and at g = 1 a ReLU layer", () => {
  const layer = makeLayer(6);
  const [w, b] = layer.params.map((p) => p.variable);
  const x = Array.from({ length: 4 }, (_, i) => Array.from(fixture(6, 10 + i)));
  assertAllClose(forwardAt(layer, x, 0).flat(), x.flat(), { what: "g=0" });
  const relu = tf.tidy(() =>
    tf.relu(tf.add(tf.matMul(tf.tensor2d(x), w as tf.Tensor2D), b)).arraySync() as number[][]
  );
  assertAllClose(forwardAt(layer, x, 1).flat(), relu.flat(), { what: "g=1" });
  const half = relu.map((row, i) => row.map((v, j) => 0.5 * v + 0.5 * x[i][j]));
  assertAllClose(forwardAt(layer, x, 0.5).flat(), half.flat(), { what: "g=0.5" });
  disposeLayer(layer);
});

Deno.test("GReLU's hand-written gradients match central finite differences", () => {
  const layer = makeLayer();
  for (const g of [0, 0.3, 1]) checkLayerGradients(layer, { g });
  disposeLayer(layer);
});

Deno.test("GReLU's forward pass and backward pass free every intermediate tensor", () => {
  const layer = makeLayer();
  const before = tf.memory().numTensors;
  tf.tidy(() => {
    const x = tf.ones([4, 6]) as tf.Tensor2D;
    layer.forward(x, layerContext(0.5, true, new Random(1))).backward(tf.onesLike(x), true);
  });
  assert.equal(tf.memory().numTensors, before);
  disposeLayer(layer);
});
