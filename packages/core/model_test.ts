import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { ARCHITECTURE_CASES, assertAllClose, fixture, INPUT_STAGE_CASES } from "./_testing.ts";
import { useBackend } from "./backend.ts";
import { ARCHITECTURE_KINDS, isGradNet } from "./architectures.ts";
import { ConfigError, NOTEBOOK_CONFIG, type RunConfig } from "./config.ts";
import { INPUT_STAGE_KINDS, inputStageIsGradNet } from "./input_stages.ts";
import { layerContext } from "./layers/layer.ts";
import { softmaxCrossEntropy } from "./losses.ts";
import { createModel } from "./model.ts";
import { Random } from "./random.ts";

await useBackend("wasm");

const SMALL: RunConfig = { ...NOTEBOOK_CONFIG, depth: 6, width: 8, lossReduction: "mean" };

Deno.test("the model counts layers as the notebook does: input + (depth - 2) hidden + output", () => {
  const model = createModel(NOTEBOOK_CONFIG, { inputSize: 784, classes: 10 }, new Random(1));
  assert.equal(model.layers.length, 50);
  assert.deepEqual(
    [model.layers[0].name, model.layers[1].name, model.layers[48].name, model.layers[49].name],
    ["input", "hidden1", "hidden48", "output"],
  );
  assert.deepEqual(model.variables[0].shape, [784, 50]);
  assert.deepEqual(model.variables[99].shape, [10]);
  model.dispose();
});

Deno.test("the same seed builds the same weights; another seed other weights", () => {
  const weights = (seed: number) => {
    const model = createModel(SMALL, { inputSize: 12, classes: 3 }, new Random(seed));
    const values = model.variables.map((v) => Array.from(v.dataSync()));
    model.dispose();
    return values;
  };
  assert.deepEqual(weights(1), weights(1));
  assert.notDeepEqual(weights(1), weights(2));
});

const VARIANTS: [string, Partial<RunConfig>][] = [
  ...ARCHITECTURE_CASES,
  ["plain + gradual batch norm", {
    architecture: { kind: "plain" },
    batchNorm: { kind: "gradual" },
  }],
  ["grelu + batch norm", { batchNorm: { kind: "always" } }],
];

for (const [name, variant] of VARIANTS) {
  Deno.test(`${name}: manual backward pass equals tfjs autodiff of the reference model`, () => {
    checkAgainstAutodiff({ ...SMALL, ...variant });
  });
}

for (const [name, variant] of INPUT_STAGE_CASES) {
  Deno.test(`${name} input stage: manual backward pass equals tfjs autodiff of the reference model`, () => {
    // A 4 x 4 image: 4 patches of 2 x 2 into the dense input layer.
    checkAgainstAutodiff({ ...SMALL, architecture: { kind: "rezero" }, ...variant }, 16);
  });
}

function checkAgainstAutodiff(config: RunConfig, inputSize = 12) {
  const model = createModel(config, { inputSize, classes: 3 }, new Random(4));
  if (config.architecture.kind === "rezero") {
    // Give the ReZero scales a value, so that every weight gets a gradient.
    tf.tidy(() =>
      model.variables.filter((v) => v.rank === 0).forEach((v) => v.assign(tf.scalar(0.3)))
    );
  }
  const x = tf.tensor2d(fixture(5 * inputSize, 8), [5, inputSize]);
  const labels = new Uint8Array([0, 2, 1, 1, 0]);
  const oneHot = tf.oneHot(tf.tensor1d(labels, "int32"), 3);
  for (const g of [0, 0.4, 1]) {
    const manual = tf.tidy(() => {
      const ctx = layerContext(g, true, new Random(1));
      const pass = model.forward(x, ctx);
      const { gradient } = softmaxCrossEntropy(pass.logits.dataSync() as Float32Array, labels, 3);
      return pass.backward(tf.tensor2d(gradient, [5, 3])).grads.map((t) => t.dataSync().slice());
    });
    const autodiff = tf.tidy(() => {
      const { grads } = tf.variableGrads(
        () =>
          tf.losses.softmaxCrossEntropy(
            oneHot,
            model.reference(x, layerContext(g, true, new Random(1))),
          ) as tf.Scalar,
        model.variables as tf.Variable[],
      );
      // A variable the formula does not reach at this g (batch norm at g = 1) has no gradient.
      return model.variables.map((v) => (grads[v.name] ?? tf.zerosLike(v)).dataSync().slice());
    });
    manual.forEach((m, i) =>
      assertAllClose(m as Float32Array, autodiff[i] as Float32Array, {
        rtol: 1e-3,
        atol: 1e-5,
        what: `${config.architecture.kind} g=${g} grad ${i}`,
      })
    );
  }
  tf.dispose([x, oneHot]);
  model.dispose();
}

