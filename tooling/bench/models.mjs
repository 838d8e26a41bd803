// The models the benchmark trains, each with the batch size and optimizer the book
// (or the notes' reference measurements) use, and a maker of one random batch.
import { createRng } from '@neurona/core';
import { ch05Dense, fashionCnn, mnistCnn } from '@neurona/zoo';
import * as tf from '@tensorflow/tfjs';

const imageBatch = (batch, rng) => {
  const x = tf.tensor4d(
    Float32Array.from({ length: batch * 784 }, () => rng.next()),
    [batch, 28, 28, 1],
  );
  const y = tf.oneHot(
    tf.tensor1d(
      Int32Array.from({ length: batch }, () => rng.int(10)),
      'int32',
    ),
    10,
  );
  return [x, y];
};

export const benchModels = {
  dense: {
    description: 'ch-5 dense (Flatten → Dense 10 sigmoid → Dense 10 softmax), SGD',
    batchSize: 100,
    build: (rng) => ch05Dense({ rng }),
    optimizer: () => tf.train.sgd(0.1),
    loss: 'categoricalCrossentropy',
    batch: imageBatch,
  },
  'mnist-cnn': {
    description: 'ch-8 CNN (Conv 32 5×5 → MaxPool → Conv 64 5×5 → MaxPool → Dense 10), SGD',
    batchSize: 100,
    build: (rng) => mnistCnn({ rng }),
    optimizer: () => tf.train.sgd(0.01),
    loss: 'categoricalCrossentropy',
    batch: imageBatch,
  },
  'fashion-cnn': {
    description: 'Fashion CNN with BatchNorm and Dropout, Adam',
    batchSize: 64,
    build: (rng) => fashionCnn({ rng }),
    optimizer: () => tf.train.adam(0.001),
    loss: 'categoricalCrossentropy',
    batch: imageBatch,
  },
};

export function makeModel(name, seed = 1) {
  const spec = benchModels[name];
  if (!spec) throw new Error(`unknown model '${name}'; known: ${Object.keys(benchModels).join(', ')}`);
  const rng = createRng(seed);
  const model = spec.build(rng);
  model.compile({ optimizer: spec.optimizer(), loss: spec.loss });
  return { spec, model, rng };
}
