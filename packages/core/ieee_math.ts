/**
 * Elementary functions whose results do not depend on the JavaScript engine. IEEE 754 fixes the
 * results of +, -, *, /, sqrt and conversions, but not those of `Math.exp`, `Math.log`,
 * `Math.cos` or `**`: engines compute them with their own libraries and change them between
 * versions (V8 14.7 and 15.0 differ in the last bits), so a seeded run would log another loss.
 * The functions here use only the operations IEEE 754 fixes (and integer and bit operations),
 * in double precision, so they give the same bits on every engine and machine.
 *
 * Accuracy against the engine's `Math.*` (measured by `ieee_math_test.ts` on random and edge
 * inputs): {@linkcode exp}, {@linkcode sin} and {@linkcode cos} are the fdlibm algorithms
 * (error < 1 ulp); {@linkcode log} and {@linkcode powInt} are computed in double-double and
 * rounded once (error about 0.5 ulp); {@linkcode pow} is `exp(y log x)` with the product in
 * double-double (error about 1 ulp).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { exp, log } from "@gradnets/core";
 * assert(exp(0) === 1 && log(1) === 0);
 * assert(Math.abs(log(exp(2)) - 2) < 1e-15);
 * ```
 *
 * @module
 */

// ---------------------------------------------------------------------------------------------
// Bits of a double. Typed arrays share the platform's byte order; HI picks the high word.
// ---------------------------------------------------------------------------------------------

const f64 = new Float64Array(1);
const u32 = new Uint32Array(f64.buffer);
const HI = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1 ? 1 : 0;
const LO = 1 - HI;

function highWord(x: number): number {
  f64[0] = x;
  return u32[HI] | 0;
}

function fromWords(hi: number, lo: number): number {
  u32[HI] = hi;
  u32[LO] = lo;
  return f64[0];
}

/** 2^k for an integer k in [-1022, 1023], exactly. */
function pow2(k: number): number {
  return fromWords((k + 1023) << 20, 0);
}

const TWO54 = 18014398509481984; // 2^54
const TWO_M28 = 3.725290298461914e-9; // 2^-28
const TWO_M64 = 5.421010862427522e-20; // 2^-64

// ---------------------------------------------------------------------------------------------
// Double-double arithmetic (Dekker, Knuth): a value hi + lo with |lo| <= ulp(hi) / 2, from
// operations that are exact in IEEE 754.
// ---------------------------------------------------------------------------------------------

let ddLo = 0; // the low part of the last double-double result (saves allocating pairs)

/** a + b = result + ddLo exactly. */
function twoSum(a: number, b: number): number {
  const s = a + b;
  const bb = s - a;
  ddLo = (a - (s - bb)) + (b - bb);
  return s;
}

const SPLIT = 134217729; // 2^27 + 1
const SPLIT_MAX = 6.696928794914171e+299; // 2^996: beyond it a * SPLIT overflows

/** a * b = result + ddLo exactly (Veltkamp splitting), unless an operand exceeds 2^996. */
function twoProduct(a: number, b: number): number {
  const p = a * b;
  if (!(Math.abs(a) < SPLIT_MAX && Math.abs(b) < SPLIT_MAX && Math.abs(p) < SPLIT_MAX)) {
    ddLo = 0;
    return p;
  }
  let t = SPLIT * a;
  const ah = t - (t - a), al = a - ah;
  t = SPLIT * b;
  const bh = t - (t - b), bl = b - bh;
  ddLo = ((ah * bh - p) + ah * bl + al * bh) + al * bl;
  return p;
}

/** (ah + al) * (bh + bl) as a double-double: result + ddLo. */
function ddMul(ah: number, al: number, bh: number, bl: number): number {
  const p = twoProduct(ah, bh);
  if (!Number.isFinite(p)) {
    ddLo = 0;
    return p;
  }
  const e = ddLo + (ah * bl + al * bh);
  return twoSum(p, e);
}

