/**
 * The one seam between a formula and its fast path: whether a layer's forward and backward pass,
 * the optimiser step and the gradient norms run on the project's WebAssembly kernels
 * (`gradnets.c`) or on tfjs ops.
 *
 * A layer declares both implementations ({@linkcode LayerDefinition}: `ops` on tfjs ops, and the
 * `kernel` that computes the same formula) and {@linkcode fastLayer} picks one per call; the
 * optimisers and the gradient norms ask {@linkcode wasmKernelsActive}. The kernels run whenever
 * the backend is `wasm` and they were not switched off ({@linkcode useWasmKernels}); on the wasm
 * backend a kernel module that cannot be loaded is an error, never a silent fallback, so that a
 * run id always names the arithmetic that produced it.
 *
 * @module
 */

import * as tf from "@tensorflow/tfjs";
import type { Forward, Layer, LayerContext } from "../layers/layer.ts";
import { kernelForward, type LayerKind, type LayerWeights } from "./layer_kernels.ts";
import { loadKernelModule } from "./wasm.ts";

let enabled = true;

/**
 * Whether the layers and optimisers run on the GradNets kernels now: the active backend is
 * `wasm` and they were not switched off. Throws when the backend is `wasm` and the kernel module
 * cannot be loaded.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { useBackend, useWasmKernels, wasmKernelsActive } from "@gradnets/core";
 * await useBackend("wasm");
 * assert(wasmKernelsActive());
 * useWasmKernels(false);
 * assert(!wasmKernelsActive());
 * useWasmKernels(true);
 * ```
 */
export function wasmKernelsActive(): boolean {
  if (!enabled || tf.getBackend() !== "wasm") return false;
  loadKernelModule();
  return true;
}

/**
 * Switches the GradNets kernels on (the default) or off. Off, the wasm backend runs the
 * layers' tfjs-op implementations: for benchmarks that compare the two, and for debugging. A
 * run's provenance records which ran.
 *
 * @example
 * ```ts
 * import { useWasmKernels } from "@gradnets/core";
 * useWasmKernels(false); // tfjs ops only
 * useWasmKernels(true);
 * ```
 */
export function useWasmKernels(on: boolean): void {
  enabled = on;
}

/** The kernel that computes a layer's formula, and the tensors it reads at a step. */
export interface KernelBinding {
  /** The formula in `gradnets.c`. */
  readonly kind: LayerKind;
  /**
   * The tensors the kernel reads, built for the step (for the gradual residual, its scale is
   * g); they live as long as the step's tensors.
   */
  weights(ctx: LayerContext): LayerWeights;
  /**
   * The layer's parameter gradients from the kernel's (W, b, then W2, b2 or alpha), where they
   * differ: the gradual residual drops d loss / d alpha (its alpha is g, which nothing learns).
   * Default: the kernel's, as they come.
   */
  gradients?(grads: tf.Tensor[], ctx: LayerContext): tf.Tensor[];
}

/** A layer as its file declares it: the formula on tfjs ops, and the kernel, if any. */
export interface LayerDefinition extends Omit<Layer, "forward" | "kernel"> {
  /** The formula on tfjs ops with its hand-written backward pass (every backend). */
  ops(x: tf.Tensor2D, ctx: LayerContext): Forward;
  /** The project's kernel for the same formula. */
  readonly kernel?: KernelBinding;
}

/**
 * The layer whose `forward` runs on the kernel where the kernels are active, else on `ops`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import * as tf from "@tensorflow/tfjs";
 * import { layerContext, Random, useBackend } from "@gradnets/core";
 * import { fastLayer } from "./fast_path.ts";
 * await useBackend("wasm");
 * const identity = fastLayer({
 *   name: "identity", params: [],
 *   ops: (x) => ({ y: x, backward: (dy) => ({ dx: dy, grads: [] }) }),
 *   reference: (x) => x,
 * });
 * tf.tidy(() => {
 *   const y = identity.forward(tf.tensor2d([[1, 2]]), layerContext(0, true, new Random(1))).y;
 *   assert.deepEqual(y.arraySync(), [[1, 2]]);
 * });
 * assert(identity.kernel === undefined);
 * ```
 */
export function fastLayer(definition: LayerDefinition): Layer {
  const { ops, kernel, ...layer } = definition;
  if (!kernel) return { ...layer, forward: ops };
  return {
    ...layer,
    kernel: kernel.kind,
    forward(x, ctx) {
      if (!wasmKernelsActive()) return ops(x, ctx);
      const pass = kernelForward(kernel.kind, x, kernel.weights(ctx), ctx);
      const gradients = kernel.gradients;
      if (!gradients) return pass;
      return {
        y: pass.y,
        backward(dy, needInputGradient) {
          const { dx, grads } = pass.backward(dy, needInputGradient);
          return { dx, grads: gradients([...grads], ctx) };
        },
      };
    },
  };
}
