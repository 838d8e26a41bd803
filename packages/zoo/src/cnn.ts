import type { Rng } from '@neurona/core';
import { fusedBatchNormalization, InvalidOptionError } from '@neurona/core';
import * as tfl from '@tensorflow/tfjs-layers';
import { checkedSequential } from './check-shapes.js';
import { seededDropout } from './dropout.js';

/**
 * The book's chapter-8 CNN for MNIST: Conv(32, 5×5, relu) → MaxPool(2) → Conv(64, 5×5,
 * relu) → MaxPool(2) → Flatten → Dense(10, softmax); 62,346 parameters.
 */
export function mnistCnn(options: { rng: Rng }): tfl.Sequential {
  const init = () => tfl.initializers.glorotUniform({ seed: options.rng.nextSeed() });
  return tfl.sequential({
    name: 'mnist_cnn',
    layers: [
      tfl.layers.conv2d({
        inputShape: [28, 28, 1],
        filters: 32,
        kernelSize: 5,
        activation: 'relu',
        kernelInitializer: init(),
        name: 'conv2d',
      }),
      tfl.layers.maxPooling2d({ poolSize: 2, name: 'max_pooling2d' }),
      tfl.layers.conv2d({
        filters: 64,
        kernelSize: 5,
        activation: 'relu',
        kernelInitializer: init(),
        name: 'conv2d_1',
      }),
      tfl.layers.maxPooling2d({ poolSize: 2, name: 'max_pooling2d_1' }),
      tfl.layers.flatten({ name: 'flatten' }),
      tfl.layers.dense({ units: 10, activation: 'softmax', kernelInitializer: init(), name: 'dense' }),
    ],
  });
}

/** Options of `fashionCnn`: the seed source, and whether to use BatchNormalization and Dropout. */
export interface FashionCnnOptions {
  rng: Rng;
  /** BatchNormalization after each convolution (book ch. 8). Default true. */
  batchNorm?: boolean;
  /** Dropout rate after each pooling (and half as much before the output). Default 0.25; 0 for none. */
  dropout?: number;
}

/**
 * A Fashion-MNIST CNN in the book's chapter-8 style: Conv(32, 3×3) → [BN] → MaxPool →
 * [Dropout] → Conv(64, 3×3) → [BN] → MaxPool → [Dropout] → Dense(128) → [Dropout] →
 * Dense(10, softmax); 'same' padding; 422,026 parameters with BatchNorm.
 *
 * @example
 * ```ts
 * const model = fashionCnn({ rng: createRng(42), batchNorm: true, dropout: 0.25 });
 * model.compile({ optimizer: 'adam', loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
 * ```
 */
export function fashionCnn(options: FashionCnnOptions): tfl.Sequential {
  const { rng, batchNorm = true, dropout = 0.25 } = options;
  if (!(dropout >= 0 && dropout < 1))
    throw new InvalidOptionError('fashionCnn', 'dropout', dropout, 'a rate in [0, 1)');
  const init = () => tfl.initializers.glorotUniform({ seed: rng.nextSeed() });
  const layers: tfl.layers.Layer[] = [];
  const block = (filters: number, first: boolean, index: number) => {
    layers.push(
      tfl.layers.conv2d({
        ...(first ? { inputShape: [28, 28, 1] } : {}),
        filters,
        kernelSize: 3,
        padding: 'same',
        activation: 'relu',
        kernelInitializer: init(),
      }),
    );
    if (batchNorm) layers.push(fusedBatchNormalization());
    layers.push(tfl.layers.maxPooling2d({ poolSize: 2 }));
    if (dropout > 0) layers.push(seededDropout({ rate: dropout, seed: rng.nextSeed() + index }));
  };
  block(32, true, 0);
  block(64, false, 1);
  layers.push(tfl.layers.flatten());
  layers.push(tfl.layers.dense({ units: 128, activation: 'relu', kernelInitializer: init() }));
  if (dropout > 0) layers.push(seededDropout({ rate: Math.min(0.9, dropout * 2), seed: rng.nextSeed() }));
  layers.push(tfl.layers.dense({ units: 10, activation: 'softmax', kernelInitializer: init() }));
  return tfl.sequential({ name: 'fashion_cnn', layers });
}

/**
 * The book's chapter-10 small CNN for 150×150×3 Dogs vs Cats (Chollet's architecture):
 * four Conv/MaxPool blocks (32, 64, 128, 128 filters), Dense(512), Dense(1, sigmoid);
 * 3,453,121 parameters. `dropout` adds Dropout(0.5) before the dense layers (ch. 11).
 */
export function dogsCatsCnn(options: {
  rng: Rng;
  dropout?: boolean;
  inputShape?: [number, number, number];
  /**
   * Classes it tells apart: 2 (default) gives the book's single sigmoid unit; more give a softmax
   * of one unit per class, for the same network on more than two kinds of pictures.
   */
  classes?: number;
}): tfl.Sequential {
  const { rng, dropout = false, inputShape = [150, 150, 3], classes = 2 } = options;
  if (!Number.isInteger(classes) || classes < 2)
    throw new InvalidOptionError('dogsCatsCnn', 'classes', classes, 'an integer >= 2');
  const init = () => tfl.initializers.glorotUniform({ seed: rng.nextSeed() });
  const layers: tfl.layers.Layer[] = [];
  // Keras's names for these layers, so summaries and errors read as the book's do.
  const suffix = (i: number) => (i === 0 ? '' : `_${i}`);
  [32, 64, 128, 128].forEach((filters, i) => {
    layers.push(
      tfl.layers.conv2d({
        ...(i === 0 ? { inputShape } : {}),
        filters,
        kernelSize: 3,
        activation: 'relu',
        kernelInitializer: init(),
        name: `conv2d${suffix(i)}`,
      }),
      tfl.layers.maxPooling2d({ poolSize: 2, name: `max_pooling2d${suffix(i)}` }),
    );
  });
  layers.push(tfl.layers.flatten({ name: 'flatten' }));
  if (dropout) layers.push(seededDropout({ rate: 0.5, seed: rng.nextSeed(), name: 'dropout' }));
  layers.push(
    tfl.layers.dense({ units: 512, activation: 'relu', kernelInitializer: init(), name: 'dense' }),
    classes === 2
      ? tfl.layers.dense({ units: 1, activation: 'sigmoid', kernelInitializer: init(), name: 'dense_1' })
      : tfl.layers.dense({ units: classes, activation: 'softmax', kernelInitializer: init(), name: 'dense_1' }),
  );
  return checkedSequential('dogs_cats_cnn', layers);
}
