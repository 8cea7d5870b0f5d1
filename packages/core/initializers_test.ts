import assert from "node:assert/strict";
import { initialWeights, validateInitializer } from "./initializers.ts";
import { Random } from "./random.ts";

const std = (xs: Float32Array) => {
  const mean = xs.reduce((s, v) => s + v, 0) / xs.length;
  return Math.sqrt(xs.reduce((s, v) => s + (v - mean) ** 2, 0) / xs.length);
};

Deno.test("He and Glorot initialisers have the variances they promise", () => {
  const he = initialWeights({ kind: "he" }, 400, 100, new Random(1));
  assert.ok(Math.abs(std(he) - Math.sqrt(2 / 400)) < 0.002, `he std ${std(he)}`);
  const glorot = initialWeights({ kind: "glorot" }, 400, 100, new Random(1));
  const limit = Math.sqrt(6 / 500);
  assert.ok(glorot.every((v) => Math.abs(v) <= limit));
  assert.ok(Math.abs(std(glorot) - limit / Math.sqrt(3)) < 0.002);
});

Deno.test("orthogonal initialisation gives orthonormal columns (tall) or rows (wide), times the gain", () => {
  for (const [rows, cols] of [[30, 10], [10, 30], [16, 16]]) {
    const w = initialWeights({ kind: "orthogonal", gain: 2 }, rows, cols, new Random(rows * cols));
    const tall = rows >= cols;
    const k = tall ? cols : rows;
    for (let a = 0; a < k; a++) {
      for (let b = 0; b < k; b++) {
        let dot = 0;
        const n = tall ? rows : cols;
        for (let t = 0; t < n; t++) {
          dot += tall ? w[t * cols + a] * w[t * cols + b] : w[a * cols + t] * w[b * cols + t];
        }
        assert.ok(Math.abs(dot - (a === b ? 4 : 0)) < 1e-4, `${rows}x${cols} (${a},${b}) = ${dot}`);
      }
    }
  }
});

Deno.test("initialiser validation", () => {
  assert.match(validateInitializer({ kind: "orthogonal", gain: 0 })!, /gain/);
  assert.match(validateInitializer({ kind: "xavier" } as never)!, /unknown initialiser "xavier"/);
  assert.equal(validateInitializer({ kind: "he" }), undefined);
});
