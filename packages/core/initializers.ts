/**
 * Initial values of weights and biases, drawn from a seeded {@linkcode Random}.
 *
 * @module
 */

import type { Random } from "./random.ts";

/**
 * How a weight matrix is initialised.
 * - `truncated-normal`: normal of standard deviation `std`, redrawn beyond 2 std (the notebook's, std 0.1).
 * - `he`: He et al. 2015 for ReLU, normal with std sqrt(2 / fanIn) (drawn truncated at 2 std
 *   and rescaled so that the std is exactly that).
 * - `glorot`: Glorot and Bengio 2010, uniform in +-sqrt(6 / (fanIn + fanOut)).
 * - `orthogonal`: Saxe et al. 2014, a random matrix with orthonormal rows or columns, times `gain`.
 */
export type Initializer =
  | { readonly kind: "truncated-normal"; readonly std: number }
  | { readonly kind: "he" }
  | { readonly kind: "glorot" }
  | { readonly kind: "orthogonal"; readonly gain: number };

/** The names of the initialisers, for validating user input. */
export const INITIALIZERS: readonly Initializer["kind"][] = [
  "truncated-normal",
  "he",
  "glorot",
  "orthogonal",
];

/** Standard deviation of a standard normal truncated at +-2. */
const TRUNCATED_STD = 0.8796256610342398;

/**
 * A `fanIn x fanOut` weight matrix, row-major.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { initialWeights, Random } from "@gradnets/core";
 * const w = initialWeights({ kind: "truncated-normal", std: 0.1 }, 784, 50, new Random(1));
 * assert(w.length === 784 * 50 && w.every((v) => Math.abs(v) <= 0.2));
 * ```
 */
export function initialWeights(
  init: Initializer,
  fanIn: number,
  fanOut: number,
  random: Random,
): Float32Array {
  const out = new Float32Array(fanIn * fanOut);
  switch (init.kind) {
    case "truncated-normal":
      for (let i = 0; i < out.length; i++) out[i] = random.truncatedNormal(init.std);
      break;
    case "he": {
      const std = Math.sqrt(2 / fanIn) / TRUNCATED_STD;
      for (let i = 0; i < out.length; i++) out[i] = random.truncatedNormal(std);
      break;
    }
    case "glorot": {
      const limit = Math.sqrt(6 / (fanIn + fanOut));
      for (let i = 0; i < out.length; i++) out[i] = (2 * random.uniform() - 1) * limit;
      break;
    }
    case "orthogonal":
      out.set(orthogonal(fanIn, fanOut, random).map((v) => v * init.gain));
      break;
  }
  return out;
}

/**
 * A `rows x cols` matrix with orthonormal columns (rows >= cols) or rows (rows < cols), from
 * modified Gram-Schmidt on a normal matrix, in double precision. Signs follow the QR convention
 * of a positive diagonal, which makes the distribution uniform (Haar).
 */
function orthogonal(rows: number, cols: number, random: Random): Float64Array {
  const tall = rows >= cols;
  const n = tall ? rows : cols; // length of each vector
  const k = tall ? cols : rows; // number of orthonormal vectors
  const vectors = Array.from(
    { length: k },
    () => Float64Array.from({ length: n }, () => random.normal()),
  );
  for (let i = 0; i < k; i++) {
    const v = vectors[i];
    for (let j = 0; j < i; j++) {
      const u = vectors[j];
      let dot = 0;
      for (let t = 0; t < n; t++) dot += u[t] * v[t];
      for (let t = 0; t < n; t++) v[t] -= dot * u[t];
    }
    let norm = 0;
    for (let t = 0; t < n; t++) norm += v[t] * v[t];
    norm = Math.sqrt(norm);
    for (let t = 0; t < n; t++) v[t] /= norm;
  }
  const out = new Float64Array(rows * cols);
  for (let i = 0; i < k; i++) {
    for (let t = 0; t < n; t++) {
      if (tall) out[t * cols + i] = vectors[i][t];
      else out[i * cols + t] = vectors[i][t];
    }
  }
  return out;
}

/**
 * A problem with an initialiser's parameters, or `undefined`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { validateInitializer } from "@gradnets/core";
 * assert(validateInitializer({ kind: "truncated-normal", std: -1 }) !== undefined);
 * ```
 */
export function validateInitializer(init: Initializer): string | undefined {
  switch (init.kind) {
    case "truncated-normal":
      return init.std > 0 && Number.isFinite(init.std)
        ? undefined
        : `init std must be a number > 0, got ${init.std}`;
    case "orthogonal":
      return init.gain > 0 && Number.isFinite(init.gain)
        ? undefined
        : `orthogonal init gain must be a number > 0, got ${init.gain}`;
    case "he":
    case "glorot":
      return undefined;
    default:
      return `unknown initialiser ${JSON.stringify((init as { kind: unknown })?.kind)} (known: ${
        INITIALIZERS.join(", ")
      })`;
  }
}
