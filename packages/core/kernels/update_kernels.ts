/**
 * Optimiser steps and gradient norms over all the variables of a model in one custom tfjs
 * kernel each, on the wasm backend: `GradnetsApplyUpdates` (SGD, momentum or Adam, after
 * weight decay and clipping) and `GradnetsSumSquares` (the squared L2 norm of every
 * gradient). With tfjs ops the same work launches 2 to 10 kernels per variable.
 *
 * The updates are computed op for op as `optimizers.ts` writes them (no fused multiply-add),
 * so they give the same bits as the tfjs ops of the wasm backend. Variables are updated in
 * place when they can be (see {@linkcode applyFusedUpdate}).
 *
 * @module
 */

import * as tf from "@tensorflow/tfjs";
import { wasmKernelsActive } from "./fast_path.ts";
import { moduleOn } from "./wasm.ts";

/** What happens to the gradients before the optimiser sees them. */
export interface GradientTransform {
  /** L2 weight decay: `decay * W` is added to the gradients of the variables marked `decayed`. */
  readonly weightDecay: number;
  /** Which variables get weight decay (the weight matrices). */
  readonly decayed: readonly boolean[];
  /** The clipping factor the (decayed) gradients are multiplied by; null: none. */
  readonly scale: number | null;
}

/** A base optimiser's update rule and its float32 constants. */
export type FusedRule =
  | { readonly kind: "sgd"; readonly rate: number }
  | { readonly kind: "momentum"; readonly rate: number; readonly momentum: number }
  | {
    readonly kind: "adam";
    readonly rate: number;
    readonly beta1: number;
    readonly beta2: number;
    readonly epsilon: number;
  };

const APPLY = "GradnetsApplyUpdates";
const SUM_SQUARES = "GradnetsSumSquares";
const RULES = { sgd: 0, momentum: 1, adam: 2 } as const;
const TABLE = 9; // ints per tensor in the table that gradnets.c reads

interface ApplyAttrs {
  /** Per slot (variables, then each state) and tensor: overwrite it rather than allocate. */
  inPlace: boolean[];
  rule: number;
  count: number;
  states: number;
  rate: number;
  decay: number;
  decayed: boolean[];
  scale: number | null;
  constants: [number, number, number, number, number];
}

/** Writes the table of gradnets.c: param, grad, param_out, size, decayed, s1, s1_out, s2, s2_out. */
function writeTable(
  module: ReturnType<typeof moduleOn>,
  rows: number[][],
): number {
  const table = module.scratch(rows.length * TABLE);
  const heap = module.int32();
  rows.forEach((row, i) => heap.set(row, table / 4 + i * TABLE));
  return table;
}

tf.registerKernel({
  kernelName: APPLY,
  backendName: "wasm",
  kernelFunc: ({ inputs, backend, attrs }) => {
    const { rule, count, states, rate, decay, decayed, scale, constants, inPlace } =
      attrs as unknown as ApplyAttrs;
    const m = moduleOn(backend);
    const named = inputs as Record<string, tf.TensorInfo>;
    const outputs: tf.TensorInfo[] = [];
    const rewritten: tf.TensorInfo[] = [];
    // The new value of tensor j of slot s (0: the variables, 1 and 2: the states): written over
    // the old one when nothing else shares its data, else into a new output.
    const target = (tensor: tf.TensorInfo, s: number, i: number) => {
      if (inPlace[s * count + i]) {
        rewritten.push(tensor);
        return m.offset(tensor);
      }
      const out = m.output(tensor.shape);
      outputs.push(out);
      return m.offset(out);
    };
    const rows: number[][] = [];
    for (let i = 0; i < count; i++) {
      const p = named[`p${i}`];
      const row = [m.offset(p), m.offset(named[`g${i}`]), target(p, 0, i)];
      rows.push([...row, tf.util.sizeFromShape(p.shape), decayed[i] ? 1 : 0, 0, 0, 0, 0]);
    }
    for (let s = 0; s < states; s++) {
      for (let i = 0; i < count; i++) {
        const state = named[`s${s}_${i}`];
        rows[i][5 + 2 * s] = m.offset(state);
        rows[i][6 + 2 * s] = target(state, s + 1, i);
      }
    }
    const table = writeTable(m, rows);
    m.exports.apply_updates(
      rule,
      count,
      table,
      rate,
      decay,
      scale === null ? 0 : 1,
      scale ?? 1,
      ...constants,
    );
    rewritten.forEach((tensor) => m.rewritten(tensor));
    return outputs;
  },
});

tf.registerKernel({
  kernelName: SUM_SQUARES,
  backendName: "wasm",
  kernelFunc: ({ inputs, backend, attrs }) => {
    const { count, decay, decayed } = attrs as unknown as ApplyAttrs;
    const m = moduleOn(backend);
    const named = inputs as Record<string, tf.TensorInfo>;
    const out = m.output([count]);
    const rows = Array.from({ length: count }, (_, i) => {
      const g = named[`g${i}`];
      const p = named[`p${i}`] ?? g;
      return [
        m.offset(p),
        m.offset(g),
        0,
        tf.util.sizeFromShape(g.shape),
        decayed[i] ? 1 : 0,
        0,
        0,
        0,
        0,
      ];
    });
    const table = writeTable(m, rows);
    m.exports.sum_squares(count, table, decay, m.offset(out));
    return out;
  },
});

