/**
 * The paper's GReLU (and its first author's treeano code): the activation itself interpolates
 * from linear to ReLU,
 *
 *     u = x W + b,   y = g * relu(u) + (1 - g) * u
 *
 * which is a leaky ReLU of slope 1 - g: at g = 0 the layer is affine (the whole network is a
 * linear model), at g = 1 it is a plain ReLU layer.
 *
 * @module
 */

import { affineLayer, squareAffine } from "./_affine.ts";
import { gradualLayer } from "./gradual.ts";
import type { GradualReluOptions } from "./gradual_relu.ts";
import type { Layer } from "./layer.ts";

/**
 * A leaky GReLU layer, `y = g * relu(xW + b) + (1 - g) * (xW + b)`.
 *
 * @example At g = 0 the layer is affine: negative pre-activations pass unchanged
 * ```ts
 * import assert from "node:assert/strict";
 * import * as tf from "@tensorflow/tfjs";
 * import { layerContext, leakyGradualReluLayer, Random, useBackend } from "@gradnets/core";
 * await useBackend("wasm");
 * const layer = leakyGradualReluLayer({
 *   name: "hidden1", width: 2, init: { kind: "truncated-normal", std: 0.1 }, biasInit: -5,
 *   random: new Random(1),
 * });
 * tf.tidy(() => {
 *   const y = layer.forward(tf.zeros([1, 2]), layerContext(0, true, new Random(2))).y;
 *   assert(y.arraySync()[0].join() === "-5,-5");
 * });
 * ```
 */
export function leakyGradualReluLayer(options: GradualReluOptions): Layer {
  const affine = squareAffine(options);
  const { w, b } = affine;
  return gradualLayer({
    name: options.name,
    early: affineLayer(options.name, affine, "linear"),
    late: affineLayer(options.name, affine, "relu"),
    kernel: { kind: "grelu-leaky", weights: () => ({ W: w, b }) },
  });
}
