import type { Rng } from '@neurona/core';
import { fusedBatchNormalization, InvalidOptionError } from '@neurona/core';
import { seededDropout } from '@neurona/zoo';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';

/** Height, width, channels of the images a DCGAN makes and judges. */
export type ImageShape = [number, number, number];

/** Options of the DCGAN builders: image shape, latent size and seed source. */
export interface DcganOptions {
  /** Default [28, 28, 1] (Fashion-MNIST, MNIST); [32, 32, 3] for CIFAR-10-sized images. */
  imageShape?: ImageShape;
  /** Size of the generator's noise input; default 100, as the book. */
  latentDim?: number;
  /** Seeds every initialiser and dropout mask. */
  rng: Rng;
}

/** The generator doubles the size twice: heights and widths must be multiples of 4. */
const UPSAMPLING = 4;

/**
 * Checks an image shape the DCGAN can make: height and width multiples of 4 (the two
 * stride-2 layers double a base of h/4 × w/4 twice), 1 to 4 channels.
 */
export function checkImageShape(where: string, shape: unknown): ImageShape {
  const ok =
    Array.isArray(shape) &&
    shape.length === 3 &&
    shape.every((d) => Number.isInteger(d) && d >= 1) &&
    (shape[0] as number) % UPSAMPLING === 0 &&
    (shape[1] as number) % UPSAMPLING === 0 &&
    (shape[2] as number) <= 4;
  if (!ok) {
    throw new InvalidOptionError(
      where,
      'imageShape',
      shape,
      'height and width multiples of 4 (the generator doubles h/4 × w/4 twice: …, 24, 28, 32, …) and 1 to 4 channels, e.g. [28, 28, 1] or [32, 32, 3]',
    );
  }
  return shape as ImageShape;
}

function checkLatent(where: string, latentDim: unknown) {
  if (!(typeof latentDim === 'number' && Number.isInteger(latentDim) && latentDim >= 1)) {
    throw new InvalidOptionError(where, 'latentDim', latentDim, 'an integer >= 1');
  }
}

/**
 * The book's DCGAN generator (14.2, after TensorFlow's DCGAN tutorial): Dense(h/4·w/4·256, no
 * bias) → BatchNorm → LeakyReLU → Reshape → Conv2DTranspose 128 (5×5, stride 1) → BatchNorm →
 * LeakyReLU → Conv2DTranspose 64 (stride 2) → BatchNorm → LeakyReLU → Conv2DTranspose
 * channels (stride 2, tanh): images in [−1, 1]. For 28×28×1: 2,330,944 parameters, 2,305,472
 * trainable, as Keras counts. The caller owns the model.
 */
export function dcganGenerator(options: DcganOptions): tfl.LayersModel {
  const [height, width, channels] = checkImageShape('dcganGenerator', options.imageShape ?? [28, 28, 1]);
  const latentDim = options.latentDim ?? 100;
  checkLatent('dcganGenerator', latentDim);
  const { rng } = options;
  const init = () => tfl.initializers.glorotUniform({ seed: rng.nextSeed() });
  const [h0, w0] = [height / UPSAMPLING, width / UPSAMPLING];
  const deconv = (filters: number, strides: number, activation?: 'tanh') =>
    tfl.layers.conv2dTranspose({
      filters,
      kernelSize: 5,
      strides,
      padding: 'same',
      useBias: false,
      kernelInitializer: init(),
      ...(activation ? { activation } : {}),
    });
  return tfl.sequential({
    name: 'generator',
    layers: [
      tfl.layers.dense({ inputShape: [latentDim], units: h0 * w0 * 256, useBias: false, kernelInitializer: init() }),
      fusedBatchNormalization(),
      tfl.layers.leakyReLU(),
      tfl.layers.reshape({ targetShape: [h0, w0, 256] }),
      deconv(128, 1),
      fusedBatchNormalization(),
      tfl.layers.leakyReLU(),
      deconv(64, 2),
      fusedBatchNormalization(),
      tfl.layers.leakyReLU(),
      deconv(channels, 2, 'tanh'),
    ],
  });
}

/**
 * The book's DCGAN discriminator: Conv2D 64 (5×5, stride 2) → LeakyReLU → Dropout 0.3 →
 * Conv2D 128 (stride 2) → LeakyReLU → Dropout 0.3 → Flatten → Dense(1), a logit (real > 0).
 * For 28×28×1: 212,865 parameters. Dropout is seeded, so runs repeat. The caller owns the model.
 */
export function dcganDiscriminator(options: Omit<DcganOptions, 'latentDim'> & { dropout?: number }): tfl.LayersModel {
  const shape = checkImageShape('dcganDiscriminator', options.imageShape ?? [28, 28, 1]);
  const dropout = options.dropout ?? 0.3;
  if (!(dropout >= 0 && dropout < 1)) {
    throw new InvalidOptionError('dcganDiscriminator', 'dropout', dropout, 'a number in [0, 1)');
  }
  const { rng } = options;
  const init = () => tfl.initializers.glorotUniform({ seed: rng.nextSeed() });
  const conv = (filters: number, first: boolean) =>
    tfl.layers.conv2d({
      ...(first ? { inputShape: shape } : {}),
      filters,
      kernelSize: 5,
      strides: 2,
      padding: 'same',
      kernelInitializer: init(),
    });
  return tfl.sequential({
    name: 'discriminator',
    layers: [
      conv(64, true),
      tfl.layers.leakyReLU(),
      seededDropout({ rate: dropout, seed: rng.nextSeed() }),
      conv(128, false),
      tfl.layers.leakyReLU(),
      seededDropout({ rate: dropout, seed: rng.nextSeed() }),
      tfl.layers.flatten(),
      tfl.layers.dense({ units: 1, kernelInitializer: init() }),
    ],
  });
}

/**
 * The discriminator's loss (14.2.3): binary cross-entropy from logits, real images labelled
 * 1 and generated ones 0, the two means added as the book does.
 */
export function discriminatorLoss(realLogits: tf.Tensor, fakeLogits: tf.Tensor): tf.Scalar {
  return tf.tidy(() =>
    tf.add(
      tf.losses.sigmoidCrossEntropy(tf.onesLike(realLogits), realLogits),
      tf.losses.sigmoidCrossEntropy(tf.zerosLike(fakeLogits), fakeLogits),
    ),
  ) as tf.Scalar;
}

/** The generator's non-saturating loss: cross-entropy of its images judged real (label 1). */
export function generatorLoss(fakeLogits: tf.Tensor): tf.Scalar {
  return tf.tidy(() => tf.losses.sigmoidCrossEntropy(tf.onesLike(fakeLogits), fakeLogits)) as tf.Scalar;
}
