import type { Logs, TrainingCallback } from '@neurona/core';
import { createRng, evaluate, fit } from '@neurona/core';
import type { LabelledSplit } from '@neurona/datasets';
import { imagesToTensor, oneHot, takeRows, trainValidationSplit } from '@neurona/preprocessing';
import * as tf from '@tensorflow/tfjs';
import { resolveSettings } from './settings.js';
import type { Recipe, RecipeResult, RunOptions, TrainingSettings } from './types.js';

function optimizerFor(settings: TrainingSettings): tf.Optimizer {
  switch (settings.optimizer) {
    case 'sgd':
      return tf.train.sgd(settings.learningRate);
    case 'adam':
      return tf.train.adam(settings.learningRate);
    case 'rmsprop':
      return tf.train.rmsprop(settings.learningRate);
  }
}

/** Times the training phase and the whole of each epoch. */
class EpochTimer implements TrainingCallback {
  epochSeconds: number[] = [];
  trainSeconds: number[] = [];
  private start = 0;
  private lastBatchEnd = 0;
  onEpochBegin() {
    this.start = performance.now();
  }
  onBatchEnd() {
    this.lastBatchEnd = performance.now();
  }
  onEpochEnd() {
    const end = performance.now();
    this.epochSeconds.push((end - this.start) / 1000);
    this.trainSeconds.push((this.lastBatchEnd - this.start) / 1000);
  }
}

function disposeModel(model: tf.LayersModel) {
  const optimizer = model.optimizer;
  model.dispose();
  optimizer?.dispose();
}

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);

/**
 * Runs an image-classification recipe on loaded data: seeded split, scale to [0, 1],
 * one-hot labels, build and compile the model, train with `fit`, evaluate on the test
 * split. Every tensor made here is freed before returning except the model, which the
 * caller owns.
 */
export async function runRecipe(
  recipe: Recipe,
  data: LabelledSplit,
  overrides: Partial<TrainingSettings> = {},
  options: RunOptions = {},
): Promise<RecipeResult> {
  const settings = resolveSettings(recipe.defaults, overrides);
  const rng = createRng(settings.seed);
  const numClasses = data.classNames.length;
  let train = data.train;
  if (options.trainLimit !== undefined) {
    if (!Number.isInteger(options.trainLimit) || options.trainLimit < 2) {
      throw new Error(`option 'trainLimit' is ${options.trainLimit}; allowed: an integer >= 2`);
    }
    train = takeRows(
      train,
      Array.from({ length: Math.min(train.count, options.trainLimit) }, (_, i) => i),
    );
  }
  const split = trainValidationSplit(train.count, { validationFraction: settings.validationFraction, rng });
  const trainPart = takeRows(train, split.train);
  const validationPart = takeRows(train, split.validation);

  const tensors: tf.Tensor[] = [];
  const own = <T extends tf.Tensor>(t: T) => {
    tensors.push(t);
    return t;
  };
  const model = recipe.buildModel(rng);
  try {
    const x = own(imagesToTensor(trainPart));
    const y = own(oneHot(trainPart.labels, numClasses));
    const vx = own(imagesToTensor(validationPart));
    const vy = own(oneHot(validationPart.labels, numClasses));
    const tx = own(imagesToTensor(data.test));
    const ty = own(oneHot(data.test.labels, numClasses));
    model.compile({ optimizer: optimizerFor(settings), loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
    const timer = new EpochTimer();
    const started = performance.now();
    const history = await fit(model, x, y, {
      epochs: settings.epochs,
      batchSize: settings.batchSize,
      rng,
      validationData: [vx, vy],
      callbacks: [timer, ...(options.callbacks ?? [])],
    });
    const totalSeconds = (performance.now() - started) / 1000;
    const test: Logs = await evaluate(model, tx, ty, { batchSize: 500 });
    return {
      model,
      dispose: () => disposeModel(model),
      history: history.toJSON(),
      test,
      settings,
      counts: { train: trainPart.count, validation: validationPart.count, test: data.test.count },
      timing: {
        secondsPerEpoch: mean(timer.epochSeconds),
        trainSamplesPerSec: trainPart.count / mean(timer.trainSeconds),
        totalSeconds,
      },
    };
  } catch (error) {
    disposeModel(model);
    throw error;
  } finally {
    tf.dispose(tensors);
  }
}
