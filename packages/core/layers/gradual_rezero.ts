/**
 * The gradual ReZero layer, a GradNet that becomes ReZero: `y = x + g * a * relu(x W + b)`, with
 * the scalar `a` learnt from `scaleInit` (default 1). While g rises, the schedule sets the
 * branch's weight, as in the gradual residual; once g = 1 the layer is a ReZero layer whose
 * scale goes on being learnt. It runs on ReZero's kernel with its scale `g * a`.
 *
 * @module
 */

import * as tf from "@tensorflow/tfjs";
import { affineOf } from "./_affine.ts";
import { gradualLayer, identityLayer } from "./gradual.ts";
import type { Layer } from "./layer.ts";
import type { SquareLayerOptions } from "./plain.ts";
import { rezeroLayer } from "./residual.ts";

/**
 * A gradual ReZero layer, `y = x + g * a * relu(x W + b)`, `a` learnt from `scaleInit`.
 *
 * @example The identity at g = 0, whatever a
 * ```ts
 * import assert from "node:assert/strict";
 * import * as tf from "@tensorflow/tfjs";
 * import { gradualRezeroLayer, layerContext, Random, useBackend } from "@gradnets/core";
 * await useBackend("wasm");
 * const layer = gradualRezeroLayer({ name: "hidden1", width: 2, init: { kind: "he" }, biasInit: 1, random: new Random(1) });
 * assert.deepEqual(layer.params.map((p) => p.name), ["W", "b", "alpha"]);
 * tf.tidy(() => {
 *   const y = layer.forward(tf.tensor2d([[1, -2]]), layerContext(0, true, new Random(2))).y;
 *   assert.deepEqual(y.arraySync(), [[1, -2]]);
 * });
 * ```
 */
export function gradualRezeroLayer(
  options: SquareLayerOptions & { readonly scaleInit?: number },
): Layer {
  const late = rezeroLayer({ ...options, scaleInit: options.scaleInit ?? 1 });
  const { w, b } = affineOf([late.params[0], late.params[1]]);
  const alpha = late.params[2].variable as tf.Variable<tf.Rank.R0>;
  return gradualLayer({
    name: options.name,
    early: identityLayer(options.name),
    late,
    kernel: {
      kind: "rezero",
      weights: (ctx) => ({ W: w, b, alpha: tf.mul(ctx.gTensor, alpha) as tf.Scalar }),
      // The kernel's scale is g * a: d loss / d a = g * d loss / d (g a).
      gradients: ([dW, db, dScale], ctx) => [dW, db, tf.mul(dScale, ctx.gTensor)],
    },
  });
}
