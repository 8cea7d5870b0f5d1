// Helpers shared by the tests of @gradnets/core; not exported by the package.

import * as tf from "@tensorflow/tfjs";
import { AssertionError } from "node:assert/strict";
import { ARCHITECTURE_TEST_CASES, architectureLabel } from "./architectures.ts";
import type { RunConfig } from "./config.ts";
import { INPUT_STAGE_TEST_CASES, inputStageLabel } from "./input_stages.ts";
import { type Layer, layerContext } from "./layers/layer.ts";
import { Random } from "./random.ts";

/**
 * Central finite differences of a scalar function with respect to every element of `variable`:
 * (f(v + eps) - f(v - eps)) / (2 eps), one element at a time.
 */
export function numericGradient(f: () => number, variable: tf.Variable, eps = 1e-2): Float32Array {
  const original = variable.dataSync().slice() as Float32Array;
  const gradient = new Float32Array(original.length);
  const probe = original.slice();
  for (let i = 0; i < original.length; i++) {
    probe[i] = original[i] + eps;
    variable.assign(tf.tensor(probe, variable.shape));
    const plus = f();
    probe[i] = original[i] - eps;
    variable.assign(tf.tensor(probe, variable.shape));
    const minus = f();
    probe[i] = original[i];
    gradient[i] = (plus - minus) / (2 * eps);
  }
  variable.assign(tf.tensor(original, variable.shape));
  return gradient;
}

/** Asserts |actual - expected| <= atol + rtol * |expected| elementwise, naming the first miss. */
export function assertAllClose(
  actual: ArrayLike<number>,
  expected: ArrayLike<number>,
  { rtol = 1e-5, atol = 1e-6, what = "values" } = {},
): void {
  if (actual.length !== expected.length) {
    throw new AssertionError({
      message: `${what}: length ${actual.length} != ${expected.length}`,
      actual: actual.length,
      expected: expected.length,
    });
  }
  for (let i = 0; i < actual.length; i++) {
    const a = actual[i], e = expected[i];
    if (!(Math.abs(a - e) <= atol + rtol * Math.abs(e))) {
      throw new AssertionError({
        message: `${what}[${i}]: ${a} is not close to ${e} (rtol ${rtol}, atol ${atol})`,
        actual: a,
        expected: e,
      });
    }
  }
}

/** Deterministic pseudo-random values in [-scale, scale). */
export function fixture(count: number, seed: number, scale = 1): Float32Array {
  let state = seed >>> 0;
  const out = new Float32Array(count);
  for (let i = 0; i < count; i++) {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    out[i] = (state / 4294967296 * 2 - 1) * scale;
  }
  return out;
}

/**
 * Checks a layer's hand-written backward pass against central finite differences of its
 * reference formula, for the input and every parameter, with the loss L = sum(y * R).
 */
export function checkLayerGradients(
  layer: Layer,
  { batch = 4, width = 6, g = 0.3, seed = 2, eps = 1e-3, rtol = 2e-2, atol = 2e-3 } = {},
): void {
  const x = tf.variable(tf.tensor2d(fixture(batch * width, seed), [batch, width]));
  const r = tf.tensor2d(fixture(batch * width, seed + 1), [batch, width]);
  const ctx = () => layerContext(g, true, new Random(1));
  const loss = () => tf.tidy(() => tf.sum(tf.mul(layer.reference(x, ctx()), r)).dataSync()[0]);
  const analytic = tf.tidy(() => {
    const { dx, grads } = layer.forward(x, ctx()).backward(r, true);
    return [dx!, ...grads].map((t) => t.dataSync().slice() as Float32Array);
  });
  [x, ...layer.params.map((p) => p.variable)].forEach((v, i) => {
    assertAllClose(analytic[i], numericGradient(loss, v, eps), {
      rtol,
      atol,
      what: `${layer.name} g=${g} d${i === 0 ? "x" : layer.params[i - 1].name}`,
    });
  });
  tf.dispose([x, r]);
}

/** Runs a layer's training forward pass at g on `x` (as nested arrays) and returns y. */
export function forwardAt(layer: Layer, x: number[][], g: number, training = true): number[][] {
  return tf.tidy(() =>
    layer.forward(tf.tensor2d(x), layerContext(g, training, new Random(1))).y.arraySync()
  );
}

/** Frees a layer's variables. */
export function disposeLayer(layer: Layer): void {
  tf.dispose([...layer.params.map((p) => p.variable), ...(layer.state ?? [])]);
}

/**
 * Every test case of the architecture registry, as config changes named by label: the cases
 * that tests of whole models share.
 */
export const ARCHITECTURE_CASES: readonly [string, Partial<RunConfig>][] = ARCHITECTURE_TEST_CASES
  .map((architecture) => [architectureLabel(architecture, 8), { architecture }]);

/**
 * Every test case of the input stages' registry, as config changes named by label (on MNIST's
 * 784 pixels or a 4 x 4 image: the stages need a square image).
 */
export const INPUT_STAGE_CASES: readonly [string, Partial<RunConfig>][] = INPUT_STAGE_TEST_CASES
  .map((inputStage) => [inputStageLabel(inputStage), { inputStage }]);
