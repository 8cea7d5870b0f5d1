/**
 * The notebook's GradNet layer, GReLU with an identity skip:
 *
 *     y = g * relu(x W + b) + (1 - g) * x
 *
 * At g = 0 the layer is the identity (the network is shallow: input layer, then softmax); at
 * g = 1 it is a plain ReLU layer. Input and output have the same width. An instance of
 * `gradual.ts`, from the identity to the plain layer, on one fused kernel.
 *
 * @module
 */

import { affineOf } from "./_affine.ts";
import { gradualLayer, identityLayer } from "./gradual.ts";
import type { Layer } from "./layer.ts";
import { plainLayer, type SquareLayerOptions } from "./plain.ts";

/** Options of {@linkcode gradualReluLayer}: those of every square layer. */
export type GradualReluOptions = SquareLayerOptions;

/**
 * A GReLU layer with identity skip, `y = g * relu(x W + b) + (1 - g) * x`.
 *
 * @example At g = 0 the layer passes its input through
 * ```ts
 * import assert from "node:assert/strict";
 * import * as tf from "@tensorflow/tfjs";
 * import { useBackend, gradualReluLayer, layerContext, Random } from "@gradnets/core";
 * await useBackend("wasm");
 * const layer = gradualReluLayer({
 *   name: "hidden1", width: 3, init: { kind: "truncated-normal", std: 0.1 }, biasInit: 0.1,
 *   random: new Random(1),
 * });
 * tf.tidy(() => {
 *   const x = tf.tensor2d([[1, -2, 3]]);
 *   const y = layer.forward(x, layerContext(0, true, new Random(2))).y;
 *   assert(y.arraySync()[0].join() === "1,-2,3");
 * });
 * ```
 */
export function gradualReluLayer(options: GradualReluOptions): Layer {
  const late = plainLayer(options);
  const { w, b } = affineOf([late.params[0], late.params[1]]);
  return gradualLayer({
    name: options.name,
    early: identityLayer(options.name),
    late,
    kernel: { kind: "grelu", weights: () => ({ W: w, b }) },
  });
}
