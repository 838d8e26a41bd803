import { InvalidInputError, InvalidOptionError } from '@neurona/core';
import * as tf from '@tensorflow/tfjs-core';

/** Raw labelled images, as `@neurona/datasets` returns them (channels last). */
export interface RawImages {
  images: Uint8Array;
  count: number;
  height: number;
  width: number;
  channels: number;
}

/** Options of `rescale`, as Keras's `Rescaling`: a multiplier and an offset. */
export interface RescaleOptions {
  /** Multiplier, as Keras's `Rescaling(scale)`. Default 1/255. */
  scale?: number;
  /** Added after scaling. Default 0. */
  offset?: number;
}

/**
 * `x * scale + offset` as float32, the book's `x / 255` by default. Returns a new
 * tensor owned by the caller; `x` is untouched.
 */
export function rescale(x: tf.Tensor, options: RescaleOptions = {}): tf.Tensor {
  const { scale = 1 / 255, offset = 0 } = options;
  if (!Number.isFinite(scale)) throw new InvalidOptionError('rescale', 'scale', scale, 'a finite number');
  if (!Number.isFinite(offset)) throw new InvalidOptionError('rescale', 'offset', offset, 'a finite number');
  return tf.tidy(() => tf.add(tf.mul(tf.cast(x, 'float32'), scale), offset));
}

/**
 * Turns raw images into a float32 tensor `[count, height, width, channels]` scaled to
 * [0, 1] (or by `options`). The caller owns and disposes the result.
 */
export function imagesToTensor(set: RawImages, options: RescaleOptions = {}): tf.Tensor4D {
  const { count, height, width, channels, images } = set;
  if (images.length !== count * height * width * channels) {
    throw new InvalidInputError(
      'imagesToTensor',
      'images',
      `${images.length} bytes do not make ${count} images of ${height}×${width}×${channels} (${count * height * width * channels} bytes)`,
    );
  }
  const { scale = 1 / 255, offset = 0 } = options;
  const out = new Float32Array(images.length);
  for (let i = 0; i < images.length; i++) out[i] = (images[i] as number) * scale + offset;
  return tf.tensor4d(out, [count, height, width, channels]);
}