// ---------------------------------------------------------------------------------------------
// exp: fdlibm's e_exp.c (Sun Microsystems, 1993), with a low part for the argument.
// ---------------------------------------------------------------------------------------------

const O_THRESHOLD = 7.09782712893383973096e+02; // above: exp overflows
const U_THRESHOLD = -7.45133219101941108420e+02; // below: exp underflows to 0
const LN2 = 0.6931471805599453;
const LN2_HI = 6.93147180369123816490e-01; // 32 significant bits: k * LN2_HI is exact
const LN2_LO = 1.90821492927058770002e-10; // ln 2 - LN2_HI
const INV_LN2 = 1.44269504088896338700e+00;
const P1 = 1.66666666666666019037e-01;
const P2 = -2.77777777770155933842e-03;
const P3 = 6.61375632143793436117e-05;
const P4 = -1.65339022054652515390e-06;
const P5 = 4.13813679705723846039e-08;

/** e^(x + xl) for |xl| <= ulp(x): x = k ln2 + r, |r| <= ln2 / 2, a rational approximation. */
function expOf(x: number, xl: number): number {
  if (x !== x) return x;
  if (x > O_THRESHOLD) return Infinity;
  if (x < U_THRESHOLD) return 0;
  const ax = Math.abs(x);
  if (ax < TWO_M28) return 1 + (x + xl);
  let k = 0, hi = x, lo = -xl;
  if (ax > 0.5 * LN2) {
    k = ax < 1.5 * LN2 ? (x < 0 ? -1 : 1) : Math.trunc(INV_LN2 * x + (x < 0 ? -0.5 : 0.5));
    hi = x - k * LN2_HI;
    lo = k * LN2_LO - xl;
  }
  const r = hi - lo;
  const t = r * r;
  const c = r - t * (P1 + t * (P2 + t * (P3 + t * (P4 + t * P5))));
  const y = 1 - ((lo - (r * c) / (2 - c)) - hi);
  if (k >= -1021) return k <= 1023 ? y * pow2(k) : y * pow2(1023) * 2;
  return y * pow2(k + 1000) * pow2(-1000);
}

/**
 * e^x, within 1 ulp (fdlibm's algorithm): the same bits on every engine, unlike `Math.exp`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { exp } from "@gradnets/core";
 * assert(exp(0) === 1 && exp(-Infinity) === 0 && exp(1000) === Infinity);
 * assert(Math.abs(exp(1) - Math.E) < 1e-15);
 * ```
 */
export function exp(x: number): number {
  return expOf(x, 0);
}

// ---------------------------------------------------------------------------------------------
// log, in double-double: x = 2^k m, m in [sqrt(1/2), sqrt(2)), log m = 2 atanh(s) with
// s = (m - 1) / (m + 1), |s| <= 0.1716.
// ---------------------------------------------------------------------------------------------

const SQRT2 = 1.4142135623730951;
const TWO_THIRDS_HI = 0.6666666666666666;
const TWO_THIRDS_LO = 3.700743415417188e-17;
// 2 / (2i + 1) for i = 2..13: the series of 2 atanh(s) / s from its s^4 term; the next term is
// below 2^-75 of the sum.
const ATANH = [
  2 / 5,
  2 / 7,
  2 / 9,
  2 / 11,
  2 / 13,
  2 / 15,
  2 / 17,
  2 / 19,
  2 / 21,
  2 / 23,
  2 / 25,
  2 / 27,
];

