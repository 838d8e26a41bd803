import type { Rng } from '@neurona/core';
import { InvalidInputError } from '@neurona/core';
import type { TableRow } from '@neurona/datasets';
import {
  CategoryEncoder,
  dropMissing,
  StandardScaler,
  toMatrix,
  trainValidationTestSplit,
} from '@neurona/preprocessing';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import type { Limits, Prepared, Recipe, RecipeInput, TrainingSettings } from './types.js';

const numeric = ['cylinders', 'displacement', 'horsepower', 'weight', 'acceleration', 'model_year'];

/**
 * Auto MPG as the book and Keras's regression tutorial prepare it: drop the 6 cars without
 * horsepower, one-hot `origin`, hold out 20% for the test (seeded), standardise every
 * feature with the training part's mean and standard deviation only.
 */
function prepareAutoMpg(input: RecipeInput, settings: TrainingSettings, rng: Rng, limits: Limits): Prepared {
  if (input.kind !== 'table')
    throw new InvalidInputError('ch09-auto-mpg', 'input', `trains on the auto-mpg table, not '${input.name}'`);
  const rows = dropMissing(input.rows as TableRow[], ['mpg', 'horsepower']);
  const split = trainValidationTestSplit(rows.length, {
    validation: settings.validationFraction * 0.8,
    test: 0.2,
    rng,
  });
  const pick = (index: ArrayLike<number>) => Array.from(index, (i) => rows[i] as TableRow);
  let trainRows = pick(split.train);
  if (limits.trainLimit !== undefined) trainRows = trainRows.slice(0, limits.trainLimit);
  const encoder = CategoryEncoder.fit(trainRows, 'origin');
  const columns = [...numeric, ...encoder.outputColumns];
  const matrix = (part: TableRow[]) => {
    const m = toMatrix(encoder.transform(part), columns);
    return tf.tensor2d(m.values, m.shape);
  };
  const target = (part: TableRow[]) =>
    tf.tensor2d(
      part.map((r) => r.mpg as number),
      [part.length, 1],
    );
  const rawTrain = matrix(trainRows);
  const scaler = StandardScaler.fit(rawTrain);
  const scaled = (part: TableRow[]) => {
    const raw = matrix(part);
    const out = scaler.transform(raw);
    raw.dispose();
    return out;
  };
  const trainX = scaler.transform(rawTrain);
  rawTrain.dispose();
  const testRows = pick(split.test);
  return {
    train: [trainX, target(trainRows)],
    validation: [scaled(pick(split.validation)), target(pick(split.validation))],
    test: [scaled(testRows), target(testRows)],
    inputShape: [columns.length],
    outputs: 1,
    preprocessing: { columns, target: 'mpg', encoder: encoder.toJSON(), scaler: scaler.toJSON() },
  };
}

/**
 * Book ch. 9: the stages of a project on a regression: Dense 64 → Dense 64 → Dense 1,
 * RMSprop, mean squared error, mean absolute error reported, early stopping on
 * validation loss (patience 10) with the best weights restored.
 */
export const ch09AutoMpgRecipe: Recipe = {
  id: 'ch09-auto-mpg',
  chapter: 9,
  title: 'Auto MPG regression: Dense 64 → 64 → 1, RMSprop, MSE loss, MAE, early stopping',
  task: 'regression',
  data: 'auto-mpg',
  // A few thousand weights: one WASM thread trains it fastest.
  wasmThreads: 1,
  defaults: {
    epochs: 1000,
    batchSize: 32,
    optimizer: 'rmsprop',
    learningRate: 0.001,
    validationFraction: 0.2,
    seed: 42,
  },
  book: { epochs: 1000, batchSize: 32, optimizer: 'rmsprop', learningRate: 0.001, validationFraction: 0.2, seed: 42 },
  quick: { epochs: 60 },
  expected: { metric: 'mae', bar: 2.5, note: 'test MAE in MPG on 78 held-out cars' },
  reference: {
    figure: 'test MAE ≈ 1.9 MPG',
    source: "Keras's basic regression tutorial (the book's ch. 9 follows it)",
  },
  earlyStopping: { monitor: 'val_loss', patience: 10 },
  prepare: prepareAutoMpg,
  buildModel: ({ rng, inputShape }) => {
    const init = () => tfl.initializers.glorotUniform({ seed: rng.nextSeed() });
    return tfl.sequential({
      name: 'auto_mpg',
      layers: [
        tfl.layers.dense({ inputShape, units: 64, activation: 'relu', kernelInitializer: init() }),
        tfl.layers.dense({ units: 64, activation: 'relu', kernelInitializer: init() }),
        tfl.layers.dense({ units: 1, kernelInitializer: init() }),
      ],
    });
  },
};
