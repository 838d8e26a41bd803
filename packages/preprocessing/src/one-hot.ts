import { InvalidInputError, InvalidOptionError } from '@neurona/core';
import * as tf from '@tensorflow/tfjs-core';

/**
 * One-hot encodes integer class labels as a float32 `[n, numClasses]` tensor, as
 * Keras's `to_categorical` (book ch. 5). The caller owns the result.
 */
export function oneHot(labels: ArrayLike<number>, numClasses: number): tf.Tensor2D {
  if (!Number.isInteger(numClasses) || numClasses < 2) {
    throw new InvalidOptionError('oneHot', 'numClasses', numClasses, 'an integer >= 2');
  }
  const n = labels.length;
  const out = new Float32Array(n * numClasses);
  for (let i = 0; i < n; i++) {
    const label = labels[i] as number;
    if (!Number.isInteger(label) || label < 0 || label >= numClasses) {
      throw new InvalidInputError('oneHot', 'labels', `label ${label} at index ${i} is outside 0..${numClasses - 1}`);
    }
    out[i * numClasses + label] = 1;
  }
  return tf.tensor2d(out, [n, numClasses]);
}
