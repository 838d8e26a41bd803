import type { Rng } from '@neurona/core';
import { InvalidInputError } from '@neurona/core';
import type { ImageSet } from '@neurona/datasets';
import type { RescaleOptions } from '@neurona/preprocessing';
import { imagesToTensor, oneHot, takeRows, trainValidationSplit } from '@neurona/preprocessing';
import * as tf from '@tensorflow/tfjs-core';
import type { Limits, Prepared, RecipeInput, Task, TrainingSettings } from './types.js';

const firstRows = (set: ImageSet, limit: number | undefined) =>
  limit === undefined || limit >= set.count
    ? set
    : takeRows(
        set,
        Array.from({ length: limit }, (_, i) => i),
      );

function labelsTensor(labels: Uint8Array, task: Task, classes: number): tf.Tensor {
  if (task === 'binary') return tf.tensor2d(Float32Array.from(labels), [labels.length, 1]);
  return oneHot(labels, classes);
}

/**
 * The shared preparation of image recipes, as the book does it: the first `trainLimit`
 * training images (all by default), a seeded validation split unless the data brings its
 * own validation part, pixels scaled to [0, 1] (or by `scale`), labels one-hot for softmax
 * classifiers and 0/1 for binary ones.
 */
export function prepareImages(
  input: RecipeInput,
  settings: TrainingSettings,
  rng: Rng,
  limits: Limits,
  task: Task,
  scale: RescaleOptions = {},
): Prepared {
  if (input.kind !== 'images')
    throw new InvalidInputError('prepareImages', 'input', `'${input.name}' is not an image data set`);
  const { data } = input;
  const classes = data.classNames.length;
  if (task === 'binary' && classes !== 2) {
    throw new InvalidInputError(
      'prepareImages',
      'input',
      `'${input.name}' has ${classes} classes (${data.classNames.join(', ')}); a binary recipe needs exactly 2`,
    );
  }
  const train = firstRows(data.train, limits.trainLimit);
  let trainPart = train;
  let validationPart: ImageSet | undefined;
  if (data.validation) {
    // A limited training part keeps the data's own validation part in proportion.
    const kept = train.count / data.train.count;
    const share = kept < 1 ? Math.max(2, Math.round(data.validation.count * kept)) : undefined;
    validationPart = firstRows(data.validation, share);
  } else if (settings.validationFraction > 0) {
    const split = trainValidationSplit(train.count, { validationFraction: settings.validationFraction, rng });
    trainPart = takeRows(train, split.train);
    validationPart = takeRows(train, split.validation);
  }
  const test = firstRows(data.test, limits.testLimit);
  const made: tf.Tensor[] = [];
  try {
    const pair = (set: ImageSet): [tf.Tensor, tf.Tensor] => {
      const x = imagesToTensor(set, scale);
      made.push(x);
      const y = labelsTensor(set.labels, task, classes);
      made.push(y);
      return [x, y];
    };
    return {
      train: pair(trainPart),
      ...(validationPart ? { validation: pair(validationPart) } : {}),
      test: pair(test),
      inputShape: [train.height, train.width, train.channels],
      outputs: task === 'binary' ? 1 : classes,
      classNames: data.classNames,
    };
  } catch (error) {
    tf.dispose(made);
    throw error;
  }
}
