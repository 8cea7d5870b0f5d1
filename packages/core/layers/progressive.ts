/**
 * Progressive deepening, the paper's "shallow to deep" read literally (in the spirit of Gradual
 * DropIn, Smith et al. 2016): each hidden layer has its own window of the schedule, and the
 * layers turn from the identity into their late form one after another, from the input layer
 * on. Hidden layer i of n sees
 *
 *     g_i = clip(n * g - (i - 1), 0, 1)
 *
 * so while g rises from 0 to 1 the network grows from 2 to n + 2 layers. The late form is the
 * scaled gradual residual layer, `y = x + g_i * s * relu(x W + b)` with `s = 1/sqrt(n)` unless
 * given, on ReZero's kernel: once every layer is on, the network is the scaled residual one.
 *
 * @module
 */

import { type Layer, type LayerContext, layerContext } from "./layer.ts";
import { scaledGradualResidualLayer, type ScaledResidualOptions } from "./scaled_residual.ts";

/**
 * The g that hidden layer `index` of `count` sees when the schedule gives `g`.
 *
 * @example Four layers: at g = 0.5 the first two are on, the others still the identity
 * ```ts
 * import assert from "node:assert/strict";
 * import { layerG } from "@gradnets/core";
 * assert.deepEqual([1, 2, 3, 4].map((i) => layerG(0.5, i, 4)), [1, 1, 0, 0]);
 * assert.equal(layerG(0.625, 3, 4), 0.5);
 * ```
 */
export function layerG(g: number, index: number, count: number): number {
  return Math.min(1, Math.max(0, count * g - (index - 1)));
}

/**
 * A progressive residual layer: the scaled gradual residual layer at its own g (see
 * {@linkcode layerG}).
 *
 * @example The second of two layers waits for the first
 * ```ts
 * import assert from "node:assert/strict";
 * import * as tf from "@tensorflow/tfjs";
 * import { layerContext, progressiveResidualLayer, Random, useBackend } from "@gradnets/core";
 * await useBackend("wasm");
 * const layer = progressiveResidualLayer({
 *   name: "hidden2", width: 2, init: { kind: "he" }, biasInit: 1, random: new Random(1),
 *   position: { index: 2, count: 2 },
 * });
 * tf.tidy(() => {
 *   const y = layer.forward(tf.tensor2d([[1, -2]]), layerContext(0.5, true, new Random(2))).y;
 *   assert.deepEqual(y.arraySync(), [[1, -2]]); // g_2 = 0 while g <= 1/2
 * });
 * ```
 */
export function progressiveResidualLayer(options: ScaledResidualOptions): Layer {
  const inner = scaledGradualResidualLayer(options);
  const { index, count } = options.position ?? { index: 1, count: 1 };
  // The step's context with this layer's g (its tensors live as long as the step's).
  const own = (ctx: LayerContext) =>
    layerContext(layerG(ctx.g, index, count), ctx.training, ctx.random);
  return {
    name: inner.name,
    params: inner.params,
    kernel: inner.kernel,
    forward: (x, ctx) => inner.forward(x, own(ctx)),
    reference: (x, ctx) => inner.reference(x, own(ctx)),
  };
}
