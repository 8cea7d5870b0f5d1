/**
 * Initial values of weights and biases, drawn from a seeded {@linkcode Random}.
 *
 * @module
 */

import type { Random } from "./random.ts";

/**
 * How a weight matrix is initialised.
 * - `truncated-normal`: normal of standard deviation `std`, redrawn beyond 2 std (the notebook's, std 0.1).
 * - `he`: truncated normal with std sqrt(2 / fanIn) / 0.8796 (the truncation's own shrink undone).
 * - `glorot`: uniform in +-sqrt(6 / (fanIn + fanOut)).
 */
export type Initializer =
  | { readonly kind: "truncated-normal"; readonly std: number }
  | { readonly kind: "he" }
  | { readonly kind: "glorot" };

/** Standard deviation of a standard normal truncated at +-2. */
const TRUNCATED_STD = 0.8796256610342398;

/**
 * A `fanIn x fanOut` weight matrix, row-major.
 *
 * @example
 * ```ts
 * import { initialWeights, Random } from "@gradnets/core";
 * const w = initialWeights({ kind: "truncated-normal", std: 0.1 }, 784, 50, new Random(1));
 * console.assert(w.length === 784 * 50 && w.every((v) => Math.abs(v) <= 0.2));
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
  }
  return out;
}

/**
 * A problem with an initialiser's parameters, or `undefined`.
 *
 * @example
 * ```ts
 * import { validateInitializer } from "@gradnets/core";
 * console.assert(validateInitializer({ kind: "truncated-normal", std: -1 }) !== undefined);
 * ```
 */
export function validateInitializer(init: Initializer): string | undefined {
  switch (init.kind) {
    case "truncated-normal":
      return init.std > 0 && Number.isFinite(init.std)
        ? undefined
        : `init std must be a number > 0, got ${init.std}`;
    case "he":
    case "glorot":
      return undefined;
    default:
      return `unknown initialiser ${(init as { kind: unknown }).kind}`;
  }
}
