import assert from "node:assert/strict";
import {
  incompleteBeta,
  logGamma,
  meanInterval,
  permutationTest,
  studentTCdf,
  studentTQuantile,
  studentTTwoSided,
  welchTest,
} from "./stats.ts";

const close = (actual: number, expected: number, tolerance: number, what = "") =>
  assert.ok(
    Math.abs(actual - expected) <= tolerance,
    `${what}: ${actual} is not within ${tolerance} of ${expected}`,
  );

Deno.test("logGamma: factorials and half-integers", () => {
  let factorial = 1;
  for (let n = 1; n <= 20; n++) {
    close(logGamma(n), Math.log(factorial), 1e-12 * Math.max(1, Math.log(factorial)), `n = ${n}`);
    factorial *= n;
  }
  // Gamma(n + 1/2) = (2n)! sqrt(pi) / (4^n n!).
  close(logGamma(1.5), Math.log(Math.sqrt(Math.PI) / 2), 1e-13, "1.5");
  close(logGamma(4.5), Math.log(105 * Math.sqrt(Math.PI) / 16), 1e-13, "4.5");
  close(logGamma(0.25), Math.log(3.6256099082219083), 1e-13, "0.25");
  assert.throws(() => logGamma(0), RangeError);
});

Deno.test("incompleteBeta: closed forms, fractional a and b included", () => {
  const binomialTail = (n: number, k: number, p: number) => {
    // P(X >= k) for X ~ Binomial(n, p), which equals I_p(k, n - k + 1).
    let sum = 0, c = 1;
    for (let i = 0; i <= n; i++) {
      if (i >= k) sum += c * p ** i * (1 - p) ** (n - i);
      c = c * (n - i) / (i + 1);
    }
    return sum;
  };
  for (const x of [0.001, 0.05, 0.3, 0.5, 0.77, 0.999]) {
    for (const a of [0.5, 1, 2.5, 7, 30]) {
      close(incompleteBeta(x, a, 1), x ** a, 1e-13, `I_${x}(${a}, 1)`);
      close(incompleteBeta(x, 1, a), 1 - (1 - x) ** a, 1e-13, `I_${x}(1, ${a})`);
      close(
        incompleteBeta(x, a, 3.25) + incompleteBeta(1 - x, 3.25, a),
        1,
        1e-13,
        `symmetry ${x} ${a}`,
      );
    }
    // The arcsine distribution: I_x(1/2, 1/2) = (2 / pi) asin(sqrt(x)).
    close(
      incompleteBeta(x, 0.5, 0.5),
      2 / Math.PI * Math.asin(Math.sqrt(x)),
      1e-13,
      `arcsine ${x}`,
    );
    close(incompleteBeta(x, 2, 2), 3 * x ** 2 - 2 * x ** 3, 1e-13, `I_${x}(2, 2)`);
  }
  close(incompleteBeta(0.3, 3, 8), binomialTail(10, 3, 0.3), 1e-13, "binomial 10 0.3");
  close(incompleteBeta(0.62, 40, 21), binomialTail(60, 40, 0.62), 1e-12, "binomial 60 0.62");
  close(incompleteBeta(0.5, 12.5, 12.5), 0.5, 1e-14, "symmetric half");
  assert.equal(incompleteBeta(0, 2, 3), 0);
  assert.equal(incompleteBeta(1, 2, 3), 1);
  assert.throws(() => incompleteBeta(1.5, 2, 3), RangeError);
  assert.throws(() => incompleteBeta(0.5, 0, 3), RangeError);
});

/** The t density integrated by Simpson's rule from 0: an oracle independent of the beta function. */
function tCdfByIntegration(t: number, df: number): number {
  const density = (x: number) =>
    Math.exp(
      logGamma((df + 1) / 2) - logGamma(df / 2) - 0.5 * Math.log(df * Math.PI) -
        (df + 1) / 2 * Math.log1p(x * x / df),
    );
  const steps = 20000, h = t / steps;
  let sum = density(0) + density(t);
  for (let i = 1; i < steps; i++) sum += (i % 2 === 1 ? 4 : 2) * density(i * h);
  return 0.5 + sum * h / 3;
}