Deno.test("isGradNet names exactly the architectures whose output changes with g", () => {
  const x = tf.tensor2d(fixture(5 * 12, 3), [5, 12]);
  const covered = new Set<string>();
  for (const [name, variant] of ARCHITECTURE_CASES) {
    const config: RunConfig = { ...SMALL, ...variant };
    covered.add(config.architecture.kind);
    const model = createModel(config, { inputSize: 12, classes: 3 }, new Random(4));
    // ReZero's scales start at 0; give them a value so that its layers are not the identity.
    tf.tidy(() =>
      model.variables.filter((v) => v.rank === 0).forEach((v) => v.assign(tf.scalar(0.3)))
    );
    const logits = (g: number) =>
      tf.tidy(() => model.forward(x, layerContext(g, false, new Random(1))).logits.dataSync());
    const [atZero, atHalf, atOne] = [logits(0), logits(0.5), logits(1)];
    const changes = atZero.some((v, i) => v !== atHalf[i] || v !== atOne[i]);
    assert.equal(changes, isGradNet(config.architecture), name);
    model.dispose();
  }
  x.dispose();
  assert.deepEqual([...covered].sort(), [...ARCHITECTURE_KINDS].sort());
});

Deno.test("an input stage pools the image before the dense input layer, outside the depth", () => {
  const config: RunConfig = { ...SMALL, inputStage: { kind: "gradual-pool", window: 2 } };
  const model = createModel(config, { inputSize: 784, classes: 10 }, new Random(4));
  assert.deepEqual(model.layers.map((layer) => layer.name).slice(0, 3), [
    "pool",
    "input",
    "hidden1",
  ]);
  assert.equal(model.layers.length, config.depth + 1);
  assert.deepEqual(model.variables.slice(0, 3).map((v) => v.shape), [[4, 4], [4], [196, 8]]);
  model.dispose();
  // The same seed draws the same weights for the other layers as without the stage.
  const plain = createModel(SMALL, { inputSize: 196, classes: 10 }, new Random(4));
  const pooled = createModel(config, { inputSize: 784, classes: 10 }, new Random(4));
  assert.deepEqual(
    pooled.variables.slice(2).map((v) => Array.from(v.dataSync())),
    plain.variables.map((v) => Array.from(v.dataSync())),
  );
  plain.dispose();
  pooled.dispose();
});

Deno.test("an input stage whose window does not fit the image is a ConfigError", () => {
  const build = (inputStage: RunConfig["inputStage"], inputSize: number) => () =>
    createModel({ ...SMALL, inputStage }, { inputSize, classes: 3 }, new Random(1));
  assert.throws(
    build({ kind: "average-pool", window: 3 }, 784),
    (e) => e instanceof ConfigError && /window 3 does not divide the image side 28/.test(e.message),
  );
  assert.throws(build({ kind: "attention-pool", window: 2 }, 12), /needs a square image, got 12/);
});

Deno.test("inputStageIsGradNet names exactly the input stages whose output changes with g", () => {
  const x = tf.tensor2d(fixture(5 * 16, 3), [5, 16]);
  const covered = new Set<string>();
  for (const [name, variant] of INPUT_STAGE_CASES) {
    const config: RunConfig = { ...SMALL, architecture: { kind: "plain" }, ...variant };
    covered.add(config.inputStage!.kind);
    const model = createModel(config, { inputSize: 16, classes: 3 }, new Random(4));
    const logits = (g: number) =>
      tf.tidy(() => model.forward(x, layerContext(g, false, new Random(1))).logits.dataSync());
    const [atZero, atHalf, atOne] = [logits(0), logits(0.5), logits(1)];
    const changes = atZero.some((v, i) => v !== atHalf[i] || v !== atOne[i]);
    assert.equal(changes, inputStageIsGradNet(config.inputStage!), name);
    model.dispose();
  }
  x.dispose();
  assert.deepEqual([...covered].sort(), [...INPUT_STAGE_KINDS].sort());
});

Deno.test("gradual batch norm: at g = 1 test predictions are the same with and without running statistics", () => {
  const config: RunConfig = {
    ...SMALL,
    architecture: { kind: "plain" },
    batchNorm: { kind: "gradual" },
  };
  const model = createModel(config, { inputSize: 12, classes: 3 }, new Random(4));
  const x = tf.tensor2d(fixture(7 * 12, 9), [7, 12]);
  const predict = () =>
    tf.tidy(() =>
      model.forward(x, layerContext(1, false, new Random(1))).logits.dataSync().slice()
    );
  // Train the running statistics on a few batches at g < 1, so that they are not trivial.
  for (let i = 0; i < 3; i++) {
    tf.tidy(() => void model.forward(x, layerContext(0.5, true, new Random(1))));
  }
  const statistics = model.layers.flatMap((layer) => layer.state ?? []);
  assert.equal(statistics.length, 2 * 4);
  assert.ok(statistics.some((v) => v.dataSync().some((value) => value !== 0 && value !== 1)));
  const withStatistics = predict();
  tf.tidy(() => statistics.forEach((v) => v.assign(tf.fill(v.shape, NaN))));
  assert.deepEqual(predict(), withStatistics);
  x.dispose();
  model.dispose();
});
