/**
 * The highway layer (Srivastava, Greff and Schmidhuber, 2015):
 *
 *     H = relu(x W + b),  T = sigmoid(x W_T + b_T),  y = H * T + x * (1 - T)
 *
 * The transform gate T starts mostly closed when its bias b_T is negative (the 2015 comparison
 * used -2), so a deep highway network starts close to the identity and learns where to transform.
 *
 * @module
 */

import * as tf from "@tensorflow/tfjs";
import { fastLayer } from "../kernels/fast_path.ts";
import { affineBackward, affineParameters, reluBackward } from "./_affine.ts";
import type { Layer } from "./layer.ts";
import type { SquareLayerOptions } from "./plain.ts";

/** Options of {@linkcode highwayLayer}. */
export interface HighwayOptions extends SquareLayerOptions {
  /** Initial bias of the transform gate, b_T. */
  readonly carryBias: number;
}

/**
 * A highway layer, `y = relu(xW + b) * T + x * (1 - T)` with `T = sigmoid(x W_T + b_T)`.
 *
 * @example A very negative carry bias passes the input through
 * ```ts
 * import assert from "node:assert/strict";
 * import * as tf from "@tensorflow/tfjs";
 * import { highwayLayer, layerContext, Random, useBackend } from "@gradnets/core";
 * await useBackend("wasm");
 * const layer = highwayLayer({
 *   name: "hidden1", width: 2, init: { kind: "he" }, biasInit: 0.1, carryBias: -1000,
 *   random: new Random(1),
 * });
 * tf.tidy(() => {
 *   const y = layer.forward(tf.tensor2d([[3, -4]]), layerContext(1, true, new Random(2))).y;
 *   assert(y.arraySync()[0].join() === "3,-4");
 * });
 * ```
 */
export function highwayLayer(options: HighwayOptions): Layer {
  const { width, init, random } = options;
  const transform = affineParameters(width, width, init, options.biasInit, random);
  const gate = affineParameters(width, width, init, options.carryBias, random, "_T");
  const w = transform[0].variable as tf.Variable<tf.Rank.R2>;
  const b = transform[1].variable as tf.Variable<tf.Rank.R1>;
  const wT = gate[0].variable as tf.Variable<tf.Rank.R2>;
  const bT = gate[1].variable as tf.Variable<tf.Rank.R1>;
  return fastLayer({
    name: options.name,
    params: [...transform, ...gate],
    kernel: { kind: "highway", weights: () => ({ W: w, b, W2: wT, b2: bT }) },
    ops(x) {
      const h = tf.fused.matMul({ a: x, b: w, bias: b, activation: "relu" }) as tf.Tensor2D;
      const t = tf.fused.matMul({ a: x, b: wT, bias: bT, activation: "sigmoid" }) as tf.Tensor2D;
      const hMinusX = tf.sub(h, x);
      const y = tf.add(x, tf.mul(t, hMinusX)) as tf.Tensor2D;
      return {
        y,
        backward(dy, needInputGradient) {
          const duH = reluBackward(h, tf.mul(dy, t));
          // sigmoid'(u) = T (1 - T)
          const duT = tf.mul(tf.mul(dy, hMinusX), tf.mul(t, tf.sub(1, t))) as tf.Tensor2D;
          const viaH = affineBackward(x, w, duH, needInputGradient);
          const viaT = affineBackward(x, wT, duT, needInputGradient);
          const dx = needInputGradient
            ? tf.addN([tf.mul(dy, tf.sub(1, t)), viaH.dx!, viaT.dx!]) as tf.Tensor2D
            : null;
          return { dx, grads: [viaH.dW, viaH.db, viaT.dW, viaT.db] };
        },
      };
    },
    reference(x) {
      const h = tf.relu(tf.add(tf.matMul(x, w), b));
      const t = tf.sigmoid(tf.add(tf.matMul(x, wT), bT));
      return tf.add(tf.mul(h, t), tf.mul(x, tf.sub(1, t))) as tf.Tensor2D;
    },
  });
}
