import assert from "node:assert/strict";

// Speed-ups of the kernels must not change one bit of what they compute (a run id names its
// arithmetic by NUMERICS_VERSION): the committed gradnets.wasm is compared, output byte for
// output byte, with the module that numerics version 3 was defined with (read from git history),
// on the same random inputs: forward passes (training and evaluation) and backward passes (with
// and without dx) of every layer kind, the optimisers, the sums of squares, the GEMM under every
// transpose and the sigmoid, over many shapes (1..1000 rows, odd widths, MNIST's 784 inputs) and
// inputs (dense, 80% zeros, values around the flush threshold, infinities and NaN, large).

/** The last commit that changed gradnets.wasm under numerics version 3. */
const REFERENCE = "0b2088100f6e495dc66e5702da507f8a0e404338";
const root = new URL("../../../", import.meta.url).pathname;

function referenceModule(): Uint8Array<ArrayBuffer> | null {
  try {
    const show = new Deno.Command("git", {
      args: ["show", `${REFERENCE}:packages/core/kernels/gradnets.wasm`],
      cwd: root,
      stdout: "piped",
      stderr: "null",
    }).outputSync();
    return show.success ? show.stdout : null;
  } catch {
    return null;
  }
}

const reference = referenceModule();
if (!reference) {
  console.warn(
    `kernels/identity_test.ts: git or commit ${REFERENCE.slice(0, 12)} not found (a shallow ` +
      "clone?), so the kernels are not compared with numerics version 3's",
  );
}

type Exports = Record<string, (...args: number[]) => number>;
interface Instance {
  memory: WebAssembly.Memory;
  e: Exports;
}

function instantiate(bytes: Uint8Array<ArrayBuffer>): Instance {
  const memory = new WebAssembly.Memory({ initial: 1024 }); // 64 MiB
  const instance = new WebAssembly.Instance(new WebAssembly.Module(bytes), { env: { memory } });
  return { memory, e: instance.exports as unknown as Exports };
}

/** A seeded generator (mulberry32), so that a failure reproduces. */
function generator(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), seed | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Styles of input: dense, sparse (MNIST-like), near the flush, with non-finite values, large. */
const STYLES = ["dense", "sparse", "tiny", "non-finite", "large"] as const;
type Style = (typeof STYLES)[number];

