import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { assertAllClose, checkLayerGradients, disposeLayer, fixture } from "../_testing.ts";
import { useBackend } from "../backend.ts";
import { NOTEBOOK_CONFIG, type RunConfig } from "../config.ts";
import { createModel } from "../model.ts";
import { Random } from "../random.ts";
import { gradualReluLayer } from "./gradual_relu.ts";
import { layerContext } from "./layer.ts";
import { scaledLayer, variancePreservingGain } from "./variance_preserving.ts";

await useBackend("wasm");

Deno.test("a scaled layer multiplies output and gradients by the gain, and matches finite differences", () => {
  const inner = gradualReluLayer({
    name: "hidden1",
    width: 6,
    init: { kind: "he" },
    biasInit: 0.1,
    random: new Random(3),
  });
  const layer = scaledLayer(inner, (g) => 1 + g);
  tf.tidy(() => {
    const x = tf.tensor2d(fixture(24, 7), [4, 6]);
    const ctx = layerContext(0.5, true, new Random(1));
    assertAllClose(
      layer.forward(x, ctx).y.dataSync(),
      tf.mul(inner.forward(x, ctx).y, 1.5).dataSync(),
    );
  });
  checkLayerGradients(layer, { g: 0.5 });
  disposeLayer(layer);
});

/** Spread across examples of the last hidden layer's output of a 50-layer GReLU net at g. */
function signal(variancePreserving: boolean, g: number): number {
  const config: RunConfig = {
    ...NOTEBOOK_CONFIG,
    init: { kind: "he" },
    biasInit: 0,
    architecture: { kind: "grelu", variancePreserving },
  };
  const model = createModel(config, { inputSize: 64, classes: 10 }, new Random(1));
  const spread = tf.tidy(() => {
    const ctx = layerContext(g, false, new Random(1));
    let h = tf.tensor2d(fixture(200 * 64, 5).map(Math.abs), [200, 64]);
    for (const layer of model.layers.slice(0, -1)) h = layer.forward(h, ctx).y;
    return Math.sqrt(tf.mean(tf.moments(h, 0).variance).dataSync()[0]);
  });
  model.dispose();
  return spread;
}

Deno.test("variance preservation keeps the input's signal through 48 GReLU layers in mid-interpolation", () => {
  // Without it the signal at g = 1/2 is orders of magnitude below the ends; with it, not.
  const plainMid = signal(false, 0.5), plainEnd = signal(false, 0);
  const preservedMid = signal(true, 0.5), preservedEnd = signal(true, 0);
  assert.ok(plainMid < plainEnd / 100, `without: ${plainMid} at g=0.5 vs ${plainEnd} at g=0`);
  assert.ok(
    preservedMid > preservedEnd / 10,
    `with: ${preservedMid} at g=0.5 vs ${preservedEnd} at g=0`,
  );
  assert.equal(variancePreservingGain("grelu", 1), 1);
});
