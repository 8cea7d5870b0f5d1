import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { useBackend } from "./backend.ts";
import {
  INPUT_STAGE_KINDS,
  INPUT_STAGE_TEST_CASES,
  inputStageLabel,
  inputStageLayer,
  inputStagesHelp,
  validateInputStage,
} from "./input_stages.ts";
import { layerContext } from "./layers/layer.ts";
import { Random } from "./random.ts";

await useBackend("wasm");

Deno.test("the test cases cover every kind, are valid, and their labels differ", () => {
  assert.deepEqual([...new Set(INPUT_STAGE_TEST_CASES.map((s) => s.kind))], INPUT_STAGE_KINDS);
  for (const stage of INPUT_STAGE_TEST_CASES) {
    assert.equal(validateInputStage(stage), undefined, JSON.stringify(stage));
  }
  const labels = INPUT_STAGE_TEST_CASES.map(inputStageLabel);
  assert.equal(new Set(labels).size, labels.length, labels.join());
  for (const kind of INPUT_STAGE_KINDS) {
    assert.match(inputStagesHelp(), new RegExp(`^  ${kind} `, "m"));
  }
});

Deno.test("every stage builds a layer named pool: 784 pixels in, 196 out for window 2", () => {
  const params: Record<string, string[]> = {};
  for (const stage of INPUT_STAGE_TEST_CASES) {
    const built = inputStageLayer(stage, 784, { init: { kind: "he" }, random: new Random(1) });
    assert.ok(!("problem" in built), stage.kind);
    assert.equal(built.features, 196);
    assert.equal(built.layer.name, "pool");
    params[stage.kind] = built.layer.params.map((p) => `${p.name}:${p.role}`);
    const y = tf.tidy(() =>
      built.layer.reference(tf.ones([2, 784]), layerContext(0.5, true, new Random(1))).shape
    );
    assert.deepEqual(y, [2, 196]);
    tf.dispose(built.layer.params.map((p) => p.variable));
  }
  assert.deepEqual(params, {
    "average-pool": [],
    "attention-pool": ["V:scale", "c:scale"],
    "gradual-pool": ["V:scale", "c:scale"],
  });
  // A window of 4 or 7 divides 28 too.
  const seven = inputStageLayer({ kind: "average-pool", window: 7 }, 784, {
    init: { kind: "he" },
    random: new Random(1),
  });
  assert.ok(!("problem" in seven) && seven.features === 16);
});

Deno.test("validation reads own fields only, and names what is wrong", () => {
  const cases: [unknown, RegExp][] = [
    [null, /inputStage must be an object/],
    [[{ kind: "average-pool", window: 2 }], /inputStage must be an object/],
    [
      { window: 2 },
      /unknown input stage undefined \(known: average-pool, attention-pool, gradual-pool\)/,
    ],
    [Object.create({ kind: "average-pool", window: 2 }), /unknown input stage undefined/],
    [{ kind: "toString", window: 2 }, /unknown input stage "toString"/],
    [JSON.parse('{"kind":"average-pool","window":2,"__proto__":{}}'), /has no field __proto__/],
    [{ kind: "attention-pool", window: 2.5 }, /window must be an integer >= 2, got 2.5/],
    [{ kind: "attention-pool", window: "2" }, /window must be an integer >= 2, got "2"/],
  ];
  for (const [value, message] of cases) {
    assert.match(validateInputStage(value) ?? "valid", message, JSON.stringify(value));
  }
});
