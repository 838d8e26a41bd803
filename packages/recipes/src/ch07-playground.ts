import type { Rng } from '@neurona/core';
import type { Toy2dName } from '@neurona/datasets';
import { toy2d } from '@neurona/datasets';
import type { DenseLayerSpec } from '@neurona/zoo';
import { denseClassifier } from '@neurona/zoo';
import * as tf from '@tensorflow/tfjs-core';
import type { Limits, Prepared, Recipe, RecipeInput, TrainingSettings } from './types.js';

/**
 * The TensorFlow Playground's 2-D data, prepared as the Playground does: the points' two
 * coordinates as features, half the points for testing ("ratio of training to test data"
 * 50%), and a validation share of the training half for the curves.
 */
function preparePlayground(name: Toy2dName, noise: number, count: number) {
  return (input: RecipeInput, settings: TrainingSettings, rng: Rng, limits: Limits): Prepared => {
    if (input.kind !== 'generated') throw new Error(`the Playground recipes draw their own data, not '${input.name}'`);
    const n = limits.trainLimit ? Math.min(count, limits.trainLimit * 2) : count;
    const set = toy2d(name, { count: n, noise, rng });
    const order = rng.permutation(set.count);
    const testCount = Math.floor(set.count / 2);
    const validationCount = Math.round((set.count - testCount) * settings.validationFraction);
    const part = (rows: Int32Array): [tf.Tensor, tf.Tensor] => {
      const x = new Float32Array(rows.length * 2);
      const y = new Float32Array(rows.length);
      rows.forEach((r, i) => {
        x[2 * i] = set.points[2 * r] as number;
        x[2 * i + 1] = set.points[2 * r + 1] as number;
        y[i] = set.labels[r] as number;
      });
      return [tf.tensor2d(x, [rows.length, 2]), tf.tensor2d(y, [rows.length, 1])];
    };
    return {
      test: part(order.subarray(0, testCount)),
      ...(validationCount > 0 ? { validation: part(order.subarray(testCount, testCount + validationCount)) } : {}),
      train: part(order.subarray(testCount + validationCount)),
      inputShape: [2],
      outputs: 1,
      classNames: ['0', '1'],
      preprocessing: { data: name, noise, points: set.count },
    };
  };
}

function playground(options: {
  id: string;
  title: string;
  set: Toy2dName;
  hidden: DenseLayerSpec[];
  epochs: number;
  learningRate: number;
  optimizer?: 'sgd' | 'adam';
  bar: number;
  note: string;
}): Recipe {
  // The Playground's defaults: learning rate 0.03, batch size 10, tanh, 500 points.
  const book: TrainingSettings = {
    epochs: options.epochs,
    batchSize: 10,
    optimizer: 'sgd',
    learningRate: 0.03,
    validationFraction: 0.2,
    seed: 7,
  };
  return {
    id: options.id,
    chapter: 7,
    title: options.title,
    task: 'binary',
    data: 'toy2d',
    defaults: { ...book, optimizer: options.optimizer ?? 'sgd', learningRate: options.learningRate },
    ...(options.optimizer || options.learningRate !== 0.03
      ? {
          defaultsNote: `The Playground's SGD at 0.03 is kept in the book's settings; the default uses ${options.optimizer ?? 'sgd'} at ${options.learningRate} so the run ends in seconds.`,
        }
      : {}),
    book,
    quick: { epochs: Math.max(5, Math.round(options.epochs / 2)) },
    expected: { metric: 'accuracy', bar: options.bar, note: options.note },
    prepare: preparePlayground(options.set, 0, 500),
    buildModel: ({ rng, inputShape }) =>
      denseClassifier({
        inputShape,
        hidden: options.hidden,
        numClasses: 1,
        outputActivation: 'sigmoid',
        rng,
        name: options.id.replace(/-/g, '_'),
      }),
  };
}

/** Book ch. 7.4: one neuron separates the two Gaussian clouds. */
export const ch07OneNeuronRecipe = playground({
  id: 'ch07-one-neuron',
  title: 'Playground: one neuron on the two Gaussian clouds',
  set: 'gauss',
  hidden: [],
  epochs: 20,
  learningRate: 0.03,
  bar: 0.95,
  note: 'a straight line separates the clouds',
});

/** Book ch. 7.4: the circle needs a hidden layer. */
export const ch07HiddenLayerRecipe = playground({
  id: 'ch07-hidden-layer',
  title: 'Playground: a hidden layer of 4 tanh neurons on the circle',
  set: 'circle',
  hidden: [{ units: 4, activation: 'tanh' }],
  epochs: 40,
  learningRate: 0.1,
  bar: 0.9,
  note: 'one neuron cannot draw a circle; four can',
});

/** Book ch. 7.4: the spiral needs depth. */
export const ch07DeepRecipe = playground({
  id: 'ch07-deep',
  title: 'Playground: a deep network (3 hidden layers of 16 tanh) on the spiral',
  set: 'spiral',
  hidden: Array.from({ length: 3 }, () => ({ units: 16, activation: 'tanh' as const })),
  epochs: 150,
  learningRate: 0.01,
  optimizer: 'adam',
  bar: 0.9,
  note: 'the spiral takes several layers',
});
