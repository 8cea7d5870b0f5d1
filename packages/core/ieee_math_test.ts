import assert from "node:assert/strict";
import { cos, exp, log, pow, powInt, sin } from "./ieee_math.ts";
import { Random } from "./random.ts";

// Accuracy against the engine's Math.*, in ulps, over random inputs of each function's range
// and its edge cases. Math.* is the reference only for accuracy: its own error is below 1 ulp
// in V8 (fdlibm), so two functions within 1 ulp of the truth differ by at most 2 here, and in
// practice by at most 1.

const view = new DataView(new ArrayBuffer(8));

/** The double's position on the number line (-0 and 0 coincide). */
function ordinal(x: number): bigint {
  view.setFloat64(0, x);
  const bits = view.getBigInt64(0);
  return bits < 0n ? -(bits & 0x7fffffffffffffffn) : bits;
}

/** The number of doubles between a and b; 0 when both are NaN or equal. */
function ulps(a: number, b: number): number {
  if (Number.isNaN(a) || Number.isNaN(b)) return Number.isNaN(a) && Number.isNaN(b) ? 0 : Infinity;
  if (a === b) return 0;
  if (!Number.isFinite(a) || !Number.isFinite(b)) return Infinity;
  const d = ordinal(a) - ordinal(b);
  return Number(d < 0n ? -d : d);
}

/** A double from random bits: every exponent equally likely (subnormals and huge included). */
function randomDouble(random: Random, sign = true): number {
  view.setUint32(0, random.nextUint32());
  view.setUint32(4, random.nextUint32());
  if (!sign) view.setUint8(0, view.getUint8(0) & 0x7f);
  const x = view.getFloat64(0);
  return Number.isFinite(x) ? x : randomDouble(random, sign);
}

const EDGES = [
  0,
  -0,
  5e-324,
  -5e-324,
  2.2250738585072014e-308,
  2.225073858507201e-308,
  1e-300,
  1e-20,
  2 ** -28,
  0.5,
  1 - 2 ** -53,
  1,
  1 + 2 ** -52,
  2,
  Math.E,
  Math.PI,
  Math.PI / 2,
  Math.PI / 4,
  10,
  100,
  700,
  709.78,
  709.782712893384,
  745.13,
  745.1332191019412,
  1e6,
  2 ** 20,
  2 ** 52,
  1e22,
  1e300,
  Number.MAX_VALUE,
  Infinity,
  NaN,
].flatMap((x) => [x, -x]);

function maxError(
  f: (x: number) => number,
  reference: (x: number) => number,
  inputs: Iterable<number>,
): { ulps: number; at: number } {
  let worst = { ulps: 0, at: NaN };
  for (const x of inputs) {
    const e = ulps(f(x), reference(x));
    if (e > worst.ulps) worst = { ulps: e, at: x };
  }
  return worst;
}

function* sample(n: number, draw: (random: Random) => number, seed: number) {
  const random = new Random(seed);
  for (let i = 0; i < n; i++) yield draw(random);
}

const uniform = (lo: number, hi: number) => (r: Random) => lo + (hi - lo) * r.uniform();

function check(
  name: string,
  f: (x: number) => number,
  reference: (x: number) => number,
  inputs: Iterable<number>,
  limit = 1,
) {
  const { ulps, at } = maxError(f, reference, inputs);
  console.log(`${name}: max ${ulps} ulp against Math`);
  assert.ok(ulps <= limit, `${name} is ${ulps} ulp from Math at ${at}`);
}

Deno.test("exp is within 1 ulp of Math.exp", () => {
  check("exp edges", exp, Math.exp, EDGES);
  check("exp [-745.2, 709.8]", exp, Math.exp, sample(200_000, uniform(-745.2, 709.8), 1));
  check("exp [-1, 1]", exp, Math.exp, sample(200_000, uniform(-1, 1), 2));
  check("exp all doubles", exp, Math.exp, sample(100_000, randomDouble, 3));
  assert.ok(Object.is(exp(-Infinity), 0) && exp(Infinity) === Infinity);
  assert.ok(exp(-745.1332191019411) === 5e-324 && exp(-745.14) === 0);
});

Deno.test("log is within 1 ulp of Math.log", () => {
  check("log edges", log, Math.log, EDGES);
  check("log positive doubles", log, Math.log, sample(200_000, (r) => randomDouble(r, false), 4));
  check("log [0.5, 2]", log, Math.log, sample(200_000, uniform(0.5, 2), 5));
  check("log near 1", log, Math.log, sample(100_000, uniform(1 - 1e-6, 1 + 1e-6), 6));
  check("log (0, 1) (Box-Muller)", log, Math.log, sample(100_000, (r) => 1 - r.uniform(), 7));
  assert.ok(log(-0) === -Infinity && Number.isNaN(log(-5e-324)) && log(Infinity) === Infinity);
  assert.ok(Object.is(log(1), 0));
});

