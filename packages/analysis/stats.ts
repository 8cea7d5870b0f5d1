/**
 * Statistics over seeds: the 95% confidence interval of a mean (Student's t), Welch's t-test and
 * an exact permutation test of a difference in means, with the special functions they need (the
 * log-gamma function, the regularised incomplete beta function, Student's t distribution and its
 * quantiles). Everything is computed here, in double precision, with no table of constants: the
 * tests check the functions against closed forms and published tables. Like everything that
 * reaches a table, it uses only IEEE 754 operations and the functions of `@gradnets/core`'s
 * `ieee_math.ts` (never `Math.log`, `Math.exp` or `**`, whose results the engine chooses), so the
 * report's bytes do not depend on the JavaScript engine.
 *
 * @module
 */

import { exp, log, sin } from "@gradnets/core";

// Lanczos approximation of the gamma function, g = 7 and 9 coefficients (the set in Numerical
// Recipes 3rd ed. and Wikipedia's "Lanczos approximation"); relative error about 1e-15.
const LANCZOS_G = 7;
const LANCZOS = [
  0.99999999999980993,
  676.5203681218851,
  -1259.1392167224028,
  771.32342877765313,
  -176.61502916214059,
  12.507343278686905,
  -0.13857109526572012,
  9.9843695780195716e-6,
  1.5056327351493116e-7,
];

/**
 * The natural logarithm of the gamma function, for x > 0 (Lanczos approximation; below 0.5 by
 * the reflection formula).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { logGamma } from "@gradnets/analysis";
 * assert(Math.abs(logGamma(5) - Math.log(24)) < 1e-12); // 4!
 * assert(Math.abs(logGamma(0.5) - Math.log(Math.sqrt(Math.PI))) < 1e-12);
 * ```
 */
export function logGamma(x: number): number {
  if (!(x > 0)) throw new RangeError(`logGamma: x must be positive, got ${x}`);
  if (x < 0.5) {
    // Reflection: Gamma(x) Gamma(1 - x) = pi / sin(pi x).
    return log(Math.PI / sin(Math.PI * x)) - logGamma(1 - x);
  }
  const z = x - 1;
  let sum = LANCZOS[0];
  for (let i = 1; i < LANCZOS.length; i++) sum += LANCZOS[i] / (z + i);
  const t = z + LANCZOS_G + 0.5;
  return 0.5 * log(2 * Math.PI) + (z + 0.5) * log(t) - t + log(sum);
}

/**
 * The regularised incomplete beta function I_x(a, b) = B(x; a, b) / B(a, b), for x in [0, 1]
 * and a, b > 0 (fractional too), by the continued fraction of Numerical Recipes (section 6.4,
 * `betacf`, evaluated with the modified Lentz method), on the side of x where it converges fast.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { incompleteBeta } from "@gradnets/analysis";
 * assert(Math.abs(incompleteBeta(0.3, 2, 2) - (3 * 0.09 - 2 * 0.027)) < 1e-14); // 3x² - 2x³
 * assert(Math.abs(incompleteBeta(0.5, 7.5, 7.5) - 0.5) < 1e-14); // symmetric
 * ```
 */
export function incompleteBeta(x: number, a: number, b: number): number {
  if (!(a > 0 && b > 0)) throw new RangeError(`incompleteBeta: a and b must be positive`);
  if (!(x >= 0 && x <= 1)) throw new RangeError(`incompleteBeta: x must be in [0, 1], got ${x}`);
  if (x === 0 || x === 1) return x;
  const front = exp(logGamma(a + b) - logGamma(a) - logGamma(b) + a * log(x) + b * log(1 - x));
  // The continued fraction converges quickly for x < (a + 1) / (a + b + 2); otherwise use
  // I_x(a, b) = 1 - I_{1-x}(b, a).
  return x < (a + 1) / (a + b + 2)
    ? front * betaContinuedFraction(x, a, b) / a
    : 1 - front * betaContinuedFraction(1 - x, b, a) / b;
}

function betaContinuedFraction(x: number, a: number, b: number): number {
  const tiny = 1e-300, epsilon = 1e-16;
  const qab = a + b, qap = a + 1, qam = a - 1;
  let c = 1;
  let d = 1 - qab * x / qap;
  if (Math.abs(d) < tiny) d = tiny;
  d = 1 / d;
  let h = d;
  for (let m = 1; m <= 10000; m++) {
    const m2 = 2 * m;
    // Even step.
    let aa = m * (b - m) * x / ((qam + m2) * (a + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < tiny) d = tiny;
    c = 1 + aa / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    h *= d * c;
    // Odd step.
    aa = -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < tiny) d = tiny;
    c = 1 + aa / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    const delta = d * c;
    h *= delta;
    if (Math.abs(delta - 1) < epsilon) return h;
  }
  throw new RangeError(`incompleteBeta: no convergence at x = ${x}, a = ${a}, b = ${b}`);
}

