/**
 * What every layer of a model provides. A layer has two implementations of the same formula:
 * - `forward`, the fast path used in training: it returns the output and a closure that
 *   computes the input gradient and the parameter gradients by hand (the backward pass);
 * - `reference`, the formula written with plain differentiable tfjs ops, used by the tests as
 *   the oracle that autodiff differentiates.
 *
 * On the wasm backend the fast path of the dense, GReLU, leaky GReLU, plain, residual, ReZero and
 * highway layers is one custom kernel forward and one backward (`../kernels/layer_kernels.ts`);
 * on other backends, and for batch norm and dropout, it is tfjs ops with a manual backward pass,
 * which launches fewer kernels than tfjs's tape.
 *
 * @module
 */

import * as tf from "@tensorflow/tfjs";
import type { Random } from "../random.ts";

/** What a layer needs to know about the current step. Tensors here live for one step. */
export interface LayerContext {
  /** The interpolation weight g of the current step. */
  readonly g: number;
  /** g as a tensor, built once per step. */
  readonly gTensor: tf.Scalar;
  /** 1 - g as a tensor, built once per step. */
  readonly oneMinusGTensor: tf.Scalar;
  /** True in training steps; false in evaluation (no dropout, running statistics). */
  readonly training: boolean;
  /** The source of stochastic decisions (dropout masks) for this step. */
  readonly random: Random;
}

/**
 * Builds a {@linkcode LayerContext}. Call inside `tf.tidy` (or dispose the two scalars).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import * as tf from "@tensorflow/tfjs";
 * import { useBackend, layerContext, Random } from "@gradnets/core";
 * await useBackend("wasm");
 * tf.tidy(() => {
 *   const ctx = layerContext(0.25, true, new Random(1));
 *   assert(ctx.oneMinusGTensor.dataSync()[0] === 0.75);
 * });
 * ```
 */
export function layerContext(g: number, training: boolean, random: Random): LayerContext {
  return { g, gTensor: tf.scalar(g), oneMinusGTensor: tf.scalar(1 - g), training, random };
}

/** A trainable tensor of a layer. `weight`s are the matrices whose gradient norms are logged. */
export interface Parameter {
  /** Name within the layer: `W`, `b`, `W_T`, `alpha`, ... */
  readonly name: string;
  /** What the parameter is, for logging and weight decay. */
  readonly role: "weight" | "bias" | "scale";
  /** The tfjs variable. Its tfjs name is left to tfjs so that many models can coexist. */
  readonly variable: tf.Variable;
}

/** The gradients of one layer's backward pass. */
export interface Gradients {
  /** d loss / d input, or null when the caller did not ask for it (the first layer). */
  readonly dx: tf.Tensor2D | null;
  /** d loss / d parameter, in the order of the layer's `params`. */
  readonly grads: readonly tf.Tensor[];
}

/** The output of a training forward pass and the closure that runs its backward pass. */
export interface Forward {
  /** The layer's output. */
  readonly y: tf.Tensor2D;
  /** Computes the gradients from d loss / d y; `needInputGradient` false skips dx. */
  backward(dy: tf.Tensor2D, needInputGradient: boolean): Gradients;
}

/** One layer of a model. */
export interface Layer {
  /** Position and kind, e.g. `hidden7`. */
  readonly name: string;
  /** Trainable parameters. */
  readonly params: readonly Parameter[];
  /** Variables that are not trained but updated (batch norm's running statistics). */
  readonly state?: readonly tf.Variable[];
  /** The fast path: output and a hand-written backward pass. */
  forward(x: tf.Tensor2D, ctx: LayerContext): Forward;
  /** The same formula in plain differentiable ops (the test oracle). */
  reference(x: tf.Tensor2D, ctx: LayerContext): tf.Tensor2D;
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
 * import { useBackend, affineBackward } from "@gradnets/core";
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
 * import { useBackend, reluBackward } from "@gradnets/core";
 * await useBackend("wasm");
 * const du = reluBackward(tf.tensor2d([[0, 2]]), tf.tensor2d([[5, 5]]));
 * assert(du.arraySync()[0].join() === "0,5");
 * ```
 */
export function reluBackward(y: tf.Tensor2D, dy: tf.Tensor2D): tf.Tensor2D {
  return tf.mul(dy, tf.step(y));
}
