import assert from "node:assert/strict";
import { join } from "node:path";
import {
  checkDatasetFiles,
  checkDatasetName,
  datasetEntry,
  DATASETS,
  encodeIdx,
  IdxError,
  loadDataset,
  loadMnist,
  MNIST_FILES,
  UnknownDatasetError,
} from "./mod.ts";

Deno.test("every name a config can use has one entry, and only one matches it", () => {
  for (const name of ["mnist", "fashion-mnist", "idx:/some/folder"]) {
    assert.equal(DATASETS.filter((d) => d.matches(name)).length, 1, name);
  }
});

Deno.test("an unknown name is refused with the known names listed", () => {
  for (const name of ["cifar", "", "idx:", "Mnist"]) {
    assert.throws(
      () => checkDatasetName(name),
      (error: unknown) =>
        error instanceof UnknownDatasetError && error.dataset === name &&
        error.message ===
          `unknown dataset ${JSON.stringify(name)} (known: mnist, fashion-mnist, idx:<folder>)`,
    );
  }
});

Deno.test("loadDataset uses the entry's loader: mnist as loadMnist, idx:<folder> from the folder", async () => {
  const viaRegistry = await loadDataset("mnist", { limit: 200 });
  const direct = await loadMnist({ limit: 200 });
  assert.deepEqual(viaRegistry.train.labels, direct.train.labels);
  assert.deepEqual(viaRegistry.validation.images, direct.validation.images);

  const dir = await Deno.makeTempDir();
  try {
    const images = (count: number) =>
      encodeIdx({ type: "uint8", dims: [count, 28, 28], data: new Uint8Array(count * 784) });
    const labels = (count: number) =>
      encodeIdx({ type: "uint8", dims: [count], data: new Uint8Array(count) });
    await Deno.writeFile(join(dir, MNIST_FILES.trainImages), images(5010));
    await Deno.writeFile(join(dir, MNIST_FILES.trainLabels), labels(5010));
    await Deno.writeFile(join(dir, MNIST_FILES.testImages), images(5));
    await Deno.writeFile(join(dir, MNIST_FILES.testLabels), labels(5));
    await checkDatasetFiles(`idx:${dir}`);
    const own = await loadDataset(`idx:${dir}`, {});
    assert.equal(own.test.count, 5);
    assert.equal(datasetEntry(`idx:${dir}`).name, "idx:<folder>");
    await Deno.writeFile(join(dir, MNIST_FILES.testLabels), new Uint8Array([1, 2, 3]));
    await assert.rejects(() => checkDatasetFiles(`idx:${dir}`), IdxError);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
