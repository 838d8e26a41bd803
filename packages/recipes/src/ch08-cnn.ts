import { exponentialDecay } from '@neurona/core';
import { fashionCnn, mnistCnn } from '@neurona/zoo';
import type { Recipe, TrainingSettings } from './types.js';

const sgd: TrainingSettings = {
  epochs: 5,
  batchSize: 100,
  optimizer: 'sgd',
  learningRate: 0.01,
  validationFraction: 0.1,
  seed: 42,
};
const adam: TrainingSettings = { ...sgd, optimizer: 'adam', learningRate: 0.001 };
const quick = { epochs: 3, trainLimit: 1500, testLimit: 500 };
const images28 = ['fashion-mnist-sample', 'fashion-mnist', 'mnist'] as const;

/** Book ch. 8: the CNN for MNIST, Conv 32 5×5 → MaxPool → Conv 64 5×5 → MaxPool → Dense 10 (62,346 parameters). */
export const ch08MnistCnnRecipe: Recipe = {
  id: 'ch08-mnist-cnn',
  chapter: 8,
  title: 'CNN on MNIST: Conv 32 5×5 → MaxPool → Conv 64 5×5 → MaxPool → Dense 10, SGD',
  task: 'multiclass',
  data: 'mnist',
  alsoRunsOn: images28,
  defaults: { ...sgd, epochs: 12 },
  book: { ...sgd, epochs: 12 },
  quick,
  expected: { metric: 'accuracy', bar: 0.97, note: 'MNIST (60,000/10,000), 12 epochs' },
  reference: { figure: 'about 0.97–0.98 test accuracy', source: 'the book, ch. 8 (SGD, batch 100, 12 epochs)' },
  buildModel: ({ rng }) => mnistCnn({ rng }),
};

/** The chapter-8 CNN on Fashion-MNIST, unchanged: the baseline the next three improve. */
export const ch08FashionBasicRecipe: Recipe = {
  id: 'ch08-fashion-basic',
  chapter: 8,
  title: 'The chapter-8 CNN on Fashion-MNIST, SGD',
  task: 'multiclass',
  data: 'fashion-mnist-sample',
  alsoRunsOn: images28,
  defaults: sgd,
  book: sgd,
  quick,
  expected: { metric: 'accuracy', bar: 0.65, note: 'the bundled 8,000/2,000 sample, 5 epochs' },
  buildModel: ({ rng }) => mnistCnn({ rng }),
};

/** The same CNN with Adam instead of SGD. */
export const ch08FashionAdamRecipe: Recipe = {
  ...ch08FashionBasicRecipe,
  id: 'ch08-fashion-adam',
  title: 'The chapter-8 CNN on Fashion-MNIST, Adam',
  defaults: adam,
  book: adam,
  expected: { metric: 'accuracy', bar: 0.8, note: 'the bundled 8,000/2,000 sample, 5 epochs' },
};

/** A wider CNN with BatchNormalization after each convolution and Dropout, Adam. */
export const ch08FashionBnDropoutRecipe: Recipe = {
  ...ch08FashionBasicRecipe,
  id: 'ch08-fashion-bn-dropout',
  title: 'Fashion-MNIST CNN with BatchNormalization and Dropout (422,026 parameters), Adam',
  defaults: { ...adam, epochs: 10 },
  defaultsNote:
    "10 epochs (the book: 5): BatchNormalization's moving averages (momentum 0.99) need more steps than 5 epochs of the 8,000-image sample give: after 360 steps the moving variance is still several times the batch variance and the test accuracy lags far behind training (the book's settings run 5).",
  book: adam,
  expected: { metric: 'accuracy', bar: 0.85, note: 'the bundled 8,000/2,000 sample, 10 epochs' },
  buildModel: ({ rng }) => fashionCnn({ rng, batchNorm: true, dropout: 0.25 }),
};

/** The BatchNorm/Dropout CNN with an exponentially decaying learning rate (×0.9 per epoch, smoothly). */
export const ch08FashionLrDecayRecipe: Recipe = {
  ...ch08FashionBnDropoutRecipe,
  id: 'ch08-fashion-lr-decay',
  title: 'Fashion-MNIST CNN with BatchNormalization, Dropout and learning-rate decay (×0.9 per epoch), Adam',
  schedule: (settings, stepsPerEpoch) =>
    exponentialDecay({ initialLearningRate: settings.learningRate, decaySteps: stepsPerEpoch, decayRate: 0.9 }),
};
