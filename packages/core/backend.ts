/**
 * Choosing the TensorFlow.js backend. `wasm` (XNNPACK with SIMD) is the default: on the narrow
 * networks of this project it is several times faster than the pure-JavaScript `cpu` backend.
 *
 * @module
 */

import * as tf from "@tensorflow/tfjs";
import { setWasmPaths } from "@tensorflow/tfjs-backend-wasm";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { pathToFileURL } from "node:url";

/** The backends a run can use. */
export type BackendName = "wasm" | "cpu";

/** The names of {@linkcode BackendName}, for validating user input. */
export const BACKENDS: readonly BackendName[] = ["wasm", "cpu"];

let wasmPathsSet = false;

/**
 * Makes `name` the active tfjs backend, and fails loudly if tfjs could not start it (tfjs only
 * reports this through `setBackend`'s boolean, and would otherwise fall back silently).
 *
 * The wasm binaries are loaded from the installed `@tensorflow/tfjs-backend-wasm` package;
 * nothing is fetched from the network.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { useBackend } from "@gradnets/core";
 * import * as tf from "@tensorflow/tfjs";
 * await useBackend("wasm");
 * assert(tf.getBackend() === "wasm");
 * ```
 */
export async function useBackend(name: BackendName): Promise<void> {
  if (tf.getBackend() === name) return;
  if (name === "wasm" && !wasmPathsSet) {
    const require = createRequire(import.meta.url);
    const dist = join(
      dirname(require.resolve("@tensorflow/tfjs-backend-wasm/package.json")),
      "dist",
    );
    setWasmPaths(pathToFileURL(dist).href + "/");
    wasmPathsSet = true;
  }
  const ok = await tf.setBackend(name);
  if (!ok) throw new Error(`TensorFlow.js could not initialise the ${name} backend`);
  await tf.ready();
}

/**
 * The versions that affect numerical results: tfjs, the backend, and Deno.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { runtimeVersions } from "@gradnets/core";
 * assert(runtimeVersions().tfjs === "4.22.0");
 * ```
 */
export function runtimeVersions(): { tfjs: string; deno: string; v8: string; backend: string } {
  return {
    tfjs: tf.version.tfjs,
    deno: Deno.version.deno,
    v8: Deno.version.v8,
    backend: tf.getBackend() ?? "none",
  };
}
