/**
 * A model built from a {@linkcode RunConfig}: a dense ReLU input layer, `depth - 2` hidden layers
 * of the configured architecture (each with batch normalisation before it and dropout after it
 * when configured), and a dense output layer giving the logits.
 *
 * @module
 */

import type * as tf from "@tensorflow/tfjs";
import type { RunConfig } from "./config.ts";
import { hiddenLayer } from "./architectures.ts";
import { denseLayer } from "./layers/dense.ts";
import { batchNormLayer } from "./layers/batch_norm.ts";
import { dropoutLayer } from "./layers/dropout.ts";
import type { Forward, Layer, LayerContext } from "./layers/layer.ts";
import type { Random } from "./random.ts";

/** A stack of layers with a training forward pass and a backward pass. */
export interface Model {
  /** Layers from input to output. */
  readonly layers: readonly Layer[];
  /** Every trainable variable, layer by layer, in the order of the gradients. */
  readonly variables: readonly tf.Variable[];
  /**
   * The training forward pass: logits, and a closure that turns d loss / d logits into
   * gradients for {@linkcode Model.variables}, with each layer's gradients in `perLayer`.
   */
  forward(x: tf.Tensor2D, ctx: LayerContext): {
    logits: tf.Tensor2D;
    backward(dLogits: tf.Tensor2D): { grads: tf.Tensor[]; perLayer: (readonly tf.Tensor[])[] };
  };
  /** Logits through the reference (plain tfjs ops) path: differentiable by autodiff. */
  reference(x: tf.Tensor2D, ctx: LayerContext): tf.Tensor2D;
  /** Frees the variables. */
  dispose(): void;
}

/**
 * The sizes a model needs from its data.
 */
export interface ModelShape {
  /** Input features (784 for MNIST). */
  readonly inputSize: number;
  /** Number of classes (10 for MNIST). */
  readonly classes: number;
}

/**
 * Builds the model that `config` describes, with weights drawn from `random`.
 *
 * @example The notebook's 50 layers: 1 input, 48 GReLU, 1 output
 * ```ts
 * import assert from "node:assert/strict";
 * import { useBackend, createModel, NOTEBOOK_CONFIG, Random } from "@gradnets/core";
 * await useBackend("wasm");
 * const model = createModel(NOTEBOOK_CONFIG, { inputSize: 784, classes: 10 }, new Random(1));
 * assert(model.layers.length === 50 && model.variables.length === 100);
 * model.dispose();
 * ```
 */
export function createModel(config: RunConfig, shape: ModelShape, random: Random): Model {
  const { init, biasInit, width } = config;
  const layers: Layer[] = [
    denseLayer({
      name: "input",
      inputSize: shape.inputSize,
      outputSize: width,
      activation: "relu",
      init,
      biasInit,
      random: random.fork("layer0"),
    }),
  ];
  for (let i = 1; i < config.depth - 1; i++) {
    if (config.batchNorm.kind !== "none") {
      layers.push(
        batchNormLayer({ name: `norm${i}`, width, gradual: config.batchNorm.kind === "gradual" }),
      );
    }
    layers.push(hiddenLayer(config.architecture, {
      name: `hidden${i}`,
      width,
      init,
      biasInit,
      random: random.fork(`layer${i}`),
      position: { index: i, count: config.depth - 2 },
    }));
    if (config.dropout.kind !== "none") {
      layers.push(dropoutLayer({
        name: `dropout${i}`,
        rate: config.dropout.rate,
        gradual: config.dropout.kind === "gradual",
      }));
    }
  }
  layers.push(denseLayer({
    name: "output",
    inputSize: width,
    outputSize: shape.classes,
    activation: "linear",
    init,
    biasInit,
    random: random.fork(`layer${config.depth - 1}`),
  }));
  return modelOf(layers);
}

/**
 * A model over given layers (for tests and custom stacks).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { useBackend, denseLayer, modelOf, Random } from "@gradnets/core";
 * await useBackend("wasm");
 * const model = modelOf([denseLayer({
 *   name: "output", inputSize: 4, outputSize: 2, activation: "linear",
 *   init: { kind: "glorot" }, biasInit: 0, random: new Random(1),
 * })]);
 * assert(model.variables.length === 2);
 * model.dispose();
 * ```
 */
export function modelOf(layers: readonly Layer[]): Model {
  const variables = layers.flatMap((layer) => layer.params.map((p) => p.variable));
  return {
    layers,
    variables,
    forward(x, ctx) {
      const passes: Forward[] = [];
      let h = x;
      for (const layer of layers) {
        const pass = layer.forward(h, ctx);
        passes.push(pass);
        h = pass.y;
      }
      return {
        logits: h,
        backward(dLogits) {
          const perLayer: (readonly tf.Tensor[])[] = new Array(layers.length);
          let dy = dLogits;
          for (let i = layers.length - 1; i >= 0; i--) {
            const { dx, grads } = passes[i].backward(dy, i > 0);
            perLayer[i] = grads;
            if (dx) dy = dx;
          }
          return { grads: perLayer.flat(), perLayer };
        },
      };
    },
    reference(x, ctx) {
      return layers.reduce((h, layer) => layer.reference(h, ctx), x);
    },
    dispose() {
      for (const v of variables) v.dispose();
      for (const layer of layers) for (const v of layer.state ?? []) v.dispose();
    },
  };
}