/** log x for finite x > 0 as a double-double: result + ddLo, relative error below 2^-64. */
function logOf(x: number): number {
  let k = 0;
  if (x < 2.2250738585072014e-308) {
    x *= TWO54; // subnormal: scale into the normal range
    k = -54;
  }
  const hx = highWord(x);
  k += (hx >> 20) - 1023;
  f64[0] = x;
  u32[HI] = (hx & 0x000fffff) | 0x3ff00000;
  let m = f64[0]; // in [1, 2)
  if (m > SQRT2) {
    m *= 0.5;
    k += 1;
  }
  const f = m - 1; // exact (Sterbenz)
  // s = f / (2 + f) as sh + sl
  const dh = twoSum(2, f), dl = ddLo;
  const sh = f / dh;
  const p = twoProduct(sh, dh), pe = ddLo;
  const sl = (((f - p) - pe) - sh * dl) / dh;
  // s^3 as c3 + c3l
  const s2 = twoProduct(sh, sh), s2l = ddLo;
  const c3 = twoProduct(s2, sh);
  const c3l = ddLo + s2l * sh + 3 * s2 * sl;
  // (2/3) s^3 as t3 + t3l
  const t3 = twoProduct(c3, TWO_THIRDS_HI);
  const t3l = ddLo + c3 * TWO_THIRDS_LO + c3l * TWO_THIRDS_HI;
  // the rest: s^5 (2/5 + s^2 (2/7 + ...))
  const z = sh * sh;
  let q = ATANH[ATANH.length - 1];
  for (let i = ATANH.length - 2; i >= 0; i--) q = ATANH[i] + z * q;
  const tail = sh * z * z * q;
  // log m = 2s + (2/3)s^3 + tail, then + k ln 2
  let h = twoSum(2 * sh, t3);
  let l = ddLo + (2 * sl + t3l + tail);
  h = twoSum(h, l);
  l = ddLo;
  if (k === 0) return h;
  const kh = k * LN2_HI; // exact
  const s = twoSum(kh, h);
  const sLo = ddLo + (l + k * LN2_LO);
  return twoSum(s, sLo);
}

/**
 * The natural logarithm, correctly rounded but in rare cases (computed in double-double): the
 * same bits on every engine, unlike `Math.log`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { log } from "@gradnets/core";
 * assert(log(1) === 0 && log(0) === -Infinity && Number.isNaN(log(-1)));
 * assert(log(Math.E) === 1);
 * ```
 */
export function log(x: number): number {
  if (!(x > 0)) return x === 0 ? -Infinity : NaN; // -0 too; NaN and negatives give NaN
  if (x === Infinity) return x;
  return logOf(x);
}

// ---------------------------------------------------------------------------------------------
// sin and cos: fdlibm's k_sin.c, k_cos.c and e_rem_pio2.c (medium arguments), and an exact
// reduction in BigInt arithmetic for huge arguments.
// ---------------------------------------------------------------------------------------------

const S1 = -1.66666666666666324348e-01;
const S2 = 8.33333333332248946124e-03;
const S3 = -1.98412698298579493134e-04;
const S4 = 2.75573137070700676789e-06;
const S5 = -2.50507602534068634195e-08;
const S6 = 1.58969099521155010221e-10;
const C1 = 4.16666666666666019037e-02;
const C2 = -1.38888888888741095749e-03;
const C3 = 2.48015872894767294178e-05;
const C4 = -2.75573143513906633035e-07;
const C5 = 2.08757232129817482790e-09;
const C6 = -1.13596475577881948265e-11;

/** sin(x + y) for |x| <= pi/4, |y| <= ulp(x) / 2. */
function kernelSin(x: number, y: number): number {
  const z = x * x, v = z * x;
  const r = S2 + z * (S3 + z * (S4 + z * (S5 + z * S6)));
  return x - ((z * (0.5 * y - v * r) - y) - v * S1);
}

/** cos(x + y) for |x| <= pi/4, |y| <= ulp(x) / 2. */
function kernelCos(x: number, y: number): number {
  const z = x * x, w = z * z;
  const r = z * (C1 + z * (C2 + z * C3)) + w * w * (C4 + z * (C5 + z * C6));
  const hz = 0.5 * z;
  const v = 1 - hz;
  return v + (((1 - v) - hz) + (z * r - x * y));
}

