import assert from "node:assert/strict";
import { join } from "node:path";
import { FASHION_CLASSES, loadFashionMnist } from "./fashion_mnist.ts";
import { DatasetMismatchError } from "./idx.ts";

Deno.test("Fashion-MNIST: a fixed stratified 55000/5000/10000 split, the same on every load", async () => {
  const fashion = await loadFashionMnist();
  assert.deepEqual([fashion.train.count, fashion.validation.count, fashion.test.count], [
    55000,
    5000,
    10000,
  ]);
  assert.equal(fashion.name, "fashion-mnist");
  for (
    const [split, perClass] of [[fashion.train, 5500], [fashion.validation, 500], [
      fashion.test,
      1000,
    ]] as const
  ) {
    const counts = new Array(FASHION_CLASSES.length).fill(0);
    for (const label of split.labels) counts[label]++;
    assert.deepEqual(counts, new Array(10).fill(perClass));
  }
  // Classes are interleaved, and pixels are in [0, 1].
  assert.notDeepEqual(
    Array.from(fashion.train.labels.subarray(0, 10)),
    new Array(10).fill(fashion.train.labels[0]),
  );
  assert.ok(fashion.test.images.every((v) => v >= 0 && v <= 1));
  const again = await loadFashionMnist({ limit: 100 });
  assert.deepEqual(again.train.labels, fashion.train.labels.subarray(0, 100));
  assert.deepEqual(again.test.images, fashion.test.images.subarray(0, 100 * 784));
});

Deno.test("Fashion-MNIST: a malformed class file is named", async () => {
  const dir = await Deno.makeTempDir();
  try {
    await Deno.writeTextFile(join(dir, "0.json"), JSON.stringify({ data: [[1, 2, 3]] }));
    await assert.rejects(() => loadFashionMnist({ dir }), (e: unknown) => {
      assert.ok(e instanceof DatasetMismatchError);
      assert.match((e as Error).message, /0\.json: image 0 has 3 pixels, not 784/);
      return true;
    });
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
