import assert from "node:assert/strict";
import {
  encodeIdx,
  IdxError,
  IdxMagicError,
  IdxSizeMismatchError,
  IdxTruncatedError,
  parseIdx,
} from "./idx.ts";

const header = (type: number, dims: number[]) => {
  const bytes = new Uint8Array(4 + 4 * dims.length);
  const view = new DataView(bytes.buffer);
  bytes[2] = type;
  bytes[3] = dims.length;
  dims.forEach((d, i) => view.setUint32(4 + 4 * i, d));
  return bytes;
};
const concat = (...parts: Uint8Array[]) => {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
};

Deno.test("parseIdx reads a generated images file: type, dims and row-major data", () => {
  const pixels = Uint8Array.from({ length: 2 * 3 * 4 }, (_, i) => i * 10);
  const idx = parseIdx(concat(header(0x08, [2, 3, 4]), pixels), "images.idx");
  assert.equal(idx.type, "uint8");
  assert.deepEqual(idx.dims, [2, 3, 4]);
  assert.deepEqual(Array.from(idx.data), Array.from(pixels));
});

Deno.test("parseIdx reads big-endian multi-byte types", () => {
  const bytes = concat(header(0x0d, [2]), new Uint8Array(8));
  const view = new DataView(bytes.buffer);
  view.setFloat32(8, 1.5, false);
  view.setFloat32(12, -2.25, false);
  assert.deepEqual(Array.from(parseIdx(bytes).data), [1.5, -2.25]);
  const ints = concat(header(0x0c, [1]), new Uint8Array([0xff, 0xff, 0xff, 0xfe]));
  assert.deepEqual(Array.from(parseIdx(ints).data), [-2]);
});

Deno.test("encodeIdx and parseIdx round-trip every element type", () => {
  for (
    const [type, data] of [
      ["uint8", new Uint8Array([0, 255, 7])],
      ["int8", new Int8Array([-128, 127, 0])],
      ["int16", new Int16Array([-300, 300, 1])],
      ["int32", new Int32Array([-70000, 70000, 2])],
      ["float32", new Float32Array([0.5, -1e-3, 3])],
      ["float64", new Float64Array([Math.PI, -1e300, 0])],
    ] as const
  ) {
    const parsed = parseIdx(encodeIdx({ type, dims: [3], data }));
    assert.equal(parsed.type, type);
    assert.deepEqual(Array.from(parsed.data), Array.from(data));
  }
});

Deno.test("a file shorter than the magic number is IdxTruncatedError", () => {
  assert.throws(() => parseIdx(new Uint8Array([0, 0, 8]), "a.idx"), IdxTruncatedError);
});

Deno.test("a file that ends inside the dimension header is IdxTruncatedError", () => {
  const bytes = header(0x08, [60000, 28, 28]).subarray(0, 10);
  assert.throws(() => parseIdx(bytes, "b.idx"), (e: unknown) => {
    assert.ok(e instanceof IdxTruncatedError);
    assert.match((e as Error).message, /^b\.idx: file ends inside the header/);
    return true;
  });
});

Deno.test("a file that ends inside the data is IdxTruncatedError naming the sizes", () => {
  const bytes = concat(header(0x08, [10, 28, 28]), new Uint8Array(100));
  assert.throws(() => parseIdx(bytes, "c.idx"), (e: unknown) => {
    assert.ok(e instanceof IdxTruncatedError);
    assert.match((e as Error).message, /10x28x28 of uint8 need 7856 bytes, file has 116/);
    return true;
  });
});

Deno.test("a wrong magic number is IdxMagicError", () => {
  const gzip = new Uint8Array([0x1f, 0x8b, 0x08, 0x00, 0, 0, 0, 0]);
  assert.throws(() => parseIdx(gzip, "d.idx.gz"), IdxMagicError);
  assert.throws(() => parseIdx(concat(header(0x0a, [1]), new Uint8Array(1))), IdxMagicError);
  assert.throws(() => parseIdx(header(0x08, [])), IdxMagicError);
});

Deno.test("bytes beyond the declared dims are IdxSizeMismatchError", () => {
  const bytes = concat(header(0x08, [2, 2]), new Uint8Array(5));
  assert.throws(() => parseIdx(bytes, "e.idx"), (e: unknown) => {
    assert.ok(e instanceof IdxSizeMismatchError && e instanceof IdxError);
    assert.match((e as Error).message, /1 extra/);
    return true;
  });
});
