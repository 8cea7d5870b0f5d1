/**
 * The IDX file format of the MNIST distribution (http://yann.lecun.com/exdb/mnist/):
 * a 4-byte magic number (two zero bytes, an element-type code and the number of dimensions),
 * one big-endian uint32 per dimension, then the elements in row-major order, big-endian.
 *
 * Every way a file can be malformed has its own error class, so that callers (and tests) can
 * tell a truncated download from a file of another format.
 *
 * @module
 */

/** The element types an IDX file can declare, by their type code. */
export type IdxElementType = "uint8" | "int8" | "int16" | "int32" | "float32" | "float64";

/** The typed array that holds the elements of each {@linkcode IdxElementType}. */
export type IdxElements =
  | Uint8Array
  | Int8Array
  | Int16Array
  | Int32Array
  | Float32Array
  | Float64Array;

/** A parsed IDX file: its element type, its dimensions and its elements in row-major order. */
export interface IdxArray {
  /** Element type declared by the magic number. */
  readonly type: IdxElementType;
  /** Size of each dimension, outermost first (for MNIST images: count, rows, columns). */
  readonly dims: readonly number[];
  /** The elements, converted from big-endian to native numbers. */
  readonly data: IdxElements;
}

const ELEMENT_TYPES: Record<number, { type: IdxElementType; bytes: number }> = {
  0x08: { type: "uint8", bytes: 1 },
  0x09: { type: "int8", bytes: 1 },
  0x0b: { type: "int16", bytes: 2 },
  0x0c: { type: "int32", bytes: 4 },
  0x0d: { type: "float32", bytes: 4 },
  0x0e: { type: "float64", bytes: 8 },
};

/**
 * Base class of every IDX problem; `source` names the file (or buffer) that had it.
 *
 * @example Telling IDX problems from other failures
 * ```ts
 * import assert from "node:assert/strict";
 * import { IdxError, parseIdx } from "@gradnets/data";
 * try {
 *   parseIdx(new Uint8Array([1, 2]), "tiny.idx");
 * } catch (error) {
 *   assert(error instanceof IdxError);
 * }
 * ```
 */
export class IdxError extends Error {
  /** The file or buffer the problem was found in. */
  readonly source: string;
  /** Creates an error about `source`; the message is prefixed with it. */
  constructor(source: string, message: string) {
    super(`${source}: ${message}`);
    this.name = "IdxError";
    this.source = source;
  }
}

/**
 * The file ends before its header or its data does.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { IdxTruncatedError, parseIdx } from "@gradnets/data";
 * let caught: unknown;
 * try { parseIdx(new Uint8Array([0, 0]), "short.idx"); } catch (e) { caught = e; }
 * assert(caught instanceof IdxTruncatedError);
 * ```
 */
export class IdxTruncatedError extends IdxError {
  /** Creates the error; see {@linkcode IdxError}. */
  constructor(source: string, message: string) {
    super(source, message);
    this.name = "IdxTruncatedError";
  }
}

/**
 * The magic number is not an IDX one: the first two bytes are not zero, or the type code is
 * unknown, or the file declares no dimensions.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { IdxMagicError, parseIdx } from "@gradnets/data";
 * let caught: unknown;
 * try { parseIdx(new TextEncoder().encode("PK\x03\x04 a zip file"), "x.zip"); } catch (e) { caught = e; }
 * assert(caught instanceof IdxMagicError);
 * ```
 */
export class IdxMagicError extends IdxError {
  /** Creates the error; see {@linkcode IdxError}. */
  constructor(source: string, message: string) {
    super(source, message);
    this.name = "IdxMagicError";
  }
}

/**
 * The dimensions in the header do not match the number of bytes that follow it
 * (extra bytes after the data are an error too: they mean the header is wrong).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { IdxSizeMismatchError, parseIdx } from "@gradnets/data";
 * // A uint8 vector of 3 elements, followed by 4 bytes.
 * const bytes = new Uint8Array([0, 0, 0x08, 1, 0, 0, 0, 3, 1, 2, 3, 4]);
 * let caught: unknown;
 * try { parseIdx(bytes, "long.idx"); } catch (e) { caught = e; }
 * assert(caught instanceof IdxSizeMismatchError);
 * ```
 */
