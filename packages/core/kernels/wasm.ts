/**
 * The GradNets WebAssembly module (`gradnets.c`, built into `gradnets.wasm` by
 * `scripts/build_kernels.sh`) instantiated on the tfjs wasm backend's own memory.
 *
 * tfjs keeps every tensor of its wasm backend in one `WebAssembly.Memory` and records where
 * (`backend.dataIdMap`). Our module imports that memory, so a kernel reads its inputs and
 * writes its outputs where tfjs keeps them: no copies between the two. The module has no data
 * and no stack of its own (the build script checks), so it never touches tfjs's heap except
 * through the tensors and the scratch buffer it is given.
 *
 * The module is read from this package's folder (no network) the first time a kernel runs, and
 * instantiated once per backend instance. Whether the kernels run at all is decided in
 * `fast_path.ts`.
 *
 * @module
 */

import * as tf from "@tensorflow/tfjs";

/** The functions `gradnets.wasm` exports; pointers are byte offsets into tfjs's memory. */
export interface GradnetsExports {
  /** Floats of scratch that a GEMM of [M, K] by [K, N] takes (its packed operands). */
  gemm_floats(M: number, N: number, K: number): number;
  /** C = op(A) @ op(B), op = transpose when the flag is 1 (tests only). */
  matmul(
    M: number,
    N: number,
    K: number,
    A: number,
    transA: number,
    B: number,
    transB: number,
    C: number,
    pack: number,
  ): void;
  /** y = sigmoid(x), n elements (tests only). */
  sigmoid(x: number, y: number, n: number): void;
  /** Scratch floats of `layer_forward`. */
  forward_scratch_floats(kind: number, B: number, K: number, N: number): number;
  /** A layer's forward pass (see gradnets.c). */
  layer_forward(
    kind: number,
    B: number,
    K: number,
    N: number,
    x: number,
    W: number,
    b: number,
    W2: number,
    b2: number,
    alpha: number,
    g: number,
    omg: number,
    y: number,
    h: number,
    t: number,
    scratch: number,
  ): void;
  /** Scratch floats of `layer_backward`. */
  backward_scratch_floats(kind: number, B: number, K: number, N: number): number;
  /** A layer's backward pass (see gradnets.c). */
  layer_backward(
    kind: number,
    B: number,
    K: number,
    N: number,
    x: number,
    W: number,
    W2: number,
    alpha: number,
    g: number,
    omg: number,
    dy: number,
    h: number,
    t: number,
    y: number,
    dx: number,
    dW: number,
    db: number,
    dW2: number,
    db2: number,
    dalpha: number,
    scratch: number,
  ): void;
  /** One optimiser step over the tensors of a table (see gradnets.c). */
  apply_updates(
    kind: number,
    count: number,
    table: number,
    rate: number,
    decay: number,
    scaled: number,
    scale: number,
    c1: number,
    c2: number,
    c3: number,
    c4: number,
    eps: number,
  ): void;
  /** Sums of squares of the gradients of a table. */
  sum_squares(count: number, table: number, decay: number, out: number): void;
}

/** The module on one wasm backend instance, with access to that backend's tensors. */
export interface WasmModule {
  /** The module's functions. */
  readonly exports: GradnetsExports;
  /** Byte offset of a tensor's data in the shared memory. */
  offset(tensor: tf.TensorInfo): number;
  /** Byte offset of a scratch buffer of at least `floats` floats; reused by every call. */
  scratch(floats: number): number;
  /** A view of the shared memory as int32 (recreate after any allocation: memory can grow). */
  int32(): Int32Array;
  /** Allocates a tfjs output tensor of `shape` on the backend. */
  output(shape: number[], dtype?: "float32"): tf.TensorInfo;
  /**
   * Tells tfjs that a tensor's data was overwritten in place: its wasm backend forgets what it
   * cached about the tensor (XNNPACK's packed copy of a weight matrix) and registers it anew.
   */
  rewritten(tensor: tf.TensorInfo): void;
}

// deno-lint-ignore no-explicit-any
type WasmBackend = any;

let compiled: WebAssembly.Module | undefined;
const instances = new WeakMap<object, WasmModule>();

/**
 * Compiles `gradnets.wasm` from this package's folder (no network), once. A copy of the package
 * without its module (or without read permission) is an error: training on the wasm backend
 * must not fall back to other arithmetic under the same run id.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { loadKernelModule } from "./wasm.ts";
 * assert(loadKernelModule() instanceof WebAssembly.Module);
 * ```
 */
export function loadKernelModule(): WebAssembly.Module {
  if (compiled) return compiled;
  const url = new URL("./gradnets.wasm", import.meta.url);
  try {
    compiled = new WebAssembly.Module(Deno.readFileSync(url));
  } catch (error) {
    throw new Error(
      `gradnets: could not load the kernels ${url.href} (${(error as Error).message}); ` +
        "rebuild them with scripts/build_kernels.sh",
    );
  }
  return compiled;
}

function memoryOf(backend: WasmBackend): WebAssembly.Memory {
  const wasm = backend.wasm;
  const memory = wasm?.asm?.memory ?? wasm?.wasmMemory ?? wasm?.wasmExports?.memory;
  if (!(memory instanceof WebAssembly.Memory) || memory.buffer !== wasm.HEAPU8.buffer) {
    throw new Error("gradnets: the tfjs wasm backend's memory was not found");
  }
  return memory;
}

/**
 * The module on `backend` (a tfjs wasm backend), instantiated on first use. For the
 * `kernelFunc`s of custom kernels, which receive their backend.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import * as tf from "@tensorflow/tfjs";
 * import { useBackend } from "@gradnets/core";
 * import { moduleOn } from "./wasm.ts";
 * await useBackend("wasm");
 * // A [4, 3] by [3, 10] GEMM packs B in 2 panels of 8 columns and A in 1 panel of 4 rows, and
 * // keeps 8 scalars and a 4 x 8 tile.
 * assert(moduleOn(tf.backend()).exports.gemm_floats(4, 10, 3) === 3 * 16 + 4 * 3 + 8 + 4 * 8);
 * ```
 */
export function moduleOn(backend: WasmBackend): WasmModule {
  const existing = instances.get(backend);
  if (existing) return existing;
  const module = loadKernelModule();
  const memory = memoryOf(backend);
  const instance = new WebAssembly.Instance(module, { env: { memory } });
  const exports = instance.exports as unknown as GradnetsExports;
  let scratch = 0;
  let scratchFloats = 0;
  const created: WasmModule = {
    exports,
    offset: (tensor) => backend.dataIdMap.get(tensor.dataId).memoryOffset as number,
    scratch(floats) {
      if (floats > scratchFloats) {
        if (scratch) backend.wasm._free(scratch);
        // 16 bytes of slack: SIMD loads of a partial vector never leave the buffer.
        scratch = backend.wasm._malloc(floats * 4 + 16) >>> 0;
        scratchFloats = floats;
      }
      return scratch;
    },
    int32: () => new Int32Array(memory.buffer),
    output: (shape, dtype = "float32") => backend.makeOutput(shape, dtype),
    rewritten(tensor) {
      const { id, memoryOffset } = backend.dataIdMap.get(tensor.dataId);
      backend.wasm.tfjs.disposeData(id);
      backend.wasm.tfjs.registerTensor(id, tf.util.sizeFromShape(tensor.shape), memoryOffset);
    },
  };
  instances.set(backend, created);
  return created;
}
