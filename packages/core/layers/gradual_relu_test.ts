import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { assertAllClose, fixture, numericGradient } from "../_testing.ts";
import { useBackend } from "../backend.ts";
import { Random } from "../random.ts";
import { gradualReluLayer } from "./gradual_relu.ts";
import { layerContext } from "./layer.ts";

await useBackend("wasm");

const WIDTH = 6;
const BATCH = 4;
const makeLayer = () =>
  gradualReluLayer({
    name: "hidden1",
    width: WIDTH,
    init: { kind: "truncated-normal", std: 0.5 },
    biasInit: 0.1,
    random: new Random(5),
  });

Deno.test("GReLU at g = 0 is the identity and at g = 1 a ReLU layer", () => {
  const layer = makeLayer();
  const [w, b] = layer.params.map((p) => p.variable);
  tf.tidy(() => {
    const x = tf.tensor2d(fixture(BATCH * WIDTH, 1), [BATCH, WIDTH]);
    const at0 = layer.forward(x, layerContext(0, true, new Random(1))).y;
    assertAllClose(at0.dataSync(), x.dataSync(), { what: "g=0" });
    const at1 = layer.forward(x, layerContext(1, true, new Random(1))).y;
    const relu = tf.relu(tf.add(tf.matMul(x, w as tf.Tensor2D), b));
    assertAllClose(at1.dataSync(), relu.dataSync(), { what: "g=1" });
    const half = layer.forward(x, layerContext(0.5, true, new Random(1))).y;
    assertAllClose(half.dataSync(), tf.add(tf.mul(relu, 0.5), tf.mul(x, 0.5)).dataSync(), {
      what: "g=0.5",
    });
  });
  w.dispose();
  b.dispose();
});

Deno.test("GReLU's hand-written gradients match central finite differences", () => {
  const layer = makeLayer();
  const x = tf.variable(tf.tensor2d(fixture(BATCH * WIDTH, 2), [BATCH, WIDTH]));
  // A loss that weighs every output differently: L = sum(y * R).
  const r = tf.tensor2d(fixture(BATCH * WIDTH, 3), [BATCH, WIDTH]);
  for (const g of [0.3, 1]) {
    const ctx = () => layerContext(g, true, new Random(1));
    const loss = () => tf.tidy(() => tf.sum(tf.mul(layer.reference(x, ctx()), r)).dataSync()[0]);
    const analytic = tf.tidy(() => {
      const pass = layer.forward(x, ctx());
      const { dx, grads } = pass.backward(r, true);
      return [dx!, ...grads].map((t) => t.dataSync().slice() as Float32Array);
    });
    const targets = [x, ...layer.params.map((p) => p.variable)];
    targets.forEach((v, i) => {
      assertAllClose(analytic[i], numericGradient(loss, v, 1e-3), {
        rtol: 2e-2,
        atol: 2e-3,
        what: `g=${g} d${i === 0 ? "x" : layer.params[i - 1].name}`,
      });
    });
  }
  tf.dispose([x, r, ...layer.params.map((p) => p.variable)]);
});

Deno.test("GReLU's forward pass and backward pass free every intermediate tensor", () => {
  const layer = makeLayer();
  const before = tf.memory().numTensors;
  tf.tidy(() => {
    const x = tf.ones([BATCH, WIDTH]) as tf.Tensor2D;
    layer.forward(x, layerContext(0.5, true, new Random(1))).backward(tf.onesLike(x), true);
  });
  assert.equal(tf.memory().numTensors, before);
  tf.dispose(layer.params.map((p) => p.variable));
});