const PIO4 = 0.7853981633974483;
const INV_PIO2 = 6.36619772367581382433e-01;
const PIO2_1 = 1.57079632673412561417e+00; // first 33 bits of pi/2
const PIO2_1T = 6.07710050650619224932e-11; // pi/2 - PIO2_1
const PIO2_2 = 6.07710050630396597660e-11; // second 33 bits of pi/2
const PIO2_2T = 2.02226624879595063154e-21; // pi/2 - (PIO2_1 + PIO2_2)
const PIO2_3 = 2.02226624871116645580e-21; // third 33 bits of pi/2
const PIO2_3T = 8.47842766036889956997e-32; // pi/2 - (PIO2_1 + PIO2_2 + PIO2_3)
const PIO2_HI = 1.5707963267948966;
const PIO2_LO = 6.123233995736766e-17;
const MEDIUM = 823549.6703755602; // 2^19 pi/2: below, fdlibm's three-step reduction

let remLo = 0; // the low part of the reduced argument of the last remPio2
let quadrant = 0; // n mod 4 of the last remPio2

/** x - n pi/2 = result + remLo with |result| <= pi/4 and n mod 4 in `quadrant`. */
function remPio2(x: number): number {
  const ax = Math.abs(x);
  let y0: number;
  let n: number;
  if (ax <= MEDIUM) {
    n = Math.trunc(ax * INV_PIO2 + 0.5);
    let r = ax - n * PIO2_1; // exact: n has at most 20 bits, PIO2_1 33
    let w = n * PIO2_1T;
    y0 = r - w;
    const j = (highWord(ax) >> 20) & 0x7ff;
    if (j - ((highWord(y0) >> 20) & 0x7ff) > 16) {
      // cancellation: a second step, good to 118 bits
      let t = r;
      w = n * PIO2_2;
      r = t - w;
      w = n * PIO2_2T - ((t - r) - w);
      y0 = r - w;
      if (j - ((highWord(y0) >> 20) & 0x7ff) > 49) {
        // a third step, 151 bits: enough for every double
        t = r;
        w = n * PIO2_3;
        r = t - w;
        w = n * PIO2_3T - ((t - r) - w);
        y0 = r - w;
      }
    }
    remLo = (r - y0) - w;
  } else {
    y0 = remPio2Huge(ax);
    n = quadrant;
  }
  if (x < 0) {
    y0 = -y0;
    remLo = -remLo;
    n = -n;
  }
  quadrant = n & 3;
  return y0;
}

// 2/pi in fixed point, 2^PI_BITS * 2/pi, computed once from Machin's formula in BigInt.
const PI_BITS = 1300n;
let twoOverPi: bigint | undefined;

function twoOverPiFixed(): bigint {
  if (twoOverPi === undefined) {
    const bits = 1500n, one = 1n << bits;
    const atanInv = (k: bigint) => {
      let sum = 0n, term = one / k, n = 1n, sign = 1n;
      for (; term !== 0n; term /= k * k, n += 2n, sign = -sign) sum += sign * (term / n);
      return sum;
    };
    const pi = 4n * (4n * atanInv(5n) - atanInv(239n)); // pi * 2^bits
    twoOverPi = (2n << (bits + PI_BITS)) / pi;
  }
  return twoOverPi;
}

/**
 * The reduction of a huge finite ax > 0: ax = m 2^e exactly, ax * 2/pi in fixed point with 128
 * fraction bits (a double is never closer than 2^-62 to a multiple of pi/2, so 66 bits remain),
 * rounded to the nearest integer n; returns (ax 2/pi - n) pi/2 as result + remLo.
 */
