import { createRng, InvalidOptionError } from '@neurona/core';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { type AffineParams, applyAffine, augmentImages, identityParams } from '../src/index.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

type Fill = 'constant' | 'nearest' | 'reflect' | 'wrap';

/** An image whose every pixel is distinct: value = 10·row + column. */
function grid(h: number, w: number) {
  return Array.from({ length: h }, (_, y) => Array.from({ length: w }, (_, x) => 10 * y + x));
}

/** Where an index outside [0, n) reads from, per fill mode, as tf.image.transform documents it. */
function fillIndex(i: number, n: number, mode: Fill): number | undefined {
  if (i >= 0 && i < n) return i;
  if (mode === 'constant') return undefined;
  if (mode === 'nearest') return Math.min(n - 1, Math.max(0, i));
  if (mode === 'wrap') return ((i % n) + n) % n;
  // reflect: (d c b a | a b c d | d c b a)
  const period = 2 * n;
  const j = ((i % period) + period) % period;
  return j < n ? j : period - 1 - j;
}

/** The expected image from a hand-derived output→input map, nearest sampling. */
function reference(img: number[][], inputOf: (x: number, y: number) => [number, number], mode: Fill, cval = -1) {
  const h = img.length;
  const w = img[0]?.length ?? 0;
  return img.map((row, y) =>
    row.map((_, x) => {
      const [xi, yi] = inputOf(x, y).map(Math.round) as [number, number];
      const xr = fillIndex(xi, w, mode);
      const yr = fillIndex(yi, h, mode);
      return xr === undefined || yr === undefined ? cval : (img[yr]?.[xr] as number);
    }),
  );
}

function apply(
  img: number[][],
  params: Partial<AffineParams>,
  mode: Fill,
  cval = -1,
  interpolation: 'nearest' | 'bilinear' = 'nearest',
) {
  const h = img.length;
  const w = img[0]?.length ?? 0;
  return tf.tidy(() => {
    const x = tf.tensor4d(img.flat(), [1, h, w, 1]);
    const out = applyAffine(x, [{ ...identityParams, ...params }], { fillMode: mode, cval, interpolation });
    return (out.reshape([h, w]).arraySync() as number[][]).map((r) => r.map((v) => Math.round(v * 1e4) / 1e4));
  });
}

describe('affine maps against a hand-derived inverse mapping', () => {
  const img = grid(5, 6);
  const cx = 2.5;
  const cy = 2;

  for (const mode of ['constant', 'nearest', 'reflect', 'wrap'] as Fill[]) {
    it(`shift right 2, down 1, fill ${mode}`, () => {
      expect(apply(img, { shiftX: 2, shiftY: 1 }, mode)).toEqual(reference(img, (x, y) => [x - 2, y - 1], mode));
    });
  }

  for (const mode of ['constant', 'nearest', 'reflect'] as Fill[]) {
    // tfjs (like TF) wraps a fractional coordinate just past the last pixel by the period
    // len − 1 before rounding, so wrap is checked on whole-pixel shifts only.
    it(`zoom 1.7 (shrink), fill ${mode}`, () => {
      // input = centre + 1.7 · (output − centre); 1.7 avoids rounding ties (x.5) on this grid.
      expect(apply(img, { zoomX: 1.7, zoomY: 1.7 }, mode)).toEqual(
        reference(img, (x, y) => [cx + 1.7 * (x - cx), cy + 1.7 * (y - cy)], mode),
      );
    });
  }

  it('horizontal and vertical flips', () => {
    expect(apply(img, { flipHorizontal: true }, 'constant')).toEqual(img.map((row) => [...row].reverse()));
    expect(apply(img, { flipVertical: true }, 'constant')).toEqual([...img].reverse());
  });

  it('shear of 20°: x reads cos φ·x, y reads y − sin φ·x, about the centre', () => {
    const phi = (20 * Math.PI) / 180;
    expect(apply(img, { shear: 20 }, 'reflect')).toEqual(
      reference(img, (x, y) => [cx + Math.cos(phi) * (x - cx), cy + (y - cy) - Math.sin(phi) * (x - cx)], 'reflect'),
    );
  });

  it('rotation of 30° counter-clockwise', () => {
    const t = (30 * Math.PI) / 180;
    const inputOf = (x: number, y: number): [number, number] => [
      cx + Math.cos(t) * (x - cx) - Math.sin(t) * (y - cy),
      cy + Math.sin(t) * (x - cx) + Math.cos(t) * (y - cy),
    ];
    expect(apply(img, { rotation: 30 }, 'constant')).toEqual(reference(img, inputOf, 'constant'));
  });
});

