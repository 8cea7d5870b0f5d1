import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { assertAllClose, disposeLayer, fixture } from "../_testing.ts";
import { useBackend } from "../backend.ts";
import { ARCHITECTURE_TEST_CASES, architectureLabel, hiddenLayer } from "../architectures.ts";
import { denseLayer } from "../layers/dense.ts";
import { gradualReluLayer } from "../layers/gradual_relu.ts";
import { highwayLayer } from "../layers/highway.ts";
import { type Layer, layerContext } from "../layers/layer.ts";
import { Random } from "../random.ts";
import { wasmKernelsActive } from "./fast_path.ts";
import { moduleOn } from "./wasm.ts";

await useBackend("wasm");

const square = { init: { kind: "truncated-normal", std: 0.4 } as const, biasInit: 0.05 };

/**
 * The dense layers and every test case of the architecture registry, on small odd shapes:
 * [name, layer, input width].
 */
function layers(): [string, Layer, number][] {
  const dense = (activation: "relu" | "linear", inputSize: number, outputSize: number) =>
    denseLayer({
      name: activation,
      inputSize,
      outputSize,
      activation,
      ...square,
      random: new Random(1),
    });
  const hidden = ARCHITECTURE_TEST_CASES.map((architecture, i) => {
    const name = architectureLabel(architecture, 13);
    const layer = hiddenLayer(architecture, {
      name,
      width: 13,
      ...square,
      random: new Random(i + 2),
    });
    // A nonzero learnt scale (ReZero's starts at 0), so that every gradient is exercised.
    const scales = layer.params.filter((p) => p.role === "scale" && p.variable.rank === 0);
    tf.tidy(() => scales.forEach((p) => p.variable.assign(tf.scalar(0.7))));
    return [name, layer, 13] as [string, Layer, number];
  });
  return [
    // 131 inputs: wide enough for the sparse kernels (from 128), as the images are.
    ["dense relu", dense("relu", 131, 11), 131],
    ["dense linear", dense("linear", 13, 3), 13],
    ...hidden,
  ];
}

/** Names of the kernels `f` launches. */
async function kernelNames(f: () => void): Promise<string[]> {
  const profile = await tf.profile(() => tf.tidy(f));
  return profile.kernels.map((k) => k.name);
}

for (const sparse of [false, true]) {
  Deno.test(`layer kernels equal autodiff of the reference formula (${sparse ? "sparse" : "dense"} input)`, async () => {
    assert.ok(wasmKernelsActive());
    for (const [name, layer, inputWidth] of layers()) {
      // 7 rows: a GEMM tile of 4 rows and a remainder of 3. Sparse: 4 in 5 entries are zero.
      const values = fixture(7 * inputWidth, 11);
      if (sparse) values.forEach((_, i) => i % 5 !== 0 && (values[i] = 0));
      const x = tf.tensor2d(values, [7, inputWidth]);
      for (const g of [0, 0.35, 1]) {
        const ctx = () => layerContext(g, true, new Random(1));
        const outputWidth = layer.params[0].variable.shape[1]!;
        const dy = tf.tensor2d(fixture(7 * outputWidth, 12), [7, outputWidth]);
        const fast = tf.tidy(() => {
          const pass = layer.forward(x, ctx());
          const { dx, grads } = pass.backward(dy, true);
          return [pass.y, dx!, ...grads].map((t) => t.dataSync().slice() as Float32Array);
        });
        const reference = tf.tidy(() => {
          const variables = layer.params.map((p) => p.variable);
          const y = layer.reference(x, ctx());
          const { grads } = tf.variableGrads(
            () => tf.sum(tf.mul(layer.reference(x, ctx()), dy)) as tf.Scalar,
            variables,
          );
          const dx = tf.grad((input: tf.Tensor) =>
            tf.sum(tf.mul(layer.reference(input as tf.Tensor2D, ctx()), dy))
          )(x);
          return [y, dx, ...variables.map((v) => grads[v.name] ?? tf.zerosLike(v))].map((t) =>
            t.dataSync().slice() as Float32Array
          );
        });
        const what = ["y", "dx", ...layer.params.map((p) => `d${p.name}`)];
        fast.forEach((values, i) =>
          assertAllClose(values, reference[i], {
            rtol: 1e-5,
            atol: 1e-6,
            what: `${name} g=${g} ${what[i]}`,
          })
        );
        dy.dispose();
      }
      const names = await kernelNames(() =>
        layer.forward(x, layerContext(0.5, true, new Random(1))).backward(
          tf.onesLike(layer.forward(x, layerContext(0.5, true, new Random(1))).y),
          true,
        )
      );
      assert.ok(names.includes("GradnetsLayerForward"), `${name}: ${names}`);
      assert.ok(names.includes("GradnetsLayerBackward"), `${name}: ${names}`);
      x.dispose();
      disposeLayer(layer);
    }
  });
}

