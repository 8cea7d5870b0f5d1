/**
 * Optimisers that turn hand-computed gradients into updates of tfjs variables.
 *
 * They are written here rather than taken from `tf.train` because a GradNet may interpolate
 * between two optimisers, `update = (1 - g) * dA + g * dB`, which needs each optimiser's update
 * as a tensor before it is applied; tfjs's optimisers apply theirs internally.
 *
 * @module
 */

import * as tf from "@tensorflow/tfjs";
import { pow, powInt } from "./ieee_math.ts";
import {
  applyFusedUpdate,
  type FusedRule,
  type GradientTransform,
} from "./kernels/update_kernels.ts";

export type { GradientTransform } from "./kernels/update_kernels.ts";

/** A base optimiser's configuration. */
export type BaseOptimizerConfig =
  | { readonly kind: "sgd"; readonly learningRate: number }
  | { readonly kind: "momentum"; readonly learningRate: number; readonly momentum: number }
  | {
    readonly kind: "adam";
    readonly learningRate: number;
    readonly beta1: number;
    readonly beta2: number;
    readonly epsilon: number;
  };

/**
 * An optimiser's configuration: a base optimiser, or the GradNets interpolation from one to
 * another with the run's g, `(1 - g) * from + g * to`.
 */
export type OptimizerConfig =
  | BaseOptimizerConfig
  | {
    readonly kind: "interpolate";
    readonly from: BaseOptimizerConfig;
    readonly to: BaseOptimizerConfig;
  };

/** The names of the optimisers, for validating user input. */
export const OPTIMIZERS: readonly OptimizerConfig["kind"][] = [
  "sgd",
  "momentum",
  "adam",
  "interpolate",
];

/** What an optimiser needs to know about the step. */
export interface OptimizerStep {
  /** The interpolation weight g. */
  readonly g: number;
  /** Multiplier of the learning rate (decay); 1 without decay. */
  readonly learningRateScale: number;
}

/** Computes updates from gradients. Call inside `tf.tidy`; its state lives in tf.Variables. */
export interface Optimizer {
  /** The update to add to each variable: `variables[i] += updates[i]`. Advances the state. */
  updates(grads: readonly tf.Tensor[], step: OptimizerStep): tf.Tensor[];
  /**
   * One step on `variables`: the gradients get weight decay and the clipping scale of
   * `transform` (when given), then the update is added to each variable. Advances the state.
   * The base optimisers do it in one kernel on the wasm backend, in place where no other tensor
   * shares a variable's data; otherwise, and for the interpolation, it is `updates` and an
   * `assign` per variable.
   */
  apply(
    variables: readonly tf.Variable[],
    grads: readonly tf.Tensor[],
    step: OptimizerStep,
    transform?: GradientTransform,
  ): void;
  /** Frees the optimiser's state. */
  dispose(): void;
}

/**
 * The gradients after weight decay and clipping, with tfjs ops: `grad + decay * W` for the
 * decayed variables, then `* scale`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import * as tf from "@tensorflow/tfjs";
 * import { transformGradients, useBackend } from "@gradnets/core";
 * await useBackend("wasm");
 * tf.tidy(() => {
 *   const [g] = transformGradients([tf.tensor1d([1])], [tf.tensor1d([2])], {
 *     weightDecay: 0.5, decayed: [true], scale: 3,
 *   });
 *   assert(g.dataSync()[0] === 6); // (1 + 0.5 * 2) * 3
 * });
 * ```
 */
export function transformGradients(
  grads: readonly tf.Tensor[],
  variables: readonly tf.Tensor[],
  transform: GradientTransform,
): tf.Tensor[] {
  let total = [...grads];
  if (transform.weightDecay > 0) {
    total = total.map((g, i) =>
      transform.decayed[i] ? tf.add(g, tf.mul(variables[i], transform.weightDecay)) : g
    );
  }
  if (transform.scale !== null) {
    const scale = tf.scalar(transform.scale);
    total = total.map((g) => tf.mul(g, scale));
  }
  return total;
}

/** `apply` with tfjs ops: transformed gradients, `updates`, one assign per variable. */
function applyWithOps(
  optimizer: Pick<Optimizer, "updates">,
  variables: readonly tf.Variable[],
  grads: readonly tf.Tensor[],
  step: OptimizerStep,
  transform?: GradientTransform,
): void {
  const total = transform ? transformGradients(grads, variables, transform) : grads;
  const updates = optimizer.updates(total, step);
  variables.forEach((v, i) => v.assign(tf.add(v, updates[i])));
}