/**
 * One optimiser step over all `variables` (and the optimiser's `states`: `states[s][i]` is
 * state s of variable i; momentum has 1, Adam 2) in one kernel. Returns false, having done
 * nothing, when the GradNets kernels are not active.
 *
 * A variable (or state) whose data no other tensor shares is updated in place: no new tensor,
 * no assign, which saves tfjs several microseconds per variable. tfjs's XNNPACK matmul caches
 * a packed copy of its weights by tensor, so the kernel makes tfjs forget that copy
 * (`rewritten`). A variable that shares its data (with the tensor it was made from, or a
 * clone) gets a new tensor, assigned as usual.
 *
 * @example One SGD step with weight decay
 * ```ts
 * import assert from "node:assert/strict";
 * import * as tf from "@tensorflow/tfjs";
 * import { useBackend } from "@gradnets/core";
 * import { applyFusedUpdate } from "./update_kernels.ts";
 * await useBackend("wasm");
 * const w = tf.variable(tf.tensor1d([1, 2]));
 * tf.tidy(() => {
 *   const transform = { weightDecay: 1, decayed: [true], scale: null };
 *   assert(applyFusedUpdate({ kind: "sgd", rate: -0.5 }, [w], [tf.ones([2])], [], transform));
 * });
 * assert.deepEqual(w.arraySync(), [0, 0.5]); // w - 0.5 * (grad + w)
 * w.dispose();
 * ```
 */
export function applyFusedUpdate(
  rule: FusedRule,
  variables: readonly tf.Variable[],
  grads: readonly tf.Tensor[],
  states: readonly (readonly tf.Variable[])[],
  transform: GradientTransform,
): boolean {
  if (!wasmKernelsActive()) return false;
  if (variables.length === 0) return true;
  const count = variables.length;
  const backend = tf.backend() as unknown as { refCount(dataId: object): number };
  const inputs: Record<string, tf.Tensor> = {};
  const slots = [variables, ...states];
  variables.forEach((v, i) => {
    inputs[`p${i}`] = v;
    inputs[`g${i}`] = grads[i];
  });
  states.forEach((list, s) => list.forEach((t, i) => (inputs[`s${s}_${i}`] = t)));
  const inPlace = slots.flatMap((list) => list.map((v) => backend.refCount(v.dataId) === 1));
  const f = Math.fround;
  const constants: ApplyAttrs["constants"] = rule.kind === "momentum"
    ? [f(rule.momentum), 0, 0, 0, 0]
    : rule.kind === "adam"
    ? [f(rule.beta1), f(1 - rule.beta1), f(rule.beta2), f(1 - rule.beta2), f(rule.epsilon)]
    : [0, 0, 0, 0, 0];
  const attrs: ApplyAttrs = {
    inPlace,
    rule: RULES[rule.kind],
    count,
    states: states.length,
    rate: rule.rate,
    decay: transform.weightDecay,
    decayed: transform.weightDecay > 0 ? [...transform.decayed] : [],
    scale: transform.scale,
    constants,
  };
  const out = tf.engine().runKernel(APPLY, inputs, attrs as never) as unknown as tf.Tensor[];
  // The new tensors, in the order of the variables and their states that were not in place.
  let next = 0;
  slots.forEach((list, s) =>
    list.forEach((v, i) => {
      if (!inPlace[s * count + i]) v.assign(out[next++]);
    })
  );
  return true;
}

/**
 * The sum of squares of every gradient (with `weightDecay * variable` added where `decayed`),
 * computed in one kernel and read back in one transfer; null when the GradNets kernels are not
 * active.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import * as tf from "@tensorflow/tfjs";
 * import { useBackend } from "@gradnets/core";
 * import { sumsOfSquares } from "./update_kernels.ts";
 * await useBackend("wasm");
 * tf.tidy(() => {
 *   const sums = sumsOfSquares([tf.tensor1d([3, 4]), tf.tensor1d([1])], [], 0, [])!;
 *   assert.deepEqual([...sums], [25, 1]);
 * });
 * ```
 */
export function sumsOfSquares(
  grads: readonly tf.Tensor[],
  variables: readonly tf.Tensor[],
  weightDecay: number,
  decayed: readonly boolean[],
): Float32Array | null {
  if (!wasmKernelsActive()) return null;
  if (grads.length === 0) return new Float32Array(0);
  const inputs: Record<string, tf.Tensor> = {};
  grads.forEach((g, i) => {
    inputs[`g${i}`] = g;
    if (weightDecay > 0 && decayed[i]) inputs[`p${i}`] = variables[i];
  });
  const attrs = {
    count: grads.length,
    decay: weightDecay,
    decayed: weightDecay > 0 ? [...decayed] : [],
  };
  const sums = tf.engine().runKernel(SUM_SQUARES, inputs, attrs as never) as tf.Tensor;
  const values = sums.dataSync() as Float32Array;
  sums.dispose();
  return values;
}
