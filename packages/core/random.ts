/**
 * The seeded pseudo-random generator from which all of a run's randomness derives:
 * initialisation, shuffling and dropout masks. One seed per run; independent streams are
 * forked from it by name, so that adding a new consumer of randomness does not shift the
 * numbers drawn by the existing ones.
 *
 * The generator is xoshiro128** (Blackman and Vigna), seeded through splitmix32. It is written
 * here, in 32-bit integer arithmetic, because its output must be identical on every platform and
 * because named forks are needed; the npm generators (seedrandom and tfjs's seeded ops) offer
 * neither stream splitting nor truncated-normal sampling from a shared stream.
 *
 * @module
 */

import { cos, log } from "./ieee_math.ts";

/**
 * A seeded generator of uniform, normal and truncated-normal numbers.
 *
 * @example Same seed, same numbers
 * ```ts
 * import assert from "node:assert/strict";
 * import { Random } from "@gradnets/core";
 * const a = new Random(42), b = new Random(42);
 * assert(a.uniform() === b.uniform());
 * assert(a.fork("init").uniform() !== a.fork("data").uniform());
 * ```
 */
export class Random {
  #s0: number;
  #s1: number;
  #s2: number;
  #s3: number;
  /** The seed this generator was made from. */
  readonly seed: number;

  /** Creates a generator from a 32-bit integer seed (other numbers are reduced to 32 bits). */
  constructor(seed: number) {
    if (!Number.isFinite(seed)) throw new RangeError(`seed must be a finite number, got ${seed}`);
    this.seed = seed >>> 0;
    let state = this.seed;
    const next = () => {
      // splitmix32: spreads a small seed over the 128-bit state.
      state = (state + 0x9e3779b9) | 0;
      let z = state;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
      return (z ^ (z >>> 16)) >>> 0;
    };
    this.#s0 = next();
    this.#s1 = next();
    this.#s2 = next();
    this.#s3 = next();
  }

  /** The next uniform 32-bit unsigned integer. */
  nextUint32(): number {
    const s0 = this.#s0, s1 = this.#s1, s2 = this.#s2, s3 = this.#s3;
    const result = Math.imul(rotl(Math.imul(s1, 5), 7), 9) >>> 0;
    const t = s1 << 9;
    this.#s2 = s2 ^ s0;
    this.#s3 = s3 ^ s1;
    this.#s1 = s1 ^ this.#s2;
    this.#s0 = s0 ^ this.#s3;
    this.#s2 = this.#s2 ^ t;
    this.#s3 = rotl(this.#s3, 11);
    return result;
  }

  /** A uniform number in [0, 1) with 32 random bits. */
  uniform(): number {
    return this.nextUint32() / 4294967296;
  }

  /**
   * A standard normal number (Box-Muller; the second value of each pair is discarded), with the
   * engine-independent `log` and `cos` of `ieee_math.ts`.
   */
  normal(): number {
    // 1 - uniform() is in (0, 1], so the logarithm is finite.
    const u = 1 - this.uniform();
    const v = this.uniform();
    return Math.sqrt(-2 * log(u)) * cos(2 * Math.PI * v);
  }

  /**
   * A normal number of mean 0 and standard deviation `std` before truncation, redrawn while it
   * falls more than two standard deviations from 0 (TensorFlow's `truncated_normal`).
   */
  truncatedNormal(std: number): number {
    for (;;) {
      const z = this.normal();
      if (Math.abs(z) <= 2) return z * std;
    }
  }

  /**
   * An independent generator named `label`, derived from this generator's seed only (not from
   * how many numbers it has drawn), so forks are stable however the parent is used.
   */
  fork(label: string): Random {
    // FNV-1a over the label, mixed with the seed.
    let hash = 0x811c9dc5 ^ this.seed;
    for (let i = 0; i < label.length; i++) {
      hash = Math.imul(hash ^ label.charCodeAt(i), 0x01000193);
    }
    return new Random(hash >>> 0);
  }
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}
