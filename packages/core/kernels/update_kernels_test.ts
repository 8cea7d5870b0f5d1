import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { assertAllClose, fixture } from "../_testing.ts";
import { useBackend } from "../backend.ts";
import { createOptimizer, type GradientTransform, type OptimizerConfig } from "../optimizers.ts";
import { sumsOfSquares } from "./update_kernels.ts";
import { useWasmKernels, wasmKernelsActive } from "./fast_path.ts";

await useBackend("wasm");

const SHAPES = [[7, 5], [5], [], [3, 3]];

/** Values of the variables after 4 `apply` steps, with the kernels on or off. */
function trajectory(
  config: OptimizerConfig,
  transform: GradientTransform,
  kernels: boolean,
): Float32Array[] {
  useWasmKernels(kernels);
  try {
    const variables = SHAPES.map((shape, i) =>
      tf.variable(tf.tensor(fixture(shape.reduce((a, b) => a * b, 1), i + 1), shape))
    );
    const optimizer = createOptimizer(config, SHAPES);
    for (let step = 0; step < 4; step++) {
      tf.tidy(() => {
        // Gradients that depend on the state and the step.
        const grads = variables.map((v) => tf.mul(tf.sin(v), tf.scalar(step + 1.5)));
        optimizer.apply(variables, grads, { g: 0.3, learningRateScale: 0.9 }, transform);
      });
    }
    const values = variables.map((v) => v.dataSync().slice() as Float32Array);
    optimizer.dispose();
    tf.dispose(variables);
    return values;
  } finally {
    useWasmKernels(true);
  }
}

const adam = {
  kind: "adam",
  learningRate: 0.01,
  beta1: 0.9,
  beta2: 0.999,
  epsilon: 1e-7,
} as const;
const OPTIMIZERS: OptimizerConfig[] = [
  { kind: "sgd", learningRate: 0.1 },
  { kind: "momentum", learningRate: 0.05, momentum: 0.9 },
  adam,
  { kind: "interpolate", from: adam, to: { kind: "sgd", learningRate: 0.1 } },
];
const TRANSFORMS: GradientTransform[] = [
  { weightDecay: 0, decayed: [], scale: null },
  { weightDecay: 0.01, decayed: [true, false, false, true], scale: 0.37 },
];

for (const config of OPTIMIZERS) {
  Deno.test(`${config.kind}: the fused update gives the same bits as the tfjs ops`, () => {
    assert.ok(wasmKernelsActive());
    for (const transform of TRANSFORMS) {
      assert.deepEqual(trajectory(config, transform, true), trajectory(config, transform, false));
    }
  });
}

Deno.test("a base optimiser's step on the wasm backend is one kernel, whatever the variables", async () => {
  const variables = SHAPES.map((shape) => tf.variable(tf.ones(shape)));
  const optimizer = createOptimizer({ kind: "momentum", learningRate: 0.1, momentum: 0.9 }, SHAPES);
  const profile = await tf.profile(() =>
    tf.tidy(() => {
      const grads = variables.map((v) => tf.onesLike(v));
      optimizer.apply(variables, grads, { g: 0, learningRateScale: 1 }, TRANSFORMS[1]);
    })
  );
  const names = profile.kernels.map((k) => k.name).filter((n) => n !== "OnesLike");
  assert.deepEqual(names, ["GradnetsApplyUpdates"]);
  optimizer.dispose();
  tf.dispose(variables);
});

Deno.test("sums of squares of gradients, with weight decay, equal tfjs's", () => {
  tf.tidy(() => {
    const variables = SHAPES.map((shape, i) =>
      tf.tensor(fixture(shape.reduce((a, b) => a * b, 1), i + 7), shape)
    );
    const grads = variables.map((v) => tf.cos(v));
    const decayed = [true, false, true, false];
    const sums = sumsOfSquares(grads, variables, 0.1, decayed)!;
    const expected = grads.map((g, i) =>
      tf.sum(tf.square(decayed[i] ? tf.add(g, tf.mul(variables[i], 0.1)) : g)).dataSync()[0]
    );
    assertAllClose(sums, expected, { rtol: 1e-6 });
  });
});

Deno.test("an in-place update reaches tfjs's cached matmul weights, and spares shared data", () => {
  const sgd = createOptimizer({ kind: "sgd", learningRate: 1 }, [[2, 2], [2, 2]]);
  const x = tf.ones([1, 2]);
  // Only this variable holds its data: updated in place.
  const alone = tf.tidy(() => tf.variable(tf.ones([2, 2])));
  // This one shares its data with a clone: it gets a new tensor, and the clone keeps its value.
  const shared = tf.tidy(() => tf.variable(tf.ones([2, 2])));
  const clone = shared.clone();
  const product = () => tf.tidy(() => [...tf.matMul(x, alone).dataSync()]);
  assert.deepEqual(product(), [2, 2]); // XNNPACK packs and caches `alone` here
  const before = tf.memory().numTensors;
  tf.tidy(() => {
    const grads = [tf.fill([2, 2], -1), tf.fill([2, 2], -1)];
    sgd.apply([alone, shared], grads, { g: 0, learningRateScale: 1 });
  });
  assert.equal(tf.memory().numTensors, before);
  assert.deepEqual(product(), [4, 4], "matMul saw the updated weights");
  assert.deepEqual([...shared.dataSync()], [2, 2, 2, 2]);
  assert.deepEqual([...clone.dataSync()], [1, 1, 1, 1], "the clone was not written over");
  tf.dispose([x, alone, shared, clone]);
  sgd.dispose();
});
