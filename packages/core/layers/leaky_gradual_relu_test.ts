import {
  assertAllClose,
  checkLayerGradients,
  disposeLayer,
  fixture,
  forwardAt,
} from "../_testing.ts";
import { useBackend } from "../backend.ts";
import { Random } from "../random.ts";
import { leakyGradualReluLayer } from "./leaky_gradual_relu.ts";

await useBackend("wasm");

const makeLayer = () =>
  leakyGradualReluLayer({
    name: "hidden1",
    width: 6,
    init: { kind: "truncated-normal", std: 0.5 },
    biasInit: 0.1,
    random: new Random(6),
  });

Deno.test("leaky GReLU at g = 0 is affine and at g = 1 ReLU; in between a leaky ReLU of slope 1 - g", () => {
  const layer = makeLayer();
  const [w, b] = layer.params.map((p) => Array.from(p.variable.dataSync()));
  const x = Array.from({ length: 3 }, (_, i) => Array.from(fixture(6, 20 + i)));
  // u = x W + b by hand.
  const u = x.map((row) =>
    Array.from({ length: 6 }, (_, j) => row.reduce((s, v, k) => s + v * w[k * 6 + j], 0) + b[j])
  );
  assertAllClose(forwardAt(layer, x, 0).flat(), u.flat(), { rtol: 1e-5, what: "g=0" });
  assertAllClose(forwardAt(layer, x, 1).flat(), u.flat().map((v) => Math.max(v, 0)), {
    rtol: 1e-5,
    what: "g=1",
  });
  const g = 0.25;
  assertAllClose(forwardAt(layer, x, g).flat(), u.flat().map((v) => (v > 0 ? v : (1 - g) * v)), {
    rtol: 1e-5,
    what: "g=0.25",
  });
  disposeLayer(layer);
});

Deno.test("leaky GReLU's hand-written gradients match finite differences", () => {
  const layer = makeLayer();
  for (const g of [0, 0.6, 1]) checkLayerGradients(layer, { g });
  disposeLayer(layer);
});
