/**
 * The paper's equation, once: a GradNet layer mixes an early, easy-to-train layer with a late,
 * expressive one by the weight g that the schedule raises from 0 to 1,
 *
 *     y = g * late(x) + (1 - g) * early(x)
 *
 * The GReLUs (identity or linear to ReLU), the gradual residual (identity to residual) and
 * gradual batch normalisation (batch norm to identity) are instances. Parameters the two layers
 * share (the leaky GReLU's W and b) are trained once, with the two gradients summed. Where the
 * project has a fused kernel for an instance, it runs instead of the two layers on the wasm
 * backend (`../kernels/fast_path.ts` decides).
 *
 * @module
 */

import * as tf from "@tensorflow/tfjs";
import { fastLayer, type KernelBinding } from "../kernels/fast_path.ts";
import type { Forward, Layer, LayerContext, Parameter } from "./layer.ts";

/** Options of {@linkcode gradualLayer}. */
export interface GradualOptions {
  /** Layer name, e.g. `hidden3`. */
  readonly name: string;
  /** The layer at g = 0. */
  readonly early: Layer;
  /** The layer at g = 1. */
  readonly late: Layer;
  /** A kernel that computes the whole mix in one pass, if the project has one. */
  readonly kernel?: KernelBinding;
}

/**
 * A GradNet layer, `y = g * late(x) + (1 - g) * early(x)`. At g = 0 only the early layer runs,
 * at g = 1 only the late one (the other's parameters get zero gradients).
 *
 * @example From the identity to a layer that doubles its input
 * ```ts
 * import assert from "node:assert/strict";
 * import * as tf from "@tensorflow/tfjs";
 * import { gradualLayer, identityLayer, layerContext, Random, useBackend } from "@gradnets/core";
 * await useBackend("wasm");
 * const double = { ...identityLayer("double"), reference: (x: tf.Tensor2D) => tf.mul(x, 2) as tf.Tensor2D };
 * const layer = gradualLayer({ name: "hidden1", early: identityLayer("hidden1"), late: {
 *   ...double,
 *   forward: (x) => ({ y: tf.mul(x, 2) as tf.Tensor2D, backward: (dy) => ({ dx: tf.mul(dy, 2) as tf.Tensor2D, grads: [] }) }),
 * } });
 * tf.tidy(() => {
 *   const y = layer.forward(tf.tensor2d([[1, -2]]), layerContext(0.25, true, new Random(1))).y;
 *   assert.deepEqual(y.arraySync(), [[1.25, -2.5]]);
 * });
 * ```
 */
export function gradualLayer(options: GradualOptions): Layer {
  const { early, late } = options;
  const params: Parameter[] = [];
  const slotOf = (p: Parameter) => {
    const i = params.findIndex((q) => q.variable === p.variable);
    return i >= 0 ? i : params.push(p) - 1;
  };
  const lateSlots = late.params.map(slotOf);
  const earlySlots = early.params.map(slotOf);
  const state = [...(late.state ?? []), ...(early.state ?? [])];

  // The gradients of the mix's parameters from those of its parts (absent parts give zeros).
  const gather = (parts: [readonly tf.Tensor[], readonly number[]][]) => {
    const sums: (tf.Tensor | undefined)[] = params.map(() => undefined);
    for (const [grads, slots] of parts) {
      grads.forEach((grad, i) => {
        const s = slots[i];
        sums[s] = sums[s] === undefined ? grad : tf.add(sums[s]!, grad);
      });
    }
    return sums.map((sum, i) => sum ?? tf.zerosLike(params[i].variable));
  };
  const only = (layer: Layer, slots: readonly number[], x: tf.Tensor2D, ctx: LayerContext) => {
    const pass = layer.forward(x, ctx);
    return {
      y: pass.y,
      backward(dy: tf.Tensor2D, needInputGradient: boolean) {
        const { dx, grads } = pass.backward(dy, needInputGradient);
        return { dx, grads: gather([[grads, slots]]) };
      },
    } satisfies Forward;
  };

  return fastLayer({
    name: options.name,
    params,
    ...(state.length > 0 ? { state } : {}),
    kernel: options.kernel,
    ops(x, ctx) {
      if (ctx.g === 0) return only(early, earlySlots, x, ctx);
      if (ctx.g === 1) return only(late, lateSlots, x, ctx);
      const e = early.forward(x, ctx);
      const l = late.forward(x, ctx);
      return {
        y: tf.add(tf.mul(l.y, ctx.gTensor), tf.mul(e.y, ctx.oneMinusGTensor)) as tf.Tensor2D,
        backward(dy, needInputGradient) {
          const viaEarly = e.backward(
            tf.mul(dy, ctx.oneMinusGTensor) as tf.Tensor2D,
            needInputGradient,
          );
          const viaLate = l.backward(tf.mul(dy, ctx.gTensor) as tf.Tensor2D, needInputGradient);
          const dx = needInputGradient ? tf.add(viaEarly.dx!, viaLate.dx!) as tf.Tensor2D : null;
          return { dx, grads: gather([[viaLate.grads, lateSlots], [viaEarly.grads, earlySlots]]) };
        },
      };
    },
    reference(x, ctx) {
      return tf.add(
        tf.mul(ctx.g, late.reference(x, ctx)),
        tf.mul(1 - ctx.g, early.reference(x, ctx)),
      ) as tf.Tensor2D;
    },
  });
}

/**
 * The identity, `y = x`: the early layer of the GReLU and the gradual residual (a shallow
 * network), the late one of gradual batch normalisation.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import * as tf from "@tensorflow/tfjs";
 * import { identityLayer, layerContext, Random, useBackend } from "@gradnets/core";
 * await useBackend("wasm");
 * const layer = identityLayer("skip");
 * tf.tidy(() => {
 *   const y = layer.forward(tf.tensor2d([[3]]), layerContext(1, true, new Random(1))).y;
 *   assert.deepEqual(y.arraySync(), [[3]]);
 * });
 * ```
 */
export function identityLayer(name: string): Layer {
  return {
    name,
    params: [],
    forward: (x) => ({ y: x, backward: (dy) => ({ dx: dy, grads: [] }) }),
    reference: (x) => x,
  };
}
