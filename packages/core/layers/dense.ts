/**
 * The fully connected layer: `y = relu(x W + b)` (the input layer) or `y = x W + b` (the output
 * layer, whose logits go to the softmax cross-entropy).
 *
 * @module
 */

import type { Initializer } from "../initializers.ts";
import type { Random } from "../random.ts";
import { affineLayer, affineOf, affineParameters } from "./_affine.ts";
import type { Layer } from "./layer.ts";

/** Options of {@linkcode denseLayer}. */
export interface DenseOptions {
  /** Layer name, e.g. `input`. */
  readonly name: string;
  /** Size of the input. */
  readonly inputSize: number;
  /** Size of the output. */
  readonly outputSize: number;
  /** `relu` or `linear` (no activation). */
  readonly activation: "relu" | "linear";
  /** Initialiser of W. */
  readonly init: Initializer;
  /** Constant initial value of every bias. */
  readonly biasInit: number;
  /** Source of the initial weights. */
  readonly random: Random;
}

/**
 * A dense layer with ReLU or no activation.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import * as tf from "@tensorflow/tfjs";
 * import { useBackend, denseLayer, layerContext, Random } from "@gradnets/core";
 * await useBackend("wasm");
 * const layer = denseLayer({
 *   name: "input", inputSize: 4, outputSize: 3, activation: "relu",
 *   init: { kind: "truncated-normal", std: 0.1 }, biasInit: 0.1, random: new Random(1),
 * });
 * tf.tidy(() => {
 *   const y = layer.forward(tf.ones([2, 4]), layerContext(0, true, new Random(2))).y;
 *   assert(y.shape.join() === "2,3");
 * });
 * ```
 */
export function denseLayer(options: DenseOptions): Layer {
  const params = affineParameters(
    options.inputSize,
    options.outputSize,
    options.init,
    options.biasInit,
    options.random,
  );
  return affineLayer(options.name, affineOf(params), options.activation);
}
