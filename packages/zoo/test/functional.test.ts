import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  countParameters,
  multiInputModel,
  multiOutputModel,
  residualBlockModel,
  sharedLayersModel,
} from '../src/index.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('functional API examples (ch. 12)', () => {
  it('multi-input: an image and metadata into one classifier', async () => {
    const model = multiInputModel();
    expect(model.inputs.map((i) => i.shape)).toEqual([
      [null, 28, 28, 1],
      [null, 4],
    ]);
    // conv 3·3·1·8+8, meta 4·8+8, class (8+8)·10+10
    expect(countParameters(model).total).toBe(80 + 40 + 170);
    model.compile({ optimizer: 'adam', loss: 'categoricalCrossentropy' });
    const x = [tf.zeros([2, 28, 28, 1]), tf.ones([2, 4])];
    const y = tf.oneHot(tf.tensor1d([1, 2], 'int32'), 10);
    expect(typeof (await model.trainOnBatch(x, y))).toBe('number');
    tf.dispose([...x, y]);
    model.dispose();
  });

  it('multi-output: a class and a value, one loss each', async () => {
    const model = multiOutputModel();
    expect(model.outputs.map((o) => o.shape)).toEqual([
      [null, 10],
      [null, 1],
    ]);
    model.compile({ optimizer: 'adam', loss: ['categoricalCrossentropy', 'meanSquaredError'] });
    const losses = (await model.trainOnBatch(tf.zeros([2, 28, 28, 1]), [
      tf.oneHot(tf.tensor1d([0, 1], 'int32'), 10),
      tf.ones([2, 1]),
    ])) as number[];
    expect(losses).toHaveLength(3); // total, class, value
    model.dispose();
  });

  it('shared layers: one encoder, one set of weights, used twice', () => {
    const model = sharedLayersModel();
    expect(model.layers.filter((l) => l.name === 'shared_encoder')).toHaveLength(1);
    expect(countParameters(model).total).toBe(16 * 8 + 8 + 16 + 1);
    const v = tf.randomNormal([1, 16], 0, 1, 'float32', 3);
    // The same vector on both sides meets the same weights: the two halves are equal.
    const encoded = tf
      .model({ inputs: model.inputs, outputs: model.getLayer('merge').output as tf.SymbolicTensor })
      .predict([v, v]) as tf.Tensor;
    const [a, b] = tf.split(encoded, 2, 1) as [tf.Tensor, tf.Tensor];
    expect(Array.from(a.dataSync())).toEqual(Array.from(b.dataSync()));
    model.dispose();
  });

  it('residual block: zero convolutions make it relu(x)', () => {
    const model = residualBlockModel({ inputShape: [4, 4, 2] });
    model.setWeights(model.getWeights().map((w) => tf.zerosLike(w)));
    const x = tf.randomNormal([1, 4, 4, 2], 0, 1, 'float32', 1);
    const y = model.predict(x) as tf.Tensor;
    expect(Array.from(y.dataSync())).toEqual(Array.from(tf.relu(x).dataSync()));
    model.dispose();
  });
});
