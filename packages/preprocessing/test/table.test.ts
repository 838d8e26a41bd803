import { InvalidOptionError } from '@neurona/core';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  CategoryEncoder,
  dropMissing,
  Imputer,
  MinMaxScaler,
  type Row,
  StandardScaler,
  toMatrix,
} from '../src/index.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

// Six rows of UCI Auto MPG (horsepower of the Ford Pinto is missing in the original file).
const cars: Row[] = [
  { mpg: 18, cylinders: 8, horsepower: 130, weight: 3504, origin: 'USA' },
  { mpg: 25, cylinders: 4, horsepower: '?', weight: 2046, origin: 'USA' },
  { mpg: 24, cylinders: 4, horsepower: 95, weight: 2372, origin: 'Japan' },
  { mpg: 26, cylinders: 4, horsepower: 46, weight: 1835, origin: 'Europe' },
  { mpg: 21, cylinders: 6, horsepower: 85, weight: 2587, origin: 'USA' },
  { mpg: 27, cylinders: 4, horsepower: 88, weight: 2130, origin: 'Japan' },
];

describe('tables (Auto MPG, book ch. 9)', () => {
  it('drops rows with a missing value, or imputes them, without changing the input', () => {
    expect(dropMissing(cars)).toHaveLength(5);
    expect(dropMissing(cars, ['mpg'])).toHaveLength(6);
    const mean = Imputer.fit(cars, ['horsepower']);
    expect(mean.fill.horsepower).toBeCloseTo((130 + 95 + 46 + 85 + 88) / 5, 10);
    expect(mean.transform(cars)[1]?.horsepower).toBeCloseTo(88.8, 10);
    expect(cars[1]?.horsepower).toBe('?');
    expect(Imputer.fit(cars, ['horsepower'], { strategy: 'median' }).fill.horsepower).toBe(88);
    const restored = Imputer.fromJSON(JSON.parse(JSON.stringify(mean)));
    expect(restored.fill).toEqual(mean.fill);
  });

  it('one-hot encodes origin into one column per category, as get_dummies', () => {
    const encoder = CategoryEncoder.fit(cars, 'origin');
    expect(encoder.outputColumns).toEqual(['origin=Europe', 'origin=Japan', 'origin=USA']);
    const rows = encoder.transform(cars);
    expect(rows[2]).toEqual({
      mpg: 24,
      cylinders: 4,
      horsepower: 95,
      weight: 2372,
      'origin=Europe': 0,
      'origin=Japan': 1,
      'origin=USA': 0,
    });
    expect(() => encoder.transform([{ origin: 'Mars' }])).toThrow(
      'CategoryEncoder: row 0 has origin = "Mars"; known categories: Europe, Japan, USA',
    );
    expect(CategoryEncoder.fromJSON(encoder.toJSON()).categories).toEqual(encoder.categories);
  });

  it('turns columns into a matrix, naming a cell that is not a number', () => {
    const { values, shape } = toMatrix(dropMissing(cars), ['cylinders', 'weight']);
    expect(shape).toEqual([5, 2]);
    expect(Array.from(values.slice(0, 4))).toEqual([8, 3504, 4, 2372]);
    expect(() => toMatrix(cars, ['horsepower'])).toThrow('toMatrix: row 1, column \'horsepower\' is "?", not a number');
    expect(() => toMatrix(cars, ['displacement'])).toThrow(
      "toMatrix: 'displacement' is not a known column of the table",
    );
  });
});

describe('scalers', () => {
  it('standardise each feature with the training statistics and serialise them', () => {
    const x = tf.tensor2d([
      [1, 10, 5],
      [3, 30, 5],
    ]);
    const scaler = StandardScaler.fit(x);
    expect(scaler.mean).toEqual([2, 20, 5]);
    expect(scaler.std).toEqual([1, 10, 1]); // a constant feature is divided by 1
    const z = scaler.transform(x);
    expect(z.arraySync()).toEqual([
      [-1, -1, 0],
      [1, 1, 0],
    ]);
    const again = StandardScaler.fromJSON(JSON.parse(JSON.stringify(scaler)));
    const back = again.inverseTransform(z);
    expect(back.arraySync()).toEqual(x.arraySync());
    expect(() => scaler.transform(tf.zeros([1, 2]))).toThrow(
      'StandardScaler.transform: fitted on 3 features, got a tensor with 2',
    );
    tf.dispose([x, z, back]);
  });

  it('min-max scale to a range', () => {
    const x = tf.tensor2d([
      [0, -5],
      [10, 5],
      [5, 0],
    ]);
    const scaler = MinMaxScaler.fit(x, { range: [-1, 1] });
    const y = scaler.transform(x);
    expect(y.arraySync()).toEqual([
      [-1, -1],
      [1, 1],
      [0, 0],
    ]);
    expect(MinMaxScaler.fromJSON(scaler.toJSON()).toJSON()).toEqual(scaler.toJSON());
    expect(() => MinMaxScaler.fit(x, { range: [1, 0] })).toThrow(
      "MinMaxScaler.fit: option 'range' is [1,0]; allowed: [low, high] with low < high",
    );
    expect(() => MinMaxScaler.fit(x, { range: [1, 0] })).toThrow(InvalidOptionError);
    tf.dispose([x, y]);
  });
});
