/**
 * One custom tfjs kernel per layer and direction on the wasm backend: `GradnetsLayerForward`
 * computes a layer's output (and keeps what its backward pass needs), `GradnetsLayerBackward`
 * its input gradient and all its parameter gradients. Each runs in our WebAssembly module
 * (`gradnets.c`), on the tensors where tfjs keeps them.
 *
 * A layer with tfjs ops launches 4 to 20 kernels per step (matMul, transposes, elementwise
 * ops); with these it launches 2, and its GEMMs skip the zeros of sparse inputs (MNIST pixels)
 * at no cost in exactness.
 *
 * @module
 */

import * as tf from "@tensorflow/tfjs";
import type { Forward, LayerContext } from "../layers/layer.ts";
import { moduleOn } from "./wasm.ts";

/** The layer formulas the kernels implement (see `gradnets.c`). */
export type LayerKind =
  | "relu"
  | "linear"
  | "grelu"
  | "grelu-leaky"
  | "residual"
  | "rezero"
  | "highway";

const KIND_CODES: Record<LayerKind, number> = {
  relu: 0,
  linear: 1,
  grelu: 2,
  "grelu-leaky": 3,
  residual: 4,
  rezero: 5,
  highway: 6,
};

/** What a layer's kernels read: W [K, N] and b [N]; W2, b2 for highway; alpha for ReZero. */
export interface LayerWeights {
  /** The weight matrix. */
  readonly W: tf.Tensor2D;
  /** The bias. */
  readonly b: tf.Tensor1D;
  /** Highway's gate weights. */
  readonly W2?: tf.Tensor2D;
  /** Highway's gate bias. */
  readonly b2?: tf.Tensor1D;
  /** ReZero's scale. */
  readonly alpha?: tf.Scalar;
}

// In training the forward kernel also returns `h` (the ReLU branch) where the backward pass
// needs it, and highway's gate `t`.
const KEEPS_H: readonly LayerKind[] = ["grelu", "residual", "rezero", "highway"];
const KEEPS_H_CODES = new Set(KEEPS_H.map((kind) => KIND_CODES[kind]));

const FORWARD = "GradnetsLayerForward";
const BACKWARD = "GradnetsLayerBackward";

interface Attrs {
  kind: number;
  g: number;
  omg: number;
  training: boolean;
  needInputGradient: boolean;
}

const NONE = 0; // a null pointer: an input or output the kernel does not use

tf.registerKernel({
  kernelName: FORWARD,
  backendName: "wasm",
  kernelFunc: ({ inputs, backend, attrs }) => {
    const { x, W, b, W2, b2, alpha } = inputs as Record<string, tf.TensorInfo | undefined>;
    const { kind, g, omg, training } = attrs as unknown as Attrs;
    const m = moduleOn(backend);
    const [B, K] = x!.shape;
    const N = W!.shape[1];
    const at = (t: tf.TensorInfo | undefined) => (t ? m.offset(t) : NONE);
    const y = m.output([B, N]);
    const keep = training && KEEPS_H_CODES.has(kind);
    const h = keep ? m.output([B, N]) : undefined;
    const t = keep && kind === KIND_CODES.highway ? m.output([B, N]) : undefined;
    const scratch = m.scratch(m.exports.forward_scratch_floats(kind, B, K, N));
    m.exports.layer_forward(
      kind,
      B,
      K,
      N,
      at(x),
      at(W),
      at(b),
      at(W2),
      at(b2),
      at(alpha),
      g,
      omg,
      at(y),
      at(h),
      at(t),
      scratch,
    );
    return [y, ...(h ? [h] : []), ...(t ? [t] : [])];
  },
});

