/**
 * The affine map `u = x W + b` that most layers share: its parameters and its backward pass.
 * Private to `layers/`: the layers export their formulas, not these pieces.
 *
 * @module
 */

import * as tf from "@tensorflow/tfjs";
import { type Initializer, initialWeights } from "../initializers.ts";
import type { Random } from "../random.ts";
import { fastLayer } from "../kernels/fast_path.ts";
import type { Layer, Parameter } from "./layer.ts";

/**
 * A weight matrix and a bias vector as tfjs variables, initialised from `random`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { Random, useBackend } from "@gradnets/core";
 * import { affineParameters } from "./_affine.ts";
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

/** An affine map's parameters with its two variables typed. */
export interface Affine {
  /** W, then b. */
  readonly params: readonly [Parameter, Parameter];
  /** The weight matrix. */
  readonly w: tf.Variable<tf.Rank.R2>;
  /** The bias. */
  readonly b: tf.Variable<tf.Rank.R1>;
}

/**
 * The parameters of a square affine map (`width` in and out).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { Random, useBackend } from "@gradnets/core";
 * import { squareAffine } from "./_affine.ts";
 * await useBackend("wasm");
 * const { w, b } = squareAffine({ width: 3, init: { kind: "he" }, biasInit: 0, random: new Random(1) });
 * assert(w.shape.join() === "3,3");
 * w.dispose(); b.dispose();
 * ```
 */
export function squareAffine(
  options: { width: number; init: Initializer; biasInit: number; random: Random },
): Affine {
  return affineOf(
    affineParameters(options.width, options.width, options.init, options.biasInit, options.random),
  );
}

/** Types the variables of `[W, b]`. */
export function affineOf(params: readonly [Parameter, Parameter]): Affine {
  return {
    params,
    w: params[0].variable as tf.Variable<tf.Rank.R2>,
    b: params[1].variable as tf.Variable<tf.Rank.R1>,
  };
}

/**
 * Gradients of `y = relu(x W + b)` or `y = x W + b` given d loss / d u, u = x W + b:
 * dW = x^T du, db = sum_rows(du), dx = du W^T. The transposes are explicit because the wasm
 * backend's fast matMul takes no transpose flags.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import * as tf from "@tensorflow/tfjs";
 * import { useBackend } from "@gradnets/core";
 * import { affineBackward } from "./_affine.ts";
 * await useBackend("wasm");
 * tf.tidy(() => {
 *   const x = tf.tensor2d([[1, 2]]), w = tf.tensor2d([[1], [1]]), du = tf.tensor2d([[1]]);
 *   const { dx, dW, db } = affineBackward(x, w, du, true);
 *   assert(dx!.arraySync()[0][1] === 1 && dW.arraySync()[1][0] === 2 && db.arraySync()[0] === 1);
 * });
 * ```
 */
export function affineBackward(
  x: tf.Tensor2D,
  w: tf.Tensor2D,
  du: tf.Tensor2D,
  needInputGradient: boolean,
): { dx: tf.Tensor2D | null; dW: tf.Tensor2D; db: tf.Tensor1D } {
  const dW = tf.matMul(tf.transpose(x), du) as tf.Tensor2D;
  const db = tf.sum(du, 0) as tf.Tensor1D;
  const dx = needInputGradient ? tf.matMul(du, tf.transpose(w)) as tf.Tensor2D : null;
  return { dx, dW, db };
}

/**
 * d loss / d u for `y = relu(u)`, from y itself: relu'(u) = 1 where y > 0.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import * as tf from "@tensorflow/tfjs";
 * import { useBackend } from "@gradnets/core";
 * import { reluBackward } from "./_affine.ts";
 * await useBackend("wasm");
 * const du = reluBackward(tf.tensor2d([[0, 2]]), tf.tensor2d([[5, 5]]));
 * assert(du.arraySync()[0].join() === "0,5");
 * ```
 */
export function reluBackward(y: tf.Tensor2D, dy: tf.Tensor2D): tf.Tensor2D {
  return tf.mul(dy, tf.step(y));
}

/**
 * `y = relu(x W + b)` or `y = x W + b` on given parameters (the leaky GReLU mixes the two on
 * one W and b).
 */
export function affineLayer(name: string, affine: Affine, activation: "relu" | "linear"): Layer {
  const { params, w, b } = affine;
  const relu = activation === "relu";
  return fastLayer({
    name,
    params,
    kernel: { kind: relu ? "relu" : "linear", weights: () => ({ W: w, b }) },
    ops(x) {
      const y = tf.fused.matMul({ a: x, b: w, bias: b, activation }) as tf.Tensor2D;
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
  });
}
