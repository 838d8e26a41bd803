import type { Rng } from '@neurona/core';
import { InvalidInputError, InvalidOptionError } from '@neurona/core';
import * as tf from '@tensorflow/tfjs-core';
import * as tfd from '@tensorflow/tfjs-data';
import { augmentResolved, checkImages } from './augment.js';
import type { AugmentOptions } from './options.js';
import { resolveOptions } from './options.js';

/** Options of `augmentedBatches`: batch size, the transforms, the seed source and whether to shuffle. */
export interface AugmentedBatchesOptions {
  batchSize: number;
  augment: AugmentOptions;
  /** Drives the shuffle and every transform; the same seed gives the same batches. */
  rng: Rng;
  /** Default true: a new order every epoch. */
  shuffle?: boolean;
}

/**
 * A `tf.data.Dataset` of `{xs, ys}` batches for `model.fitDataset`, augmented on the fly
 * like Keras's `ImageDataGenerator.flow`: every pass over it (every epoch) reshuffles
 * and draws new transforms. The caller keeps `images` and `labels`; `fitDataset` frees
 * each batch it is given. Options are checked here, before any training starts.
 */
export function augmentedBatches(
  images: tf.Tensor,
  labels: tf.Tensor,
  options: AugmentedBatchesOptions,
): tfd.Dataset<tf.TensorContainer> {
  const resolved = resolveOptions(options.augment);
  checkImages(images, 'augmentedBatches');
  const n = images.shape[0];
  if (labels.shape[0] !== n)
    throw new InvalidInputError('augmentedBatches', 'labels', `${n} images but ${labels.shape[0]} labels`);
  const { batchSize, rng, shuffle = true } = options;
  if (!Number.isInteger(batchSize) || batchSize < 1) {
    throw new InvalidOptionError('augmentedBatches', 'batchSize', batchSize, 'an integer >= 1');
  }
  return tfd.generator(function* () {
    const order = shuffle ? rng.permutation(n) : Int32Array.from({ length: n }, (_, i) => i);
    for (let start = 0; start < n; start += batchSize) {
      const rows = order.subarray(start, Math.min(n, start + batchSize));
      yield tf.tidy(() => {
        const index = tf.tensor1d(rows, 'int32');
        return { xs: augmentResolved(tf.gather(images, index), resolved, rng), ys: tf.gather(labels, index) };
      });
    }
  });
}

/**
 * Augments the `xs` of every batch of a dataset on the fly, e.g. the batches of
 * `imageFolder(…).training` from `@neurona/datasets/image-folder`, as Keras's
 * `ImageDataGenerator.flow_from_directory`. Options are checked here, before training.
 */
export function augmentDataset(
  dataset: tfd.Dataset<tf.TensorContainer>,
  augment: AugmentOptions,
  rng: Rng,
): tfd.Dataset<tf.TensorContainer> {
  const resolved = resolveOptions(augment);
  return dataset.map((batch) => {
    const { xs, ys } = batch as { xs: tf.Tensor; ys: tf.Tensor };
    checkImages(xs, 'augmentDataset');
    return { xs: augmentResolved(xs, resolved, rng), ys };
  });
}