tf.registerKernel({
  kernelName: BACKWARD,
  backendName: "wasm",
  kernelFunc: ({ inputs, backend, attrs }) => {
    const { x, W, W2, alpha, dy, h, t, y } = inputs as Record<string, tf.TensorInfo | undefined>;
    const { kind, g, omg, needInputGradient } = attrs as unknown as Attrs;
    const m = moduleOn(backend);
    const [B, K] = x!.shape;
    const N = W!.shape[1];
    const at = (t: tf.TensorInfo | undefined) => (t ? m.offset(t) : NONE);
    const dx = needInputGradient ? m.output([B, K]) : undefined;
    const dW = m.output([K, N]);
    const db = m.output([N]);
    const highway = kind === KIND_CODES.highway;
    const dW2 = highway ? m.output([K, N]) : undefined;
    const db2 = highway ? m.output([N]) : undefined;
    const dAlpha = kind === KIND_CODES.rezero ? m.output([]) : undefined;
    const scratch = m.scratch(m.exports.backward_scratch_floats(kind, B, K, N));
    m.exports.layer_backward(
      kind,
      B,
      K,
      N,
      at(x),
      at(W),
      at(W2),
      at(alpha),
      g,
      omg,
      at(dy),
      at(h),
      at(t),
      at(y),
      at(dx),
      at(dW),
      at(db),
      at(dW2),
      at(db2),
      at(dAlpha),
      scratch,
    );
    return [dx, dW, db, dW2, db2, dAlpha].filter((o): o is tf.TensorInfo => o !== undefined);
  },
});

/**
 * A layer's training (or evaluation) forward pass on the GradNets kernels (wasm backend only),
 * with its backward pass. Layers do not call it themselves: `fast_path.ts` decides. The
 * gradients come in the order W, b, then W2, b2 (highway) or alpha (ReZero).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import * as tf from "@tensorflow/tfjs";
 * import { layerContext, Random, useBackend } from "@gradnets/core";
 * import { kernelForward } from "./layer_kernels.ts";
 * await useBackend("wasm");
 * tf.tidy(() => {
 *   const W = tf.eye(2) as tf.Tensor2D, b = tf.tensor1d([0, -5]);
 *   const pass = kernelForward("relu", tf.tensor2d([[1, 2]]), { W, b }, layerContext(1, true, new Random(1)));
 *   assert.deepEqual(pass.y.arraySync(), [[1, 0]]);
 *   const { dx, grads } = pass.backward(tf.tensor2d([[1, 1]]), true);
 *   assert.deepEqual(dx!.arraySync(), [[1, 0]]);
 *   assert.deepEqual(grads[0].arraySync(), [[1, 0], [2, 0]]);
 * });
 * ```
 */
export function kernelForward(
  kind: LayerKind,
  x: tf.Tensor2D,
  weights: LayerWeights,
  ctx: LayerContext,
): Forward {
  const code = KIND_CODES[kind];
  const attrs = {
    kind: code,
    g: ctx.g,
    omg: 1 - ctx.g,
    training: ctx.training,
    needInputGradient: false,
  };
  const { W, b, W2, b2, alpha } = weights;
  const inputs: Record<string, tf.Tensor> = { x, W, b };
  if (W2 && b2) Object.assign(inputs, { W2, b2 });
  if (alpha) inputs.alpha = alpha;
  const outputs = tf.engine().runKernel(FORWARD, inputs, attrs) as unknown as tf.Tensor2D[];
  const [y] = outputs;
  const kept = ctx.training && KEEPS_H.includes(kind);
  const h = kept ? outputs[1] : undefined;
  const t = kept && kind === "highway" ? outputs[2] : undefined;
  return {
    y,
    backward(dy, needInputGradient) {
      if (!ctx.training) throw new Error("an evaluation forward pass has no backward pass");
      const saved: Record<string, tf.Tensor> = { x, W, dy, y };
      if (h) saved.h = h;
      if (t) saved.t = t;
      if (W2) saved.W2 = W2;
      if (alpha) saved.alpha = alpha;
      const grads = tf.engine().runKernel(BACKWARD, saved, {
        ...attrs,
        needInputGradient,
      }) as unknown as tf.Tensor[];
      const dx = needInputGradient ? grads.shift() as tf.Tensor2D : null;
      return { dx, grads };
    },
  };
}
