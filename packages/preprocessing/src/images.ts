import { InvalidInputError, InvalidOptionError } from '@neurona/core';
import * as tf from '@tensorflow/tfjs-core';

function check(owner: string, x: tf.Tensor): asserts x is tf.Tensor4D {
  if (x.rank !== 4)
    throw new InvalidInputError(
      owner,
      'images',
      `expected images [batch, height, width, channels], got shape [${x.shape.join(', ')}]`,
    );
}

function size(owner: string, name: string, value: [number, number]) {
  if (!value.every((v) => Number.isInteger(v) && v >= 1)) {
    throw new InvalidOptionError(owner, name, value, '[height, width] of positive integers');
  }
}

/**
 * Resizes to `[height, width]` (bilinear, or nearest for labels and masks) with half-pixel
 * centres, as TensorFlow 2's `tf.image.resize`. New tensor, caller disposes.
 */
export function resize(images: tf.Tensor, shape: [number, number], options: { method?: 'bilinear' | 'nearest' } = {}) {
  check('resize', images);
  size('resize', 'shape', shape);
  const method = options.method ?? 'bilinear';
  if (method !== 'bilinear' && method !== 'nearest')
    throw new InvalidOptionError('resize', 'method', method, 'bilinear, nearest');
  return tf.tidy(() =>
    method === 'bilinear'
      ? tf.image.resizeBilinear(images as tf.Tensor4D, shape, false, true)
      : tf.image.resizeNearestNeighbor(images as tf.Tensor4D, shape, false, true),
  );
}

/** The central `[height, width]` window of every image. */
export function centerCrop(images: tf.Tensor, shape: [number, number]): tf.Tensor4D {
  check('centerCrop', images);
  size('centerCrop', 'shape', shape);
  const [, h, w] = images.shape;
  const [ch, cw] = shape;
  if (ch > h || cw > w)
    throw new InvalidOptionError('centerCrop', 'shape', [ch, cw], `a crop that fits in the ${h}×${w} images`);
  return tf.slice(images, [0, Math.floor((h - ch) / 2), Math.floor((w - cw) / 2), 0], [-1, ch, cw, -1]);
}

/** RGB to one grey channel (ITU-R 601 luma, as `tf.image.rgb_to_grayscale`). */
export function toGrayscale(images: tf.Tensor): tf.Tensor4D {
  check('toGrayscale', images);
  if (images.shape[3] === 1) return tf.clone(images);
  if (images.shape[3] !== 3)
    throw new InvalidInputError('toGrayscale', 'images', `expected 1 or 3 channels, got ${images.shape[3]}`);
  return tf.image.rgbToGrayscale(images);
}

/** One grey channel to three equal RGB channels (a pretrained RGB base on MNIST-like data). */
export function toRgb(images: tf.Tensor): tf.Tensor4D {
  check('toRgb', images);
  if (images.shape[3] === 3) return tf.clone(images);
  if (images.shape[3] !== 1)
    throw new InvalidInputError('toRgb', 'images', `expected 1 or 3 channels, got ${images.shape[3]}`);
  return tf.image.grayscaleToRGB(images);
}

/** `[batch, channels, height, width]` to the channels-last layout every Neurona model uses. */
export function toChannelsLast(images: tf.Tensor): tf.Tensor4D {
  check('toChannelsLast', images);
  return tf.transpose(images, [0, 2, 3, 1]);
}
