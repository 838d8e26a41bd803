import type { Rng } from '@neurona/core';
import { copyWeights, freeze, resnet50, vgg19, withHead } from '@neurona/zoo';
import * as tfl from '@tensorflow/tfjs-layers';
import type { Recipe, TrainingSettings } from './types.js';

/**
 * Book ch. 12's first functional-API model: the dense classifier written as layers called
 * on tensors — Input → Flatten → Dense 64 relu → Dense 64 relu → Dense softmax.
 */
export function functionalClassifier(options: { rng: Rng; inputShape: number[]; classes: number }): tfl.LayersModel {
  const { rng, inputShape, classes } = options;
  const init = () => tfl.initializers.glorotUniform({ seed: rng.nextSeed() });
  const inputs = tfl.input({ shape: inputShape, name: 'image' });
  let x = tfl.layers.flatten({ name: 'flatten' }).apply(inputs) as tfl.SymbolicTensor;
  x = tfl.layers
    .dense({ units: 64, activation: 'relu', kernelInitializer: init(), name: 'dense' })
    .apply(x) as tfl.SymbolicTensor;
  x = tfl.layers
    .dense({ units: 64, activation: 'relu', kernelInitializer: init(), name: 'dense_1' })
    .apply(x) as tfl.SymbolicTensor;
  const outputs = tfl.layers
    .dense({ units: classes, activation: 'softmax', kernelInitializer: init(), name: 'predictions' })
    .apply(x) as tfl.SymbolicTensor;
  return tfl.model({ inputs, outputs, name: 'functional_classifier' });
}

const functional: TrainingSettings = {
  epochs: 5,
  batchSize: 100,
  optimizer: 'rmsprop',
  learningRate: 0.001,
  validationFraction: 0.1,
  seed: 42,
};

/** Chapter 12: a model written with the functional API (`tf.input`, `tf.model`) on the Fashion-MNIST sample. */
export const ch12FunctionalRecipe: Recipe = {
  id: 'ch12-functional',
  chapter: 12,
  title: 'The functional API: Input → Flatten → Dense 64 → Dense 64 → softmax, RMSprop',
  task: 'multiclass',
  data: 'fashion-mnist-sample',
  alsoRunsOn: ['fashion-mnist', 'mnist', 'cifar10'],
  defaults: functional,
  book: functional,
  quick: { epochs: 3, trainLimit: 2000, testLimit: 500 },
  expected: { metric: 'accuracy', bar: 0.78, note: 'the bundled 8,000/2,000 Fashion-MNIST sample, 5 epochs' },
  buildModel: ({ rng, inputShape, outputs }) => functionalClassifier({ rng, inputShape, classes: outputs }),
};

const cifar: TrainingSettings = {
  epochs: 5,
  batchSize: 32,
  optimizer: 'sgd',
  learningRate: 0.01,
  validationFraction: 0.1,
  seed: 42,
};
const cifarQuick = { epochs: 2, trainLimit: 256, testLimit: 128 };

/** Book ch. 12: ResNet50 built by name for 32×32 CIFAR-10 images and trained from scratch. */
export const ch12CifarResnet50Recipe: Recipe = {
  id: 'ch12-cifar-resnet50',
  chapter: 12,
  title: 'CIFAR-10 on ResNet50 (Keras applications layout, 32×32×3, 10 classes, no pretrained weights), SGD',
  task: 'multiclass',
  data: 'cifar10',
  defaults: cifar,
  book: cifar,
  quick: cifarQuick,
  expected: { metric: 'accuracy', bar: 0.45, note: 'CIFAR-10 (50,000/10,000), 5 epochs' },
  buildModel: ({ rng, inputShape, outputs }) =>
    resnet50({ includeTop: true, inputShape: inputShape as [number, number, number], classes: outputs, rng }),
};

/**
 * Book ch. 12: VGG19's convolutional base with a new classifier; with a pretrained VGG19
 * (`--pretrained`) the base's weights are loaded and frozen, otherwise it trains from scratch.
 */
export const ch12CifarVgg19Recipe: Recipe = {
  id: 'ch12-cifar-vgg19',
  chapter: 12,
  title: 'CIFAR-10 on VGG19’s base with a Dense 512 head; the base frozen when pretrained weights are given',
  task: 'multiclass',
  data: 'cifar10',
  defaults: { ...cifar, optimizer: 'adam', learningRate: 1e-4 },
  book: { ...cifar, optimizer: 'adam', learningRate: 1e-4 },
  quick: cifarQuick,
  pretrained: 'optional',
  expected: { metric: 'accuracy', bar: 0.5, note: 'CIFAR-10 (50,000/10,000), 5 epochs' },
  buildModel: ({ rng, inputShape, outputs, pretrained }) => {
    const base = vgg19({ includeTop: false, inputShape: inputShape as [number, number, number], rng });
    if (pretrained) {
      // Checked layer by layer before anything is copied: another architecture is refused.
      try {
        copyWeights(base, pretrained);
      } catch (error) {
        base.dispose();
        throw error;
      }
      freeze(base);
    }
    return withHead(base, { classes: outputs, hidden: [512], dropout: 0.5, pooling: 'flatten', rng });
  },
};
