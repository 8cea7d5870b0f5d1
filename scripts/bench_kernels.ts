/**
 * `deno run -A scripts/bench_kernels.ts [A.wasm B.wasm ...]`: the CPU time of the layer kernels
 * alone, without tfjs, for one or more builds of `gradnets.wasm` (default: the committed one),
 * in turns, so that a change to `gradnets.c` can be measured against the module before it:
 *
 * ```sh
 * git show 0b20881:packages/core/kernels/gradnets.wasm > /tmp/v3.wasm
 * deno run -A scripts/bench_kernels.ts /tmp/v3.wasm packages/core/kernels/gradnets.wasm
 * ```
 *
 * Per build and kernel: the median over 5 rounds (each the median of 7 repeats, the builds in
 * turns within a round, after a round that warms V8's tiers up) of the process's CPU time (which, unlike wall
 * time, leaves out the time other processes held the core) for what evaluation at depth 50 runs
 * (48 hidden layers x 10 chunks of 1000 images: 480 forward passes of 1000 x 50 by 50 x 50) and
 * what a training step at depth 50 runs (48 forward and 48 backward passes at batch 50).
 *
 * @module
 */

import process from "node:process";
import { runMain, UsageError } from "@gradnets/runner";

const KINDS = { relu: 0, grelu: 2, "grelu-leaky": 3, highway: 6 } as const;
const ROUNDS = 5;

await runMain(async () => {
  if (Deno.args.includes("-h") || Deno.args.includes("--help")) {
    console.log(
      "Usage: deno run -A scripts/bench_kernels.ts [A.wasm B.wasm ...]\n\n" +
        "CPU time of the layer kernels of each gradnets.wasm build (default: the committed one).",
    );
    return;
  }
  const files = Deno.args.length > 0
    ? Deno.args
    : [new URL("../packages/core/kernels/gradnets.wasm", import.meta.url).pathname];
  const modules = await Promise.all(files.map(async (file) => {
    let bytes: Uint8Array<ArrayBuffer>;
    try {
      bytes = await Deno.readFile(file);
    } catch (error) {
      throw new UsageError(`${file}: cannot read (${(error as Error).message})`);
    }
    return { file, kernels: instantiate(bytes) };
  }));
  console.log("CPU ms: eval (480 x fwd 1000x50x50) | train (48 x fwd + bwd at 50)");
  for (const [name, kind] of Object.entries(KINDS)) {
    const times = modules.map(() => ({ evaluation: [] as number[], train: [] as number[] }));
    for (let round = 0; round <= ROUNDS; round++) {
      modules.forEach(({ kernels }, i) => {
        const evaluation = kernels.forward(kind, 1000, 480, false);
        const train = kernels.forward(kind, 50, 48, true) + kernels.backward(kind, 50, 48);
        if (round === 0) return; // warm-up
        times[i].evaluation.push(evaluation);
        times[i].train.push(train);
      });
    }
    modules.forEach(({ file }, i) => {
      const evaluation = middle(times[i].evaluation), train = middle(times[i].train);
      console.log(
        `${name.padEnd(11)} ${evaluation.toFixed(1).padStart(7)} | ${
          train.toFixed(3).padStart(6)
        }  ${file}`,
      );
    });
  }
});

function cpuMs(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
}

function middle(xs: number[]): number {
  return [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
}

function median(f: () => void): number {
  const times: number[] = [];
  for (let r = 0; r < 7; r++) {
    const started = cpuMs();
    f();
    times.push(cpuMs() - started);
  }
  return times.sort((a, b) => a - b)[3];
}

/** A build on a memory of its own, with random layers of width 50. */
function instantiate(bytes: Uint8Array<ArrayBuffer>) {
  const memory = new WebAssembly.Memory({ initial: 256 });
  const instance = new WebAssembly.Instance(new WebAssembly.Module(bytes), { env: { memory } });
  const e = instance.exports as Record<string, (...args: number[]) => number>;
  const f32 = new Float32Array(memory.buffer);
  let top = 1024;
  const alloc = (n: number, scale = 0) => {
    const p = top;
    top += ((n * 4 + 63) >> 6) << 6;
    for (let i = 0; i < n; i++) f32[p / 4 + i] = (Math.random() * 2 - 1) * scale;
    return p;
  };
  const W = 50;
  return {
    forward(kind: number, B: number, calls: number, training: boolean): number {
      top = 1024;
      const x = alloc(B * W, 1), w = alloc(W * W, 0.2), b = alloc(W, 0.1);
      const w2 = alloc(W * W, 0.2), b2 = alloc(W, 0.1), alpha = alloc(1, 0.5);
      const y = alloc(B * W), h = alloc(B * W), t = alloc(B * W);
      const scratch = alloc(e.forward_scratch_floats(kind, B, W, W));
      const keep = training ? h : 0, gate = training && kind === 6 ? t : 0;
      return median(() => {
        for (let i = 0; i < calls; i++) {
          e.layer_forward(kind, B, W, W, x, w, b, w2, b2, alpha, 0.5, 0.5, y, keep, gate, scratch);
        }
      });
    },
    backward(kind: number, B: number, calls: number): number {
      top = 1024;
      const x = alloc(B * W, 1), w = alloc(W * W, 0.2), w2 = alloc(W * W, 0.2);
      const alpha = alloc(1, 0.5), dy = alloc(B * W, 1), h = alloc(B * W, 1);
      const t = alloc(B * W, 1), y = alloc(B * W, 1), dx = alloc(B * W), dw = alloc(W * W);
      const db = alloc(W), dw2 = alloc(W * W), db2 = alloc(W), dAlpha = alloc(1);
      const scratch = alloc(e.backward_scratch_floats(kind, B, W, W));
      return median(() => {
        for (let i = 0; i < calls; i++) {
          e.layer_backward(
            kind,
            B,
            W,
            W,
            x,
            w,
            w2,
            alpha,
            0.5,
            0.5,
            dy,
            h,
            t,
            y,
            dx,
            dw,
            db,
            kind === 6 ? dw2 : 0,
            kind === 6 ? db2 : 0,
            dAlpha,
            scratch,
          );
        }
      });
    },
  };
}
