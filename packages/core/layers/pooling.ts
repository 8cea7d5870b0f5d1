/**
 * Downsampling of the image before the dense input layer, over its non-overlapping
 * `window x window` patches (196 patches of 4 pixels for a 28 x 28 image and window 2): one
 * number per patch. Three forms, which read the GradNets abstract's "simple downsampling to
 * fully differentiable attention mechanisms" as follows:
 *
 * - the simple downsampling is average pooling, `y_p = mean_k x_pk`, fixed weights `1 / w^2`;
 * - the fully differentiable attention is soft attention over the same patch, `y_p = sum_k a_pk
 *   x_pk` with `a_p = softmax(x_p V + c)`: the weights depend on the patch's content through
 *   learnt scores (a `w^2 x w^2` matrix `V` and a bias `c` shared by every patch, like a strided
 *   convolution), and are differentiable everywhere (unlike max pooling or hard attention). It
 *   can learn average pooling (`V = 0`), something close to max pooling (a large diagonal) or
 *   anything between;
 * - the GradNet from the one to the other, `y = g attention(x) + (1 - g) average(x)`.
 *
 * `V` starts from the run's initialiser (fan-in `w^2`), so that attention alone starts as a
 * content-dependent pooling of its own rather than as average pooling (with `V = 0` both ends
 * would start equal and the GradNet would have nothing to interpolate); `c` starts at 0 (a
 * common shift of every score would not change the softmax). Both have the role `scale`: the
 * stage is not one of the depth's layers, so they stay out of weight decay and of the per-layer
 * weight-gradient norms, like batch normalisation's gain.
 *
 * All three run on tfjs ops (the softmax's exp inside tfjs's wasm), not on the project's
 * kernels.
 *
 * @module
 */

import * as tf from "@tensorflow/tfjs";
import { type Initializer, initialWeights } from "../initializers.ts";
import type { Random } from "../random.ts";
import { gradualLayer } from "./gradual.ts";
import type { Layer } from "./layer.ts";

/** Options of every pooling layer. */
export interface PoolingOptions {
  /** Layer name, e.g. `pool`. */
  readonly name: string;
  /** Side of the square image: the input has `side * side` features, row by row. */
  readonly side: number;
  /** Side of a patch; it divides `side`. */
  readonly window: number;
}

/** Options of {@linkcode attentionPoolLayer} and {@linkcode gradualPoolLayer}. */
export interface AttentionPoolOptions extends PoolingOptions {
  /** Initialiser of the score matrix V. */
  readonly init: Initializer;
  /** Source of the initial scores. */
  readonly random: Random;
}

/**
 * 2x2 (or `window x window`) average pooling: `y_p = mean_k x_pk`, no parameters.
 *
 * @example A 4 x 4 image becomes 2 x 2
 * ```ts
 * import assert from "node:assert/strict";
 * import * as tf from "@tensorflow/tfjs";
 * import { averagePoolLayer, layerContext, Random, useBackend } from "@gradnets/core";
 * await useBackend("wasm");
 * const layer = averagePoolLayer({ name: "pool", side: 4, window: 2 });
 * const image = [[1, 2, 0, 0, 3, 4, 0, 0, 0, 0, 8, 8, 0, 0, 8, 0]];
 * tf.tidy(() => {
 *   const y = layer.forward(tf.tensor2d(image), layerContext(0, true, new Random(1))).y;
 *   assert.deepEqual(y.arraySync(), [[2.5, 0, 0, 6]]);
 * });
 * ```
 */
export function averagePoolLayer(options: PoolingOptions): Layer {
  const { side, window } = checked(options);
  const k = window * window;
  return {
    name: options.name,
    params: [],
    forward(x) {
      const y = tf.mul(tf.sum(patches(x, side, window), 2), 1 / k) as tf.Tensor2D;
      return {
        y,
        backward(dy, needInputGradient) {
          if (!needInputGradient) return { dx: null, grads: [] };
          const each = tf.tile(tf.expandDims(tf.mul(dy, 1 / k), 2), [1, 1, k]) as tf.Tensor3D;
          return { dx: image(each, side, window), grads: [] };
        },
      };
    },
    reference(x) {
      // tfjs's own average pooling of the image: an independent statement of the formula.
      const batch = x.shape[0];
      const pooled = tf.avgPool(
        tf.reshape<tf.Rank.R4>(x, [batch, side, side, 1]),
        window,
        window,
        "valid",
      );
      return tf.reshape(pooled, [batch, -1]) as tf.Tensor2D;
    },
  };
}

/**
 * Attention pooling: `y_p = sum_k a_pk x_pk` with `a_p = softmax(x_p V + c)` over the patch's
 * `window^2` pixels; V (`window^2 x window^2`) and c are learnt and shared by every patch.
 *
 * @example With V = 0 and c = 0 the weights are uniform: average pooling
 * ```ts
 * import assert from "node:assert/strict";
 * import * as tf from "@tensorflow/tfjs";
 * import { attentionPoolLayer, layerContext, Random, useBackend } from "@gradnets/core";
 * await useBackend("wasm");
 * const layer = attentionPoolLayer({
 *   name: "pool", side: 4, window: 2, init: { kind: "he" }, random: new Random(1),
 * });
 * assert.deepEqual(layer.params.map((p) => p.name), ["V", "c"]);
 * tf.tidy(() => {
 *   layer.params[0].variable.assign(tf.zeros([4, 4]));
 *   const image = [[1, 2, 0, 0, 3, 4, 0, 0, 0, 0, 8, 8, 0, 0, 8, 0]];
 *   const y = layer.forward(tf.tensor2d(image), layerContext(1, true, new Random(1))).y;
 *   assert.deepEqual(y.arraySync(), [[2.5, 0, 0, 6]]);
 * });
 * layer.params.forEach((p) => p.variable.dispose());
 * ```
 */
