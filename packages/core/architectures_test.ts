import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import {
  ARCHITECTURE_KINDS,
  ARCHITECTURE_TEST_CASES,
  architectureEntry,
  architectureLabel,
  ARCHITECTURES,
  defaultArchitecture,
  hiddenLayer,
  validateArchitecture,
} from "./architectures.ts";
import { useBackend } from "./backend.ts";
import { Random } from "./random.ts";

await useBackend("wasm");

const square = { width: 5, init: { kind: "he" } as const, biasInit: 0 };

Deno.test("every entry builds a layer that runs on the kernel the entry names", () => {
  for (const architecture of ARCHITECTURE_TEST_CASES) {
    const entry = ARCHITECTURES.find((e) => e.kind === architecture.kind)!;
    const layer = hiddenLayer(architecture, { name: "h", ...square, random: new Random(1) });
    assert.equal(layer.kernel ?? null, entry.kernel, architecture.kind);
    tf.dispose(layer.params.map((p) => p.variable));
  }
});

Deno.test("the test cases cover every kind and every option, and their labels differ", () => {
  const kinds = new Set(ARCHITECTURE_TEST_CASES.map((a) => a.kind));
  assert.deepEqual([...kinds].sort(), [...ARCHITECTURE_KINDS].sort());
  for (const entry of ARCHITECTURES) {
    for (const option of entry.options) {
      assert.ok(
        entry.testCases.some((a) => Object.hasOwn(a, option.name)),
        `${entry.kind}: no test case sets ${option.name}`,
      );
    }
  }
  const labels = ARCHITECTURE_TEST_CASES.map((a) => architectureLabel(a, 50));
  assert.equal(new Set(labels).size, labels.length, labels.join());
});

Deno.test("every test case and every default is a valid architecture", () => {
  for (const architecture of ARCHITECTURE_TEST_CASES) {
    assert.equal(validateArchitecture(architecture), undefined, JSON.stringify(architecture));
  }
  for (const kind of ARCHITECTURE_KINDS) {
    assert.equal(validateArchitecture(defaultArchitecture(kind)), undefined, kind);
  }
});

Deno.test("validation sees only the config's own fields, with the right types", () => {
  const cases: [unknown, RegExp][] = [
    [null, /must be an object/],
    [[], /must be an object/],
    [{}, /unknown architecture undefined/],
    [{ kind: "toString" }, /unknown architecture "toString"/],
    [{ kind: "__proto__" }, /unknown architecture "__proto__"/],
    [Object.create({ kind: "grelu" }), /unknown architecture undefined/],
    [{ kind: "grelu", constructor: 1 }, /grelu has no field constructor/],
    [JSON.parse('{"kind": "plain", "__proto__": {"depth": 3}}'), /has no field __proto__/],
    [{ kind: "highway" }, /highway carryBias is required/],
    [{ kind: "highway", carryBias: NaN }, /carryBias must be a finite number/],
    [{ kind: "highway", carryBias: "-2" }, /carryBias must be a finite number/],
    [{ kind: "grelu", variancePreserving: "yes" }, /variancePreserving must be true or false/],
  ];
  for (const [value, message] of cases) {
    assert.match(validateArchitecture(value) ?? "valid", message, JSON.stringify(value));
  }
});

Deno.test("a GradNet's late architecture is a registered baseline; a baseline has none", () => {
  const late = Object.fromEntries(ARCHITECTURES.map((e) => [e.kind, e.late]));
  for (const entry of ARCHITECTURES) {
    const target = entry.late === undefined ? undefined : architectureEntry(entry.late);
    if (!entry.gradNet) assert.equal(entry.late, undefined, entry.kind);
    if (entry.late !== undefined) {
      assert.ok(target && !target.gradNet, `${entry.kind}: late ${entry.late} is no baseline`);
    }
  }
  assert.equal(late.grelu, "plain");
  assert.equal(late["grelu-leaky"], "plain");
  assert.equal(late["gradual-residual"], "residual");
  assert.equal(late["scaled-gradual-residual"], "scaled-residual");
  assert.equal(late["gradual-rezero"], "rezero");
});
