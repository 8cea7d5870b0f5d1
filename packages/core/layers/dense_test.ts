import { checkLayerGradients, disposeLayer } from "../_testing.ts";
import { useBackend } from "../backend.ts";
import { Random } from "../random.ts";
import { denseLayer } from "./dense.ts";

await useBackend("wasm");

for (const activation of ["relu", "linear"] as const) {
  Deno.test(`dense ${activation} layer: hand-written gradients match finite differences`, () => {
    const layer = denseLayer({
      name: "input",
      inputSize: 6,
      outputSize: 6,
      activation,
      init: { kind: "truncated-normal", std: 0.5 },
      biasInit: 0.1,
      random: new Random(9),
    });
    checkLayerGradients(layer, { g: 1 });
    disposeLayer(layer);
  });
}