export function attentionPoolLayer(options: AttentionPoolOptions): Layer {
  const { side, window } = checked(options);
  const k = window * window;
  const scores = initialWeights(options.init, k, k, options.random);
  const [v, c] = tf.tidy(() => [
    tf.variable(tf.tensor2d(scores, [k, k])),
    tf.variable(tf.zeros([k])),
  ]) as [tf.Variable<tf.Rank.R2>, tf.Variable<tf.Rank.R1>];
  // Rows of the patches ([batch * patches, k]), their attention weights and the pooled values.
  const attend = (x: tf.Tensor2D) => {
    const rows = tf.reshape(patches(x, side, window), [-1, k]) as tf.Tensor2D;
    const a = tf.softmax(tf.fused.matMul({ a: rows, b: v, bias: c }));
    const pooled = tf.sum(tf.mul(a, rows), 1, true) as tf.Tensor2D;
    return { rows, a, pooled };
  };
  return {
    name: options.name,
    params: [
      { name: "V", role: "scale", variable: v },
      { name: "c", role: "scale", variable: c },
    ],
    forward(x) {
      const { rows, a, pooled } = attend(x);
      const batch = x.shape[0];
      return {
        y: tf.reshape(pooled, [batch, -1]) as tf.Tensor2D,
        backward(dy, needInputGradient) {
          // d loss / d x_pk through the weights, dy_p a_pk; d loss / d scores, a * dy * (x - y):
          // the softmax's Jacobian applied to dy * x.
          const direct = tf.mul(a, tf.reshape(dy, [-1, 1])) as tf.Tensor2D;
          const dScores = tf.mul(direct, tf.sub(rows, pooled)) as tf.Tensor2D;
          const grads = [tf.matMul(rows, dScores, true, false), tf.sum(dScores, 0)];
          if (!needInputGradient) return { dx: null, grads };
          const dRows = tf.add(direct, tf.matMul(dScores, v, false, true));
          const dx = image(tf.reshape(dRows, [batch, -1, k]) as tf.Tensor3D, side, window);
          return { dx, grads };
        },
      };
    },
    reference(x) {
      const batch = x.shape[0];
      const p = patches(x, side, window);
      const a = tf.softmax(tf.add(tf.matMul(tf.reshape(p, [-1, k]), v), c));
      return tf.reshape(tf.sum(tf.mul(tf.reshape(a, p.shape), p), 2), [batch, -1]) as tf.Tensor2D;
    },
  };
}

/**
 * The GradNet from average pooling to attention pooling over the same patches,
 * `y = g attention(x) + (1 - g) average(x)`: {@linkcode gradualLayer} of the two.
 *
 * @example At g = 0, average pooling
 * ```ts
 * import assert from "node:assert/strict";
 * import * as tf from "@tensorflow/tfjs";
 * import { gradualPoolLayer, layerContext, Random, useBackend } from "@gradnets/core";
 * await useBackend("wasm");
 * const layer = gradualPoolLayer({
 *   name: "pool", side: 4, window: 2, init: { kind: "he" }, random: new Random(1),
 * });
 * tf.tidy(() => {
 *   const image = [[1, 2, 0, 0, 3, 4, 0, 0, 0, 0, 8, 8, 0, 0, 8, 0]];
 *   const y = layer.forward(tf.tensor2d(image), layerContext(0, true, new Random(1))).y;
 *   assert.deepEqual(y.arraySync(), [[2.5, 0, 0, 6]]);
 * });
 * layer.params.forEach((p) => p.variable.dispose());
 * ```
 */
export function gradualPoolLayer(options: AttentionPoolOptions): Layer {
  return gradualLayer({
    name: options.name,
    early: averagePoolLayer({ ...options, name: `${options.name}.average` }),
    late: attentionPoolLayer({ ...options, name: `${options.name}.attention` }),
  });
}

function checked(options: PoolingOptions): PoolingOptions {
  const { side, window } = options;
  if (!Number.isInteger(window) || window < 1 || !Number.isInteger(side) || side % window !== 0) {
    throw new RangeError(`pooling window ${window} must be an integer dividing the side ${side}`);
  }
  return options;
}

/** `[batch, side * side]` images as `[batch, patches, window^2]`, patches row by row. */
function patches(x: tf.Tensor2D, side: number, window: number): tf.Tensor3D {
  const n = side / window, batch = x.shape[0];
  const blocks = tf.reshape(x, [batch, n, window, n, window]);
  return tf.reshape(tf.transpose(blocks, [0, 1, 3, 2, 4]), [batch, n * n, window * window]);
}

/** The inverse of {@linkcode patches}: `[batch, patches, window^2]` back to images. */
function image(p: tf.Tensor3D, side: number, window: number): tf.Tensor2D {
  const n = side / window, batch = p.shape[0];
  const blocks = tf.reshape(p, [batch, n, n, window, window]);
  return tf.reshape(tf.transpose(blocks, [0, 1, 3, 2, 4]), [batch, side * side]);
}