export class IdxSizeMismatchError extends IdxError {
  /** Creates the error; see {@linkcode IdxError}. */
  constructor(source: string, message: string) {
    super(source, message);
    this.name = "IdxSizeMismatchError";
  }
}

/**
 * An images file and its labels file disagree on the number of examples, or the arrays do not
 * have the shape a dataset needs (images of rank 3, labels of rank 1, labels in range).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { DatasetMismatchError } from "@gradnets/data";
 * const error = new DatasetMismatchError("train", "60000 images but 59999 labels");
 * assert(error.message.includes("59999"));
 * ```
 */
export class DatasetMismatchError extends IdxError {
  /** Creates the error; see {@linkcode IdxError}. */
  constructor(source: string, message: string) {
    super(source, message);
    this.name = "DatasetMismatchError";
  }
}

const HEADER_BYTES = 4;

/**
 * Parses an IDX file held in memory, validating the magic number, the element type, the
 * dimensions and the file length.
 *
 * @param bytes The whole file.
 * @param source A name for the file, used in error messages.
 * @returns The element type, dimensions and elements.
 * @throws {IdxTruncatedError} The file ends inside the header or the data.
 * @throws {IdxMagicError} The magic number is not IDX.
 * @throws {IdxSizeMismatchError} The byte count does not match the dimensions.
 *
 * @example A 2x3 uint8 matrix
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseIdx } from "@gradnets/data";
 * const file = new Uint8Array([0, 0, 0x08, 2, 0, 0, 0, 2, 0, 0, 0, 3, 1, 2, 3, 4, 5, 6]);
 * const idx = parseIdx(file, "matrix.idx");
 * assert(idx.type === "uint8" && idx.dims.join("x") === "2x3" && idx.data[5] === 6);
 * ```
 */
