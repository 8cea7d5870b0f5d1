import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { useBackend } from "../backend.ts";
import { Random } from "../random.ts";
import { dropoutLayer } from "./dropout.ts";
import { layerContext } from "./layer.ts";

await useBackend("wasm");

/** Fraction of units a dropout layer zeroes on a batch of ones, and the value of the kept ones. */
function dropped(rate: number, gradual: boolean, g: number, training = true) {
  const layer = dropoutLayer({ name: "dropout1", rate, gradual });
  return tf.tidy(() => {
    const y = layer.forward(tf.ones([200, 50]), layerContext(g, training, new Random(123))).y
      .dataSync();
    const zeros = y.filter((v) => v === 0).length;
    const kept = new Set(y.filter((v) => v !== 0));
    return { fraction: zeros / y.length, kept: [...kept] };
  });
}

Deno.test("gradual dropout drops about p * g of the units and rescales the rest", () => {
  // 10000 units: the standard error of the fraction is at most 0.005, so 0.02 is 4 sigma.
  for (const g of [0, 0.25, 0.5, 1]) {
    const { fraction, kept } = dropped(0.5, true, g);
    assert.ok(
      Math.abs(fraction - 0.5 * g) < 0.02,
      `g=${g}: dropped ${fraction}, expected ${0.5 * g}`,
    );
    assert.deepEqual(kept.map((v) => Math.fround(v)), [Math.fround(1 / (1 - 0.5 * g))]);
  }
  const constant = dropped(0.3, false, 0);
  assert.ok(Math.abs(constant.fraction - 0.3) < 0.02, `constant: ${constant.fraction}`);
});

Deno.test("dropout is off at evaluation, and the mask reaches the gradient", () => {
  assert.equal(dropped(0.5, true, 1, false).fraction, 0);
  const layer = dropoutLayer({ name: "dropout1", rate: 0.5, gradual: false });
  tf.tidy(() => {
    const pass = layer.forward(tf.ones([10, 10]), layerContext(1, true, new Random(5)));
    const dx = pass.backward(tf.ones([10, 10]), true).dx!;
    assert.deepEqual(Array.from(dx.dataSync()), Array.from(pass.y.dataSync()));
  });
});
