import type { TrainingCallback } from '@neurona/core';
import { createRng, fit, InvalidOptionError } from '@neurona/core';
import { fashionCnn } from '@neurona/zoo';
import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';

/** Real images in the GAN's [−1, 1] with their class labels. */
export interface LabelledImages {
  images: tf.Tensor4D;
  /** Class indices, int32. */
  labels: tf.Tensor1D;
}

/** Options of `trainScoringClassifier`: epochs, batch size, seed. */
export interface ScoringClassifierOptions {
  /** Default 3. */
  epochs?: number;
  /** Default 64. */
  batchSize?: number;
  seed: number;
  classes?: number;
  callbacks?: TrainingCallback[];
  signal?: AbortSignal;
}

/** A classifier trained to score a GAN's samples, with its test accuracy. */
export interface ScoringClassifier {
  model: tfl.LayersModel;
  /** Accuracy on the held-out images given, and how many there were. */
  testAccuracy: number;
  testCount: number;
  epochs: number;
  seconds: number;
}

/**
 * Trains the classifier the sample scores are read with, as TF-GAN trains one for MNIST in
 * place of Inception: the zoo's Fashion-MNIST CNN without BatchNorm (Conv 32 → pool → Conv 64 →
 * pool → Dense 128 → softmax, seeded dropout; BatchNorm's moving statistics would make the
 * figures depend on how long it trained), on pixels in [0, 1] (the `SampleScorer`'s default
 * input) taken from images in [−1, 1]. Its Dense(128) gives the Fréchet features. 28×28×1
 * images only (Fashion-MNIST, MNIST). Save it once and reuse it: scores from different
 * classifiers are not comparable.
 */
export async function trainScoringClassifier(
  train: LabelledImages,
  test: LabelledImages,
  options: ScoringClassifierOptions,
): Promise<ScoringClassifier> {
  const { epochs = 3, batchSize = 64, seed, classes = 10 } = options;
  const where = 'trainScoringClassifier';
  for (const [name, set] of [
    ['train', train],
    ['test', test],
  ] as const) {
    if (set.images.shape.slice(1).join() !== '28,28,1') {
      throw new InvalidOptionError(
        where,
        `${name}.images`,
        `[${set.images.shape}]`,
        '[n, 28, 28, 1] images (Fashion-MNIST, MNIST)',
      );
    }
    if (set.labels.shape[0] !== set.images.shape[0]) {
      throw new InvalidOptionError(
        where,
        `${name}.labels`,
        `${set.labels.shape[0]} labels`,
        `one per image (${set.images.shape[0]})`,
      );
    }
  }
  const rng = createRng(seed);
  const model = fashionCnn({ rng, batchNorm: false });
  // Named, not built: the model owns its Adam (learning rate 0.001) and frees it with itself.
  model.compile({ optimizer: 'adam', loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
  const toUnit = (x: tf.Tensor) => tf.div(tf.add(x, 1), 2);
  const [x, y, testX, testY] = tf.tidy(() => [
    toUnit(train.images),
    tf.oneHot(tf.cast(train.labels, 'int32'), classes),
    toUnit(test.images),
    tf.oneHot(tf.cast(test.labels, 'int32'), classes),
  ]) as [tf.Tensor, tf.Tensor, tf.Tensor, tf.Tensor];
  const started = performance.now();
  try {
    await fit(model, x, y, {
      epochs,
      batchSize,
      rng,
      callbacks: options.callbacks ?? [],
      ...(options.signal ? { signal: options.signal } : {}),
    });
    const seconds = (performance.now() - started) / 1000;
    const result = model.evaluate(testX, testY, { batchSize: 500 }) as tf.Scalar[];
    const testAccuracy = (await (result[1] as tf.Scalar).data())[0] as number;
    tf.dispose(result);
    return { model, testAccuracy, testCount: test.images.shape[0], epochs, seconds };
  } catch (error) {
    model.dispose();
    throw error;
  } finally {
    tf.dispose([x, y, testX, testY]);
  }
}