/**
 * The cumulative distribution function of Student's t distribution with `df` degrees of
 * freedom (any df > 0, fractional as Welch's test gives), through the incomplete beta function:
 * P(T > |t|) = I_{df / (df + t²)}(df / 2, 1 / 2) / 2.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { studentTCdf } from "@gradnets/analysis";
 * // df = 1 is the Cauchy distribution: 1/2 + atan(t) / pi.
 * assert(Math.abs(studentTCdf(2, 1) - (0.5 + Math.atan(2) / Math.PI)) < 1e-14);
 * assert.equal(studentTCdf(0, 3.7), 0.5);
 * ```
 */
export function studentTCdf(t: number, df: number): number {
  if (!(df > 0)) throw new RangeError(`studentTCdf: df must be positive, got ${df}`);
  if (Number.isNaN(t)) return NaN;
  if (t === Infinity) return 1;
  if (t === -Infinity) return 0;
  const tail = 0.5 * incompleteBeta(df / (df + t * t), df / 2, 0.5);
  return t > 0 ? 1 - tail : tail;
}

/**
 * The two-sided tail probability P(|T| >= |t|) of Student's t with `df` degrees of freedom,
 * computed directly (no 1 - x cancellation for large |t|).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { studentTTwoSided } from "@gradnets/analysis";
 * assert(Math.abs(studentTTwoSided(4.302652729749464, 2) - 0.05) < 1e-12);
 * ```
 */
export function studentTTwoSided(t: number, df: number): number {
  if (!(df > 0)) throw new RangeError(`studentTTwoSided: df must be positive, got ${df}`);
  if (Number.isNaN(t)) return NaN;
  if (!Number.isFinite(t)) return 0;
  return incompleteBeta(df / (df + t * t), df / 2, 0.5);
}

/**
 * The quantile of Student's t: the t with P(T <= t) = p, for p in (0, 1) and df > 0, found by
 * bisection on {@linkcode studentTCdf} to double precision.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { studentTQuantile } from "@gradnets/analysis";
 * // The t of a 95% interval with 2 degrees of freedom (3 seeds): 4.303, as every table gives.
 * assert.equal(studentTQuantile(0.975, 2).toFixed(3), "4.303");
 * ```
 */
export function studentTQuantile(p: number, df: number): number {
  if (!(p > 0 && p < 1)) throw new RangeError(`studentTQuantile: p must be in (0, 1), got ${p}`);
  if (!(df > 0)) throw new RangeError(`studentTQuantile: df must be positive, got ${df}`);
  if (p === 0.5) return 0;
  if (p < 0.5) return -studentTQuantile(1 - p, df);
  let low = 0, high = 1;
  while (studentTCdf(high, df) < p) {
    low = high;
    high *= 2;
  }
  for (let i = 0; i < 200 && high - low > 1e-15 * high; i++) {
    const middle = (low + high) / 2;
    if (studentTCdf(middle, df) < p) low = middle;
    else high = middle;
  }
  return (low + high) / 2;
}

/** The mean of some values with its confidence interval. */
export interface MeanInterval {
  /** How many values. */
  readonly n: number;
  /** Their mean. */
  readonly mean: number;
  /** Sample standard deviation (n - 1). */
  readonly std: number;
  /** Half the width of the interval: t(1 - (1 - level) / 2, n - 1) std / sqrt(n). */
  readonly halfWidth: number;
  /** mean - halfWidth. */
  readonly low: number;
  /** mean + halfWidth. */
  readonly high: number;
}

/**
 * The confidence interval (95% by default) of the mean of `values`, from Student's t with n - 1
 * degrees of freedom: mean ± t std / sqrt(n). Null for fewer than two values (no interval).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { meanInterval } from "@gradnets/analysis";
 * const ci = meanInterval([0.97, 0.98, 0.99])!;
 * // std 0.01, t(0.975, 2) = 4.303: half-width 4.303 * 0.01 / sqrt(3).
 * assert.equal(ci.halfWidth.toFixed(5), "0.02484");
 * assert.equal(meanInterval([0.5]), null);
 * ```
 */
export function meanInterval(values: readonly number[], level = 0.95): MeanInterval | null {
  if (!(level > 0 && level < 1)) throw new RangeError(`level must be in (0, 1), got ${level}`);
  const n = values.length;
  if (n < 2) return null;
  const mean = values.reduce((a, b) => a + b, 0) / n;
  const std = Math.sqrt(values.reduce((s, v) => s + (v - mean) * (v - mean), 0) / (n - 1));
  const halfWidth = studentTQuantile(1 - (1 - level) / 2, n - 1) * std / Math.sqrt(n);
  return { n, mean, std, halfWidth, low: mean - halfWidth, high: mean + halfWidth };
}

/** The outcome of {@linkcode welchTest}. */
export interface WelchResult {
  /** Mean of a minus mean of b. */
  readonly difference: number;
  /** The t statistic (infinite when both samples have no spread and their means differ). */
  readonly t: number;
  /** Welch-Satterthwaite degrees of freedom (fractional). */
  readonly df: number;
  /** Two-sided p-value. */
  readonly p: number;
}

