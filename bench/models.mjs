// The models the benchmark trains, each with the batch size and optimizer the book
// (or the notes' reference measurements) use, and a maker of one random batch.
import { createRng, fusedGru, fusedLstm } from '@neurona/core';
import { dcganDiscriminator, dcganGenerator } from '@neurona/gan';
import { ch05Dense, dogsCatsCnn, fashionCnn, mnistCnn } from '@neurona/zoo';
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

const glorot = (rng) => tf.initializers.glorotUniform({ seed: rng.nextSeed() });

/**
 * Book ch. 13: character-level language model, Embedding → LSTM → Dense over the vocabulary, with
 * core's fused recurrent layers (what @neurona/text-rnn builds) or tfjs's own.
 */
function charRnn(rng, cell = 'lstm', fused = true) {
  const rnn = cell === 'lstm' ? (fused ? fusedLstm : tf.layers.lstm) : fused ? fusedGru : tf.layers.gru;
  return tf.sequential({
    layers: [
      tf.layers.embedding({ inputDim: 65, outputDim: 64, inputLength: 100, embeddingsInitializer: glorot(rng) }),
      rnn({ units: 256, returnSequences: true, kernelInitializer: glorot(rng), recurrentInitializer: glorot(rng) }),
      tf.layers.dense({ units: 65, activation: 'softmax', kernelInitializer: glorot(rng) }),
    ],
  });
}

const tokens = (batch, rng) => {
  const x = tf.tensor2d(
    Float32Array.from({ length: batch * 100 }, () => rng.int(65)),
    [batch, 100],
  );
  const y = tf.tensor3d(
    Float32Array.from({ length: batch * 100 }, () => rng.int(65)),
    [batch, 100, 1],
  );
  return [x, y];
};

Object.assign(benchModels, {
  'dogs-cats-cnn': {
    description: 'ch-10 small CNN for 150×150×3 Dogs vs Cats with Dropout, RMSprop',
    batchSize: 20,
    build: (rng) => dogsCatsCnn({ rng, dropout: true }),
    optimizer: () => tf.train.rmsprop(1e-4),
    loss: 'binaryCrossentropy',
    batch: (batch, rng) => [
      tf.tensor4d(
        Float32Array.from({ length: batch * 150 * 150 * 3 }, () => rng.next()),
        [batch, 150, 150, 3],
      ),
      tf.tensor2d(
        Float32Array.from({ length: batch }, () => rng.int(2)),
        [batch, 1],
      ),
    ],
  },
  'char-lstm': {
    description:
      "ch-13 character model: Embedding(65, 64) → LSTM(256) → Dense(65), sequences of 100, Adam; core's FusedLSTM",
    batchSize: 64,
    build: (rng) => charRnn(rng, 'lstm'),
    optimizer: () => tf.train.adam(0.001),
    loss: 'sparseCategoricalCrossentropy',
    batch: tokens,
  },
  'char-lstm-tfjs': {
    description: "the same with tfjs's own LSTM layer",
    reference: 'char-lstm',
    batchSize: 64,
    build: (rng) => charRnn(rng, 'lstm', false),
    optimizer: () => tf.train.adam(0.001),
    loss: 'sparseCategoricalCrossentropy',
    batch: tokens,
  },
  'char-gru': {
    description: "ch-13 character model with a GRU(256); core's FusedGRU",
    batchSize: 64,
    build: (rng) => charRnn(rng, 'gru'),
    optimizer: () => tf.train.adam(0.001),
    loss: 'sparseCategoricalCrossentropy',
    batch: tokens,
  },
  'char-gru-tfjs': {
    description: "the same with tfjs's own GRU layer",
    reference: 'char-gru',
    batchSize: 64,
    build: (rng) => charRnn(rng, 'gru', false),
    optimizer: () => tf.train.adam(0.001),
    loss: 'sparseCategoricalCrossentropy',
    batch: tokens,
  },
  'dcgan-generator': {
    description: 'ch-14 DCGAN generator (Dense, BatchNorm, LeakyReLU, Conv2DTranspose), Adam',
    batchSize: 64,
    // The book's networks, from @neurona/gan: the benchmark measures what a user trains.
    build: (rng) => dcganGenerator({ rng }),
    optimizer: () => tf.train.adam(1e-4),
    loss: 'meanSquaredError',
    batch: (batch, rng) => [
      tf.tensor2d(
        Float32Array.from({ length: batch * 100 }, () => rng.next() * 2 - 1),
        [batch, 100],
      ),
      tf.tensor4d(
        Float32Array.from({ length: batch * 784 }, () => rng.next() * 2 - 1),
        [batch, 28, 28, 1],
      ),
    ],
  },
  'dcgan-discriminator': {
    description: 'ch-14 DCGAN discriminator (Conv2D stride 2, LeakyReLU, Dropout), Adam',
    batchSize: 64,
    build: (rng) => dcganDiscriminator({ rng }),
    optimizer: () => tf.train.adam(1e-4),
    loss: 'meanSquaredError',
    batch: (batch, rng) => [
      tf.tensor4d(
        Float32Array.from({ length: batch * 784 }, () => rng.next() * 2 - 1),
        [batch, 28, 28, 1],
      ),
      tf.tensor2d(
        Float32Array.from({ length: batch }, () => rng.int(2)),
        [batch, 1],
      ),
    ],
  },
});

export function makeModel(name, seed = 1) {
  const spec = benchModels[name];
  if (!spec) throw new Error(`unknown model '${name}'; known: ${Object.keys(benchModels).join(', ')}`);
  const rng = createRng(seed);
  const model = spec.build(rng);
  model.compile({ optimizer: spec.optimizer(), loss: spec.loss });
  return { spec, model, rng };
}