describe('identities', () => {
  it('a 90° rotation of a square image is a transpose then a vertical flip', () => {
    const sq = grid(5, 5);
    const transposed = sq.map((row, y) => row.map((_, x) => sq[x]?.[y] as number));
    const expected = [...transposed].reverse();
    expect(apply(sq, { rotation: 90 }, 'constant')).toEqual(expected);
    expect(apply(sq, { rotation: 90 }, 'constant', -1, 'bilinear')).toEqual(expected);
  });

  it('a horizontal flip twice is the identity', () => {
    const img = grid(4, 7);
    const once = apply(img, { flipHorizontal: true }, 'constant');
    expect(apply(once, { flipHorizontal: true }, 'constant')).toEqual(img);
  });

  it('zero ranges return the input exactly, and nothing leaks', () => {
    const before = tf.memory().numTensors;
    const x = tf.randomUniform([3, 8, 9, 3], 0, 255, 'float32', 7);
    const out = augmentImages(x, { rotationRange: 0, widthShiftRange: 0, zoomRange: 0 }, createRng(1));
    expect(Array.from(out.dataSync())).toEqual(Array.from(x.dataSync()));
    tf.dispose([x, out]);
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe('augmentImages', () => {
  const options = {
    rotationRange: 40,
    widthShiftRange: 0.2,
    heightShiftRange: 0.2,
    shearRange: 20,
    zoomRange: 0.2,
    horizontalFlip: true,
    fillMode: 'nearest' as const,
  };

  it('gives the same batch for the same seed and another for another seed', () => {
    const x = tf.randomUniform([4, 16, 16, 3], 0, 255, 'float32', 3);
    const a = augmentImages(x, options, createRng(5));
    const b = augmentImages(x, options, createRng(5));
    const c = augmentImages(x, options, createRng(6));
    expect(Array.from(b.dataSync())).toEqual(Array.from(a.dataSync()));
    expect(Array.from(c.dataSync())).not.toEqual(Array.from(a.dataSync()));
    expect(a.shape).toEqual([4, 16, 16, 3]);
    tf.dispose([x, a, b, c]);
  });

  it('applies brightness, channel shift and rescale after the affine map', () => {
    const x = tf.tensor4d([10, 20, 30, 200], [1, 2, 2, 1]);
    const bright = augmentImages(x, { brightnessRange: [2, 2], rescale: 1 / 255 }, createRng(1));
    expect(Array.from(bright.dataSync()).map((v) => Math.round(v * 255))).toEqual([20, 40, 60, 255]);
    const shifted = augmentImages(x, { channelShiftRange: 50 }, createRng(1));
    const values = Array.from(shifted.dataSync());
    const d = (values[0] as number) - 10;
    expect(Math.abs(d)).toBeLessThanOrEqual(50);
    // One offset for the whole image, clipped to the image's own range [10, 200].
    expect(values).toEqual([10, 20, 30, 200].map((v) => Math.min(200, Math.max(10, v + d))));
    tf.dispose([x, bright, shifted]);
  });

  it('refuses bad options and bad images before touching a pixel, naming them', () => {
    const x = tf.zeros([1, 4, 4, 3]);
    const rng = createRng(1);
    expect(() => augmentImages(x, { rotationRange: 400 }, rng)).toThrow(
      "augmentation: option 'rotationRange' is 400; allowed: a number in [0, 360]",
    );
    expect(() => augmentImages(x, { zoomRange: -0.2 }, rng)).toThrow("option 'zoomRange' is -0.2");
    expect(() => augmentImages(x, { fillMode: 'mirror' as 'wrap' }, rng)).toThrow(
      "augmentation: option 'fillMode' is 'mirror'; allowed: nearest, constant, reflect, wrap",
    );
    const refused = (() => {
      try {
        augmentImages(x, { shearRange: 95 }, rng);
      } catch (error) {
        return error;
      }
    })();
    expect(InvalidOptionError.isInstance(refused) && [refused.option, refused.value]).toEqual(['shearRange', 95]);
    expect(() => augmentImages(x, { widthShiftRange: 1.5 }, rng)).toThrow(
      "option 'widthShiftRange' is 1.5; allowed: a fraction in [0, 1) or a whole number of pixels",
    );
    expect(() => augmentImages(x, { rotation: 10 } as never, rng)).toThrow(
      "augmentation: option 'rotation' is 10; allowed: one of",
    );
    const flat = tf.zeros([4, 4, 3]);
    const twoChannels = tf.zeros([1, 4, 4, 2]);
    expect(() => augmentImages(flat, {}, rng)).toThrow(
      'augmentImages: images must be [batch, height, width, channels] with 1, 3 or 4 channels; got [4, 4, 3]',
    );
    expect(() => augmentImages(twoChannels, {}, rng)).toThrow('got [1, 4, 4, 2]');
    tf.dispose([x, flat, twoChannels]);
  });
});
