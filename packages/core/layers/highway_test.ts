import * as tf from "@tensorflow/tfjs";
import {
  assertAllClose,
  checkLayerGradients,
  disposeLayer,
  fixture,
  forwardAt,
} from "../_testing.ts";
import { useBackend } from "../backend.ts";
import { Random } from "../random.ts";
import { highwayLayer } from "./highway.ts";

await useBackend("wasm");

const make = (carryBias: number, width = 6) =>
  highwayLayer({
    name: "hidden1",
    width,
    init: { kind: "truncated-normal", std: 0.5 },
    biasInit: 0.1,
    carryBias,
    random: new Random(7),
  });

Deno.test("highway layer on a hand-computed example", () => {
  const layer = make(-2, 2);
  // W = I, b = 0, W_T = 0, b_T = 0: T = 1/2 everywhere, y = relu(x)/2 + x/2.
  const set = (i: number, values: number[] | number[][]) =>
    tf.tidy(() => layer.params[i].variable.assign(tf.tensor(values)));
  set(0, [[1, 0], [0, 1]]);
  set(1, [0, 0]);
  set(2, [[0, 0], [0, 0]]);
  set(3, [0, 0]);
  assertAllClose(forwardAt(layer, [[2, -4]], 1).flat(), [2, -2]);
  // b_T = ln 3: T = 3/4, y = 3/4 relu(x) + 1/4 x.
  set(3, [Math.log(3), Math.log(3)]);
  assertAllClose(forwardAt(layer, [[2, -4]], 1).flat(), [2, -1], { rtol: 1e-6 });
  disposeLayer(layer);
});

Deno.test("a highway layer with carry bias -1e3 passes its input through", () => {
  const layer = make(-1e3);
  const x = Array.from({ length: 3 }, (_, i) => Array.from(fixture(6, 30 + i, 5)));
  assertAllClose(forwardAt(layer, x, 1).flat(), x.flat());
  disposeLayer(layer);
});

Deno.test("highway's hand-written gradients match finite differences", () => {
  const layer = make(-0.5);
  checkLayerGradients(layer, { g: 1 });
  disposeLayer(layer);
});
