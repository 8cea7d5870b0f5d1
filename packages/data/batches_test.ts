import assert from "node:assert/strict";
import { batches, shuffledOrder, stepsPerEpoch } from "./batches.ts";
import { splitFromBytes } from "./dataset.ts";

Deno.test("shuffledOrder is a permutation that depends only on the random numbers", () => {
  let state = 1;
  const random = () => ((state = (state * 48271) % 2147483647) / 2147483647);
  const order = shuffledOrder(1000, random);
  assert.deepEqual(
    Array.from(order).sort((a, b) => a - b),
    Array.from({ length: 1000 }, (_, i) => i),
  );
  assert.notDeepEqual(Array.from(order.subarray(0, 10)), [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  state = 1;
  assert.deepEqual(shuffledOrder(1000, random), order);
});

Deno.test("batches gather images and labels in order and drop the partial batch", () => {
  const pixels = Uint8Array.from({ length: 5 * 2 }, (_, i) => i);
  const split = splitFromBytes(pixels, new Uint8Array([0, 1, 2, 3, 4]), 2);
  const seen: number[][] = [];
  for (const batch of batches(split, new Uint32Array([4, 3, 2, 1, 0]), 2)) {
    seen.push([...batch.labels, ...Array.from(batch.images, (v) => Math.round(v * 255))]);
  }
  assert.deepEqual(seen, [[4, 3, 8, 9, 6, 7], [2, 1, 4, 5, 2, 3]]);
  assert.equal(stepsPerEpoch(5, 2), 2);
});
