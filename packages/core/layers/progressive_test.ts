import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { assertAllClose, checkLayerGradients, disposeLayer, forwardAt } from "../_testing.ts";
import { useBackend } from "../backend.ts";
import { Random } from "../random.ts";
import { layerG, progressiveResidualLayer } from "./progressive.ts";

await useBackend("wasm");

const options = (index: number, count: number, width = 6) => ({
  name: `hidden${index}`,
  width,
  init: { kind: "truncated-normal", std: 0.5 } as const,
  biasInit: 0.1,
  random: new Random(8),
  position: { index, count },
});

Deno.test("layers turn on one after another, from the input on, each over 1/n of g", () => {
  const n = 5;
  for (const g of [0, 0.1, 0.3, 0.55, 0.8, 1]) {
    const gs = Array.from({ length: n }, (_, i) => layerG(g, i + 1, n));
    // Never more than one layer in transition, and the earlier layers ahead of the later ones.
    assert.ok(gs.filter((v) => v > 0 && v < 1).length <= 1, `${g}: ${gs}`);
    gs.forEach((v, i) => i > 0 && assert.ok(v <= gs[i - 1]));
    assertAllClose([gs.reduce((a, b) => a + b, 0)], [n * g], { atol: 1e-12 });
  }
});

Deno.test("a progressive residual layer is the gradual residual at its own g", () => {
  const layer = progressiveResidualLayer({ ...options(2, 4, 2), scale: 1 });
  tf.tidy(() => {
    layer.params[0].variable.assign(tf.tensor2d([[1, 2], [3, 4]]));
    layer.params[1].variable.assign(tf.tensor1d([-1, 0]));
  });
  // Layer 2 of 4: off up to g = 1/4, on from g = 1/2; at g = 3/8 its own g is 1/2.
  assertAllClose(forwardAt(layer, [[1, 1]], 0.25).flat(), [1, 1]);
  assertAllClose(forwardAt(layer, [[1, 1]], 0.375).flat(), [2.5, 4]);
  assertAllClose(forwardAt(layer, [[1, 1]], 0.9).flat(), [4, 7]);
  disposeLayer(layer);
});

Deno.test("progressive residual: gradients match finite differences in its window", () => {
  const layer = progressiveResidualLayer({ ...options(2, 3), scale: 0.5 });
  checkLayerGradients(layer, { g: 0.5 }); // its own g: 0.5
  disposeLayer(layer);
});
