/**
 * GradNets in TensorFlow.js: layers that interpolate from an easy architecture to an expressive
 * one as training goes (g = min(t / tau, 1)), the registry of architectures, the models built
 * from them, their schedules, losses, optimisers and training loop.
 *
 * @example Train the notebook's network for one epoch on a slice of MNIST
 * ```ts ignore
 * import { NOTEBOOK_CONFIG, train, useBackend } from "@gradnets/core";
 * import { loadMnist } from "@gradnets/data";
 * await useBackend("wasm");
 * const result = await train({ ...NOTEBOOK_CONFIG, epochs: 1 }, await loadMnist());
 * console.log(result.status, result.epochs.at(-1)?.validationAccuracy);
 * ```
 *
 * @module
 */

export * from "./architectures.ts";
export * from "./backend.ts";
export * from "./config.ts";
export * from "./diagnostics.ts";
export * from "./evaluate.ts";
export * from "./ieee_math.ts";
export * from "./initializers.ts";
export { useWasmKernels, wasmKernelsActive } from "./kernels/fast_path.ts";
export type { LayerKind } from "./kernels/layer_kernels.ts";
export * from "./layers/layer.ts";
export * from "./layers/gradual.ts";
export * from "./layers/dense.ts";
export * from "./layers/batch_norm.ts";
export * from "./layers/dropout.ts";
export * from "./layers/gradual_relu.ts";
export * from "./layers/gradual_rezero.ts";
export * from "./layers/highway.ts";
export * from "./layers/leaky_gradual_relu.ts";
export * from "./layers/plain.ts";
export * from "./layers/progressive.ts";
export * from "./layers/residual.ts";
export * from "./layers/scaled_residual.ts";
export * from "./layers/variance_preserving.ts";
export * from "./losses.ts";
export * from "./model.ts";
export * from "./optimizers.ts";
export * from "./random.ts";
export * from "./schedules.ts";
export * from "./train.ts";