/**
 * `apply` of a base optimiser: its fused kernel when the GradNets kernels run, else tfjs ops.
 * `rule` gives the kernel's constants for a step; `advance` runs after a fused step (Adam
 * counts its steps).
 */
function applyFused(
  optimizer: Pick<Optimizer, "updates">,
  rule: (step: OptimizerStep) => FusedRule,
  states: readonly tf.Variable[][],
  advance: () => void = () => {},
): Optimizer["apply"] {
  return (variables, grads, step, transform) => {
    const fused = applyFusedUpdate(
      rule(step),
      variables,
      grads,
      states,
      transform ?? { weightDecay: 0, decayed: [], scale: null },
    );
    if (!fused) return applyWithOps(optimizer, variables, grads, step, transform);
    advance();
  };
}

/**
 * Creates the optimiser a config describes, for variables of the given shapes.
 *
 * @example One SGD step
 * ```ts
 * import assert from "node:assert/strict";
 * import * as tf from "@tensorflow/tfjs";
 * import { createOptimizer, useBackend } from "@gradnets/core";
 * await useBackend("wasm");
 * const sgd = createOptimizer({ kind: "sgd", learningRate: 0.5 }, [[1]]);
 * const update = tf.tidy(() => sgd.updates([tf.tensor1d([2])], { g: 0, learningRateScale: 1 })[0]);
 * assert(update.dataSync()[0] === -1);
 * update.dispose();
 * ```
 */
export function createOptimizer(config: OptimizerConfig, shapes: readonly number[][]): Optimizer {
  switch (config.kind) {
    case "sgd":
      return sgd(config.learningRate);
    case "momentum":
      return momentum(config.learningRate, config.momentum, shapes);
    case "adam":
      return adam(config, shapes);
    case "interpolate":
      return interpolate(createOptimizer(config.from, shapes), createOptimizer(config.to, shapes));
  }
}

function sgd(learningRate: number): Optimizer {
  const optimizer = {
    updates(grads: readonly tf.Tensor[], step: OptimizerStep) {
      const rate = tf.scalar(-learningRate * step.learningRateScale);
      return grads.map((g) => tf.mul(g, rate));
    },
  };
  const rule = (step: OptimizerStep): FusedRule => ({
    kind: "sgd",
    rate: -learningRate * step.learningRateScale,
  });
  return { ...optimizer, apply: applyFused(optimizer, rule, []), dispose() {} };
}

/** Heavy-ball momentum as in TensorFlow: v = mu v + grad, update = -lr v. */
function momentum(learningRate: number, mu: number, shapes: readonly number[][]): Optimizer {
  const velocity = tf.tidy(() => shapes.map((shape) => tf.variable(tf.zeros(shape), false)));
  const optimizer = {
    updates(grads: readonly tf.Tensor[], step: OptimizerStep) {
      const rate = tf.scalar(-learningRate * step.learningRateScale);
      const decay = tf.scalar(mu);
      return grads.map((g, i) => {
        const v = tf.add(tf.mul(velocity[i], decay), g);
        velocity[i].assign(v);
        return tf.mul(v, rate);
      });
    },
  };
  const rule = (step: OptimizerStep): FusedRule => ({
    kind: "momentum",
    rate: -learningRate * step.learningRateScale,
    momentum: mu,
  });
  return {
    ...optimizer,
    apply: applyFused(optimizer, rule, [velocity]),
    dispose() {
      tf.dispose(velocity);
    },
  };
}

/** Adam (Kingma and Ba 2015), with bias correction. */
function adam(
  config: Extract<BaseOptimizerConfig, { kind: "adam" }>,
  shapes: readonly number[][],
): Optimizer {
  const [first, second] = tf.tidy(() => [
    shapes.map((shape) => tf.variable(tf.zeros(shape), false)),
    shapes.map((shape) => tf.variable(tf.zeros(shape), false)),
  ]);
  let t = 0;
  const { beta1, beta2, epsilon } = config;
  // The step size of step t: the learning rate with Adam's bias corrections (powInt, not **:
  // the same bits on every engine).
  const rate = (step: OptimizerStep, t: number) => {
    const correction = Math.sqrt(1 - powInt(beta2, t)) / (1 - powInt(beta1, t));
    return -config.learningRate * step.learningRateScale * correction;
  };
  const optimizer = {
    updates(grads: readonly tf.Tensor[], step: OptimizerStep) {
      t++;
      const stepRate = tf.scalar(rate(step, t));
      return grads.map((g, i) => {
        const m = tf.add(tf.mul(first[i], beta1), tf.mul(g, 1 - beta1));
        const v = tf.add(tf.mul(second[i], beta2), tf.mul(tf.square(g), 1 - beta2));
        first[i].assign(m);
        second[i].assign(v);
        return tf.mul(tf.div(m, tf.add(tf.sqrt(v), epsilon)), stepRate);
      });
    },
  };
  // The rule is built before the fused step, which then counts it (t + 1 is that step).
  const rule = (step: OptimizerStep): FusedRule => ({
    kind: "adam",
    rate: rate(step, t + 1),
    beta1,
    beta2,
    epsilon,
  });
  return {
    ...optimizer,
    apply: applyFused(optimizer, rule, [first, second], () => t++),
    dispose() {
      tf.dispose([...first, ...second]);
    },
  };
}

