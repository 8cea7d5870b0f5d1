import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { assertAllClose } from "./_testing.ts";
import { useBackend } from "./backend.ts";
import { countCorrect, softmaxCrossEntropy } from "./losses.ts";

await useBackend("wasm");

Deno.test("the loss stays finite for logits of +-1e4, where log(softmax) overflows", () => {
  const logits = new Float32Array([1e4, -1e4, 0, -1e4, 1e4, 0]);
  const labels = new Uint8Array([1, 1]);
  const { loss, gradient, correct } = softmaxCrossEntropy(logits, labels, 3, "sum");
  assert.ok(Number.isFinite(loss));
  assert.equal(loss, 2e4);
  assert.ok(gradient.every(Number.isFinite));
  assert.equal(correct, 1);
  // What the notebook computed: -sum(y * log(softmax(logits))) is Infinity here.
  const naive = -Math.log(Math.exp(-1e4) / (Math.exp(1e4) + Math.exp(-1e4) + 1));
  assert.ok(!Number.isFinite(naive));
});

Deno.test("mean and sum reductions agree with tfjs's softmax cross-entropy", () => {
  const logits = new Float32Array([0.1, 2, -1, 3, 0.5, 0.2, -2, 1, 1]);
  const labels = new Uint8Array([1, 0, 2]);
  const expected = tf.tidy(() =>
    tf.losses.softmaxCrossEntropy(
      tf.oneHot(tf.tensor1d(labels, "int32"), 3),
      tf.tensor2d(logits, [3, 3]),
    )
      .dataSync()[0]
  );
  const mean = softmaxCrossEntropy(logits, labels, 3, "mean");
  const sum = softmaxCrossEntropy(logits, labels, 3, "sum");
  assertAllClose([mean.loss, sum.loss], [expected, 3 * expected], { rtol: 1e-6 });
  assertAllClose(sum.gradient, Array.from(mean.gradient, (v) => 3 * v), { rtol: 1e-6 });
});

Deno.test("the gradient is softmax minus one-hot, checked by finite differences", () => {
  const logits = new Float32Array([0.3, -1.2, 2.0, 0.7]);
  const labels = new Uint8Array([1, 0]);
  const { gradient } = softmaxCrossEntropy(logits, labels, 2, "mean");
  const eps = 1e-3;
  const numeric = Array.from(logits, (_, i) => {
    const plus = logits.slice(), minus = logits.slice();
    plus[i] += eps;
    minus[i] -= eps;
    return (softmaxCrossEntropy(plus, labels, 2).loss -
      softmaxCrossEntropy(minus, labels, 2).loss) /
      (2 * eps);
  });
  assertAllClose(gradient, numeric, { rtol: 1e-3, atol: 1e-4 });
});

Deno.test("NaN logits give a NaN loss (divergence is detected, not hidden)", () => {
  const { loss } = softmaxCrossEntropy(new Float32Array([NaN, 0]), new Uint8Array([0]), 2);
  assert.ok(Number.isNaN(loss));
  assert.equal(countCorrect(new Float32Array([1, 2, 5, 3]), new Uint8Array([1, 0]), 2), 2);
});
