/**
 * Softmax cross-entropy, computed from the logits. The 2015 notebook applied softmax first and
 * then took `log`: once a probability underflowed to 0 the loss became -inf * 0 = NaN and the run
 * died. Here the log-probabilities come from log-sum-exp with the maximum subtracted, in double
 * precision, so any finite logits give a finite loss. `exp` and `log` are the engine-independent
 * ones of `ieee_math.ts`, so the logged loss has the same bits on every JavaScript engine.
 *
 * The loss and its gradient are computed on the host: the logits of a batch are a few hundred
 * numbers, and reading them once costs less than the dozen tfjs kernels an on-device loss needs.
 *
 * @module
 */

import { exp, log } from "./ieee_math.ts";

/**
 * Gradients below 2^-60 in magnitude are written as 0: the wasm kernels flush every value they
 * write at this threshold so that no float becomes subnormal (slow on x86), and the loss
 * gradient is the one input of the backward pass that they do not write (see gradnets.c).
 */
const FLUSH = 8.673617379884035e-19; // 2^-60

/** How the per-example losses of a batch are combined: the mean, or the notebook's sum. */
export type LossReduction = "mean" | "sum";

/** The loss of a batch, its gradient with respect to the logits, and the hits of argmax. */
export interface CrossEntropyResult {
  /** The reduced loss; NaN or Infinity only if the logits were not finite. */
  readonly loss: number;
  /** d loss / d logits, same layout as the logits. */
  readonly gradient: Float32Array;
  /** How many examples the largest logit classified correctly. */
  readonly correct: number;
}

/**
 * Softmax cross-entropy of row-major `logits` (`labels.length` rows of `classes`) against
 * integer labels, with its gradient `softmax - onehot` (divided by the batch size for `mean`;
 * entries below 2^-60 in magnitude are 0).
 *
 * @example Finite even for huge logits
 * ```ts
 * import assert from "node:assert/strict";
 * import { softmaxCrossEntropy } from "@gradnets/core";
 * const { loss, correct } = softmaxCrossEntropy(new Float32Array([1e4, -1e4]), new Uint8Array([1]), 2);
 * assert(loss === 2e4 && correct === 0);
 * ```
 */
export function softmaxCrossEntropy(
  logits: Float32Array,
  labels: Uint8Array,
  classes: number,
  reduction: LossReduction = "mean",
): CrossEntropyResult {
  const batch = labels.length;
  if (logits.length !== batch * classes) {
    throw new RangeError(`${logits.length} logits do not make ${batch} rows of ${classes} classes`);
  }
  const gradient = new Float32Array(logits.length);
  const scale = reduction === "mean" ? 1 / batch : 1;
  let total = 0;
  let correct = 0;
  for (let i = 0; i < batch; i++) {
    const row = i * classes;
    let max = -Infinity;
    let best = 0;
    for (let c = 0; c < classes; c++) {
      if (logits[row + c] > max) {
        max = logits[row + c];
        best = c;
      }
    }
    let sum = 0;
    for (let c = 0; c < classes; c++) sum += exp(logits[row + c] - max);
    const logSum = max + log(sum);
    const label = labels[i];
    total += logSum - logits[row + label];
    if (best === label) correct++;
    for (let c = 0; c < classes; c++) {
      const p = exp(logits[row + c] - logSum);
      const d = (p - (c === label ? 1 : 0)) * scale;
      gradient[row + c] = d < FLUSH && d > -FLUSH ? 0 : d;
    }
  }
  return { loss: total * scale, gradient, correct };
}

/**
 * How many rows of `logits` have their largest logit at the label (ties go to the lower class).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { countCorrect } from "@gradnets/core";
 * assert(countCorrect(new Float32Array([0, 1, 3, 2]), new Uint8Array([1, 1]), 2) === 1);
 * ```
 */
export function countCorrect(logits: Float32Array, labels: Uint8Array, classes: number): number {
  let correct = 0;
  for (let i = 0; i < labels.length; i++) {
    const row = i * classes;
    let best = 0;
    for (let c = 1; c < classes; c++) if (logits[row + c] > logits[row + best]) best = c;
    if (best === labels[i]) correct++;
  }
  return correct;
}
