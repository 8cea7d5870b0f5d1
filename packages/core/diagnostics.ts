/**
 * Diagnostics of a model at initialisation: how much of the input's signal reaches each layer.
 *
 * @module
 */

import * as tf from "@tensorflow/tfjs";
import { layerContext } from "./layers/layer.ts";
import type { Model } from "./model.ts";
import { Random } from "./random.ts";

/**
 * The signal at the output of every layer with weights (input layer first, the logits last):
 * the standard deviation across the examples of `x` of each unit, averaged over the units.
 * A constant output (a network that has forgotten its input) has signal 0, whatever its scale.
 * Evaluation mode: no dropout, batch norm on running statistics.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import * as tf from "@tensorflow/tfjs";
 * import { createModel, layerSignals, NOTEBOOK_CONFIG, Random, useBackend } from "@gradnets/core";
 * await useBackend("wasm");
 * const model = createModel({ ...NOTEBOOK_CONFIG, depth: 4 }, { inputSize: 3, classes: 2 }, new Random(1));
 * const x = tf.tensor2d([[1, 0, 0], [0, 1, 0], [0, 0, 1]]);
 * assert.equal(layerSignals(model, x, 0).length, 4);
 * x.dispose();
 * model.dispose();
 * ```
 */
export function layerSignals(model: Model, x: tf.Tensor2D, g: number): number[] {
  return tf.tidy(() => {
    const ctx = layerContext(g, false, new Random(0));
    const signals: tf.Scalar[] = [];
    let h = x;
    for (const layer of model.layers) {
      h = layer.forward(h, ctx).y;
      if (layer.params.some((p) => p.role === "weight")) {
        signals.push(tf.mean(tf.sqrt(tf.moments(h, 0).variance)) as tf.Scalar);
      }
    }
    return Array.from(tf.stack(signals).dataSync());
  });
}