Deno.test("studentTCdf: Cauchy and df = 2 closed forms, and the integrated density at fractional df", () => {
  for (const t of [-30, -3, -0.4, 0, 0.7, 2, 12.7]) {
    close(studentTCdf(t, 1), 0.5 + Math.atan(t) / Math.PI, 1e-14, `df 1, t ${t}`);
    close(studentTCdf(t, 2), 0.5 + t / (2 * Math.sqrt(2 + t * t)), 1e-14, `df 2, t ${t}`);
  }
  for (const df of [1.3, 2.7, 3.95, 7.41, 25.02, 60]) {
    for (const t of [0.3, 1.1, 2.5, 4.8]) {
      close(studentTCdf(t, df), tCdfByIntegration(t, df), 1e-10, `df ${df}, t ${t}`);
      close(studentTTwoSided(-t, df), 2 * (1 - studentTCdf(t, df)), 1e-13, `two-sided ${df}`);
    }
  }
  // Large df: the normal distribution (Phi(1.96) = 0.9750021048517795).
  close(studentTCdf(1.96, 1e7), 0.9750021048517795, 1e-7, "normal limit");
  assert.equal(studentTCdf(Infinity, 3), 1);
});

Deno.test("studentTQuantile: closed forms and the printed table of t(0.975)", () => {
  close(studentTQuantile(0.975, 1), Math.tan(0.475 * Math.PI), 1e-9, "df 1");
  // df = 2: t = 0.95 sqrt(2 / (1 - 0.95²)).
  close(studentTQuantile(0.975, 2), 0.95 * Math.sqrt(2 / (1 - 0.95 ** 2)), 1e-12, "df 2");
  // NIST/SEMATECH e-Handbook of Statistical Methods, table 1.4.2.3 (upper critical values of
  // Student's t, 0.025 column), to the three decimals it prints.
  const table: Record<number, number> = {
    1: 12.706,
    2: 4.303,
    3: 3.182,
    4: 2.776,
    5: 2.571,
    6: 2.447,
    7: 2.365,
    8: 2.306,
    9: 2.262,
    10: 2.228,
    15: 2.131,
    20: 2.086,
    29: 2.045,
    30: 2.042,
  };
  for (const [df, t] of Object.entries(table)) {
    assert.equal(studentTQuantile(0.975, Number(df)).toFixed(3), t.toFixed(3), `df ${df}`);
  }
  for (const df of [1, 2.5, 4, 17.3]) {
    for (const p of [0.6, 0.9, 0.995, 0.9999]) {
      close(studentTCdf(studentTQuantile(p, df), df), p, 1e-13, `round trip ${df} ${p}`);
      close(studentTQuantile(1 - p, df), -studentTQuantile(p, df), 1e-9, `symmetry ${df} ${p}`);
    }
  }
  assert.throws(() => studentTQuantile(1, 3), RangeError);
});

Deno.test("meanInterval: mean ± t std / sqrt(n), by hand", () => {
  const values = [0.9712, 0.9745, 0.9768, 0.9801, 0.9799];
  const mean = values.reduce((a, b) => a + b) / 5;
  const std = Math.sqrt(values.reduce((s, v) => s + (v - mean) ** 2, 0) / 4);
  const ci = meanInterval(values)!;
  close(ci.mean, mean, 1e-15);
  close(ci.std, std, 1e-15);
  // t(0.975, 4) = 2.7764451051977987.
  close(ci.halfWidth, 2.7764451051977987 * std / Math.sqrt(5), 1e-12);
  close(ci.high - ci.low, 2 * ci.halfWidth, 1e-15);
  assert.equal(meanInterval([0.5, 0.5])!.halfWidth, 0);
  assert.equal(meanInterval([]), null);
  assert.throws(() => meanInterval([1, 2], 1.5), RangeError);
});

