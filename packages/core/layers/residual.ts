/**
 * Residual layers without normalisation:
 * - residual: `y = x + relu(x W + b)`;
 * - ReZero (Bachlechner et al. 2020): `y = x + a * relu(x W + b)` with a learnt scalar `a`
 *   that starts at 0, so that the network starts as the identity;
 * - gradual residual, a GradNet from the identity (a shallow network) to the residual layer (a
 *   deep one): `y = x + g * relu(x W + b)`, ReZero's scale set by the schedule instead of learnt
 *   (an instance of `gradual.ts`, on ReZero's kernel).
 *
 * @module
 */

import * as tf from "@tensorflow/tfjs";
import { fastLayer } from "../kernels/fast_path.ts";
import { affineBackward, affineOf, reluBackward, squareAffine } from "./_affine.ts";
import { gradualLayer, identityLayer } from "./gradual.ts";
import type { Layer } from "./layer.ts";
import type { SquareLayerOptions } from "./plain.ts";

/**
 * A residual layer, `y = x + relu(x W + b)`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import * as tf from "@tensorflow/tfjs";
 * import { layerContext, Random, residualLayer, useBackend } from "@gradnets/core";
 * await useBackend("wasm");
 * const layer = residualLayer({ name: "hidden1", width: 2, init: { kind: "he" }, biasInit: -100, random: new Random(1) });
 * tf.tidy(() => {
 *   const y = layer.forward(tf.tensor2d([[1, 2]]), layerContext(1, true, new Random(2))).y;
 *   assert(y.arraySync()[0].join() === "1,2"); // the ReLU branch is off
 * });
 * ```
 */
export function residualLayer(options: SquareLayerOptions): Layer {
  const { params, w, b } = squareAffine(options);
  return fastLayer({
    name: options.name,
    params,
    kernel: { kind: "residual", weights: () => ({ W: w, b }) },
    ops(x) {
      const r = tf.fused.matMul({ a: x, b: w, bias: b, activation: "relu" }) as tf.Tensor2D;
      return {
        y: tf.add(x, r) as tf.Tensor2D,
        backward(dy, needInputGradient) {
          const { dx, dW, db } = affineBackward(x, w, reluBackward(r, dy), needInputGradient);
          return { dx: dx && tf.add(dx, dy) as tf.Tensor2D, grads: [dW, db] };
        },
      };
    },
    reference(x) {
      return tf.add(x, tf.relu(tf.add(tf.matMul(x, w), b))) as tf.Tensor2D;
    },
  });
}

/**
 * A ReZero layer, `y = x + a * relu(x W + b)`, with the scalar `a` learnt from 0 (or from
 * `scaleInit`).
 *
 * @example At the start the layer is the identity
 * ```ts
 * import assert from "node:assert/strict";
 * import * as tf from "@tensorflow/tfjs";
 * import { layerContext, Random, rezeroLayer, useBackend } from "@gradnets/core";
 * await useBackend("wasm");
 * const layer = rezeroLayer({ name: "hidden1", width: 2, init: { kind: "he" }, biasInit: 0.1, random: new Random(1) });
 * tf.tidy(() => {
 *   const y = layer.forward(tf.tensor2d([[1, -2]]), layerContext(1, true, new Random(2))).y;
 *   assert(y.arraySync()[0].join() === "1,-2");
 * });
 * ```
 */
export function rezeroLayer(options: SquareLayerOptions & { readonly scaleInit?: number }): Layer {
  const { params, w, b } = squareAffine(options);
  const alpha = tf.tidy(() => tf.variable(tf.scalar(options.scaleInit ?? 0)));
  return fastLayer({
    name: options.name,
    params: [...params, { name: "alpha", role: "scale", variable: alpha }],
    kernel: { kind: "rezero", weights: () => ({ W: w, b, alpha }) },
    ops(x) {
      const r = tf.fused.matMul({ a: x, b: w, bias: b, activation: "relu" }) as tf.Tensor2D;
      return {
        y: tf.add(x, tf.mul(alpha, r)) as tf.Tensor2D,
        backward(dy, needInputGradient) {
          const dAlpha = tf.sum(tf.mul(dy, r));
          const du = reluBackward(r, tf.mul(dy, alpha));
          const { dx, dW, db } = affineBackward(x, w, du, needInputGradient);
          return { dx: dx && tf.add(dx, dy) as tf.Tensor2D, grads: [dW, db, dAlpha] };
        },
      };
    },
    reference(x) {
      return tf.add(x, tf.mul(alpha, tf.relu(tf.add(tf.matMul(x, w), b)))) as tf.Tensor2D;
    },
  });
}

/**
 * A gradual residual layer, `y = x + g * relu(x W + b)`: a GradNet whose early architecture is
 * the identity and whose late one is the residual layer. It is ReZero with its scale `a`
 * scheduled (g) instead of learnt, so it runs on ReZero's kernel and drops the scale's gradient.
 * On tfjs ops it is the mix `g * (x + relu(x W + b)) + (1 - g) * x` of `gradual.ts`.
 *
 * @example The identity at g = 0, the residual layer at g = 1
 * ```ts
 * import assert from "node:assert/strict";
 * import * as tf from "@tensorflow/tfjs";
 * import { gradualResidualLayer, layerContext, Random, useBackend } from "@gradnets/core";
 * await useBackend("wasm");
 * const layer = gradualResidualLayer({ name: "hidden1", width: 2, init: { kind: "he" }, biasInit: 10, random: new Random(1) });
 * tf.tidy(() => {
 *   const x = tf.tensor2d([[1, -2]]);
 *   assert.equal(layer.forward(x, layerContext(0, true, new Random(2))).y.arraySync()[0].join(), "1,-2");
 *   const y = layer.forward(x, layerContext(1, true, new Random(2))).y.arraySync()[0];
 *   assert(y[0] > 1 && y[1] > -2); // the ReLU branch (bias 10) is added
 * });
 * ```
 */
export function gradualResidualLayer(options: SquareLayerOptions): Layer {
  const late = residualLayer(options);
  const { w, b } = affineOf([late.params[0], late.params[1]]);
  return gradualLayer({
    name: options.name,
    early: identityLayer(options.name),
    late,
    // ReZero's kernel with its scale a = g, which nothing learns.
    kernel: {
      kind: "rezero",
      weights: (ctx) => ({ W: w, b, alpha: ctx.gTensor }),
      gradients: ([dW, db, dScale]) => {
        dScale.dispose();
        return [dW, db];
      },
    },
  });
}
