/**
 * The notebook's GradNet layer, GReLU with an identity skip:
 *
 *     y = g * relu(x W + b) + (1 - g) * x
 *
 * At g = 0 the layer is the identity (the network is shallow: input layer, then softmax); at
 * g = 1 it is a plain ReLU layer. Input and output have the same width.
 *
 * @module
 */

import * as tf from "@tensorflow/tfjs";
import type { Initializer } from "../initializers.ts";
import { kernelForward } from "../kernels/layer_kernels.ts";
import type { Random } from "../random.ts";
import { squareAffine } from "./dense.ts";
import { affineBackward, type Layer, reluBackward } from "./layer.ts";

/** Options of {@linkcode gradualReluLayer}. */
export interface GradualReluOptions {
  /** Layer name, e.g. `hidden3`. */
  readonly name: string;
  /** Width of input and output. */
  readonly width: number;
  /** Initialiser of W. */
  readonly init: Initializer;
  /** Constant initial bias. */
  readonly biasInit: number;
  /** Source of the initial weights. */
  readonly random: Random;
}

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
  const { params, w, b } = squareAffine(options);
  return {
    name: options.name,
    params,
    forward(x, ctx) {
      const fast = kernelForward("grelu", x, { W: w, b }, ctx);
      if (fast) return fast;
      const r = tf.fused.matMul({ a: x, b: w, bias: b, activation: "relu" }) as tf.Tensor2D;
      const y = tf.add(tf.mul(r, ctx.gTensor), tf.mul(x, ctx.oneMinusGTensor)) as tf.Tensor2D;
      return {
        y,
        backward(dy, needInputGradient) {
          const du = reluBackward(r, tf.mul(dy, ctx.gTensor));
          const affine = affineBackward(x, w, du, needInputGradient);
          const dx = affine.dx && tf.add(affine.dx, tf.mul(dy, ctx.oneMinusGTensor)) as tf.Tensor2D;
          return { dx, grads: [affine.dW, affine.db] };
        },
      };
    },
    reference(x, ctx) {
      const relu = tf.relu(tf.add(tf.matMul(x, w), b));
      return tf.add(tf.mul(ctx.g, relu), tf.mul(1 - ctx.g, x)) as tf.Tensor2D;
    },
  };
}
