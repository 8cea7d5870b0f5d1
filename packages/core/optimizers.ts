/**
 * Optimisers that apply hand-computed gradients to tfjs variables.
 *
 * They are written here rather than taken from `tf.train` because a GradNet may interpolate
 * between two optimisers' updates, `(1 - g) * dA + g * dB`, which needs each optimiser's update
 * as a tensor before it is applied; tfjs's optimisers apply it internally.
 *
 * @module
 */

import * as tf from "@tensorflow/tfjs";

/** An optimiser's configuration. */
export type OptimizerConfig = { readonly kind: "sgd"; readonly learningRate: number };

/** Applies one update of gradients to variables. Call inside `tf.tidy`. */
export interface Optimizer {
  /** Updates every variable in place: `variables[i]` by `grads[i]`. */
  apply(variables: readonly tf.Variable[], grads: readonly tf.Tensor[]): void;
  /** Frees the optimiser's state (moments); a no-op for plain SGD. */
  dispose(): void;
}

/**
 * Creates the optimiser a config describes.
 *
 * @example One SGD step
 * ```ts
 * import * as tf from "@tensorflow/tfjs";
 * import { useBackend, createOptimizer } from "@gradnets/core";
 * await useBackend("wasm");
 * const v = tf.variable(tf.tensor1d([1]));
 * const sgd = createOptimizer({ kind: "sgd", learningRate: 0.5 });
 * tf.tidy(() => sgd.apply([v], [tf.tensor1d([2])]));
 * console.assert(v.dataSync()[0] === 0);
 * v.dispose();
 * ```
 */
export function createOptimizer(config: OptimizerConfig): Optimizer {
  switch (config.kind) {
    case "sgd":
      return sgd(config.learningRate);
  }
}

function sgd(learningRate: number): Optimizer {
  return {
    apply(variables, grads) {
      const rate = tf.scalar(learningRate);
      variables.forEach((v, i) => v.assign(tf.sub(v, tf.mul(grads[i], rate))));
    },
    dispose() {},
  };
}

/**
 * A problem with an optimiser's parameters, or `undefined`.
 *
 * @example
 * ```ts
 * import { validateOptimizer } from "@gradnets/core";
 * console.assert(validateOptimizer({ kind: "sgd", learningRate: -1 })?.includes("learning rate"));
 * ```
 */
export function validateOptimizer(config: OptimizerConfig): string | undefined {
  switch (config.kind) {
    case "sgd":
      return config.learningRate > 0 && Number.isFinite(config.learningRate)
        ? undefined
        : `learning rate must be a number > 0, got ${config.learningRate}`;
    default:
      return `unknown optimiser ${(config as { kind: unknown }).kind}`;
  }
}
