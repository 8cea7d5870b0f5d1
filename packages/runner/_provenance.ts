/**
 * Where and with what a run was trained: versions, git commit and machine. Stored beside each run
 * (not inside it, so that run files stay byte-identical) and summed up in each experiment's
 * manifest.
 *
 * @module
 */

import { type BackendName, runtimeVersions, useBackend, wasmKernelsActive } from "@gradnets/core";
import * as tf from "@tensorflow/tfjs";
import os from "node:os";

/** The provenance of a run. */
export interface Provenance {
  /** Deno's version. */
  readonly deno: string;
  /** V8's version. */
  readonly v8: string;
  /** tfjs's version. */
  readonly tfjs: string;
  /** The tfjs backend and, for wasm, whether SIMD was on. */
  readonly backend: string;
  /**
   * What ran the layers and optimisers: `gradnets` (the project's WebAssembly kernels) or
   * `tfjs-ops`. Absent in runs stored before it was recorded (all of them on the kernels: on the
   * wasm backend these runs' numerics version has no other path).
   */
  readonly kernels?: "gradnets" | "tfjs-ops";
  /** `git rev-parse HEAD`, with `+dirty` when the work tree had changes; `unknown` outside git. */
  readonly commit: string;
  /** CPU model, core count and memory. */
  readonly machine: string;
  /** Operating system and architecture. */
  readonly os: string;
}

let commitCache: Promise<string> | undefined;

/** The git commit of the work tree, with `+dirty` for uncommitted changes. */
export function gitCommit(): Promise<string> {
  commitCache ??= (async () => {
    try {
      const run = async (...args: string[]) => {
        const out = await new Deno.Command("git", { args, stdout: "piped", stderr: "null" })
          .output();
        if (!out.success) throw new Error(`git ${args.join(" ")} failed`);
        return new TextDecoder().decode(out.stdout).trim();
      };
      const head = await run("rev-parse", "HEAD");
      const dirty = (await run(
        "status",
        "--porcelain",
        "--untracked-files=no",
        "--",
        "packages",
        "experiments",
      )) !== "";
      return dirty ? `${head}+dirty` : head;
    } catch {
      return "unknown";
    }
  })();
  return commitCache;
}

/** The provenance of a run on `backend` here and now. */
export async function provenance(backend: BackendName): Promise<Provenance> {
  await useBackend(backend);
  const versions = runtimeVersions();
  const simd = backend === "wasm"
    ? ` (SIMD ${await tf.env().getAsync("WASM_HAS_SIMD_SUPPORT") ? "on" : "off"})`
    : "";
  return {
    deno: versions.deno,
    v8: versions.v8,
    tfjs: versions.tfjs,
    backend: `${backend}${simd}`,
    kernels: wasmKernelsActive() ? "gradnets" : "tfjs-ops",
    commit: await gitCommit(),
    ...machine(),
  };
}

/** This machine: CPU model, core count and memory; operating system and architecture. */
export function machine(): { machine: string; os: string } {
  return {
    machine: `${os.cpus()[0]?.model ?? "unknown CPU"}, ${os.cpus().length} cores, ${
      Math.round(os.totalmem() / 2 ** 30)
    } GiB`,
    os: `${Deno.build.os} ${Deno.build.arch}`,
  };
}
