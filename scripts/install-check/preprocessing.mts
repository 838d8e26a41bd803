// README example of @neurona/preprocessing on a few Auto MPG rows.
import { createRng } from '@neurona/core';
import {
  CategoryEncoder,
  dropMissing,
  StandardScaler,
  toMatrix,
  trainValidationTestSplit,
} from '@neurona/preprocessing';
import * as tf from '@tensorflow/tfjs';

const cars = [
  { mpg: 18, cylinders: 8, horsepower: 130, weight: 3504, origin: 'USA' },
  { mpg: 24, cylinders: 4, horsepower: 95, weight: 2372, origin: 'Japan' },
  { mpg: 26, cylinders: 4, horsepower: 46, weight: 1835, origin: 'Europe' },
  { mpg: 15, cylinders: 8, horsepower: null, weight: 4341, origin: 'USA' },
  { mpg: 31, cylinders: 4, horsepower: 65, weight: 1773, origin: 'Japan' },
];
const rows = dropMissing(cars);
const origin = CategoryEncoder.fit(rows, 'origin');
const table = origin.transform(rows);
const features = ['cylinders', 'horsepower', 'weight', ...origin.outputColumns];
const { values, shape } = toMatrix(table, features);
const x = tf.tensor2d(values, shape);
const scaler = StandardScaler.fit(x);
const split = trainValidationTestSplit(shape[0], { validation: 0.25, test: 0.25, rng: createRng(42) });
const scaled = scaler.transform(x);
const means = tf.tidy(() => scaled.mean(0).abs().max().dataSync()[0] ?? Number.NaN);
tf.dispose([x, scaled]);
if (shape[0] !== 4 || shape[1] !== 6 || !(means < 1e-5))
  throw new Error(`shape ${shape}, largest column mean ${means}`);
const sizes = [split.train.length, split.validation.length, split.test.length];
console.log(`preprocessing: ${shape[0]}×${shape[1]} table, scaled to mean 0, split ${sizes.join('/')}`);