/** The GradNets optimiser interpolation: both optimisers advance, their updates are mixed by g. */
function interpolate(from: Optimizer, to: Optimizer): Optimizer {
  const optimizer = {
    updates(grads: readonly tf.Tensor[], step: OptimizerStep) {
      const a = from.updates(grads, step);
      const b = to.updates(grads, step);
      if (step.g === 0) return a;
      if (step.g === 1) return b;
      return a.map((u, i) => tf.add(tf.mul(u, 1 - step.g), tf.mul(b[i], step.g)));
    },
  };
  return {
    ...optimizer,
    // The mix needs both optimisers' updates as tensors: no fused kernel.
    apply: (variables, grads, step, transform) =>
      applyWithOps(optimizer, variables, grads, step, transform),
    dispose() {
      from.dispose();
      to.dispose();
    },
  };
}

/**
 * A problem with an optimiser's parameters, or `undefined`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { validateOptimizer } from "@gradnets/core";
 * assert(validateOptimizer({ kind: "sgd", learningRate: -1 })?.includes("learning rate"));
 * ```
 */
export function validateOptimizer(config: OptimizerConfig): string | undefined {
  const rate = (x: number) =>
    x > 0 && Number.isFinite(x) ? undefined : `learning rate must be a number > 0, got ${x}`;
  const fraction = (name: string, x: number) =>
    x >= 0 && x < 1 ? undefined : `${name} must be in [0, 1), got ${x}`;
  switch (config?.kind) {
    case "sgd":
      return rate(config.learningRate);
    case "momentum":
      return rate(config.learningRate) ?? fraction("momentum", config.momentum);
    case "adam":
      return rate(config.learningRate) ?? fraction("adam beta1", config.beta1) ??
        fraction("adam beta2", config.beta2) ??
        (config.epsilon > 0 ? undefined : `adam epsilon must be > 0, got ${config.epsilon}`);
    case "interpolate":
      // Nested interpolation can only come from untyped input (JSON), so check the raw kinds.
      if ([config.from?.kind, config.to?.kind].includes("interpolate" as never)) {
        return "an interpolated optimiser's from and to must be base optimisers";
      }
      return validateOptimizer(config.from) ?? validateOptimizer(config.to);
    default:
      return `unknown optimiser ${JSON.stringify((config as { kind: unknown })?.kind)} (known: ${
        OPTIMIZERS.join(", ")
      })`;
  }
}

/** A learning-rate schedule: constant, or exponential decay `rate ^ (t / epochs)`, t in epochs. */
export type LearningRateDecay =
  | { readonly kind: "none" }
  | { readonly kind: "exponential"; readonly rate: number; readonly epochs: number };

/**
 * The learning-rate multiplier at progress `t` (epochs), with the engine-independent `pow` of
 * `ieee_math.ts`.
 *
 * @example Halve every 5 epochs
 * ```ts
 * import assert from "node:assert/strict";
 * import { learningRateScale } from "@gradnets/core";
 * assert(learningRateScale({ kind: "exponential", rate: 0.5, epochs: 5 }, 10) === 0.25);
 * ```
 */
export function learningRateScale(decay: LearningRateDecay, t: number): number {
  return decay.kind === "none" ? 1 : pow(decay.rate, t / decay.epochs);
}

/**
 * A problem with a decay's parameters, or `undefined`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { validateLearningRateDecay } from "@gradnets/core";
 * assert(validateLearningRateDecay({ kind: "exponential", rate: 2, epochs: 1 }) !== undefined);
 * ```
 */
export function validateLearningRateDecay(decay: LearningRateDecay): string | undefined {
  switch (decay?.kind) {
    case "none":
      return undefined;
    case "exponential":
      if (!(decay.rate > 0 && decay.rate <= 1)) {
        return `decay rate must be in (0, 1], got ${decay.rate}`;
      }
      return decay.epochs > 0 ? undefined : `decay epochs must be > 0, got ${decay.epochs}`;
    default:
      return `unknown learning-rate decay ${JSON.stringify((decay as { kind: unknown })?.kind)}`;
  }
}