function remPio2Huge(ax: number): number {
  const FRACTION = 128n;
  const hx = highWord(ax);
  const e = ((hx >> 20) & 0x7ff) - 1075; // ax = m 2^e with m a 53-bit integer
  f64[0] = ax;
  const m = (BigInt(u32[HI] & 0x000fffff | 0x00100000) << 32n) | BigInt(u32[LO]);
  const scaled = (m * twoOverPiFixed()) >> (PI_BITS - BigInt(e) - FRACTION);
  let n = scaled >> FRACTION;
  let frac = scaled & ((1n << FRACTION) - 1n);
  if (frac >= 1n << (FRACTION - 1n)) {
    n += 1n;
    frac -= 1n << FRACTION;
  }
  quadrant = Number(n & 3n);
  const rh = Number(frac);
  const rl = Number(frac - BigInt(rh));
  const unit = pow2(-128);
  const y = ddMul(rh * unit, rl * unit, PIO2_HI, PIO2_LO);
  remLo = ddLo;
  return y;
}

/**
 * The sine, within 1 ulp (fdlibm's algorithm, with an exact argument reduction): the same bits
 * on every engine, unlike `Math.sin`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { sin } from "@gradnets/core";
 * assert(sin(0) === 0 && Object.is(sin(-0), -0) && Number.isNaN(sin(Infinity)));
 * assert(Math.abs(sin(Math.PI / 6) - 0.5) < 1e-16);
 * ```
 */
export function sin(x: number): number {
  if (Math.abs(x) <= PIO4) return Math.abs(x) < TWO_M28 ? x : kernelSin(x, 0);
  if (!Number.isFinite(x)) return NaN;
  const y = remPio2(x), yl = remLo;
  switch (quadrant) {
    case 0:
      return kernelSin(y, yl);
    case 1:
      return kernelCos(y, yl);
    case 2:
      return -kernelSin(y, yl);
    default:
      return -kernelCos(y, yl);
  }
}

/**
 * The cosine, within 1 ulp (fdlibm's algorithm, with an exact argument reduction): the same
 * bits on every engine, unlike `Math.cos`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { cos } from "@gradnets/core";
 * assert(cos(0) === 1 && Number.isNaN(cos(NaN)));
 * assert(Math.abs(cos(Math.PI / 3) - 0.5) < 1e-15);
 * ```
 */
export function cos(x: number): number {
  if (Math.abs(x) <= PIO4) return Math.abs(x) < TWO_M28 ? 1 : kernelCos(x, 0);
  if (!Number.isFinite(x)) return NaN;
  const y = remPio2(x), yl = remLo;
  switch (quadrant) {
    case 0:
      return kernelCos(y, yl);
    case 1:
      return -kernelSin(y, yl);
    case 2:
      return -kernelCos(y, yl);
    default:
      return kernelSin(y, yl);
  }
}

// ---------------------------------------------------------------------------------------------
// Powers
// ---------------------------------------------------------------------------------------------

/**
 * x^n for an integer n, by binary exponentiation in double-double, rounded once: within about
 * 0.5 ulp where the result is a normal number (a plain product loop would lose log2(n) bits).
 * Special values follow `Math.pow` (`powInt(x, 0) === 1` even for NaN).
 *
 * @example Adam's bias correction
 * ```ts
 * import assert from "node:assert/strict";
 * import { powInt } from "@gradnets/core";
 * assert(powInt(2, 10) === 1024 && powInt(2, -2) === 0.25 && powInt(-3, 3) === -27);
 * assert(Math.abs(powInt(0.999, 1000) - 0.36769542477096373) < 1e-16);
 * ```
 */
