import assert from "node:assert/strict";
import { useWasmKernels } from "@gradnets/core";
import { provenance } from "./_provenance.ts";

Deno.test("a run's provenance records whether the project's kernels ran", async () => {
  assert.equal((await provenance("wasm")).kernels, "gradnets");
  useWasmKernels(false);
  try {
    assert.equal((await provenance("wasm")).kernels, "tfjs-ops");
  } finally {
    useWasmKernels(true);
  }
  assert.equal((await provenance("cpu")).kernels, "tfjs-ops");
  assert.match((await provenance("wasm")).backend, /^wasm/);
});
