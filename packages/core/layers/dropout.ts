/**
 * Dropout, optionally gradual: the rate is `p` (constant) or `p * g` (the GradNets variant, from
 * deterministic to stochastic). Inverted dropout: kept units are scaled by 1 / (1 - rate) in
 * training, so evaluation, which never drops, needs no rescaling.
 *
 * Masks are drawn from the run's seeded {@linkcode Random}, so runs are reproducible.
 *
 * @module
 */

import * as tf from "@tensorflow/tfjs";
import type { Layer } from "./layer.ts";

/** Options of {@linkcode dropoutLayer}. */
export interface DropoutOptions {
  /** Layer name, e.g. `dropout3`. */
  readonly name: string;
  /** The rate p: the fraction of units dropped (at g = 1 when gradual). In [0, 1). */
  readonly rate: number;
  /** Rate p * g when true, p when false. */
  readonly gradual: boolean;
}

/**
 * The dropout rate of a step.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { dropoutRate } from "@gradnets/core";
 * assert(dropoutRate({ name: "d", rate: 0.5, gradual: true }, 0.2) === 0.1);
 * ```
 */
export function dropoutRate(options: DropoutOptions, g: number): number {
  return options.gradual ? options.rate * g : options.rate;
}

/**
 * A dropout layer; identity at evaluation and when the rate is 0.
 *
 * @example Gradual dropout drops nothing at g = 0
 * ```ts
 * import assert from "node:assert/strict";
 * import * as tf from "@tensorflow/tfjs";
 * import { dropoutLayer, layerContext, Random, useBackend } from "@gradnets/core";
 * await useBackend("wasm");
 * const layer = dropoutLayer({ name: "dropout1", rate: 0.5, gradual: true });
 * tf.tidy(() => {
 *   const y = layer.forward(tf.ones([2, 3]), layerContext(0, true, new Random(1))).y;
 *   assert(y.sum().dataSync()[0] === 6);
 * });
 * ```
 */
export function dropoutLayer(options: DropoutOptions): Layer {
  const identity = (x: tf.Tensor2D) => ({
    y: x,
    backward: (dy: tf.Tensor2D) => ({ dx: dy, grads: [] }),
  });
  return {
    name: options.name,
    params: [],
    forward(x, ctx) {
      const rate = dropoutRate(options, ctx.g);
      if (!ctx.training || rate === 0) return identity(x);
      const keep = 1 / (1 - rate);
      const values = new Float32Array(x.size);
      for (let i = 0; i < values.length; i++) values[i] = ctx.random.uniform() < rate ? 0 : keep;
      const mask = tf.tensor2d(values, x.shape);
      return {
        y: tf.mul(x, mask) as tf.Tensor2D,
        backward: (dy) => ({ dx: tf.mul(dy, mask) as tf.Tensor2D, grads: [] }),
      };
    },
    reference(x, ctx) {
      // Deterministic reference: the expectation of the mask is 1.
      void ctx;
      return x;
    },
  };
}