Deno.test({
  name: "the kernels compute the bits of numerics version 3's, output for output",
  ignore: reference === null,
  fn() {
    const before = instantiate(reference!);
    const now = instantiate(Deno.readFileSync(new URL("./gradnets.wasm", import.meta.url)));
    const random = generator(20261204);
    const value = (style: Style): number => {
      const r = random();
      if (style === "sparse" && r < 0.8) return 0;
      if (style === "tiny" && r < 0.1) return (random() - 0.5) * 1e-18; // around 2^-60
      if (style === "tiny" && r < 0.15) return (random() - 0.5) * 1e-30;
      if (style === "non-finite" && r < 0.02) {
        return [Infinity, -Infinity, NaN][Math.floor(r * 150)];
      }
      return (random() * 2 - 1) * (style === "large" ? 100 : 1);
    };
    let calls = 0;
    type Region = readonly [offset: number, floats: number];
    /**
     * Fills the inputs that `setup` allocates identically in both memories (outputs poisoned),
     * runs `call` on each module and compares the output regions byte for byte.
     */
    const compare = (
      name: string,
      setup: (alloc: (n: number, style?: Style, scale?: number) => number) => {
        call: (e: Exports, i32: Int32Array, f32: Float32Array) => void;
        outputs: Region[];
      },
    ) => {
      let top = 4096;
      const writes: number[] = [];
      const alloc = (n: number, style: Style = "dense", scale = 1) => {
        const p = top;
        top += ((Math.max(n, 1) * 4 + 63) >> 6) << 6;
        for (let i = 0; i < n; i++) writes.push(p / 4 + i, Math.fround(value(style) * scale));
        return p;
      };
      const { call, outputs } = setup(alloc);
      const results = [before, now].map(({ memory, e }) => {
        const f32 = new Float32Array(memory.buffer);
        f32.fill(-7.25, 1024, top / 4 + 16);
        for (let i = 0; i < writes.length; i += 2) f32[writes[i]] = writes[i + 1];
        // Scratch goes above the inputs: the pointer `top` is passed as the scratch buffer.
        call(e, new Int32Array(memory.buffer), f32);
        return outputs.map(([p, n]) => new Uint8Array(memory.buffer, p, n * 4).slice());
      });
      calls++;
      outputs.forEach((_, o) =>
        assert.deepEqual(results[1][o], results[0][o], `${name}: output ${o} differs`)
      );
      return top;
    };

    const shapes: [number, number, number][] = [];
    for (const rows of [1, 3, 4, 5, 8, 13, 50, 1000]) {
      for (const k of [1, 4, 9, 17, 50]) shapes.push([rows, k, k]);
    }
    for (const rows of [1, 5, 50, 1000]) {
      for (const [k, n] of [[784, 50], [784, 7], [50, 10], [200, 33]]) shapes.push([rows, k, n]);
    }
    for (const style of STYLES) {
      for (const [B, K, N] of shapes) {
        for (let kind = 0; kind <= 6; kind++) {
          if (kind >= 2 && K !== N) continue; // the hidden kinds are square
          for (const training of [true, false]) {
            const keeps = training && kind >= 2 && kind !== 3;
            compare(`forward ${kind} ${B}x${K}x${N} ${style} training ${training}`, (alloc) => {
              const x = alloc(B * K, style),
                W = alloc(K * N, style === "sparse" ? "dense" : style, 0.3);
              const b = alloc(N, "dense", 0.1), W2 = alloc(K * N, "dense", 0.3);
              const b2 = alloc(N, "dense", 0.5), alpha = alloc(1, "dense", 0.5);
              const y = alloc(B * N), h = alloc(B * N), t = alloc(B * N), scratch = alloc(0);
              const th = keeps ? h : 0, tt = keeps && kind === 6 ? t : 0;
              return {
                call: (e) =>
                  e.layer_forward(
                    kind,
                    B,
                    K,
                    N,
                    x,
                    W,
                    b,
                    W2,
                    b2,
                    alpha,
                    0.5,
                    0.5,
                    y,
                    th,
                    tt,
                    scratch,
                  ),
                outputs: [
                  [y, B * N],
                  ...(th ? [[h, B * N] as const] : []),
                  ...(tt ? [[t, B * N] as const] : []),
                ],
              };
            });
          }
          if (B > 50 && style !== "sparse") continue;
          for (const needDx of [true, false]) {
            compare(`backward ${kind} ${B}x${K}x${N} ${style} dx ${needDx}`, (alloc) => {
              const x = alloc(B * K, style), W = alloc(K * N, "dense", 0.3);
              const W2 = alloc(K * N, "dense", 0.3), alpha = alloc(1, "dense", 0.5);
              const dy = alloc(B * N, style === "sparse" ? "tiny" : style),
                h = alloc(B * N, "sparse");
              const t = alloc(B * N, "dense", 0.5), y = alloc(B * N);
              const dx = alloc(B * K), dW = alloc(K * N), db = alloc(N), dW2 = alloc(K * N);
              const db2 = alloc(N), dAlpha = alloc(1), scratch = alloc(0);
              const hw = kind === 6;
              return {
                call: (e) =>
                  e.layer_backward(
                    kind,
                    B,
                    K,
                    N,
                    x,
                    W,
                    W2,
                    alpha,
                    0.5,
                    0.5,
                    dy,
                    h,
                    t,
                    y,
                    needDx ? dx : 0,
                    dW,
                    db,
                    hw ? dW2 : 0,
                    hw ? db2 : 0,
                    kind === 5 ? dAlpha : 0,
                    scratch,
                  ),
                outputs: [
                  ...(needDx ? [[dx, B * K] as const] : []),
                  [dW, K * N],
                  [db, N],
                  ...(hw ? [[dW2, K * N] as const, [db2, N] as const] : []),
                  ...(kind === 5 ? [[dAlpha, 1] as const] : []),
                ],
              };
            });
          }
        }
        for (const [ta, tb] of [[0, 0], [1, 0], [0, 1], [1, 1]]) {
          compare(`matmul ${B}x${K}x${N} transposes ${ta}${tb} ${style}`, (alloc) => {
            const a = alloc(B * K, style), b = alloc(K * N, style === "sparse" ? "dense" : style);
            const c = alloc(B * N), scratch = alloc(0);
            return {
              call: (e) => e.matmul(B, N, K, a, ta, b, tb, c, scratch),
              outputs: [[c, B * N]],
            };
          });
        }
      }
      // The optimisers on several tensors of odd sizes in one call, and the sums of squares.
      for (const kind of [0, 1, 2]) {
        for (const decay of [0, 1e-4]) {
          for (const scaled of [0, 1]) {
            compare(`apply_updates ${kind} decay ${decay} scaled ${scaled} ${style}`, (alloc) => {
              const sizes = [1, 3, 4, 5, 50, 2500, 39200, 7];
              const tensors = sizes.map((n) => [
                alloc(n, style === "sparse" ? "dense" : style),
                alloc(n, style),
                alloc(n),
                n,
                n % 2,
                alloc(n, style === "non-finite" ? "dense" : style, 0.1),
                alloc(n),
                alloc(n, "large", 0.001),
                alloc(n),
              ]);
              const table = alloc(9 * sizes.length), sums = alloc(sizes.length);
              return {
                call: (e, i32, f32) => {
                  tensors.flat().forEach((v, i) => (i32[table / 4 + i] = v));
                  for (const t of tensors) { // Adam's second moment is non-negative
                    for (let i = 0; i < t[3]; i++) f32[t[7] / 4 + i] = Math.abs(f32[t[7] / 4 + i]);
                  }
                  e.apply_updates(
                    kind,
                    sizes.length,
                    table,
                    -0.01,
                    decay,
                    scaled,
                    0.37,
                    0.9,
                    0.1,
                    0.999,
                    0.001,
                    1e-8,
                  );
                  e.sum_squares(sizes.length, table, decay, sums);
                },
                outputs: [
                  [sums, sizes.length],
                  ...tensors.flatMap((t) => [
                    [t[2], t[3]] as const,
                    ...(kind > 0 ? [[t[6], t[3]] as const] : []),
                    ...(kind === 2 ? [[t[8], t[3]] as const] : []),
                  ]),
                ],
              };
            });
          }
        }
      }
      for (const n of [1, 3, 5, 17, 1000]) {
        compare(`sigmoid ${n} ${style}`, (alloc) => {
          const x = alloc(n, style, 30), y = alloc(n);
          return { call: (e) => e.sigmoid(x, y, n), outputs: [[y, n]] };
        });
      }
    }
    assert.ok(calls > 3000, `${calls} calls compared`);
  },
});
