/**
 * Accuracy of a model on a split, computed in chunks through the forward pass only: no gradient
 * tape is involved, and evaluation never changes the model.
 *
 * @module
 */

import * as tf from "@tensorflow/tfjs";
import type { Split } from "@gradnets/data";
import { type LayerContext, layerContext } from "./layers/layer.ts";
import { countCorrect } from "./losses.ts";
import type { Model } from "./model.ts";
import { Random } from "./random.ts";

/**
 * The fraction of `split` that the model classifies correctly at interpolation weight `g`,
 * in evaluation mode (no dropout), `chunkSize` images at a time.
 *
 * @example
 * ```ts ignore
 * const accuracy = evaluateAccuracy(model, mnist.validation, 1);
 * ```
 */
export function evaluateAccuracy(model: Model, split: Split, g: number, chunkSize = 1000): number {
  if (split.count === 0) return NaN;
  let correct = 0;
  // Evaluation is deterministic: the random source is never drawn from when training is false.
  const random = new Random(0);
  for (let start = 0; start < split.count; start += chunkSize) {
    const end = Math.min(start + chunkSize, split.count);
    const logits = tf.tidy(() => {
      const ctx: LayerContext = layerContext(g, false, random);
      const x = tf.tensor2d(
        split.images.subarray(start * split.features, end * split.features),
        [end - start, split.features],
      );
      return model.forward(x, ctx).logits.dataSync() as Float32Array;
    });
    const classes = logits.length / (end - start);
    correct += countCorrect(logits, split.labels.subarray(start, end), classes);
  }
  return correct / split.count;
}