export function powInt(x: number, n: number): number {
  if (!Number.isInteger(n)) throw new RangeError(`powInt needs an integer exponent, got ${n}`);
  if (n === 0) return 1;
  if (x !== x) return NaN;
  let count = Math.abs(n);
  if (x === 0 || !Number.isFinite(x)) {
    // exact in plain arithmetic: 0, Infinity and their signs
    let r = 1, b = x;
    for (; count > 0; count = Math.floor(count / 2), b = b * b) if (count % 2 === 1) r *= b;
    return n < 0 ? 1 / r : r;
  }
  if (n > 0) {
    const rh = powDD(x, 0, count);
    return rh === 0 ? (x < 0 && count % 2 === 1 ? -0 : 0) : Number.isFinite(rh) ? rh + ddLo : rh;
  }
  // 1 / x^|n| from x^|n| as a double-double, while that is in range; it is scaled by 2^-64
  // when huge (Veltkamp's splitting would overflow) and the correction by 2^54 when the result
  // is near the subnormals (the correction would underflow)
  let ph = powDD(x, 0, count), pl = ddLo;
  if (Number.isFinite(ph) && Math.abs(ph) > 1e-290) {
    const big = Math.abs(ph) >= SPLIT_MAX;
    if (big) {
      ph *= TWO_M64;
      pl *= TWO_M64;
    }
    const q = 1 / ph;
    const p = twoProduct(q, ph);
    const delta = ((1 - p) - ddLo) - q * pl; // 1 - q x^|n|, relative
    if (big) return (q + delta * q) * TWO_M64;
    return Math.abs(q) > 1e-290 ? q + delta * q : (q * TWO54 + delta * (q * TWO54)) / TWO54;
  }
  // else (1 / x)^|n|, 1 / x as a double-double: the result is near overflow or underflow
  const bh = 1 / x;
  let bl = 0;
  if (Number.isFinite(bh)) {
    const p = twoProduct(bh, x);
    bl = ((1 - p) - ddLo) * bh; // (1 - bh x) / x
  }
  const rh = powDD(bh, bl, count);
  return rh === 0 ? (x < 0 && count % 2 === 1 ? -0 : 0) : Number.isFinite(rh) ? rh + ddLo : rh;
}

/** (bh + bl)^count for an integer count > 0, as a double-double: result + ddLo. */
function powDD(bh: number, bl: number, count: number): number {
  let rh = 1, rl = 0;
  for (;;) {
    if (count % 2 === 1) {
      rh = ddMul(rh, rl, bh, bl);
      rl = ddLo;
    }
    count = Math.floor(count / 2);
    if (count === 0) break;
    bh = ddMul(bh, bl, bh, bl);
    bl = ddLo;
  }
  ddLo = rl;
  return rh;
}

/**
 * x^y with the special values of `Math.pow` (and of `**`): integer exponents up to 2^31 go to
 * {@linkcode powInt}, the others are e^(y log x) with y log x in double-double, within about
 * 1 ulp.
 *
 * @example A learning-rate decay
 * ```ts
 * import assert from "node:assert/strict";
 * import { pow } from "@gradnets/core";
 * assert(pow(0.5, 2) === 0.25 && pow(4, 0.5) === 2 && Number.isNaN(pow(-8, 1 / 3)));
 * assert(Math.abs(pow(0.5, 0.25) - 0.8408964152537145) < 2e-16);
 * ```
 */
export function pow(x: number, y: number): number {
  if (y !== y) return NaN;
  if (y === 0) return 1;
  if (x !== x) return NaN;
  if (Number.isInteger(y) && Math.abs(y) <= 2147483648) return powInt(x, y);
  const ax = Math.abs(x);
  if (y === Infinity) return ax > 1 ? Infinity : ax === 1 ? NaN : 0;
  if (y === -Infinity) return ax > 1 ? 0 : ax === 1 ? NaN : Infinity;
  // y is now finite and, if an integer, even (|y| > 2^31 and y >= 2^53, or even below)
  const odd = Number.isInteger(y) && Math.abs(y) < 9007199254740992 && y % 2 !== 0;
  const sign = x < 0 && odd ? -1 : 1;
  if (ax === 0) return sign * (y > 0 ? 0 : Infinity);
  if (ax === Infinity) return sign * (y > 0 ? Infinity : 0);
  if (x < 0 && !Number.isInteger(y)) return NaN;
  const lh = logOf(ax), ll = ddLo;
  const ph = twoProduct(y, lh);
  const pl = ddLo + y * ll;
  const h = twoSum(ph, pl);
  return sign * expOf(h, ddLo);
}
