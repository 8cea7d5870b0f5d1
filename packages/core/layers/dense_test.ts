import * as tf from "@tensorflow/tfjs";
import { assertAllClose, fixture, numericGradient } from "../_testing.ts";
import { useBackend } from "../backend.ts";
import { Random } from "../random.ts";
import { denseLayer } from "./dense.ts";
import { layerContext } from "./layer.ts";

await useBackend("wasm");

for (const activation of ["relu", "linear"] as const) {
  Deno.test(`dense ${activation} layer: hand-written gradients match finite differences`, () => {
    const layer = denseLayer({
      name: "input",
      inputSize: 5,
      outputSize: 3,
      activation,
      init: { kind: "truncated-normal", std: 0.5 },
      biasInit: 0.1,
      random: new Random(9),
    });
    const x = tf.variable(tf.tensor2d(fixture(4 * 5, 4), [4, 5]));
    const r = tf.tensor2d(fixture(4 * 3, 5), [4, 3]);
    const ctx = () => layerContext(1, true, new Random(1));
    const loss = () => tf.tidy(() => tf.sum(tf.mul(layer.reference(x, ctx()), r)).dataSync()[0]);
    const analytic = tf.tidy(() => {
      const { dx, grads } = layer.forward(x, ctx()).backward(r, true);
      return [dx!, ...grads].map((t) => t.dataSync().slice() as Float32Array);
    });
    [x, ...layer.params.map((p) => p.variable)].forEach((v, i) => {
      assertAllClose(analytic[i], numericGradient(loss, v, 1e-3), {
        rtol: 2e-2,
        atol: 2e-3,
        what: `grad ${i}`,
      });
    });
    tf.dispose([x, r, ...layer.params.map((p) => p.variable)]);
  });
}
