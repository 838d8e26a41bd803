import type { IdxArray } from './formats/idx.js';
import { IdxFormatError } from './formats/idx.js';

/**
 * Labelled images as raw bytes, the way `keras.datasets.*.load_data()` returns NumPy
 * uint8 arrays: no tensors, so nothing to dispose, and no TensorFlow.js needed.
 */
export interface ImageSet {
  /** `count × height × width × channels` bytes, row-major, channels last. */
  images: Uint8Array;
  labels: Uint8Array;
  count: number;
  height: number;
  width: number;
  channels: number;
}

/** A data set's training and test images, each with its labels. */
export interface LabelledSplit {
  train: ImageSet;
  test: ImageSet;
  classNames: readonly string[];
}

/** Pairs an IDX image array with its IDX label array, checking ranks, counts and label range. */
export function imageSetFromIdx(
  images: IdxArray,
  labels: IdxArray,
  sources: { images: string; labels: string },
  numClasses: number,
): ImageSet {
  if (images.type !== 'uint8' || images.shape.length !== 3) {
    throw new IdxFormatError(
      sources.images,
      `expected uint8 images of shape [count, rows, cols], got ${images.type} [${images.shape.join(', ')}]`,
    );
  }
  if (labels.type !== 'uint8' || labels.shape.length !== 1) {
    throw new IdxFormatError(
      sources.labels,
      `expected uint8 labels of shape [count], got ${labels.type} [${labels.shape.join(', ')}]`,
    );
  }
  const [count, height, width] = images.shape as [number, number, number];
  if (labels.shape[0] !== count) {
    throw new IdxFormatError(
      sources.labels,
      `has ${labels.shape[0]} labels but ${sources.images} has ${count} images; the two files must describe the same examples`,
    );
  }
  const data = labels.data as Uint8Array;
  for (let i = 0; i < data.length; i++) {
    if ((data[i] as number) >= numClasses) {
      throw new IdxFormatError(sources.labels, `label ${data[i]} at index ${i} is outside 0..${numClasses - 1}`);
    }
  }
  return { images: images.data as Uint8Array, labels: data, count, height, width, channels: 1 };
}
