/**
 * Batch normalisation, optionally gradual (the GradNets variant, from normalised to not):
 *
 *     y = (1 - g) * BN(x) + g * x,     BN(x) = gamma * (x - mean) / sqrt(var + eps) + beta
 *
 * In training, mean and var are the batch's, and running averages are kept for evaluation.
 * Once g = 1 the layer is the identity in training and in evaluation alike, so a trained GradNet
 * needs no batch statistics at test time (the paper's "fix for batch normalisation").
 * With `gradual: false` it is ordinary batch normalisation (g is ignored); gradual batch norm is
 * the instance of `gradual.ts` from batch norm to the identity.
 *
 * @module
 */

import * as tf from "@tensorflow/tfjs";
import { gradualLayer, identityLayer } from "./gradual.ts";
import type { Layer } from "./layer.ts";

/** Options of {@linkcode batchNormLayer}. */
export interface BatchNormOptions {
  /** Layer name, e.g. `norm3`. */
  readonly name: string;
  /** Number of features. */
  readonly width: number;
  /** Interpolate to the identity with g (true), or always normalise (false). */
  readonly gradual: boolean;
  /** Weight of the old value in the running averages. Default 0.99. */
  readonly momentum?: number;
  /** Added to the variance. Default 1e-3. */
  readonly epsilon?: number;
}

/** A batch normalisation layer with its running statistics exposed (for tests and inspection). */
export interface BatchNormLayer extends Layer {
  /** Running mean of the inputs, updated in training. */
  readonly runningMean: tf.Variable;
  /** Running variance of the inputs, updated in training. */
  readonly runningVariance: tf.Variable;
}

/**
 * A (gradual) batch normalisation layer.
 *
 * @example At g = 1 the gradual layer is the identity
 * ```ts
 * import assert from "node:assert/strict";
 * import * as tf from "@tensorflow/tfjs";
 * import { batchNormLayer, layerContext, Random, useBackend } from "@gradnets/core";
 * await useBackend("wasm");
 * const layer = batchNormLayer({ name: "norm1", width: 2, gradual: true });
 * tf.tidy(() => {
 *   const y = layer.forward(tf.tensor2d([[1, 5], [3, 9]]), layerContext(1, false, new Random(1))).y;
 *   assert(y.arraySync().flat().join() === "1,5,3,9");
 * });
 * ```
 */
export function batchNormLayer(options: BatchNormOptions): BatchNormLayer {
  const bn = ordinaryBatchNorm(options);
  if (!options.gradual) return bn;
  const { runningMean, runningVariance } = bn;
  return {
    ...gradualLayer({ name: options.name, early: bn, late: identityLayer(options.name) }),
    runningMean,
    runningVariance,
  };
}

/** `BN(x)`: batch statistics in training (updating the running ones), running ones otherwise. */
function ordinaryBatchNorm(options: BatchNormOptions): BatchNormLayer {
  const momentum = options.momentum ?? 0.99;
  const epsilon = options.epsilon ?? 1e-3;
  const [gamma, beta, runningMean, runningVariance] = tf.tidy(() => [
    tf.variable(tf.ones([options.width])),
    tf.variable(tf.zeros([options.width])),
    tf.variable(tf.zeros([options.width]), false),
    tf.variable(tf.ones([options.width]), false),
  ]);
  return {
    name: options.name,
    params: [
      { name: "gamma", role: "scale", variable: gamma },
      { name: "beta", role: "bias", variable: beta },
    ],
    state: [runningMean, runningVariance],
    runningMean,
    runningVariance,
    forward(x, ctx) {
      if (!ctx.training) {
        const normalised = tf.add(
          tf.mul(tf.mul(tf.sub(x, runningMean), tf.rsqrt(tf.add(runningVariance, epsilon))), gamma),
          beta,
        );
        return { y: normalised as tf.Tensor2D, backward: () => ({ dx: null, grads: [] }) };
      }
      const mean = tf.mean(x, 0);
      const centered = tf.sub(x, mean);
      const variance = tf.mean(tf.square(centered), 0);
      const inverseStd = tf.rsqrt(tf.add(variance, epsilon));
      const xHat = tf.mul(centered, inverseStd) as tf.Tensor2D;
      const normalised = tf.add(tf.mul(xHat, gamma), beta);
      runningMean.assign(tf.add(tf.mul(runningMean, momentum), tf.mul(mean, 1 - momentum)));
      runningVariance.assign(
        tf.add(tf.mul(runningVariance, momentum), tf.mul(variance, 1 - momentum)),
      );
      return {
        y: normalised as tf.Tensor2D,
        backward(dy) {
          const dGamma = tf.sum(tf.mul(dy, xHat), 0);
          const dBeta = tf.sum(dy, 0);
          const dxHat = tf.mul(dy, gamma);
          const n = x.shape[0];
          // d BN / dx for batch statistics: (1/n) invstd (n dxHat - sum dxHat - xHat sum(dxHat xHat)).
          const dx = tf.mul(
            tf.sub(
              tf.sub(tf.mul(dxHat, n), tf.sum(dxHat, 0)),
              tf.mul(xHat, tf.sum(tf.mul(dxHat, xHat), 0)),
            ),
            tf.div(inverseStd, n),
          );
          return { dx: dx as tf.Tensor2D, grads: [dGamma, dBeta] };
        },
      };
    },
    reference(x) {
      const { mean, variance } = tf.moments(x, 0);
      return tf.add(
        tf.mul(tf.div(tf.sub(x, mean), tf.sqrt(tf.add(variance, epsilon))), gamma),
        beta,
      ) as tf.Tensor2D;
    },
  };
}
