/**
 * The plain baseline: a ReLU layer of the same width in and out, `y = relu(x W + b)`. Deep
 * stacks of these are what GradNets, highway and residual networks make trainable.
 *
 * @module
 */

import type { Initializer } from "../initializers.ts";
import type { Random } from "../random.ts";
import { denseLayer } from "./dense.ts";
import type { Layer } from "./layer.ts";

/** Options of the square layers (input width = output width) of this package. */
export interface SquareLayerOptions {
  /** Layer name, e.g. `hidden3`. */
  readonly name: string;
  /** Width of input and output. */
  readonly width: number;
  /** Initialiser of the weight matrices. */
  readonly init: Initializer;
  /** Constant initial bias. */
  readonly biasInit: number;
  /** Source of the initial weights. */
  readonly random: Random;
  /**
   * Where the layer sits among the model's hidden layers: `index` from 1 (next to the input
   * layer) to `count`. Layers whose form depends on depth or position read it (progressive
   * deepening, branches scaled by 1/sqrt(count)); absent for a layer built alone.
   */
  readonly position?: { readonly index: number; readonly count: number };
}

/**
 * A plain ReLU layer, `y = relu(x W + b)`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import * as tf from "@tensorflow/tfjs";
 * import { layerContext, plainLayer, Random, useBackend } from "@gradnets/core";
 * await useBackend("wasm");
 * const layer = plainLayer({ name: "hidden1", width: 3, init: { kind: "he" }, biasInit: -100, random: new Random(1) });
 * tf.tidy(() => {
 *   const y = layer.forward(tf.ones([1, 3]), layerContext(0.5, true, new Random(2))).y;
 *   assert(y.arraySync()[0].join() === "0,0,0");
 * });
 * ```
 */
export function plainLayer(options: SquareLayerOptions): Layer {
  return denseLayer({
    ...options,
    inputSize: options.width,
    outputSize: options.width,
    activation: "relu",
  });
}
