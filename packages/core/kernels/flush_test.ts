import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { useBackend } from "../backend.ts";
import { layerContext } from "../layers/layer.ts";
import { softmaxCrossEntropy } from "../losses.ts";
import { createOptimizer, type OptimizerConfig } from "../optimizers.ts";
import { Random } from "../random.ts";
import { kernelForward, type LayerKind } from "./layer_kernels.ts";

// The kernels flush every value they write below 2^-60 to +0 (see gradnets.c), so that vanishing
// signals never become subnormal floats (slow on x86); NaN and infinities pass.

await useBackend("wasm");

const FLT_MIN = 1.1754943508222875e-38;
const FLUSH = 8.673617379884035e-19; // 2^-60

function subnormals(values: ArrayLike<number>): number {
  let n = 0;
  for (let i = 0; i < values.length; i++) if (values[i] !== 0 && Math.abs(values[i]) < FLT_MIN) n++;
  return n;
}

function belowFlush(values: ArrayLike<number>): number {
  let n = 0;
  for (let i = 0; i < values.length; i++) if (values[i] !== 0 && Math.abs(values[i]) < FLUSH) n++;
  return n;
}

const KINDS: LayerKind[] = [
  "relu",
  "linear",
  "grelu",
  "grelu-leaky",
  "residual",
  "rezero",
  "highway",
];
const B = 6, N = 10;

function filled(shape: [number, number] | [number], scale: number, seed: number): tf.Tensor {
  const random = new Random(seed);
  const size = shape.reduce((a, b) => a * b, 1);
  return tf.tensor(Float32Array.from({ length: size }, () => scale * random.normal()), shape);
}

for (const kind of KINDS) {
  Deno.test(`${kind}: tiny activations and gradients are flushed, not subnormal`, () => {
    // inputs at 1e-20 (below the threshold) and weights at 1e-20 times inputs at 1e-17: every
    // product is subnormal before the flush
    for (const [xScale, wScale] of [[1e-20, 0.5], [1e-17, 1e-22]]) {
      tf.tidy(() => {
        const x = filled([B, N], xScale, 1) as tf.Tensor2D;
        const weights = {
          W: filled([N, N], wScale, 2) as tf.Tensor2D,
          b: tf.zeros([N]) as tf.Tensor1D,
          W2: kind === "highway" ? filled([N, N], wScale, 3) as tf.Tensor2D : undefined,
          b2: kind === "highway" ? tf.fill([N], -100) as tf.Tensor1D : undefined,
          alpha: kind === "rezero" ? tf.scalar(0.5) : undefined,
        };
        const pass = kernelForward(kind, x, weights, layerContext(0.5, true, new Random(1)))!;
        const y = pass.y.dataSync();
        assert.equal(subnormals(y), 0);
        assert.equal(belowFlush(y), 0);
        const { dx, grads } = pass.backward(filled([B, N], 1e-25, 4) as tf.Tensor2D, true);
        for (const t of [dx!, ...grads]) {
          const values = t.dataSync();
          assert.equal(belowFlush(values), 0, `${kind}: a gradient below 2^-60`);
        }
      });
    }
  });
}

Deno.test("NaN and infinities pass the flush", () => {
  tf.tidy(() => {
    const x = tf.tensor2d([[NaN, 1], [Infinity, 2]]);
    const W = tf.eye(2) as tf.Tensor2D, b = tf.zeros([2]) as tf.Tensor1D;
    const y = kernelForward("linear", x, { W, b }, layerContext(1, true, new Random(1)))!.y;
    const [a, , c] = y.dataSync();
    assert.ok(Number.isNaN(a) && c === Infinity);
  });
});

const OPTIMIZERS: OptimizerConfig[] = [
  { kind: "sgd", learningRate: 0.01 },
  { kind: "momentum", learningRate: 0.01, momentum: 0.9 },
  { kind: "adam", learningRate: 0.01, beta1: 0.9, beta2: 0.999, epsilon: 1e-7 },
];

for (const config of OPTIMIZERS) {
  Deno.test(`${config.kind}: parameters near 0 with tiny gradients are flushed`, () => {
    const variable = tf.variable(tf.fill([4, 8], 1e-30));
    const optimizer = createOptimizer(config, [[4, 8]]);
    for (let step = 0; step < 3; step++) {
      tf.tidy(() => {
        const grads = [tf.fill([4, 8], 1e-35)];
        optimizer.apply([variable], grads, { g: 1, learningRateScale: 1 }, {
          weightDecay: 0,
          decayed: [false],
          scale: null,
        });
      });
    }
    assert.ok(variable.dataSync().every((v) => v === 0));
    optimizer.dispose();
    variable.dispose();
  });
}

Deno.test("the loss gradient has no entry below 2^-60", () => {
  const { gradient } = softmaxCrossEntropy(
    new Float32Array([0, -40, -100, -200]),
    new Uint8Array([0]),
    4,
  );
  assert.deepEqual([...gradient.slice(2)], [0, 0]);
  assert.ok(gradient[1] > 0 && gradient[1] < 1e-17);
  assert.equal(subnormals(gradient), 0);
});
