import { DataFormatError, InvalidInputError, isMarked } from '@neurona/errors';

/**
 * The IDX format of MNIST and Fashion-MNIST: two zero bytes, a type byte, a rank byte,
 * one big-endian uint32 per dimension, then the values in row-major order.
 */
export type IdxType = 'uint8' | 'int8' | 'int16' | 'int32' | 'float32' | 'float64';

const TYPES: Record<number, { type: IdxType; size: number }> = {
  8: { type: 'uint8', size: 1 },
  9: { type: 'int8', size: 1 },
  11: { type: 'int16', size: 2 },
  12: { type: 'int32', size: 4 },
  13: { type: 'float32', size: 4 },
  14: { type: 'float64', size: 8 },
};

/** An IDX file's contents: the element type, the shape, and the values in row-major order. */
export interface IdxArray {
  type: IdxType;
  shape: number[];
  /** The values; for `uint8` a view into the input bytes, for wider types a converted copy. */
  data: Uint8Array | Int8Array | Int16Array | Int32Array | Float32Array | Float64Array;
}

const IDX_FORMAT_MARKER = Symbol.for('neurona.error.idx-format');

/** Thrown for any malformed IDX file; `file` names it. */
export class IdxFormatError extends DataFormatError {
  protected readonly [IDX_FORMAT_MARKER] = true;

  static override isInstance(error: unknown): error is IdxFormatError {
    return isMarked(error, IDX_FORMAT_MARKER);
  }
}

const hex = (n: number) => `0x${n.toString(16).padStart(2, '0')}`;

/**
 * Parses an (already decompressed) IDX file. Checks the magic number, the type, the
 * rank and that the length is exactly what the header promises.
 *
 * @example
 * ```ts
 * const { type, shape, data } = parseIdx(bytes, 'train-images-idx3-ubyte');
 * console.log(type, shape); // 'uint8' [60000, 28, 28]
 * ```
 */
export function parseIdx(bytes: Uint8Array, source = 'IDX data'): IdxArray {
  if (bytes.byteLength >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b) {
    throw new IdxFormatError(source, 'is still gzip-compressed; decompress it before parsing');
  }
  if (bytes.byteLength < 4) {
    throw new IdxFormatError(
      source,
      `is truncated: ${bytes.byteLength} bytes, shorter than the 4-byte IDX magic number`,
    );
  }
  const [z0, z1, typeByte, rank] = bytes as unknown as [number, number, number, number];
  if (z0 !== 0 || z1 !== 0) {
    throw new IdxFormatError(
      source,
      `wrong magic number ${hex(z0)}${hex(z1).slice(2)}${hex(typeByte).slice(2)}${hex(rank).slice(2)}: an IDX file starts with two zero bytes, a type byte and a rank byte`,
    );
  }
  const kind = TYPES[typeByte];
  if (!kind) {
    throw new IdxFormatError(
      source,
      `unknown IDX type byte ${hex(typeByte)}; allowed: 0x08, 0x09, 0x0b, 0x0c, 0x0d, 0x0e`,
    );
  }
  if (rank < 1) throw new IdxFormatError(source, 'has rank 0; an IDX array has at least one dimension');
  const headerBytes = 4 + 4 * rank;
  if (bytes.byteLength < headerBytes) {
    throw new IdxFormatError(
      source,
      `is truncated inside its header: ${bytes.byteLength} bytes, the header of a rank-${rank} array needs ${headerBytes}`,
    );
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const shape = Array.from({ length: rank }, (_, i) => view.getUint32(4 + 4 * i, false));
  const count = shape.reduce((a, b) => a * b, 1);
  const expected = headerBytes + count * kind.size;
  if (bytes.byteLength < expected) {
    throw new IdxFormatError(
      source,
      `is truncated: the header says shape [${shape.join(', ')}] of ${kind.type} (${expected} bytes) but the file has ${bytes.byteLength}`,
    );
  }
  if (bytes.byteLength > expected) {
    throw new IdxFormatError(
      source,
      `has ${bytes.byteLength - expected} bytes after the shape [${shape.join(', ')}] its header declares`,
    );
  }
  const body = bytes.subarray(headerBytes);
  if (kind.type === 'uint8') return { type: 'uint8', shape, data: body };
  if (kind.type === 'int8') return { type: 'int8', shape, data: new Int8Array(body.buffer, body.byteOffset, count) };
  // Wider types are big-endian on disk.
  const read = {
    int16: (i: number) => view.getInt16(headerBytes + 2 * i, false),
    int32: (i: number) => view.getInt32(headerBytes + 4 * i, false),
    float32: (i: number) => view.getFloat32(headerBytes + 4 * i, false),
    float64: (i: number) => view.getFloat64(headerBytes + 8 * i, false),
  }[kind.type];
  const Out = { int16: Int16Array, int32: Int32Array, float32: Float32Array, float64: Float64Array }[kind.type];
  const data = new Out(count);
  for (let i = 0; i < count; i++) data[i] = read(i);
  return { type: kind.type, shape, data };
}

/** Writes a uint8 IDX file; used by the sample-cutting script and by tests for fixtures. */
export function encodeIdxUint8(shape: readonly number[], data: Uint8Array): Uint8Array {
  const count = shape.reduce((a, b) => a * b, 1);
  if (count !== data.length)
    throw new InvalidInputError(
      'encodeIdxUint8',
      'data',
      `shape [${shape.join(', ')}] needs ${count} values, got ${data.length}`,
    );
  const out = new Uint8Array(4 + 4 * shape.length + count);
  const view = new DataView(out.buffer);
  out[2] = 0x08;
  out[3] = shape.length;
  shape.forEach((d, i) => {
    view.setUint32(4 + 4 * i, d, false);
  });
  out.set(data, 4 + 4 * shape.length);
  return out;
}
