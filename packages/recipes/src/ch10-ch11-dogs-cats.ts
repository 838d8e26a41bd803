import type { AugmentOptions } from '@neurona/augmentation';
import type { Rng } from '@neurona/core';
import { InvalidOptionError } from '@neurona/core';
import { convBase, dogsCatsCnn, freeze, seededDropout, withHead } from '@neurona/zoo';
import * as tfl from '@tensorflow/tfjs-layers';
import type { Recipe, TrainingSettings } from './types.js';

const small: TrainingSettings = {
  epochs: 30,
  batchSize: 20,
  optimizer: 'rmsprop',
  learningRate: 1e-4,
  validationFraction: 0.25,
  seed: 42,
};
const chollet = 'Chollet, Deep Learning with Python (1st ed.), §5.2–5.3, which the book follows';

/** Book ch. 10: the small CNN on 2,000 training photos, overfitting by epoch 5–10. */
export const ch10DogsCatsRecipe: Recipe = {
  id: 'ch10-dogs-cats',
  chapter: 10,
  title: 'Dogs vs Cats small CNN (4 Conv/MaxPool blocks, Dense 512, sigmoid), RMSprop 1e-4',
  task: 'binary',
  data: 'dogs-vs-cats',
  imageSize: [150, 150],
  defaults: small,
  book: small,
  quick: { epochs: 3, trainLimit: 200, testLimit: 100 },
  expected: { metric: 'accuracy', bar: 0.65, note: 'the book’s 2,000/1,000/1,000 photos at 150×150, 30 epochs' },
  reference: { figure: 'validation accuracy about 0.70–0.72, overfitting after about 5 epochs', source: chollet },
  // One sigmoid unit for the book's two classes; a softmax for more (the task 'multiclass').
  buildModel: ({ rng, inputShape, outputs }) =>
    dogsCatsCnn({ rng, inputShape: inputShape as [number, number, number], classes: Math.max(2, outputs) }),
};

/** Keras's ImageDataGenerator settings of the book's augmentation example. */
export const bookAugmentation: AugmentOptions = {
  rotationRange: 40,
  widthShiftRange: 0.2,
  heightShiftRange: 0.2,
  shearRange: 0.2,
  zoomRange: 0.2,
  horizontalFlip: true,
  fillMode: 'nearest',
};

/** Book ch. 11: the same CNN with Dropout, trained on augmented batches. */
export const ch11AugmentationRecipe: Recipe = {
  ...ch10DogsCatsRecipe,
  id: 'ch11-augmentation',
  chapter: 11,
  title: 'Dogs vs Cats small CNN with Dropout 0.5 and data augmentation (rotation, shifts, shear, zoom, flips)',
  defaults: { ...small, batchSize: 32, epochs: 100 },
  book: { ...small, batchSize: 32, epochs: 100 },
  expected: { metric: 'accuracy', bar: 0.75, note: 'the book’s photos at 150×150, 100 epochs' },
  reference: { figure: 'validation accuracy about 0.82, little overfitting', source: chollet },
  augment: bookAugmentation,
  buildModel: ({ rng, inputShape, outputs }) =>
    dogsCatsCnn({
      rng,
      dropout: true,
      inputShape: inputShape as [number, number, number],
      classes: Math.max(2, outputs),
    }),
};

/**
 * The book's classifier on top of a convolutional base: Dense 256 → Dropout 0.5 → Dense 1 sigmoid
 * (or, for more than two classes, a softmax of `outputs` units).
 */
function head(rng: Rng, inputShape: number[], outputs: number) {
  const init = () => tfl.initializers.glorotUniform({ seed: rng.nextSeed() });
  return tfl.sequential({
    name: 'feature_classifier',
    layers: [
      ...(inputShape.length > 1 ? [tfl.layers.flatten({ inputShape })] : []),
      tfl.layers.dense({
        ...(inputShape.length > 1 ? {} : { inputShape }),
        units: 256,
        activation: 'relu',
        kernelInitializer: init(),
      }),
      seededDropout({ rate: 0.5, seed: rng.nextSeed() }),
      tfl.layers.dense({
        units: outputs,
        activation: outputs === 1 ? 'sigmoid' : 'softmax',
        kernelInitializer: init(),
      }),
    ],
  });
}

const transfer: TrainingSettings = { ...small, learningRate: 2e-5 };

/** Book ch. 11: run a pretrained base once over the photos, train a small classifier on the features. */
export const ch11FeatureExtractionRecipe: Recipe = {
  ...ch10DogsCatsRecipe,
  id: 'ch11-feature-extraction',
  chapter: 11,
  title:
    'Dogs vs Cats by feature extraction: a pretrained base run once, Dense 256 → Dropout → sigmoid on its features',
  defaults: { ...transfer, learningRate: 1e-4, epochs: 20 },
  defaultsNote:
    'RMSprop 1e-4 for 20 epochs (the book: 2e-5 for 30 with VGG16); the features are ready in seconds, so the book’s settings cost little.',
  book: transfer,
  quick: { epochs: 10, trainLimit: 200, testLimit: 100 },
  imageSize: [224, 224],
  pretrained: 'required',
  featureExtraction: true,
  expected: { metric: 'accuracy', bar: 0.85, note: 'the book’s photos, an ImageNet-trained base' },
  reference: { figure: 'validation accuracy about 0.90 with VGG16', source: chollet },
  buildModel: ({ rng, inputShape, outputs }) => head(rng, inputShape, outputs),
};

/** Book ch. 11: train a head on the frozen base, then unfreeze the base's last block and fine-tune it. */
export const ch11FineTuningRecipe: Recipe = {
  ...ch11FeatureExtractionRecipe,
  id: 'ch11-fine-tuning',
  title: 'Dogs vs Cats by fine-tuning: a head trained on the frozen base, then the last block unfrozen at 1e-5',
  featureExtraction: false,
  defaults: { ...transfer, learningRate: 1e-4, epochs: 5, batchSize: 20 },
  defaultsNote:
    'Head for 5 epochs at RMSprop 1e-4, then 5 of fine-tuning at 1e-5 (the book: 30 and 100, with augmentation).',
  book: { ...transfer, epochs: 30 },
  quick: { epochs: 2, batchSize: 8, trainLimit: 60, testLimit: 40, fineTuneEpochs: 2 },
  fineTune: { epochs: 5, learningRate: 1e-5 },
  expected: { metric: 'accuracy', bar: 0.85, note: 'the book’s photos, an ImageNet-trained base' },
  reference: { figure: 'test accuracy about 0.97 with VGG16', source: chollet },
  buildModel: ({ rng, pretrained, outputs }) => {
    if (!pretrained) throw new InvalidOptionError('ch11-fine-tuning', 'pretrained', pretrained, 'a tfjs layers model');
    const base = convBase(pretrained);
    freeze(base);
    return withHead(base, { classes: outputs, hidden: [256], dropout: 0.5, pooling: 'flatten', rng });
  },
};