/**
 * Welch's t-test of equal means, two-sided, without assuming equal variances: t = (mean_a -
 * mean_b) / sqrt(s_a²/n_a + s_b²/n_b), with the Welch-Satterthwaite degrees of freedom. Needs
 * two values a side; null otherwise. When neither sample varies, p is 1 for equal means and 0
 * for different ones (df then n_a + n_b - 2).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { welchTest } from "@gradnets/analysis";
 * // Equal variances and sizes: t = -3 / sqrt(2/3), df = 4.
 * const { t, df, p } = welchTest([1, 2, 3], [4, 5, 6])!;
 * assert.equal(t.toFixed(4), "-3.6742");
 * assert.equal(df, 4);
 * assert.equal(p.toFixed(4), "0.0213");
 * ```
 */
export function welchTest(a: readonly number[], b: readonly number[]): WelchResult | null {
  if (a.length < 2 || b.length < 2) return null;
  const stats = (x: readonly number[]) => {
    const mean = x.reduce((s, v) => s + v, 0) / x.length;
    const variance = x.reduce((s, v) => s + (v - mean) * (v - mean), 0) / (x.length - 1);
    return { mean, se2: variance / x.length, n: x.length };
  };
  const sa = stats(a), sb = stats(b);
  const difference = sa.mean - sb.mean;
  const se2 = sa.se2 + sb.se2;
  if (se2 === 0) {
    return {
      difference,
      t: difference === 0 ? 0 : Math.sign(difference) * Infinity,
      df: sa.n + sb.n - 2,
      p: difference === 0 ? 1 : 0,
    };
  }
  const t = difference / Math.sqrt(se2);
  const df = se2 * se2 / (sa.se2 * sa.se2 / (sa.n - 1) + sb.se2 * sb.se2 / (sb.n - 1));
  return { difference, t, df, p: studentTTwoSided(t, df) };
}

/** The outcome of {@linkcode permutationTest}. */
export interface PermutationResult {
  /** Mean of a minus mean of b. */
  readonly difference: number;
  /** Splits of the pooled values whose |difference in means| is at least the observed one. */
  readonly extreme: number;
  /** Every split: C(n_a + n_b, n_a). */
  readonly splits: number;
  /** Two-sided p-value, extreme / splits (the observed split counts, so p >= 1 / splits). */
  readonly p: number;
}

/** The most splits {@linkcode permutationTest} enumerates (C(20, 10) = 184756 fits). */
export const MAX_PERMUTATION_SPLITS = 1_000_000;

/**
 * The exact two-sided permutation test of a difference in means: pools a and b, enumerates
 * every way to split the pool into groups of their sizes (C(n_a + n_b, n_a) splits: 20 for 3
 * against 3 seeds, 252 for 5 against 5), and counts the splits whose |difference in means| is at
 * least the observed one (within a relative 1e-9, so that ties in floating point count as
 * ties). Null when a side is empty; a RangeError beyond {@linkcode MAX_PERMUTATION_SPLITS}.
 * With 3 seeds a side the smallest possible p is 2/20 = 0.1.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { permutationTest } from "@gradnets/analysis";
 * const r = permutationTest([4, 5, 6], [1, 2, 3])!;
 * assert.deepEqual([r.extreme, r.splits, r.p], [2, 20, 0.1]); // only the two extreme splits
 * assert.equal(permutationTest([1, 2], [1, 2])!.p, 1);
 * ```
 */
export function permutationTest(
  a: readonly number[],
  b: readonly number[],
): PermutationResult | null {
  const na = a.length, nb = b.length;
  if (na === 0 || nb === 0) return null;
  const splits = binomial(na + nb, na);
  if (splits > MAX_PERMUTATION_SPLITS) {
    throw new RangeError(
      `permutationTest: ${splits} splits of ${na} + ${nb} values (at most ${MAX_PERMUTATION_SPLITS})`,
    );
  }
  const pool = [...a, ...b];
  const total = pool.reduce((s, v) => s + v, 0);
  const sumA = a.reduce((s, v) => s + v, 0);
  const diff = (sum: number) => sum / na - (total - sum) / nb;
  const difference = diff(sumA);
  const observed = Math.abs(difference);
  const scale = Math.max(...pool.map(Math.abs), 1e-300);
  const tolerance = 1e-9 * scale;
  // Every na-subset of the pool's indices, in lexicographic order.
  const index = Array.from({ length: na }, (_, i) => i);
  let extreme = 0;
  while (true) {
    let sum = 0;
    for (const i of index) sum += pool[i];
    if (Math.abs(diff(sum)) >= observed - tolerance) extreme++;
    let k = na - 1;
    while (k >= 0 && index[k] === pool.length - na + k) k--;
    if (k < 0) break;
    index[k]++;
    for (let j = k + 1; j < na; j++) index[j] = index[j - 1] + 1;
  }
  return { difference, extreme, splits, p: extreme / splits };
}

/** C(n, k), exact for the sizes the tests enumerate. */
function binomial(n: number, k: number): number {
  let result = 1;
  for (let i = 1; i <= k; i++) result = result * (n - k + i) / i;
  return Math.round(result);
}
