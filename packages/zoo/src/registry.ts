import { createRng, InvalidOptionError, UnknownNameError } from '@neurona/core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { mobilenet, resnet50, vgg16, vgg19 } from './applications.js';
import { checkShapes } from './check-shapes.js';
import { dogsCatsCnn, fashionCnn, mnistCnn } from './cnn.js';
import { denseClassifier } from './dense.js';

/** Options every zoo builder takes: input shape, classes and seed. */
export interface ModelBuildOptions {
  inputShape?: [number, number, number];
  classes?: number;
  seed?: number;
}

/** A model of the zoo: its name, the book's chapter, a description and its builder. */
export interface ZooEntry {
  name: string;
  chapter: number;
  description: string;
  build(options: ModelBuildOptions): tfl.LayersModel;
}

const fixed = (name: string, o: ModelBuildOptions, shape: number[], classes?: number) => {
  if (o.inputShape && o.inputShape.join() !== shape.join()) {
    throw new InvalidOptionError(
      name,
      'inputShape',
      o.inputShape,
      `[${shape.join(', ')}] (the architecture is fixed to it)`,
    );
  }
  if (o.classes !== undefined && classes !== undefined && o.classes !== classes) {
    throw new InvalidOptionError(name, 'classes', o.classes, `${classes} (the architecture's)`);
  }
};

/** Every named network of the book, for `neurona model list | summary`. */
export const zoo: readonly ZooEntry[] = [
  {
    name: 'mlp',
    chapter: 5,
    description: 'dense network: Flatten → Dense(512, relu) → Dense(classes, softmax)',
    build: (o) =>
      denseClassifier({
        inputShape: o.inputShape ?? [28, 28, 1],
        hidden: [{ units: 512, activation: 'relu' }],
        numClasses: o.classes ?? 10,
        rng: createRng(o.seed ?? 1),
      }),
  },
  {
    name: 'mnist-cnn',
    chapter: 8,
    description: 'Conv 32 5×5 → MaxPool → Conv 64 5×5 → MaxPool → Dense 10 (62,346 parameters)',
    build: (o) => {
      fixed('mnist-cnn', o, [28, 28, 1], 10);
      return mnistCnn({ rng: createRng(o.seed ?? 1) });
    },
  },
  {
    name: 'fashion-cnn',
    chapter: 8,
    description: 'Fashion-MNIST CNN with BatchNormalization and Dropout',
    build: (o) => {
      fixed('fashion-cnn', o, [28, 28, 1], 10);
      return fashionCnn({ rng: createRng(o.seed ?? 1) });
    },
  },
  {
    name: 'dogs-cats-cnn',
    chapter: 10,
    description: 'small CNN for 150×150×3 Dogs vs Cats, four Conv/MaxPool blocks, Dense 512, sigmoid',
    build: (o) => {
      fixed('dogs-cats-cnn', o, o.inputShape ?? [150, 150, 3], 1);
      return dogsCatsCnn({ rng: createRng(o.seed ?? 1), ...(o.inputShape ? { inputShape: o.inputShape } : {}) });
    },
  },
  { name: 'vgg16', chapter: 12, description: 'VGG16, as keras.applications', build: (o) => vgg16(o) },
  { name: 'vgg19', chapter: 12, description: 'VGG19, as keras.applications', build: (o) => vgg19(o) },
  { name: 'resnet50', chapter: 12, description: 'ResNet50, as keras.applications', build: (o) => resnet50(o) },
  {
    name: 'mobilenet',
    chapter: 12,
    description: 'MobileNet v1, alpha 1.0, as keras.applications',
    build: (o) => mobilenet(o),
  },
];

/** Builds a named model, or throws listing the known names. The caller disposes it. */
export function buildNamedModel(name: string, options: ModelBuildOptions = {}): tfl.LayersModel {
  const entry = zoo.find((m) => m.name === name);
  if (!entry)
    throw new UnknownNameError(
      'model',
      name,
      zoo.map((m) => m.name),
    );
  const model = entry.build(options);
  try {
    return checkShapes(model);
  } catch (error) {
    model.dispose();
    throw error;
  }
}
