import assert from "node:assert/strict";
import {
  configColumns,
  ConfigError,
  NOTEBOOK_CONFIG,
  type RunConfig,
  runId,
  validateConfig,
} from "./config.ts";

const bad = (change: Record<string, unknown>) => ({ ...NOTEBOOK_CONFIG, ...change }) as RunConfig;

Deno.test("every field of a bad config is named in the error", () => {
  const cases: [Record<string, unknown>, string, RegExp][] = [
    [
      { architecture: { kind: "transformer" } },
      "architecture",
      /unknown architecture "transformer"/,
    ],
    [{ architecture: { kind: "highway", carryBias: NaN } }, "architecture", /carryBias/],
    [
      { architecture: { kind: "plain", carryBias: 1 } },
      "architecture",
      /architecture plain has no field carryBias/,
    ],
    [{ dataset: 10 }, "dataset", /dataset must be a dataset name, got 10/],
    [{ depth: 1 }, "depth", /depth must be an integer >= 2, got 1/],
    [{ width: 0 }, "width", /width/],
    [
      { optimizer: { kind: "sgd", learningRate: -1 } },
      "optimizer",
      /learning rate must be a number > 0/,
    ],
    [{ schedule: { kind: "linear", tau: -1 } }, "schedule", /tau/],
    [{ dropout: { kind: "gradual", rate: 1 } }, "dropout", /dropout rate must be in \[0, 1\)/],
    [{ batchNorm: { kind: "layer" } }, "batchNorm", /unknown batch norm "layer"/],
    [{ gradientClip: 0 }, "gradientClip", /gradientClip/],
    [{ weightDecay: -1 }, "weightDecay", /weightDecay/],
    [
      { learningRateDecay: { kind: "exponential", rate: 1.5, epochs: 1 } },
      "learningRateDecay",
      /decay rate/,
    ],
    [{ lossReduction: "max" }, "lossReduction", /lossReduction/],
    [{ backend: "webgl" }, "backend", /unknown backend "webgl"/],
    [{ seed: -1 }, "seed", /seed/],
  ];
  for (const [change, field, message] of cases) {
    assert.throws(() => validateConfig(bad(change)), (e: unknown) => {
      assert.ok(e instanceof ConfigError, `${field}: ${e}`);
      assert.equal(e.field, field);
      assert.match(e.message, message);
      return true;
    });
  }
  validateConfig(NOTEBOOK_CONFIG);
});

Deno.test("only a config's own known fields count, at every level", () => {
  const parsed = (json: string) => ({ ...NOTEBOOK_CONFIG, ...JSON.parse(json) }) as RunConfig;
  const cases: [RunConfig, string, RegExp][] = [
    [bad({ toString: 1 }), "toString", /unknown config field "toString"/],
    [bad({ constructor: 1 }), "constructor", /unknown config field "constructor"/],
    [bad({ hasOwnProperty: 1 }), "hasOwnProperty", /unknown config field "hasOwnProperty"/],
    [parsed('{"__proto__": {"depth": 3}}'), "__proto__", /unknown config field "__proto__"/],
    [
      bad({ optimizer: { kind: "sgd", learningRate: 0.1, bogus: 1 } }),
      "optimizer",
      /optimizer sgd has no field bogus/,
    ],
    [
      parsed('{"schedule": {"kind": "linear", "tau": 1, "__proto__": {}}}'),
      "schedule",
      /schedule linear has no field __proto__/,
    ],
    [
      bad({ schedule: Object.create({ kind: "linear", tau: 1 }) }),
      "schedule",
      /schedule needs a "kind" field of its own/,
    ],
    [bad({ init: { kind: "he", std: 1 } }), "init", /init he has no field std/],
    [bad({ dropout: { kind: "none", rate: 0 } }), "dropout", /dropout none has no field rate/],
    [bad({ batchNorm: { kind: "always", g: 1 } }), "batchNorm", /batchNorm always has no field g/],
    [
      bad({ learningRateDecay: { kind: "none", rate: 1 } }),
      "learningRateDecay",
      /learningRateDecay none has no field rate/,
    ],
    [
      bad({
        optimizer: {
          kind: "interpolate",
          from: { kind: "sgd", learningRate: 0.1, momentum: 0.9 },
          to: { kind: "sgd", learningRate: 0.1 },
        },
      }),
      "optimizer",
      /optimizer.from sgd has no field momentum/,
    ],
    [bad({ optimizer: null }), "optimizer", /optimizer must be an object/],
    [Object.create(NOTEBOOK_CONFIG), "dataset", /config field "dataset" is missing/],
  ];
  for (const [config, field, message] of cases) {
    assert.throws(() => validateConfig(config), (e: unknown) => {
      assert.ok(e instanceof ConfigError, `${field}: ${e}`);
      assert.equal(e.field, field);
      assert.match(e.message, message);
      return true;
    });
  }
  validateConfig({
    ...NOTEBOOK_CONFIG,
    evaluateTest: false,
    schedule: { kind: "linear", tau: 1, reversed: true },
  });
});

Deno.test("configColumns flattens nested unions; runId changes with any field", () => {
  const config: RunConfig = {
    ...NOTEBOOK_CONFIG,
    optimizer: {
      kind: "interpolate",
      from: { kind: "adam", learningRate: 1e-3, beta1: 0.9, beta2: 0.999, epsilon: 1e-7 },
      to: { kind: "sgd", learningRate: 0.01 },
    },
    architecture: { kind: "highway", carryBias: -2 },
  };
  const columns = configColumns(config);
  assert.equal(columns.optimizer, "interpolate");
  assert.equal(columns.optimizer_from, "adam");
  assert.equal(columns.optimizer_to_learning_rate, 0.01);
  assert.equal(columns.architecture_carry_bias, -2);
  assert.equal(columns.data_limit, null);
  const ids = new Set([
    runId(config),
    runId({ ...config, seed: 2 }),
    runId({ ...config, architecture: { kind: "highway", carryBias: -1 } }),
    runId({ ...config, dropout: { kind: "gradual", rate: 0.1 } }),
  ]);
  assert.equal(ids.size, 4);
  // Key order does not matter.
  const reordered = Object.fromEntries(Object.entries(config).reverse()) as unknown as RunConfig;
  assert.equal(runId(reordered), runId(config));
});
