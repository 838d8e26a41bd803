import { ch05Dense } from '@neurona/zoo';
import type { Recipe } from './types.js';

/**
 * Book ch. 5: the first network, Flatten → Dense(10, sigmoid) → Dense(10, softmax),
 * trained with SGD and categorical cross-entropy on Fashion-MNIST images.
 */
export const ch05DenseRecipe: Recipe = {
  id: 'ch05-dense',
  chapter: 5,
  title: 'The first dense network (Flatten → Dense 10 sigmoid → Dense 10 softmax), SGD',
  data: 'fashion-mnist-sample',
  defaults: { epochs: 20, batchSize: 100, optimizer: 'sgd', learningRate: 0.1, validationFraction: 0.1, seed: 42 },
  defaultsNote:
    "The book's SGD at Keras's default 0.01 for 5 epochs barely moves on an 8,000-image sample (about 0.42 test accuracy); the default uses 0.1 for 20 epochs. --book runs the book's settings.",
  book: { epochs: 5, batchSize: 100, optimizer: 'sgd', learningRate: 0.01, validationFraction: 0.1, seed: 42 },
  expected: { testAccuracy: 0.75, note: 'default settings on the bundled 8,000/2,000 Fashion-MNIST sample' },
  buildModel: (rng) => ch05Dense({ rng }),
};
