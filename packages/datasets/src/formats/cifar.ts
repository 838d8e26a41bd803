import { DataFormatError, InvalidInputError, isMarked } from '@neurona/errors';
import type { ImageSet } from '../image-set.js';

/** CIFAR-10's classes, in label order. */
export const cifar10ClassNames = [
  'airplane',
  'automobile',
  'bird',
  'cat',
  'deer',
  'dog',
  'frog',
  'horse',
  'ship',
  'truck',
] as const;

const SIDE = 32;
const PLANE = SIDE * SIDE;
/** Bytes of one CIFAR-10 record: a label byte, then 32×32 red, green and blue planes. */
export const CIFAR_RECORD_BYTES = 1 + 3 * PLANE;

const CIFAR_FORMAT_MARKER = Symbol.for('neurona.error.cifar-format');

export class CifarFormatError extends DataFormatError {
  protected readonly [CIFAR_FORMAT_MARKER] = true;

  static override isInstance(error: unknown): error is CifarFormatError {
    return isMarked(error, CIFAR_FORMAT_MARKER);
  }
}

/**
 * Parses one batch of CIFAR-10's binary version: records of 1 label byte and 3,072 pixel
 * bytes (the red, green and blue 32×32 planes), returned channels-last as every Neurona
 * model expects. One pass, one output buffer.
 */
export function parseCifarBatch(bytes: Uint8Array, source = 'CIFAR-10 batch', numClasses = 10): ImageSet {
  if (bytes.length === 0 || bytes.length % CIFAR_RECORD_BYTES !== 0) {
    throw new CifarFormatError(
      source,
      `expected whole ${CIFAR_RECORD_BYTES}-byte records; the file has ${bytes.length} bytes (${Math.floor(bytes.length / CIFAR_RECORD_BYTES)} records and ${bytes.length % CIFAR_RECORD_BYTES} bytes over)`,
    );
  }
  const count = bytes.length / CIFAR_RECORD_BYTES;
  const images = new Uint8Array(count * PLANE * 3);
  const labels = new Uint8Array(count);
  for (let r = 0; r < count; r++) {
    const at = r * CIFAR_RECORD_BYTES;
    const label = bytes[at] as number;
    if (label >= numClasses)
      throw new CifarFormatError(source, `record ${r} has label ${label}, outside 0..${numClasses - 1}`);
    labels[r] = label;
    const out = r * PLANE * 3;
    for (let p = 0; p < PLANE; p++) {
      images[out + 3 * p] = bytes[at + 1 + p] as number;
      images[out + 3 * p + 1] = bytes[at + 1 + PLANE + p] as number;
      images[out + 3 * p + 2] = bytes[at + 1 + 2 * PLANE + p] as number;
    }
  }
  return { images, labels, count, height: SIDE, width: SIDE, channels: 3 };
}

/** Joins batches into one image set. */
export function concatImageSets(sets: readonly ImageSet[]): ImageSet {
  const first = sets[0];
  if (!first) throw new InvalidInputError('concatImageSets', 'sets', 'nothing to join');
  const count = sets.reduce((n, s) => n + s.count, 0);
  const images = new Uint8Array(sets.reduce((n, s) => n + s.images.length, 0));
  const labels = new Uint8Array(count);
  let i = 0;
  let l = 0;
  for (const s of sets) {
    images.set(s.images, i);
    labels.set(s.labels, l);
    i += s.images.length;
    l += s.count;
  }
  return { ...first, images, labels, count };
}
