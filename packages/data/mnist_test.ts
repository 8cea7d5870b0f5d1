import assert from "node:assert/strict";
import { join } from "node:path";
import { encodeIdx, IdxError } from "./idx.ts";
import { DatasetMismatchError, IdxTruncatedError } from "./idx.ts";
import { loadMnist, MNIST_FILES, mnistDataDir, readMnistFiles } from "./mnist.ts";

Deno.test("MNIST's raw files have the published shapes and first labels", async () => {
  const files = await readMnistFiles(mnistDataDir());
  assert.deepEqual(files.trainImages.dims, [60000, 28, 28]);
  assert.deepEqual(files.trainLabels.dims, [60000]);
  assert.deepEqual(files.testImages.dims, [10000, 28, 28]);
  assert.deepEqual(files.testLabels.dims, [10000]);
  assert.deepEqual(Array.from(files.trainLabels.data.subarray(0, 10)), [
    5,
    0,
    4,
    1,
    9,
    2,
    1,
    3,
    1,
    4,
  ]);
});

Deno.test("loadMnist splits 55000/5000/10000 with the first 5000 training images as validation", async () => {
  const mnist = await loadMnist();
  assert.equal(mnist.train.count, 55000);
  assert.equal(mnist.validation.count, 5000);
  assert.equal(mnist.test.count, 10000);
  assert.equal(mnist.train.images.length, 55000 * 784);
  assert.deepEqual(Array.from(mnist.validation.labels.subarray(0, 5)), [5, 0, 4, 1, 9]);
  const raw = await readMnistFiles(mnistDataDir());
  assert.equal(mnist.train.labels[0], raw.trainLabels.data[5000]);
  // Pixels scaled to [0, 1], and the extremes present.
  let min = Infinity, max = -Infinity;
  for (const v of mnist.test.images) {
    min = Math.min(min, v);
    max = Math.max(max, v);
  }
  assert.deepEqual([min, max], [0, 1]);
  assert.equal(mnist.validation.images[5 * 784 + 0], raw.trainImages.data[5 * 784] / 255);
});

async function writeDataset(dir: string, trainCount: number, trainLabelCount: number) {
  const images = (n: number) =>
    encodeIdx({ type: "uint8", dims: [n, 2, 2], data: new Uint8Array(n * 4) });
  const labels = (n: number) => encodeIdx({ type: "uint8", dims: [n], data: new Uint8Array(n) });
  await Deno.writeFile(join(dir, MNIST_FILES.trainImages), images(trainCount));
  await Deno.writeFile(join(dir, MNIST_FILES.trainLabels), labels(trainLabelCount));
  await Deno.writeFile(join(dir, MNIST_FILES.testImages), images(3));
  await Deno.writeFile(join(dir, MNIST_FILES.testLabels), labels(3));
}

Deno.test("loadMnist reads any folder of IDX files in MNIST's layout", async () => {
  const dir = await Deno.makeTempDir();
  try {
    await writeDataset(dir, 8, 8);
    const data = await loadMnist({ dir, validationSize: 2 });
    assert.equal(data.train.count, 6);
    assert.equal(data.train.features, 4);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("images and labels of different counts are DatasetMismatchError", async () => {
  const dir = await Deno.makeTempDir();
  try {
    await writeDataset(dir, 8, 7);
    await assert.rejects(() => loadMnist({ dir }), (e: unknown) => {
      assert.ok(e instanceof DatasetMismatchError);
      assert.match((e as Error).message, /8 images but 7 labels/);
      return true;
    });
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("a truncated or missing file names the file", async () => {
  const dir = await Deno.makeTempDir();
  try {
    await writeDataset(dir, 8, 8);
    const path = join(dir, MNIST_FILES.testImages);
    const bytes = await Deno.readFile(path);
    await Deno.writeFile(path, bytes.subarray(0, bytes.length - 1));
    await assert.rejects(() => loadMnist({ dir }), IdxTruncatedError);
    await Deno.remove(path);
    await assert.rejects(() => loadMnist({ dir }), (e: unknown) => {
      assert.ok(e instanceof IdxError);
      assert.match((e as Error).message, /t10k-images-idx3-ubyte: file not found/);
      return true;
    });
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
