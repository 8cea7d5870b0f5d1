/**
 * What every layer of a model provides. A layer has two implementations of the same formula:
 * - `forward`, the fast path used in training: it returns the output and a closure that
 *   computes the input gradient and the parameter gradients by hand (the backward pass);
 * - `reference`, the formula written with plain differentiable tfjs ops, used by the tests as
 *   the oracle that autodiff differentiates.
 *
 Whether `forward` runs on the project's WebAssembly kernels or on tfjs ops is decided in one
 * place, `../kernels/fast_path.ts`: a layer declares both, and `fastLayer` picks.
 *
 * @module
 */

import * as tf from "@tensorflow/tfjs";
import type { LayerKind } from "../kernels/layer_kernels.ts";
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
  /** The project's kernel that runs `forward` on the wasm backend, if there is one. */
  readonly kernel?: LayerKind;
}