Deno.test("skipping the zeros of a sparse input gives the same bits as the dense GEMM", () => {
  const [B, K, N] = [9, 139, 19];
  const layer = denseLayer({
    name: "input",
    inputSize: K,
    outputSize: N,
    activation: "relu",
    ...square,
    random: new Random(9),
  });
  const values = fixture(B * K, 13);
  values.forEach((_, i) => i % 7 !== 0 && (values[i] = 0));
  const [w, b] = layer.params.map((p) => p.variable);
  const x = tf.tensor2d(values, [B, K]);
  const dy = tf.tensor2d(fixture(B * N, 14), [B, N]);
  const m = moduleOn(tf.backend());
  /** The module's dense GEMM of op(A) @ B. */
  const dense = (a: tf.Tensor, transA: boolean, bm: tf.Tensor, rows: number, cols: number) => {
    const inner = transA ? a.shape[0]! : a.shape[1]!;
    const product = tf.zeros([rows, cols]);
    const pack = m.scratch(m.exports.gemm_floats(rows, cols, inner));
    m.exports.matmul(
      rows,
      cols,
      inner,
      m.offset(a),
      transA ? 1 : 0,
      m.offset(bm),
      0,
      m.offset(product),
      pack,
    );
    const out = product.dataSync() as Float32Array;
    product.dispose();
    return out;
  };
  tf.tidy(() => {
    const pass = layer.forward(x, layerContext(1, true, new Random(1)));
    const y = pass.y.dataSync() as Float32Array;
    // The forward pass: bias and ReLU added in float32, as the kernel's epilogue does.
    const bias = b.dataSync();
    const expected = dense(x, false, w, B, N).map((v, i) =>
      Math.max(Math.fround(v + bias[i % N]), 0)
    );
    assert.deepEqual(y, expected);
    // The weight gradient x^T du, du = dy where y > 0.
    const du = tf.tensor2d(dy.dataSync().map((v, i) => (y[i] > 0 ? v : 0)), [B, N]);
    const [dW] = pass.backward(dy, false).grads;
    assert.deepEqual(dW.dataSync(), dense(x, true, du, K, N));
  });
  tf.dispose([x, dy]);
  disposeLayer(layer);
});

Deno.test("the kernels' matmul equals tf.matMul in every layout, on odd shapes", () => {
  const m = moduleOn(tf.backend());
  for (const [M, N, K] of [[1, 1, 1], [7, 13, 5], [5, 9, 50], [50, 10, 50], [11, 3, 784]]) {
    for (const transA of [false, true]) {
      for (const transB of [false, true]) {
        tf.tidy(() => {
          const a = tf.tensor2d(fixture(M * K, M + K), transA ? [K, M] : [M, K]);
          const b = tf.tensor2d(fixture(K * N, N + K), transB ? [N, K] : [K, N]);
          const c = tf.zeros([M, N]);
          const pack = m.scratch(m.exports.gemm_floats(M, N, K));
          m.exports.matmul(
            M,
            N,
            K,
            m.offset(a),
            transA ? 1 : 0,
            m.offset(b),
            transB ? 1 : 0,
            m.offset(c),
            pack,
          );
          assertAllClose(c.dataSync(), tf.matMul(a, b, transA, transB).dataSync(), {
            rtol: 1e-5,
            atol: 1e-5,
            what: `${M}x${N}x${K} transA=${transA} transB=${transB}`,
          });
        });
      }
    }
  }
});

Deno.test("the kernels' sigmoid equals tf.sigmoid, saturating without overflow", () => {
  const m = moduleOn(tf.backend());
  tf.tidy(() => {
    const values = [-200, -88, -87, -30, -5, -1, -1e-3, 0, 1e-3, 0.5, 1, 5, 30, 88, 200];
    const x = tf.tensor1d([...values, ...fixture(101, 3, 12)]);
    const y = tf.zerosLike(x);
    m.exports.sigmoid(m.offset(x), m.offset(y), x.size);
    assertAllClose(y.dataSync(), tf.sigmoid(x).dataSync(), { rtol: 2e-6, atol: 1e-30 });
  });
});

Deno.test("an evaluation pass keeps nothing for a backward pass, and has none", () => {
  const layer = highwayLayer({
    name: "h",
    width: 5,
    ...square,
    carryBias: -1,
    random: new Random(1),
  });
  tf.tidy(() => {
    const x = tf.ones([3, 5]) as tf.Tensor2D;
    const ctx = layerContext(1, false, new Random(1));
    const before = tf.memory().numTensors;
    const pass = layer.forward(x, ctx);
    assert.equal(tf.memory().numTensors, before + 1); // y only: no h, no gate
    assert.throws(() => pass.backward(tf.ones([3, 5]), true), /no backward pass/);
  });
  disposeLayer(layer);
});

Deno.test("on the cpu backend the layers fall back to tfjs ops, with the same results", async () => {
  // Output and every gradient of every layer, built afresh on the current backend.
  const run = () =>
    layers().map(([name, layer, inputWidth]) => {
      const out = tf.tidy(() => {
        const x = tf.tensor2d(fixture(4 * inputWidth, 1), [4, inputWidth]);
        const pass = layer.forward(x, layerContext(0.5, true, new Random(1)));
        const { dx, grads } = pass.backward(tf.onesLike(pass.y), true);
        return [pass.y, dx!, ...grads].map((t) => t.dataSync());
      });
      disposeLayer(layer);
      return [name, out] as const;
    });
  const fast = run();
  await useBackend("cpu");
  try {
    assert.ok(!wasmKernelsActive());
    const names = await kernelNames(() => {
      const layer = gradualReluLayer({ name: "g", width: 6, ...square, random: new Random(3) });
      layer.forward(tf.ones([2, 6]), layerContext(0.5, true, new Random(1)));
      disposeLayer(layer);
    });
    assert.ok(!names.some((n) => n.startsWith("Gradnets")), names.join());
    run().forEach(([name, out], layer) => {
      assert.equal(out.length, fast[layer][1].length, `${name}: number of gradients`);
      out.forEach((values, i) =>
        assertAllClose(values, fast[layer][1][i], { rtol: 1e-5, atol: 1e-6, what: `${name} ${i}` })
      );
    });
  } finally {
    await useBackend("wasm");
  }
});