Deno.test("welchTest: the statistic and df by hand, and the p-value from the t distribution", () => {
  // Unequal sizes and variances.
  const a = [19.8, 20.4, 19.6, 17.8, 18.5, 18.9, 18.3, 18.9, 19.5, 22.0];
  const b = [
    28.2,
    26.6,
    20.1,
    23.3,
    25.2,
    22.1,
    17.7,
    27.6,
    20.6,
    13.7,
    23.2,
    17.5,
    20.6,
    18.0,
    23.9,
    21.6,
    24.3,
    20.4,
    23.9,
    13.3,
  ];
  const r = welchTest(a, b)!;
  const m = (x: number[]) => x.reduce((s, v) => s + v, 0) / x.length;
  const v = (x: number[]) => x.reduce((s, y) => s + (y - m(x)) ** 2, 0) / (x.length - 1);
  const se2a = v(a) / a.length, se2b = v(b) / b.length;
  close(r.t, (m(a) - m(b)) / Math.sqrt(se2a + se2b), 1e-12, "t");
  close(r.df, (se2a + se2b) ** 2 / (se2a ** 2 / 9 + se2b ** 2 / 19), 1e-9, "df");
  close(r.p, 2 * (1 - tCdfByIntegration(Math.abs(r.t), r.df)), 1e-9, "p");
  // Symmetric in its arguments, up to the sign of t.
  const s = welchTest(b, a)!;
  close(s.p, r.p, 1e-15);
  close(s.t, -r.t, 1e-15);
  // No spread on either side.
  assert.deepEqual(welchTest([0.1135, 0.1135], [0.1135, 0.1135, 0.1135]), {
    difference: 0,
    t: 0,
    df: 3,
    p: 1,
  });
  assert.equal(welchTest([0.2, 0.2], [0.1, 0.1])!.p, 0);
  assert.equal(welchTest([0.2], [0.1, 0.3]), null);
});

Deno.test("permutationTest: every split counted, against a brute force over bit masks", () => {
  const brute = (a: number[], b: number[]) => {
    const pool = [...a, ...b];
    const mean = (x: number[]) => x.reduce((s, v) => s + v, 0) / x.length;
    const observed = Math.abs(mean(a) - mean(b));
    let extreme = 0, splits = 0;
    for (let mask = 0; mask < 1 << pool.length; mask++) {
      const left = pool.filter((_, i) => mask & (1 << i));
      if (left.length !== a.length) continue;
      splits++;
      const right = pool.filter((_, i) => !(mask & (1 << i)));
      if (Math.abs(mean(left) - mean(right)) >= observed - 1e-12) extreme++;
    }
    return { extreme, splits };
  };
  let state = 7;
  const random = () => (state = (state * 48271) % 2147483647) / 2147483647;
  for (const [na, nb] of [[3, 3], [5, 5], [2, 6], [4, 3], [1, 5]]) {
    const a = Array.from({ length: na }, () => 0.96 + 0.02 * random());
    const b = Array.from({ length: nb }, () => 0.965 + 0.02 * random());
    const r = permutationTest(a, b)!;
    const expected = brute(a, b);
    assert.equal(r.splits, expected.splits, `${na} vs ${nb}`);
    assert.equal(r.extreme, expected.extreme, `${na} vs ${nb}`);
    assert.equal(r.p, expected.extreme / expected.splits);
  }
  assert.equal(permutationTest([1, 2, 3, 4, 5], [6, 7, 8, 9, 10])!.splits, 252);
  assert.equal(permutationTest([1, 2, 3, 4, 5], [6, 7, 8, 9, 10])!.p, 2 / 252);
  // Ties in floating point: the mirror split's difference rounds differently, and still counts.
  assert.equal(permutationTest([0.1, 0.2], [0.3, 0.6])!.p, 2 / 6);
  assert.equal(permutationTest([], [1]), null);
  assert.throws(() => permutationTest(new Array(20).fill(1), new Array(20).fill(2)), RangeError);
});