export function parseIdx(bytes: Uint8Array, source = "<bytes>"): IdxArray {
  if (bytes.byteLength < HEADER_BYTES) {
    throw new IdxTruncatedError(
      source,
      `file has ${bytes.byteLength} bytes, fewer than the 4-byte IDX magic number`,
    );
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (bytes[0] !== 0 || bytes[1] !== 0) {
    throw new IdxMagicError(
      source,
      `not an IDX file: magic number starts with 0x${hex(bytes[0])}${hex(bytes[1])}, not 0x0000`,
    );
  }
  const element = ELEMENT_TYPES[bytes[2]];
  if (element === undefined) {
    throw new IdxMagicError(source, `unknown IDX element type code 0x${hex(bytes[2])}`);
  }
  const rank = bytes[3];
  if (rank === 0) throw new IdxMagicError(source, "IDX header declares 0 dimensions");
  const dataOffset = HEADER_BYTES + 4 * rank;
  if (bytes.byteLength < dataOffset) {
    throw new IdxTruncatedError(
      source,
      `file ends inside the header: ${rank} dimensions need ${dataOffset} bytes, file has ${bytes.byteLength}`,
    );
  }
  const dims: number[] = [];
  for (let i = 0; i < rank; i++) dims.push(view.getUint32(HEADER_BYTES + 4 * i, false));
  const count = dims.reduce((a, b) => a * b, 1);
  const expected = dataOffset + count * element.bytes;
  if (bytes.byteLength < expected) {
    throw new IdxTruncatedError(
      source,
      `truncated: dimensions ${
        dims.join("x")
      } of ${element.type} need ${expected} bytes, file has ${bytes.byteLength}`,
    );
  }
  if (bytes.byteLength > expected) {
    throw new IdxSizeMismatchError(
      source,
      `dimensions ${
        dims.join("x")
      } of ${element.type} need ${expected} bytes, file has ${bytes.byteLength} (${
        bytes.byteLength - expected
      } extra)`,
    );
  }
  return { type: element.type, dims, data: readElements(view, dataOffset, count, element.type) };
}

function readElements(
  view: DataView,
  offset: number,
  count: number,
  type: IdxElementType,
): IdxElements {
  switch (type) {
    case "uint8":
      // A copy, so that the result does not keep the whole file's buffer alive.
      return new Uint8Array(
        view.buffer.slice(view.byteOffset + offset, view.byteOffset + offset + count),
      );
    case "int8":
      return new Int8Array(
        view.buffer.slice(view.byteOffset + offset, view.byteOffset + offset + count),
      );
    case "int16": {
      const out = new Int16Array(count);
      for (let i = 0; i < count; i++) out[i] = view.getInt16(offset + 2 * i, false);
      return out;
    }
    case "int32": {
      const out = new Int32Array(count);
      for (let i = 0; i < count; i++) out[i] = view.getInt32(offset + 4 * i, false);
      return out;
    }
    case "float32": {
      const out = new Float32Array(count);
      for (let i = 0; i < count; i++) out[i] = view.getFloat32(offset + 4 * i, false);
      return out;
    }
    case "float64": {
      const out = new Float64Array(count);
      for (let i = 0; i < count; i++) out[i] = view.getFloat64(offset + 8 * i, false);
      return out;
    }
  }
}

/**
 * Encodes an array as an IDX file: the inverse of {@linkcode parseIdx}. Used to write small
 * fixtures and datasets in MNIST's format.
 *
 * @example Round trip
 * ```ts
 * import assert from "node:assert/strict";
 * import { encodeIdx, parseIdx } from "@gradnets/data";
 * const bytes = encodeIdx({ type: "uint8", dims: [3], data: new Uint8Array([7, 8, 9]) });
 * assert(parseIdx(bytes).data[2] === 9);
 * ```
 */
export function encodeIdx(array: IdxArray): Uint8Array {
  const entry = Object.entries(ELEMENT_TYPES).find(([, e]) => e.type === array.type);
  if (entry === undefined) throw new TypeError(`unknown IDX element type ${array.type}`);
  const [code, element] = entry;
  const rank = array.dims.length;
  const count = array.dims.reduce((a, b) => a * b, 1);
  if (count !== array.data.length) {
    throw new RangeError(
      `dims ${array.dims.join("x")} hold ${count} elements, data has ${array.data.length}`,
    );
  }
  const out = new Uint8Array(HEADER_BYTES + 4 * rank + count * element.bytes);
  const view = new DataView(out.buffer);
  out[2] = Number(code);
  out[3] = rank;
  array.dims.forEach((d, i) => view.setUint32(HEADER_BYTES + 4 * i, d, false));
  const offset = HEADER_BYTES + 4 * rank;
  for (let i = 0; i < count; i++) {
    const v = array.data[i];
    const at = offset + i * element.bytes;
    switch (array.type) {
      case "uint8":
        view.setUint8(at, v);
        break;
      case "int8":
        view.setInt8(at, v);
        break;
      case "int16":
        view.setInt16(at, v, false);
        break;
      case "int32":
        view.setInt32(at, v, false);
        break;
      case "float32":
        view.setFloat32(at, v, false);
        break;
      case "float64":
        view.setFloat64(at, v, false);
        break;
    }
  }
  return out;
}

/**
 * Reads and parses an IDX file from disk. A missing or unreadable file is reported as an
 * {@linkcode IdxError} naming the path, like any other problem with the file.
 *
 * @example
 * ```ts ignore
 * import { readIdxFile } from "@gradnets/data";
 * const labels = await readIdxFile("data/train-labels-idx1-ubyte");
 * ```
 */
export async function readIdxFile(path: string): Promise<IdxArray> {
  let bytes: Uint8Array;
  try {
    bytes = await Deno.readFile(path);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) throw new IdxError(path, "file not found");
    throw new IdxError(path, `cannot read file: ${(error as Error).message}`);
  }
  return parseIdx(bytes, path);
}

function hex(byte: number): string {
  return byte.toString(16).padStart(2, "0");
}
