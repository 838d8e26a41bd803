import type { Rng } from '@neurona/core';
import { InvalidInputError } from '@neurona/core';
import * as tf from '@tensorflow/tfjs-core';
import type { AffineParams } from './affine.js';
import { affineMatrix, transformRow } from './affine.js';
import type { AugmentOptions, FillMode, ResolvedOptions } from './options.js';
import { resolveOptions } from './options.js';

/** One image's draw: the affine parameters plus the colour changes. */
export interface ImageTransform extends AffineParams {
  brightness: number;
  channelShift: number;
}

const uniform = (rng: Rng, lo: number, hi: number) => lo + (hi - lo) * rng.next();

/** Draws one image's transform, as Keras's `get_random_transform`. */
export function randomTransform(options: ResolvedOptions, rng: Rng, height: number, width: number): ImageTransform {
  const shift = (range: number, size: number) => {
    if (range === 0) return 0;
    // Keras: a fraction of the size, or (when >= 1) a whole number of pixels.
    return range < 1 ? uniform(rng, -range, range) * size : rng.int(2 * range + 1) - range;
  };
  const [zlo, zhi] = options.zoomRange;
  return {
    rotation: options.rotationRange ? uniform(rng, -options.rotationRange, options.rotationRange) : 0,
    shiftX: shift(options.widthShiftRange, width),
    shiftY: shift(options.heightShiftRange, height),
    shear: options.shearRange ? uniform(rng, -options.shearRange, options.shearRange) : 0,
    zoomX: zlo === 1 && zhi === 1 ? 1 : uniform(rng, zlo, zhi),
    zoomY: zlo === 1 && zhi === 1 ? 1 : uniform(rng, zlo, zhi),
    flipHorizontal: options.horizontalFlip ? rng.next() < 0.5 : false,
    flipVertical: options.verticalFlip ? rng.next() < 0.5 : false,
    brightness: options.brightnessRange ? uniform(rng, ...options.brightnessRange) : 1,
    channelShift: options.channelShiftRange ? uniform(rng, -options.channelShiftRange, options.channelShiftRange) : 0,
  };
}

export function checkImages(images: tf.Tensor, where: string): asserts images is tf.Tensor4D {
  const [, , , channels] = images.shape;
  if (images.rank !== 4 || !(channels === 1 || channels === 3 || channels === 4)) {
    throw new InvalidInputError(
      where,
      'images',
      `images must be [batch, height, width, channels] with 1, 3 or 4 channels; got [${images.shape.join(', ')}]`,
    );
  }
}

const isIdentity = (p: AffineParams) =>
  p.rotation === 0 &&
  p.shiftX === 0 &&
  p.shiftY === 0 &&
  p.shear === 0 &&
  p.zoomX === 1 &&
  p.zoomY === 1 &&
  !p.flipHorizontal &&
  !p.flipVertical;

/**
 * Applies one affine map per image in a single batched `tf.image.transform` call, so a
 * batch costs one kernel on every backend. Returns a new tensor the caller owns.
 */
export function applyAffine(
  images: tf.Tensor4D,
  params: readonly AffineParams[],
  fill: { fillMode: FillMode; cval: number; interpolation: 'bilinear' | 'nearest' },
): tf.Tensor4D {
  const [batch, height, width] = images.shape;
  if (params.length !== batch)
    throw new InvalidInputError('applyAffine', 'params', `${params.length} transforms for a batch of ${batch}`);
  if (params.every(isIdentity)) return tf.clone(images);
  const rows = params.flatMap((p) => transformRow(affineMatrix(p, height, width)));
  return tf.tidy(() =>
    tf.image.transform(images, tf.tensor2d(rows, [batch, 8]), fill.interpolation, fill.fillMode, fill.cval),
  );
}

/**
 * Augments a batch of images `[batch, height, width, channels]` as Keras's
 * `ImageDataGenerator` does: a random affine map per image (rotation, shifts, shear,
 * zoom, flips) in one batched call, then brightness, channel shift and `rescale`. Seeded:
 * the same `rng` state gives the same batch on the same backend. `images` is untouched;
 * the result is a new float32 tensor the caller disposes.
 *
 * @example
 * ```ts
 * const batch = augmentImages(images, { rotationRange: 40, horizontalFlip: true, fillMode: 'nearest', rescale: 1 / 255 }, createRng(1));
 * // batch: a new [n, h, w, c] tensor; the caller disposes it
 * ```
 */
export function augmentImages(images: tf.Tensor, options: AugmentOptions, rng: Rng): tf.Tensor4D {
  const resolved = resolveOptions(options);
  checkImages(images, 'augmentImages');
  return augmentResolved(images, resolved, rng);
}

/** `augmentImages` with options already checked, for generators that check them once. */
export function augmentResolved(images: tf.Tensor4D, o: ResolvedOptions, rng: Rng): tf.Tensor4D {
  const [batch, height, width] = images.shape;
  const draws = Array.from({ length: batch }, () => randomTransform(o, rng, height, width));
  return tf.tidy(() => {
    let out: tf.Tensor4D = applyAffine(tf.cast(images, 'float32') as tf.Tensor4D, draws, o);
    if (o.brightnessRange) {
      const factors = tf.tensor4d(
        draws.map((d) => d.brightness),
        [batch, 1, 1, 1],
      );
      out = tf.clipByValue(tf.mul(out, factors), o.valueRange[0], o.valueRange[1]) as tf.Tensor4D;
    }
    if (o.channelShiftRange) {
      // Keras's apply_channel_shift: one offset per image, clipped to that image's range.
      const shifts = tf.tensor4d(
        draws.map((d) => d.channelShift),
        [batch, 1, 1, 1],
      );
      const lo = tf.min(out, [1, 2, 3], true);
      const hi = tf.max(out, [1, 2, 3], true);
      out = tf.minimum(tf.maximum(tf.add(out, shifts), lo), hi) as tf.Tensor4D;
    }
    if (o.rescale !== 1) out = tf.mul(out, o.rescale) as tf.Tensor4D;
    return out;
  });
}
