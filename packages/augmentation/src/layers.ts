import type { Rng } from '@neurona/core';
import { createRng, InvalidOptionError } from '@neurona/core';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import type { AffineParams } from './affine.js';
import { identityParams } from './affine.js';
import { applyAffine, checkImages } from './augment.js';
import type { FillMode } from './options.js';
import { fillModes } from './options.js';

/** A range as Keras's preprocessing layers take it: `f` for [−f, f], or `[low, high]`. */
export type Factor = number | [number, number];

function range(layer: string, name: string, factor: Factor, limit: number): [number, number] {
  const [lo, hi] = typeof factor === 'number' ? [-Math.abs(factor), Math.abs(factor)] : factor;
  if (!(Number.isFinite(lo) && Number.isFinite(hi) && lo <= hi && lo >= -limit && hi <= limit)) {
    throw new InvalidOptionError(layer, name, factor, `f or [lower, upper] within [-${limit}, ${limit}]`);
  }
  return [lo, hi];
}

function checkFill(layer: string, fillMode: string, interpolation: string) {
  if (!(fillModes as readonly string[]).includes(fillMode)) {
    throw new InvalidOptionError(layer, 'fillMode', fillMode, fillModes.join(', '));
  }
  if (interpolation !== 'bilinear' && interpolation !== 'nearest') {
    throw new InvalidOptionError(`${layer}`, 'interpolation', interpolation, 'bilinear, nearest');
  }
}

/** Options shared by the layers that move pixels: Keras's `fill_mode`, `fill_value` and `interpolation`, a seed, a name. */
export interface FillArgs {
  fillMode?: FillMode;
  interpolation?: 'bilinear' | 'nearest';
  fillValue?: number;
  seed?: number;
  name?: string;
}

/**
 * Base of the Keras-style augmentation layers: random in training (`fit`), the identity
 * in inference (`predict`, `evaluate`), serialisable so a saved model loads back. Each
 * layer draws from its own generator seeded by `seed`.
 */
abstract class RandomImageLayer extends tfl.layers.Layer {
  protected readonly rng: Rng;
  readonly seed: number;

  constructor(args: { seed?: number; name?: string }) {
    super({ ...(args.name ? { name: args.name } : {}), trainable: false });
    registerAugmentationLayers();
    this.seed = args.seed ?? 0;
    this.rng = createRng(this.seed);
  }

  override computeOutputShape(inputShape: tfl.Shape | tfl.Shape[]) {
    return inputShape;
  }

  override call(inputs: tf.Tensor | tf.Tensor[], kwargs: { training?: boolean }): tf.Tensor {
    const x = Array.isArray(inputs) ? (inputs[0] as tf.Tensor) : inputs;
    if (!kwargs.training) return x;
    checkImages(x, this.getClassName());
    return this.augment(x);
  }

  protected abstract augment(images: tf.Tensor4D): tf.Tensor;

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), seed: this.seed };
  }
}

abstract class AffineLayer extends RandomImageLayer {
  readonly fillMode: FillMode;
  readonly interpolation: 'bilinear' | 'nearest';
  readonly fillValue: number;

  constructor(args: FillArgs) {
    super(args);
    this.fillMode = args.fillMode ?? 'reflect';
    this.interpolation = args.interpolation ?? 'bilinear';
    this.fillValue = args.fillValue ?? 0;
    checkFill(this.constructor.name, this.fillMode, this.interpolation);
  }

  protected abstract draw(height: number, width: number): AffineParams;

  protected augment(images: tf.Tensor4D) {
    const [batch, height, width] = images.shape;
    const params = Array.from({ length: batch }, () => this.draw(height, width));
    return applyAffine(images, params, {
      fillMode: this.fillMode,
      cval: this.fillValue,
      interpolation: this.interpolation,
    });
  }

  override getConfig(): tf.serialization.ConfigDict {
    return {
      ...super.getConfig(),
      fillMode: this.fillMode,
      interpolation: this.interpolation,
      fillValue: this.fillValue,
    };
  }
}

const uniform = (rng: Rng, [lo, hi]: [number, number]) => lo + (hi - lo) * rng.next();

/** The axes `RandomFlip` flips along (Keras's `mode`). */
export type FlipMode = 'horizontal' | 'vertical' | 'horizontal_and_vertical';

/** Keras's `RandomFlip`: each image flipped with probability ½ along the chosen axes. */
export class RandomFlip extends AffineLayer {
  static className = 'RandomFlip';
  readonly mode: FlipMode;

  constructor(args: { mode?: FlipMode } & FillArgs = {}) {
    super(args);
    this.mode = args.mode ?? 'horizontal_and_vertical';
    if (!['horizontal', 'vertical', 'horizontal_and_vertical'].includes(this.mode)) {
      throw new InvalidOptionError('RandomFlip', 'mode', this.mode, 'horizontal, vertical, horizontal_and_vertical');
    }
  }

  protected draw(): AffineParams {
    return {
      ...identityParams,
      flipHorizontal: this.mode !== 'vertical' && this.rng.next() < 0.5,
      flipVertical: this.mode !== 'horizontal' && this.rng.next() < 0.5,
    };
  }

