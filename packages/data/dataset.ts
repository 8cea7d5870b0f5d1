/**
 * The in-memory form every dataset of this package takes: flat `Float32Array` images in
 * [0, 1] and `Uint8Array` class labels, split into train, validation and test.
 *
 * @module
 */

/** One split of a dataset: `count` images of `features` pixels each, row-major. */
export interface Split {
  /** Pixels scaled to [0, 1]; image `i` is `images.subarray(i * features, (i + 1) * features)`. */
  readonly images: Float32Array;
  /** Class of each image, in 0 .. classes - 1. */
  readonly labels: Uint8Array;
  /** Number of images. */
  readonly count: number;
  /** Pixels per image (784 for 28x28). */
  readonly features: number;
}

/** A dataset split three ways. Test accuracy is reported, never used to select anything. */
export interface Dataset {
  /** Short name, written into result CSVs (`mnist`, `fashion-mnist`). */
  readonly name: string;
  /** Number of classes. */
  readonly classes: number;
  /** The examples trained on. */
  readonly train: Split;
  /** Held out from training; the only split used for model selection. */
  readonly validation: Split;
  /** Held out; reported only. */
  readonly test: Split;
}

/**
 * Builds a {@linkcode Split} from raw 8-bit pixels, scaling them to [0, 1].
 *
 * @param pixels `count * features` bytes.
 * @param labels `count` class labels.
 * @param features Pixels per image.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { splitFromBytes } from "@gradnets/data";
 * const split = splitFromBytes(new Uint8Array([0, 255, 51, 0]), new Uint8Array([1, 0]), 2);
 * assert(split.count === 2 && split.images[1] === 1 && Math.abs(split.images[2] - 0.2) < 1e-7);
 * ```
 */
export function splitFromBytes(pixels: Uint8Array, labels: Uint8Array, features: number): Split {
  if (pixels.length !== labels.length * features) {
    throw new RangeError(
      `${pixels.length} pixels do not make ${labels.length} images of ${features} pixels`,
    );
  }
  const images = new Float32Array(pixels.length);
  for (let i = 0; i < pixels.length; i++) images[i] = pixels[i] / 255;
  return { images, labels, count: labels.length, features };
}

/**
 * The examples `start .. end - 1` of a split, as views that share its memory (no copy).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { sliceSplit, splitFromBytes } from "@gradnets/data";
 * const split = splitFromBytes(new Uint8Array(6), new Uint8Array([1, 2, 3]), 2);
 * const tail = sliceSplit(split, 1, 3);
 * assert(tail.count === 2 && tail.labels[0] === 2 && tail.images.buffer === split.images.buffer);
 * ```
 */
export function sliceSplit(split: Split, start: number, end: number): Split {
  if (!(0 <= start && start <= end && end <= split.count)) {
    throw new RangeError(`slice ${start}..${end} is outside a split of ${split.count}`);
  }
  return {
    images: split.images.subarray(start * split.features, end * split.features),
    labels: split.labels.subarray(start, end),
    count: end - start,
    features: split.features,
  };
}
