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

import * as tf from "@tensorflow/tfjs";
import { kernelForward } from "../kernels/layer_kernels.ts";
import { squareAffine } from "./dense.ts";
import type { GradualReluOptions } from "./gradual_relu.ts";
import { affineBackward, type Layer } from "./layer.ts";

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
  const { params, w, b } = squareAffine(options);
  return {
    name: options.name,
    params,
    forward(x, ctx) {
      const fast = kernelForward("grelu-leaky", x, { W: w, b }, ctx);
      if (fast) return fast;
      const y = tf.fused.matMul({
        a: x,
        b: w,
        bias: b,
        activation: "leakyrelu",
        leakyreluAlpha: 1 - ctx.g,
      }) as tf.Tensor2D;
      return {
        y,
        backward(dy, needInputGradient) {
          // Slope 1 where u > 0 (equivalently y > 0 while 1 - g >= 0), 1 - g elsewhere.
          const slope = tf.add(tf.mul(tf.step(y), ctx.gTensor), ctx.oneMinusGTensor);
          const du = tf.mul(dy, slope) as tf.Tensor2D;
          const { dx, dW, db } = affineBackward(x, w, du, needInputGradient);
          return { dx, grads: [dW, db] };
        },
      };
    },
    reference(x, ctx) {
      const u = tf.add(tf.matMul(x, w), b);
      return tf.add(tf.mul(ctx.g, tf.relu(u)), tf.mul(1 - ctx.g, u)) as tf.Tensor2D;
    },
  };
}