  override getConfig() {
    return { ...super.getConfig(), mode: this.mode };
  }
}

/** Keras's `RandomRotation`: `factor` is a fraction of a full turn; positive is counter-clockwise. */
export class RandomRotation extends AffineLayer {
  static className = 'RandomRotation';
  readonly factor: [number, number];

  constructor(args: { factor: Factor } & FillArgs) {
    super(args);
    this.factor = range('RandomRotation', 'factor', args.factor, 1);
  }

  protected draw(): AffineParams {
    return { ...identityParams, rotation: uniform(this.rng, this.factor) * 360 };
  }

  override getConfig() {
    return { ...super.getConfig(), factor: this.factor };
  }
}

/** Keras's `RandomZoom`: a factor in (−1, 1); positive zooms out, negative zooms in. */
export class RandomZoom extends AffineLayer {
  static className = 'RandomZoom';
  readonly heightFactor: [number, number];
  readonly widthFactor: [number, number] | null;

  constructor(args: { heightFactor: Factor; widthFactor?: Factor | null } & FillArgs) {
    super(args);
    this.heightFactor = range('RandomZoom', 'heightFactor', args.heightFactor, 0.99);
    this.widthFactor = args.widthFactor == null ? null : range('RandomZoom', 'widthFactor', args.widthFactor, 0.99);
  }

  protected draw(): AffineParams {
    const zoomY = 1 + uniform(this.rng, this.heightFactor);
    // Without a width factor the aspect ratio is kept, as in Keras.
    const zoomX = this.widthFactor ? 1 + uniform(this.rng, this.widthFactor) : zoomY;
    return { ...identityParams, zoomX, zoomY };
  }

  override getConfig() {
    return { ...super.getConfig(), heightFactor: this.heightFactor, widthFactor: this.widthFactor };
  }
}

/** Keras's `RandomTranslation`: shifts as fractions of the height and width. */
export class RandomTranslation extends AffineLayer {
  static className = 'RandomTranslation';
  readonly heightFactor: [number, number];
  readonly widthFactor: [number, number];

  constructor(args: { heightFactor: Factor; widthFactor: Factor } & FillArgs) {
    super(args);
    this.heightFactor = range('RandomTranslation', 'heightFactor', args.heightFactor, 1);
    this.widthFactor = range('RandomTranslation', 'widthFactor', args.widthFactor, 1);
  }

  protected draw(height: number, width: number): AffineParams {
    return {
      ...identityParams,
      shiftY: uniform(this.rng, this.heightFactor) * height,
      shiftX: uniform(this.rng, this.widthFactor) * width,
    };
  }

  override getConfig() {
    return { ...super.getConfig(), heightFactor: this.heightFactor, widthFactor: this.widthFactor };
  }
}

/**
 * Keras's `RandomContrast`: per image and channel, `(x − mean) · c + mean` with c drawn
 * from [1 − f, 1 + f], clipped to `valueRange`.
 */
export class RandomContrast extends RandomImageLayer {
  static className = 'RandomContrast';
  readonly factor: [number, number];
  readonly valueRange: [number, number];

  constructor(args: { factor: Factor; valueRange?: [number, number]; seed?: number; name?: string }) {
    super(args);
    const [lo, hi] = typeof args.factor === 'number' ? [args.factor, args.factor] : args.factor;
    if (!(lo >= 0 && hi >= 0 && lo <= 1 && Number.isFinite(hi))) {
      throw new InvalidOptionError(
        'RandomContrast',
        'factor',
        args.factor,
        'f or [lower, upper], each >= 0, lower <= 1',
      );
    }
    this.factor = [1 - lo, 1 + hi];
    this.valueRange = args.valueRange ?? [0, 255];
  }

  protected augment(images: tf.Tensor4D) {
    const batch = images.shape[0];
    const c = Array.from({ length: batch }, () => uniform(this.rng, this.factor));
    return tf.tidy(() => {
      const mean = tf.mean(images, [1, 2], true);
      const out = tf.add(tf.mul(tf.sub(images, mean), tf.tensor4d(c, [batch, 1, 1, 1])), mean);
      return tf.clipByValue(out, this.valueRange[0], this.valueRange[1]);
    });
  }

  override getConfig() {
    return {
      ...super.getConfig(),
      factor: [1 - (this.factor[0] as number), (this.factor[1] as number) - 1],
      valueRange: this.valueRange,
    };
  }
}

/** The Keras-style augmentation layer classes, registered for model serialisation. */
export const augmentationLayers = [RandomFlip, RandomRotation, RandomZoom, RandomTranslation, RandomContrast];

let registered = false;

/** Registers the layers with tfjs's serialisation, so a saved model holding them loads back. */
export function registerAugmentationLayers() {
  if (registered) return;
  registered = true;
  for (const layer of augmentationLayers)
    tf.serialization.registerClass(layer as unknown as tf.serialization.SerializableConstructor<tfl.layers.Layer>);
}
