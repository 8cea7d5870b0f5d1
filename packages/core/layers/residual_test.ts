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
import { gradualResidualLayer, residualLayer, rezeroLayer } from "./residual.ts";

await useBackend("wasm");

const options = (width = 6) => ({
  name: "hidden1",
  width,
  init: { kind: "truncated-normal", std: 0.5 } as const,
  biasInit: 0.1,
  random: new Random(8),
});

Deno.test("residual layer on a hand-computed example: y = x + relu(xW + b)", () => {
  const layer = residualLayer(options(2));
  tf.tidy(() => {
    layer.params[0].variable.assign(tf.tensor2d([[1, 2], [3, 4]]));
    layer.params[1].variable.assign(tf.tensor1d([-1, 0]));
  });
  // x W + b = [1*1 + 1*3 - 1, 1*2 + 1*4] = [3, 6] for x = [1, 1]; [-3 -1, -2 - 4] for x = [-1, -1].
  assertAllClose(forwardAt(layer, [[1, 1], [-1, -1]], 1).flat(), [4, 7, -1, -1]);
  disposeLayer(layer);
});

Deno.test("ReZero starts as the identity, and learns its scale from the first step", () => {
  const layer = rezeroLayer(options());
  assert.equal(layer.params[2].name, "alpha");
  const x = Array.from({ length: 3 }, (_, i) => Array.from(fixture(6, 40 + i, 3)));
  assertAllClose(forwardAt(layer, x, 1).flat(), x.flat());
  // With a = 0.5: y = x + 0.5 relu(xW + b).
  tf.tidy(() => layer.params[2].variable.assign(tf.scalar(0.5)));
  const [w, b] = layer.params.map((p) => p.variable);
  const expected = tf.tidy(() =>
    tf.add(
      tf.tensor2d(x),
      tf.mul(0.5, tf.relu(tf.add(tf.matMul(tf.tensor2d(x), w as tf.Tensor2D), b))),
    )
      .arraySync() as number[][]
  );
  assertAllClose(forwardAt(layer, x, 1).flat(), expected.flat(), { rtol: 1e-6 });
  disposeLayer(layer);
});

Deno.test("residual and ReZero gradients match finite differences (ReZero at a = 0 and a = 0.7)", () => {
  const residual = residualLayer(options());
  checkLayerGradients(residual, { g: 1 });
  disposeLayer(residual);
  const rezero = rezeroLayer(options());
  checkLayerGradients(rezero, { g: 1 });
  tf.tidy(() => rezero.params[2].variable.assign(tf.scalar(0.7)));
  checkLayerGradients(rezero, { g: 1 });
  disposeLayer(rezero);
});

Deno.test("gradual residual: the identity at g = 0, x + g relu(xW + b) between, residual at g = 1", () => {
  const layer = gradualResidualLayer(options());
  const residual = residualLayer(options()); // the same seed: the same W and b
  assert.equal(layer.params.length, 2, "nothing learns the scale");
  const x = Array.from({ length: 3 }, (_, i) => Array.from(fixture(6, 60 + i, 3)));
  assertAllClose(forwardAt(layer, x, 0).flat(), x.flat());
  assertAllClose(forwardAt(layer, x, 1).flat(), forwardAt(residual, x, 1).flat(), { rtol: 1e-6 });
  const [w, b] = layer.params.map((p) => p.variable);
  const expected = tf.tidy(() =>
    tf.add(
      tf.tensor2d(x),
      tf.mul(0.3, tf.relu(tf.add(tf.matMul(tf.tensor2d(x), w as tf.Tensor2D), b))),
    ).arraySync() as number[][]
  );
  assertAllClose(forwardAt(layer, x, 0.3).flat(), expected.flat(), { rtol: 1e-6 });
  for (const g of [0.3, 1]) checkLayerGradients(layer, { g });
  disposeLayer(layer);
  disposeLayer(residual);
});
