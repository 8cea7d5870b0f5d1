import * as tf from "@tensorflow/tfjs";
import { assertAllClose, checkLayerGradients, disposeLayer, forwardAt } from "../_testing.ts";
import { useBackend } from "../backend.ts";
import { Random } from "../random.ts";
import { scaledGradualResidualLayer, scaledResidualLayer } from "./scaled_residual.ts";

await useBackend("wasm");

const options = (width = 6) => ({
  name: "hidden1",
  width,
  init: { kind: "truncated-normal", std: 0.5 } as const,
  biasInit: 0.1,
  random: new Random(8),
});

/** W and b of a 2-wide layer such that xW + b = [3, 6] at x = [1, 1] and negative at -x. */
function handSet(layer: ReturnType<typeof scaledResidualLayer>) {
  tf.tidy(() => {
    layer.params[0].variable.assign(tf.tensor2d([[1, 2], [3, 4]]));
    layer.params[1].variable.assign(tf.tensor1d([-1, 0]));
  });
}

Deno.test("scaled residual: y = x + s relu(xW + b), s = 1/sqrt(hidden layers) by default", () => {
  const layer = scaledResidualLayer({ ...options(2), position: { index: 3, count: 9 } });
  handSet(layer);
  // s = 1/3: [1, 1] + [3, 6] / 3; the negative pre-activations leave -x unchanged.
  assertAllClose(forwardAt(layer, [[1, 1], [-1, -1]], 0.5).flat(), [2, 3, -1, -1]);
  disposeLayer(layer);
});

Deno.test("scaled gradual residual: y = x + g s relu(xW + b)", () => {
  const layer = scaledGradualResidualLayer({ ...options(2), scale: 0.5 });
  handSet(layer);
  assertAllClose(forwardAt(layer, [[1, 1]], 0).flat(), [1, 1]);
  assertAllClose(forwardAt(layer, [[1, 1]], 0.5).flat(), [1.75, 2.5]);
  assertAllClose(forwardAt(layer, [[1, 1]], 1).flat(), [2.5, 4]);
  disposeLayer(layer);
});

Deno.test("scaled residual layers: gradients match finite differences", () => {
  for (
    const layer of [
      scaledResidualLayer({ ...options(), scale: 0.4 }),
      scaledGradualResidualLayer({ ...options(), scale: 0.4 }),
    ]
  ) {
    checkLayerGradients(layer, { g: 0.6 });
    disposeLayer(layer);
  }
});