Deno.test("sin and cos are within 1 ulp of Math.sin and Math.cos", () => {
  for (const [name, f, reference] of [["sin", sin, Math.sin], ["cos", cos, Math.cos]] as const) {
    check(`${name} edges`, f, reference, EDGES);
    check(
      `${name} [0, 2 pi) (Box-Muller)`,
      f,
      reference,
      sample(200_000, uniform(0, 2 * Math.PI), 8),
    );
    check(`${name} [-1e5, 1e5]`, f, reference, sample(100_000, uniform(-1e5, 1e5), 9));
    check(`${name} [-1e6, 1e6]`, f, reference, sample(50_000, uniform(-1e6, 1e6), 10));
    check(`${name} all doubles`, f, reference, sample(20_000, randomDouble, 11));
    // near multiples of pi/2, where the reduction cancels
    const near = [1, 2, 3, 4, 100, 12345, 1e6, 2 ** 30, 1e15].flatMap((k) => {
      const x = k * Math.PI / 2;
      return [x, x * (1 + 2 ** -52), x * (1 - 2 ** -52)];
    });
    check(`${name} near k pi/2`, f, reference, near);
  }
  // the worst case of the reduction (Kahan, McDonald): 6381956970095103 * 2^797
  const hard = 6381956970095103 * 2 ** 797;
  assert.ok(ulps(sin(hard), Math.sin(hard)) <= 1 && ulps(cos(hard), Math.cos(hard)) <= 1);
  assert.ok(Object.is(sin(-0), -0) && Number.isNaN(cos(-Infinity)));
});

Deno.test("powInt is within 1 ulp of Math.pow", () => {
  const pairs = (n: number, seed: number, base: (r: Random) => number, maxExp: number) => {
    const random = new Random(seed);
    return Array.from({ length: n }, () => {
      const x = base(random);
      return [x, Math.floor((2 * random.uniform() - 1) * maxExp)] as const;
    });
  };
  const cases = [
    ...pairs(100_000, 12, uniform(0.5, 2), 2000),
    ...pairs(50_000, 13, uniform(-10, 10), 300),
    ...pairs(20_000, 14, uniform(0.9999, 1.0001), 1e7),
    // Adam's bias corrections
    ...Array.from({ length: 100_000 }, (_, t) => [0.999, t + 1] as const),
    ...Array.from({ length: 100_000 }, (_, t) => [0.9, t + 1] as const),
  ];
  let worst = 0;
  for (const [x, n] of cases) {
    const e = ulps(powInt(x, n), Math.pow(x, n));
    assert.ok(e <= 1, `powInt(${x}, ${n}) is ${e} ulp from Math.pow`);
    worst = Math.max(worst, e);
  }
  console.log(`powInt: max ${worst} ulp against Math`);
  for (const x of EDGES) {
    for (const n of [0, 1, -1, 2, -2, 3, -3, 1023, -1074, 2 ** 40, 2 ** 40 + 1]) {
      const e = ulps(powInt(x, n), Math.pow(x, n));
      assert.ok(e <= 1 || Math.abs(Math.pow(x, n)) < 2.2250738585072014e-308, `powInt(${x}, ${n})`);
      if (Math.pow(x, n) === 0 || !Number.isFinite(Math.pow(x, n))) {
        assert.ok(Object.is(powInt(x, n), Math.pow(x, n)), `powInt(${x}, ${n})`);
      }
    }
  }
  assert.throws(() => powInt(2, 0.5), RangeError);
});

Deno.test("pow is within 1 ulp of Math.pow", () => {
  const random = new Random(15);
  let worst = 0;
  const cases: (readonly [number, number])[] = [];
  for (let i = 0; i < 100_000; i++) {
    cases.push([10 * (1 - random.uniform()), 100 * random.uniform() - 50]);
  }
  for (let i = 0; i < 50_000; i++) cases.push([1 - random.uniform(), 30 * random.uniform()]);
  // learning-rate decays rate^(t / epochs)
  for (const rate of [0.1, 0.5, 0.9, 0.95, 0.99]) {
    for (let t = 0; t < 2000; t++) cases.push([rate, t / 37]);
  }
  for (const [x, y] of cases) {
    const e = ulps(pow(x, y), Math.pow(x, y));
    assert.ok(e <= 1, `pow(${x}, ${y}) is ${e} ulp from Math.pow`);
    worst = Math.max(worst, e);
  }
  console.log(`pow: max ${worst} ulp against Math`);
  for (const x of EDGES) {
    for (const y of [...EDGES, 0.5, -0.5, 1 / 3, 2.5, -2.5]) {
      const expected = Math.pow(x, y), got = pow(x, y);
      const subnormal = Math.abs(expected) < 2.2250738585072014e-308 && expected !== 0;
      assert.ok(
        ulps(got, expected) <= 1 || (subnormal && Math.abs(got - expected) <= 5e-324 * 4),
        `pow(${x}, ${y}) = ${got}, Math.pow gives ${expected}`,
      );
      if (expected === 0 || !Number.isFinite(expected)) {
        assert.ok(Object.is(got, expected), `pow(${x}, ${y}) = ${got}, not ${expected}`);
      }
    }
  }
});
