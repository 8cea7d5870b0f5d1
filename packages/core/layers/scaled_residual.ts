/**
 * Residual layers whose branch is scaled by a constant `s`, by default `1/sqrt(n)` for a model of
 * n hidden layers (Fixup's and SkipInit's observation: a branch that starts small keeps the sum
 * of n branches from growing with depth):
 * - scaled residual, a baseline: `y = x + s * relu(x W + b)`;
 * - scaled gradual residual, a GradNet from the identity to the scaled residual layer:
 *   `y = x + g * s * relu(x W + b)`, the gradual residual whose branch rises only to `s`.
 *
 * Both run on ReZero's kernel, with its scale set to `s` or `g * s` instead of learnt.
 *
 * @module
 */

import * as tf from "@tensorflow/tfjs";
import { fastLayer, type KernelBinding } from "../kernels/fast_path.ts";
import { affineBackward, reluBackward, squareAffine } from "./_affine.ts";
import { gradualLayer, identityLayer } from "./gradual.ts";
import type { Layer } from "./layer.ts";
import type { SquareLayerOptions } from "./plain.ts";

/** Options of the scaled residual layers. */
export interface ScaledResidualOptions extends SquareLayerOptions {
  /** The branch's scale; default `1/sqrt(position.count)` (1 for a layer built alone). */
  readonly scale?: number;
}

/**
 * The branch scale of a layer: the given one, else 1/sqrt(number of hidden layers).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { Random, branchScale } from "@gradnets/core";
 * const base = { name: "h", width: 2, init: { kind: "he" } as const, biasInit: 0, random: new Random(1) };
 * assert.equal(branchScale({ ...base, position: { index: 1, count: 16 } }), 0.25);
 * assert.equal(branchScale({ ...base, scale: 0.5 }), 0.5);
 * ```
 */
export function branchScale(options: ScaledResidualOptions): number {
  return options.scale ?? 1 / Math.sqrt(options.position?.count ?? 1);
}

/** ReZero's kernel with a scale that nothing learns: d loss / d scale is dropped. */
function constantScaleKernel(
  w: tf.Tensor2D,
  b: tf.Tensor1D,
  scale: (g: number) => number,
): KernelBinding {
  return {
    kind: "rezero",
    weights: (ctx) => ({ W: w, b, alpha: tf.scalar(scale(ctx.g)) }),
    gradients: ([dW, db, dScale]) => {
      dScale.dispose();
      return [dW, db];
    },
  };
}

/**
 * A residual layer with a scaled branch, `y = x + s * relu(x W + b)`: the fair residual
 * baseline of a deep network without normalisation.
 *
 * @example At depth 16 the branch is scaled by 1/4
 * ```ts
 * import assert from "node:assert/strict";
 * import * as tf from "@tensorflow/tfjs";
 * import { layerContext, Random, scaledResidualLayer, useBackend } from "@gradnets/core";
 * await useBackend("wasm");
 * const layer = scaledResidualLayer({
 *   name: "hidden1", width: 1, init: { kind: "he" }, biasInit: 8, random: new Random(1),
 *   position: { index: 1, count: 16 },
 * });
 * tf.tidy(() => layer.params[0].variable.assign(tf.zeros([1, 1])));
 * tf.tidy(() => {
 *   const y = layer.forward(tf.tensor2d([[1]]), layerContext(1, true, new Random(2))).y;
 *   assert.deepEqual(y.arraySync(), [[3]]); // 1 + relu(8) / 4
 * });
 * ```
 */
export function scaledResidualLayer(options: ScaledResidualOptions): Layer {
  const { params, w, b } = squareAffine(options);
  const s = branchScale(options);
  return fastLayer({
    name: options.name,
    params,
    kernel: constantScaleKernel(w, b, () => s),
    ops(x) {
      const r = tf.fused.matMul({ a: x, b: w, bias: b, activation: "relu" }) as tf.Tensor2D;
      const scale = tf.scalar(s);
      return {
        y: tf.add(x, tf.mul(scale, r)) as tf.Tensor2D,
        backward(dy, needInputGradient) {
          const du = reluBackward(r, tf.mul(dy, scale));
          const { dx, dW, db } = affineBackward(x, w, du, needInputGradient);
          return { dx: dx && tf.add(dx, dy) as tf.Tensor2D, grads: [dW, db] };
        },
      };
    },
    reference(x) {
      return tf.add(x, tf.mul(s, tf.relu(tf.add(tf.matMul(x, w), b)))) as tf.Tensor2D;
    },
  });
}

/**
 * A scaled gradual residual layer, `y = x + g * s * relu(x W + b)`: the GradNet from the
 * identity to {@linkcode scaledResidualLayer}.
 *
 * @example The identity at g = 0
 * ```ts
 * import assert from "node:assert/strict";
 * import * as tf from "@tensorflow/tfjs";
 * import { layerContext, Random, scaledGradualResidualLayer, useBackend } from "@gradnets/core";
 * await useBackend("wasm");
 * const layer = scaledGradualResidualLayer({
 *   name: "hidden1", width: 2, init: { kind: "he" }, biasInit: 1, random: new Random(1), scale: 0.5,
 * });
 * tf.tidy(() => {
 *   const y = layer.forward(tf.tensor2d([[1, -2]]), layerContext(0, true, new Random(2))).y;
 *   assert.deepEqual(y.arraySync(), [[1, -2]]);
 * });
 * ```
 */
export function scaledGradualResidualLayer(options: ScaledResidualOptions): Layer {
  const late = scaledResidualLayer(options);
  const s = branchScale(options);
  const [w, b] = late.params.map((p) => p.variable) as [
    tf.Variable<tf.Rank.R2>,
    tf.Variable<tf.Rank.R1>,
  ];
  return gradualLayer({
    name: options.name,
    early: identityLayer(options.name),
    late,
    kernel: constantScaleKernel(w, b, (g) => g * s),
  });
}
