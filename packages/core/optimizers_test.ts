import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { assertAllClose } from "./_testing.ts";
import { useBackend } from "./backend.ts";
import {
  createOptimizer,
  learningRateScale,
  type OptimizerConfig,
  validateLearningRateDecay,
  validateOptimizer,
} from "./optimizers.ts";

await useBackend("wasm");

/** Values of a variable after `steps` updates with gradients `grad(step)`. */
function trajectory(config: OptimizerConfig, steps: number, g = 0, scale = 1): number[] {
  const v = tf.variable(tf.tensor1d([1, -2]));
  const optimizer = createOptimizer(config, [[2]]);
  const out: number[] = [];
  for (let s = 0; s < steps; s++) {
    tf.tidy(() => {
      const grad = tf.mul(v, tf.scalar(s + 1)); // a gradient that depends on the state and the step
      const [update] = optimizer.updates([grad], { g, learningRateScale: scale });
      v.assign(tf.add(v, update));
    });
    out.push(...v.dataSync());
  }
  optimizer.dispose();
  v.dispose();
  return out;
}

/** The same with a tfjs optimiser, as the reference. */
function tfjsTrajectory(optimizer: tf.Optimizer, steps: number): number[] {
  const v = tf.variable(tf.tensor1d([1, -2]));
  const out: number[] = [];
  for (let s = 0; s < steps; s++) {
    tf.tidy(() =>
      optimizer.applyGradients([{ name: v.name, tensor: tf.mul(v, tf.scalar(s + 1)) }])
    );
    out.push(...v.dataSync());
  }
  optimizer.dispose();
  v.dispose();
  return out;
}

Deno.test("SGD, momentum and Adam follow tfjs's own optimisers step for step", () => {
  assertAllClose(
    trajectory({ kind: "sgd", learningRate: 0.05 }, 5),
    tfjsTrajectory(tf.train.sgd(0.05), 5),
    {
      rtol: 1e-6,
    },
  );
  assertAllClose(
    trajectory({ kind: "momentum", learningRate: 0.05, momentum: 0.9 }, 5),
    tfjsTrajectory(tf.train.momentum(0.05, 0.9), 5),
    { rtol: 1e-5 },
  );
  assertAllClose(
    trajectory({ kind: "adam", learningRate: 0.01, beta1: 0.9, beta2: 0.999, epsilon: 1e-7 }, 5),
    tfjsTrajectory(tf.train.adam(0.01, 0.9, 0.999, 1e-7), 5),
    { rtol: 1e-5 },
  );
});

Deno.test("optimiser interpolation: (1 - g) * from + g * to, the ends equal to each optimiser", () => {
  const from = {
    kind: "adam",
    learningRate: 0.01,
    beta1: 0.9,
    beta2: 0.999,
    epsilon: 1e-7,
  } as const;
  const to = { kind: "sgd", learningRate: 0.05 } as const;
  const interpolated = { kind: "interpolate", from, to } as const;
  assert.deepEqual(trajectory(interpolated, 3, 0), trajectory(from, 3));
  assert.deepEqual(trajectory(interpolated, 3, 1), trajectory(to, 3));
  // One step from the same state: the update is the mix of the two updates.
  const first = (config: OptimizerConfig, g: number) =>
    trajectory(config, 1, g).map((v, i) => v - [1, -2][i]);
  const mixed = first(interpolated, 0.25);
  const expected = first(from, 0).map((a, i) => 0.75 * a + 0.25 * first(to, 0)[i]);
  assertAllClose(mixed, expected, { rtol: 1e-6 });
});

Deno.test("the learning-rate scale multiplies the update, and exponential decay halves as configured", () => {
  const full = trajectory({ kind: "sgd", learningRate: 0.1 }, 1).map((v, i) => v - [1, -2][i]);
  const half = trajectory({ kind: "sgd", learningRate: 0.1 }, 1, 0, 0.5).map((v, i) =>
    v - [1, -2][i]
  );
  assertAllClose(half, full.map((v) => v / 2), { rtol: 1e-6 });
  const decay = { kind: "exponential", rate: 0.5, epochs: 4 } as const;
  assert.deepEqual([0, 4, 8].map((t) => learningRateScale(decay, t)), [1, 0.5, 0.25]);
  assert.equal(learningRateScale({ kind: "none" }, 100), 1);
});

Deno.test("optimiser and decay validation name the bad value", () => {
  assert.match(
    validateOptimizer({ kind: "sgd", learningRate: -0.1 })!,
    /learning rate must be a number > 0, got -0.1/,
  );
  assert.match(
    validateOptimizer({ kind: "momentum", learningRate: 0.1, momentum: 1.5 })!,
    /momentum must be in/,
  );
  assert.match(
    validateOptimizer({ kind: "rmsprop" } as unknown as OptimizerConfig)!,
    /unknown optimiser "rmsprop"/,
  );
  assert.match(
    validateOptimizer({
      kind: "interpolate",
      from: { kind: "sgd", learningRate: 0.1 },
      to: { kind: "interpolate" },
    } as unknown as OptimizerConfig)!,
    /base optimisers/,
  );
  assert.match(
    validateLearningRateDecay({ kind: "exponential", rate: 0, epochs: 1 })!,
    /decay rate/,
  );
});
