import { InvalidOptionError } from '@neurona/core';

/** How points outside the input are filled, as `tf.image.transform` and Keras name them. */
export const fillModes = ['nearest', 'constant', 'reflect', 'wrap'] as const;
/** How pixels moved in from outside the image are filled: one of `fillModes` (Keras's `fill_mode`). */
export type FillMode = (typeof fillModes)[number];

/** The options of Keras's `ImageDataGenerator` that change pixels, with its names in camelCase. */
export interface AugmentOptions {
  /** Degrees, in [0, 360]: rotation drawn from [−r, r]. */
  rotationRange?: number;
  /** A fraction of the width (< 1) or pixels (≥ 1): shift drawn from [−r, r]. */
  widthShiftRange?: number;
  heightShiftRange?: number;
  /** Degrees, in [0, 90): shear angle drawn from [−r, r]. */
  shearRange?: number;
  /** `z` for [1 − z, 1 + z], or `[lower, upper]`; each axis is drawn on its own, as Keras does. */
  zoomRange?: number | [number, number];
  horizontalFlip?: boolean;
  verticalFlip?: boolean;
  /** `[lower, upper]`: pixel values multiplied by a factor drawn from it, clipped to `valueRange`. */
  brightnessRange?: [number, number];
  /** One offset drawn from [−r, r] added to every channel, clipped to the image's own range. */
  channelShiftRange?: number;
  /** Default `'nearest'`, as Keras. */
  fillMode?: FillMode;
  /** Fill value for `'constant'`. Default 0. */
  cval?: number;
  /** Default `'bilinear'` (Keras's order-1 spline). */
  interpolation?: 'bilinear' | 'nearest';
  /** Multiplier applied last, after every transform (Keras's `rescale`). */
  rescale?: number;
  /** Range of pixel values before `rescale`, for clipping brightness. Default [0, 255]. */
  valueRange?: [number, number];
}

/** `AugmentOptions` with every default filled in and every range as `[low, high]`: what the transforms read. */
export type ResolvedOptions = Required<Omit<AugmentOptions, 'zoomRange' | 'brightnessRange'>> & {
  zoomRange: [number, number];
  brightnessRange: [number, number] | undefined;
};

function fail(name: string, value: unknown, allowed: string): never {
  throw new InvalidOptionError('augmentation', name, value, allowed);
}

function finiteIn(name: string, value: number, min: number, max: number, maxExclusive = false) {
  const ok = Number.isFinite(value) && value >= min && (maxExclusive ? value < max : value <= max);
  if (!ok) fail(name, value, `a number in [${min}, ${max}${maxExclusive ? ')' : ']'}`);
}

/** Checks every option before any image is touched, naming the option, the value and what is allowed. */
export function resolveOptions(options: AugmentOptions): ResolvedOptions {
  const known = new Set([
    'rotationRange',
    'widthShiftRange',
    'heightShiftRange',
    'shearRange',
    'zoomRange',
    'horizontalFlip',
    'verticalFlip',
    'brightnessRange',
    'channelShiftRange',
    'fillMode',
    'cval',
    'interpolation',
    'rescale',
    'valueRange',
  ]);
  for (const key of Object.keys(options)) {
    if (!known.has(key)) fail(key, (options as Record<string, unknown>)[key], `one of ${[...known].join(', ')}`);
  }
  const {
    rotationRange = 0,
    widthShiftRange = 0,
    heightShiftRange = 0,
    shearRange = 0,
    zoomRange = 0,
    horizontalFlip = false,
    verticalFlip = false,
    brightnessRange,
    channelShiftRange = 0,
    fillMode = 'nearest',
    cval = 0,
    interpolation = 'bilinear',
    rescale = 1,
    valueRange = [0, 255],
  } = options;
  finiteIn('rotationRange', rotationRange, 0, 360);
  for (const [name, value] of [
    ['widthShiftRange', widthShiftRange],
    ['heightShiftRange', heightShiftRange],
  ] as const) {
    if (!(Number.isFinite(value) && value >= 0 && (value < 1 || Number.isInteger(value)))) {
      fail(name, value, 'a fraction in [0, 1) or a whole number of pixels');
    }
  }
  finiteIn('shearRange', shearRange, 0, 90, true);
  let zoom: [number, number];
  if (typeof zoomRange === 'number') {
    finiteIn('zoomRange', zoomRange, 0, 1, true);
    zoom = [1 - zoomRange, 1 + zoomRange];
  } else {
    const [lo, hi] = zoomRange;
    if (!(lo > 0 && hi >= lo && Number.isFinite(hi)))
      fail('zoomRange', zoomRange, 'a number in [0, 1) or [lower, upper] with 0 < lower <= upper');
    zoom = [lo, hi];
  }
  if (brightnessRange !== undefined) {
    const [lo, hi] = brightnessRange;
    if (!(lo >= 0 && hi >= lo && Number.isFinite(hi)))
      fail('brightnessRange', brightnessRange, '[lower, upper] with 0 <= lower <= upper');
  }
  if (!(Number.isFinite(channelShiftRange) && channelShiftRange >= 0))
    fail('channelShiftRange', channelShiftRange, 'a number >= 0');
  if (!(fillModes as readonly string[]).includes(fillMode)) fail('fillMode', fillMode, fillModes.join(', '));
  if (!Number.isFinite(cval)) fail('cval', cval, 'a finite number');
  if (interpolation !== 'bilinear' && interpolation !== 'nearest')
    fail('interpolation', interpolation, 'bilinear, nearest');
  if (!(Number.isFinite(rescale) && rescale !== 0)) fail('rescale', rescale, 'a finite number other than 0');
  if (!(valueRange[0] < valueRange[1])) fail('valueRange', valueRange, '[min, max] with min < max');
  return {
    rotationRange,
    widthShiftRange,
    heightShiftRange,
    shearRange,
    zoomRange: zoom,
    horizontalFlip,
    verticalFlip,
    brightnessRange,
    channelShiftRange,
    fillMode,
    cval,
    interpolation,
    rescale,
    valueRange,
  };
}
