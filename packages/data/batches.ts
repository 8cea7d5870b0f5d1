/**
 * Mini-batches for training: a seeded permutation per epoch, and batches gathered into
 * reusable `Float32Array` buffers that are handed to TensorFlow.js as they are. The dataset is
 * never turned into one big tensor and sliced (on the wasm backend `tf.slice` copies it all).
 *
 * @module
 */

import type { Split } from "./dataset.ts";

/**
 * A permutation of `0 .. count - 1` by the Fisher-Yates shuffle.
 *
 * @param count Number of examples.
 * @param random Uniform numbers in [0, 1); pass a seeded generator for reproducible epochs.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { shuffledOrder } from "@gradnets/data";
 * const order = shuffledOrder(5, () => 0.5);
 * assert(Array.from(order).sort().join() === "0,1,2,3,4");
 * ```
 */
export function shuffledOrder(count: number, random: () => number): Uint32Array {
  const order = new Uint32Array(count);
  for (let i = 0; i < count; i++) order[i] = i;
  for (let i = count - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    const t = order[i];
    order[i] = order[j];
    order[j] = t;
  }
  return order;
}

/** One mini-batch. Its buffers are reused by the next batch of the same iterator. */
export interface Batch {
  /** `size * features` pixels, row-major. */
  readonly images: Float32Array;
  /** `size` class labels. */
  readonly labels: Uint8Array;
  /** Number of examples in this batch. */
  readonly size: number;
}

/**
 * The mini-batches of one epoch, in `order`. Like the notebook's TensorFlow helper, a last
 * partial batch is dropped, so an epoch of 55000 images at batch 50 has 1100 steps.
 *
 * The yielded buffers are overwritten by the next batch: copy them to keep them.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { batches, splitFromBytes } from "@gradnets/data";
 * const split = splitFromBytes(new Uint8Array([0, 255, 255, 0, 0, 0]), new Uint8Array([7, 8, 9]), 2);
 * const seen = [...batches(split, new Uint32Array([2, 0, 1]), 2)].map((b) => b.labels[0]);
 * assert(seen.length === 1 && seen[0] === 9);
 * ```
 */
export function* batches(split: Split, order: Uint32Array, batchSize: number): Generator<Batch> {
  if (!Number.isInteger(batchSize) || batchSize < 1) {
    throw new RangeError(`batch size must be a positive integer, got ${batchSize}`);
  }
  const { features } = split;
  const images = new Float32Array(batchSize * features);
  const labels = new Uint8Array(batchSize);
  const steps = Math.floor(order.length / batchSize);
  for (let step = 0; step < steps; step++) {
    for (let k = 0; k < batchSize; k++) {
      const index = order[step * batchSize + k];
      images.set(split.images.subarray(index * features, (index + 1) * features), k * features);
      labels[k] = split.labels[index];
    }
    yield { images, labels, size: batchSize };
  }
}

/**
 * Number of optimisation steps in one epoch (partial batches are dropped).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { stepsPerEpoch } from "@gradnets/data";
 * assert(stepsPerEpoch(55000, 50) === 1100);
 * ```
 */
export function stepsPerEpoch(count: number, batchSize: number): number {
  return Math.floor(count / batchSize);
}
