import type { Rng } from '@neurona/core';
import type { RawImages } from './scale.js';

export interface SplitOptions {
  /** Share of the rows held out for validation, in (0, 1). */
  validationFraction: number;
  /** Shuffles before splitting; the same seed gives the same split. */
  rng: Rng;
}

export interface SplitIndices {
  train: Int32Array;
  validation: Int32Array;
}

/**
 * A seeded train/validation split of `count` rows, as indices (book ch. 9). The
 * validation part is `round(count * validationFraction)` rows, at least one.
 */
export function trainValidationSplit(count: number, options: SplitOptions): SplitIndices {
  const { validationFraction, rng } = options;
  if (!(validationFraction > 0 && validationFraction < 1)) {
    throw new Error(`trainValidationSplit: validationFraction is ${validationFraction}; allowed: a number in (0, 1)`);
  }
  if (!Number.isInteger(count) || count < 2) {
    throw new Error(`trainValidationSplit: cannot split ${count} rows; at least 2 are needed`);
  }
  const nValidation = Math.min(count - 1, Math.max(1, Math.round(count * validationFraction)));
  const order = rng.permutation(count);
  return { validation: order.slice(0, nValidation), train: order.slice(nValidation) };
}

/** The chosen rows of labelled raw images, copied; the input is not changed. */
export function takeRows<T extends RawImages & { labels: Uint8Array }>(set: T, rows: ArrayLike<number>): T {
  const size = set.height * set.width * set.channels;
  const images = new Uint8Array(rows.length * size);
  const labels = new Uint8Array(rows.length);
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i] as number;
    if (!(r >= 0 && r < set.count)) throw new Error(`takeRows: row ${r} is outside 0..${set.count - 1}`);
    images.set(set.images.subarray(r * size, (r + 1) * size), i * size);
    labels[i] = set.labels[r] as number;
  }
  return { ...set, images, labels, count: rows.length };
}
