/**
 * The fully connected layer: `y = relu(x W + b)` (the input layer) or `y = x W + b` (the output
 * layer, whose logits go to the softmax cross-entropy).
 *
 * @module
 */

import * as tf from "@tensorflow/tfjs";
import { type Initializer, initialWeights } from "../initializers.ts";
import { kernelForward } from "../kernels/layer_kernels.ts";
import type { Random } from "../random.ts";
import { affineBackward, type Layer, type Parameter, reluBackward } from "./layer.ts";

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
 * A weight matrix and a bias vector as tfjs variables, initialised from `random`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { useBackend, affineParameters, Random } from "@gradnets/core";
 * await useBackend("wasm");
 * const [w, b] = affineParameters(3, 2, { kind: "he" }, 0.1, new Random(1));
 * assert(w.variable.shape.join() === "3,2" && b.variable.dataSync()[0] === Math.fround(0.1));
 * w.variable.dispose(); b.variable.dispose();
 * ```
 */
export function affineParameters(
  inputSize: number,
  outputSize: number,
  init: Initializer,
  biasInit: number,
  random: Random,
  suffix = "",
): [Parameter, Parameter] {
  const weights = initialWeights(init, inputSize, outputSize, random);
  // tf.variable shares its initial tensor's data; tidy frees the initial tensors themselves.
  const [w, b] = tf.tidy(() => [
    tf.variable(tf.tensor2d(weights, [inputSize, outputSize])),
    tf.variable(tf.fill([outputSize], biasInit)),
  ]);
  return [
    { name: `W${suffix}`, role: "weight", variable: w },
    { name: `b${suffix}`, role: "bias", variable: b },
  ];
}

/**
 * The weight matrix and bias of a square layer (input width = output width), as parameters and
 * as typed variables: what every hidden layer with one affine map starts from.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { Random, squareAffine, useBackend } from "@gradnets/core";
 * await useBackend("wasm");
 * const { params, w, b } = squareAffine({ width: 3, init: { kind: "he" }, biasInit: 0, random: new Random(1) });
 * assert.deepEqual([params.length, w.shape.join(), b.shape.join()], [2, "3,3", "3"]);
 * w.dispose();
 * b.dispose();
 * ```
 */
export function squareAffine(
  options: { width: number; init: Initializer; biasInit: number; random: Random },
): { params: [Parameter, Parameter]; w: tf.Variable<tf.Rank.R2>; b: tf.Variable<tf.Rank.R1> } {
  const params = affineParameters(
    options.width,
    options.width,
    options.init,
    options.biasInit,
    options.random,
  );
  return {
    params,
    w: params[0].variable as tf.Variable<tf.Rank.R2>,
    b: params[1].variable as tf.Variable<tf.Rank.R1>,
  };
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
  const w = params[0].variable as tf.Variable<tf.Rank.R2>;
  const b = params[1].variable as tf.Variable<tf.Rank.R1>;
  const relu = options.activation === "relu";
  return {
    name: options.name,
    params,
    forward(x, ctx) {
      const fast = kernelForward(relu ? "relu" : "linear", x, { W: w, b }, ctx);
      if (fast) return fast;
      const y = tf.fused.matMul({
        a: x,
        b: w,
        bias: b,
        activation: relu ? "relu" : "linear",
      }) as tf.Tensor2D;
      return {
        y,
        backward(dy, needInputGradient) {
          const du = relu ? reluBackward(y, dy) : dy;
          const { dx, dW, db } = affineBackward(x, w, du, needInputGradient);
          return { dx, grads: [dW, db] };
        },
      };
    },
    reference(x) {
      const u = tf.add(tf.matMul(x, w), b) as tf.Tensor2D;
      return relu ? tf.relu(u) : u;
    },
  };
}
