import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { assertAllClose, disposeLayer, fixture } from "../_testing.ts";
import { useBackend } from "../backend.ts";
import { Random } from "../random.ts";
import { type Layer, layerContext } from "./layer.ts";
import { attentionPoolLayer, averagePoolLayer, gradualPoolLayer } from "./pooling.ts";

await useBackend("wasm");

// A 6 x 6 image in patches of 2: 9 patches; values in [0, 1) like pixels, some 0.
const SIDE = 6, WINDOW = 2, BATCH = 3;
const pixels = () =>
  tf.tidy(() => tf.relu(tf.tensor2d(fixture(BATCH * SIDE * SIDE, 7), [BATCH, SIDE * SIDE])));
const options = (seed = 3) => ({
  name: "pool",
  side: SIDE,
  window: WINDOW,
  init: { kind: "he" } as const,
  random: new Random(seed),
});

/**
 * The hand-written backward pass of `layer` against tfjs autodiff of its reference, for the
 * input and every parameter, with the loss L = sum(y * R).
 */
function checkAgainstAutodiff(layer: Layer, g: number) {
  const x = pixels();
  const r = tf.tensor2d(fixture(BATCH * 9, 11), [BATCH, 9]);
  const ctx = () => layerContext(g, true, new Random(1));
  const manual = tf.tidy(() => {
    const { dx, grads } = layer.forward(x, ctx()).backward(r, true);
    return [dx!, ...grads].map((t) => t.dataSync().slice());
  });
  const autodiff = tf.tidy(() => {
    const loss = (input: tf.Tensor) =>
      tf.sum(tf.mul(layer.reference(input as tf.Tensor2D, ctx()), r));
    const dx = tf.grad(loss)(x);
    const variables = layer.params.map((p) => p.variable);
    const { grads } = variables.length === 0
      ? { grads: {} as tf.NamedTensorMap }
      : tf.variableGrads(
        () => loss(x) as tf.Scalar,
        variables,
      );
    // A variable the formula does not reach at this g (attention at g = 0) has no gradient.
    return [dx, ...variables.map((v) => grads[v.name] ?? tf.zerosLike(v))].map((t) =>
      t.dataSync().slice()
    );
  });
  manual.forEach((m, i) =>
    assertAllClose(m as Float32Array, autodiff[i] as Float32Array, {
      rtol: 1e-4,
      atol: 1e-6,
      what: `${layer.name} g=${g} d${i === 0 ? "x" : layer.params[i - 1].name}`,
    })
  );
  tf.dispose([x, r]);
}

Deno.test("average pooling: the mean of each 2x2 patch, as tfjs's avgPool computes it", () => {
  const layer = averagePoolLayer(options());
  const x = pixels();
  const [fast, reference] = tf.tidy(() => [
    layer.forward(x, layerContext(0, true, new Random(1))).y.arraySync(),
    layer.reference(x, layerContext(0, true, new Random(1))).arraySync(),
  ]);
  const image = x.arraySync();
  const expected = image.map((row) =>
    Array.from({ length: 9 }, (_, p) => {
      const [i, j] = [Math.floor(p / 3) * 2, (p % 3) * 2];
      const at = (a: number, b: number) => row[(i + a) * SIDE + j + b];
      return (at(0, 0) + at(0, 1) + at(1, 0) + at(1, 1)) / 4;
    })
  );
  assertAllClose(fast.flat(), expected.flat(), { rtol: 1e-6 });
  assertAllClose(reference.flat(), expected.flat(), { rtol: 1e-6 });
  checkAgainstAutodiff(layer, 0);
  x.dispose();
});

Deno.test("attention pooling: softmax(x_p V + c) weights the patch's pixels", () => {
  const layer = attentionPoolLayer(options());
  assert.deepEqual(layer.params.map((p) => [p.name, p.variable.shape]), [
    ["V", [4, 4]],
    ["c", [4]],
  ]);
  const x = pixels();
  const [v, c] = layer.params.map((p) => p.variable.arraySync()) as [number[][], number[]];
  const y = tf.tidy(() => layer.forward(x, layerContext(1, true, new Random(1))).y.arraySync());
  // The first patch of the first image, by hand (double precision).
  const row = x.arraySync()[0];
  const patch = [row[0], row[1], row[SIDE], row[SIDE + 1]];
  const scores = [0, 1, 2, 3].map((k) => c[k] + patch.reduce((s, xj, j) => s + xj * v[j][k], 0));
  const weights = scores.map((s) => Math.exp(s));
  const total = weights.reduce((a, b) => a + b, 0);
  const expected = patch.reduce((s, xk, k) => s + xk * weights[k] / total, 0);
  assertAllClose([y[0][0]], [expected], { rtol: 1e-5 });
  // A weighted mean: between the patch's smallest and largest pixel.
  assert.ok(y[0][0] >= Math.min(...patch) - 1e-6 && y[0][0] <= Math.max(...patch) + 1e-6);
  for (const g of [0, 1]) checkAgainstAutodiff(layer, g);
  disposeLayer(layer);
  x.dispose();
});

Deno.test("gradual pooling: exactly average pooling at g = 0, attention at g = 1, the mix between", () => {
  const gradual = gradualPoolLayer(options());
  const average = averagePoolLayer(options());
  const attention = attentionPoolLayer(options()); // the same seed: the same V
  assert.deepEqual(gradual.params.map((p) => p.name), ["V", "c"]);
  const x = pixels();
  const at = (layer: Layer, g: number) =>
    tf.tidy(() => Array.from(layer.forward(x, layerContext(g, true, new Random(1))).y.dataSync()));
  assert.deepEqual(at(gradual, 0), at(average, 0), "g = 0 is average pooling, bit for bit");
  assert.deepEqual(at(gradual, 1), at(attention, 1), "g = 1 is attention pooling, bit for bit");
  const [e, l] = [at(average, 0.4), at(attention, 0.4)];
  assertAllClose(at(gradual, 0.4), l.map((v, i) => 0.4 * v + 0.6 * e[i]), { rtol: 1e-6 });
  for (const g of [0, 0.4, 1]) checkAgainstAutodiff(gradual, g);
  disposeLayer(gradual);
  disposeLayer(attention);
  x.dispose();
});

Deno.test("pooling layers free every intermediate tensor of their forward and backward passes", () => {
  const layer = gradualPoolLayer(options());
  const x = pixels();
  const before = tf.memory().numTensors;
  for (const g of [0, 0.4, 1]) {
    tf.tidy(() => {
      const pass = layer.forward(x, layerContext(g, true, new Random(1)));
      pass.backward(tf.onesLike(pass.y), true);
      pass.backward(tf.onesLike(pass.y), false);
    });
  }
  assert.equal(tf.memory().numTensors, before);
  disposeLayer(layer);
  x.dispose();
});

Deno.test("a window that does not divide the image's side is refused", () => {
  assert.throws(
    () => averagePoolLayer({ name: "pool", side: 28, window: 3 }),
    /window 3 must be an integer dividing the side 28/,
  );
});
