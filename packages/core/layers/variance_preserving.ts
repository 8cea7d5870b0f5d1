/**
 * Variance-preserving interpolation, an extension of this project (not in the 2015 sources).
 *
 * A GReLU layer with identity skip, `y = g * relu(xW + b) + (1 - g) * x`, mixes two signals of
 * about the same second moment (He initialisation preserves it through the ReLU branch). At
 * initialisation they are independent and both non-negative (ReLU outputs, each with mean
 * `sqrt(E[x^2] / pi)`), so `E[y^2] = (g^2 + (1 - g)^2 + 2 g (1 - g) / pi) E[x^2]`: a third of
 * the second moment is lost at g = 1/2, in every layer, and the input-dependent part of the
 * signal falls by orders of magnitude through 48 layers (`variance_preserving_test.ts` measures
 * it): the network forgets its input in the middle of the interpolation, which is where the
 * 2015 notebook's run collapsed. Dividing the output by the square root of that factor keeps
 * the second moment at every g and leaves both ends (g = 0 and g = 1) unchanged.
 *
 * For the leaky GReLU, `y = g * relu(u) + (1 - g) * u` is a leaky ReLU of slope 1 - g, and with
 * He initialisation `E[y^2] = (1 + (1 - g)^2) E[x^2]`; the factor `1 / sqrt(1 + (1 - g)^2)`
 * keeps it (and makes the linear network at g = 0 an isometry in expectation).
 *
 * @module
 */

import * as tf from "@tensorflow/tfjs";
import type { Layer } from "./layer.ts";

/**
 * The gain that keeps the second moment of a GReLU layer's output equal to its input's.
 *
 * @example Both ends are untouched; the middle is lifted
 * ```ts
 * import assert from "node:assert/strict";
 * import { variancePreservingGain } from "@gradnets/core";
 * assert.equal(variancePreservingGain("grelu", 0), 1);
 * assert.equal(variancePreservingGain("grelu", 1), 1);
 * assert.ok(Math.abs(variancePreservingGain("grelu", 0.5) - 1 / Math.sqrt(0.5 + 0.5 / Math.PI)) < 1e-12);
 * assert.ok(Math.abs(variancePreservingGain("grelu-leaky", 0) - Math.SQRT1_2) < 1e-12);
 * ```
 */
export function variancePreservingGain(kind: "grelu" | "grelu-leaky", g: number): number {
  return kind === "grelu"
    ? 1 / Math.sqrt(g * g + (1 - g) * (1 - g) + (2 * g * (1 - g)) / Math.PI)
    : 1 / Math.sqrt(1 + (1 - g) * (1 - g));
}

/**
 * Wraps a layer so that its output is multiplied by `gain(g)`: `y = gain(g) * inner(x)`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import * as tf from "@tensorflow/tfjs";
 * import { gradualReluLayer, layerContext, Random, scaledLayer, useBackend } from "@gradnets/core";
 * await useBackend("wasm");
 * const inner = gradualReluLayer({ name: "hidden1", width: 2, init: { kind: "he" }, biasInit: 0, random: new Random(1) });
 * const layer = scaledLayer(inner, () => 2);
 * tf.tidy(() => {
 *   const y = layer.forward(tf.tensor2d([[1, -3]]), layerContext(0, true, new Random(2))).y;
 *   assert.deepEqual(y.arraySync(), [[2, -6]]);
 * });
 * ```
 */
export function scaledLayer(inner: Layer, gain: (g: number) => number): Layer {
  return {
    name: inner.name,
    params: inner.params,
    state: inner.state,
    kernel: inner.kernel,
    forward(x, ctx) {
      const scale = tf.scalar(gain(ctx.g));
      const pass = inner.forward(x, ctx);
      return {
        y: tf.mul(pass.y, scale) as tf.Tensor2D,
        backward: (dy, needInputGradient) =>
          pass.backward(tf.mul(dy, scale) as tf.Tensor2D, needInputGradient),
      };
    },
    reference(x, ctx) {
      return tf.mul(inner.reference(x, ctx), gain(ctx.g)) as tf.Tensor2D;
    },
  };
}
