import type { Rng } from '@neurona/core';
import { InvalidInputError, InvalidOptionError } from '@neurona/core';
import type { RawImages } from './scale.js';

/** Options of `trainValidationSplit`: the validation share and the seed source. */
export interface SplitOptions {
  /** Share of the rows held out for validation, in (0, 1). */
  validationFraction: number;
  /** Shuffles before splitting; the same seed gives the same split. */
  rng: Rng;
}

/** The row indices of a training / validation split. */
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
    throw new InvalidOptionError(
      'trainValidationSplit',
      'validationFraction',
      validationFraction,
      'a number in (0, 1)',
    );
  }
  if (!Number.isInteger(count) || count < 2) {
    throw new InvalidInputError('trainValidationSplit', 'count', `cannot split ${count} rows; at least 2 are needed`);
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
    if (!(r >= 0 && r < set.count))
      throw new InvalidInputError('takeRows', 'rows', `row ${r} is outside 0..${set.count - 1}`);
    images.set(set.images.subarray(r * size, (r + 1) * size), i * size);
    labels[i] = set.labels[r] as number;
  }
  return { ...set, images, labels, count: rows.length };
}

/** A share of the rows (in (0, 1)) or a number of rows (an integer ≥ 1). */
export type PartSize = number;

/** Options of `trainValidationTestSplit`: the two held-out parts, the seed source, and labels to stratify by. */
export interface ThreeWaySplitOptions {
  validation: PartSize;
  test: PartSize;
  rng: Rng;
  /** Class labels: each class is split in the same proportions (as scikit-learn's `stratify`). */
  stratify?: ArrayLike<number>;
}

/** The row indices of a training / validation / test split. */
export interface ThreeWaySplit {
  train: Int32Array;
  validation: Int32Array;
  test: Int32Array;
}

function partCount(name: string, size: PartSize, count: number): number {
  if (size > 0 && size < 1) return Math.round(count * size);
  if (Number.isInteger(size) && size >= 0 && size < count) return size;
  throw new InvalidOptionError(
    'trainValidationTestSplit',
    name,
    size,
    `a fraction in (0, 1) or a row count in [0, ${count})`,
  );
}

/**
 * A seeded train/validation/test split by fraction or count, optionally stratified, as
 * indices (book ch. 9–10: train, validation and test sets). With `stratify`, fractions
 * are applied within each class and counts are shared out in proportion to the classes.
 *
 * @example
 * ```ts
 * const { train, validation, test } = trainValidationTestSplit(rows.length, {
 *   validation: 0.2,
 *   test: 0.2,
 *   rng: createRng(42),
 *   stratify: labels, // each class split in the same proportions
 * });
 * ```
 */
export function trainValidationTestSplit(count: number, options: ThreeWaySplitOptions): ThreeWaySplit {
  const { rng, stratify } = options;
  const nValidation = partCount('validation', options.validation, count);
  const nTest = partCount('test', options.test, count);
  if (nValidation + nTest >= count) {
    throw new InvalidInputError(
      'trainValidationTestSplit',
      'count',
      `${nValidation} validation + ${nTest} test rows leave none of ${count} to train on`,
    );
  }
  if (!stratify) {
    const order = rng.permutation(count);
    return {
      test: order.slice(0, nTest),
      validation: order.slice(nTest, nTest + nValidation),
      train: order.slice(nTest + nValidation),
    };
  }
  if (stratify.length !== count)
    throw new InvalidInputError(
      'trainValidationTestSplit',
      'stratify',
      `stratify has ${stratify.length} labels for ${count} rows`,
    );
  const byClass = new Map<number, number[]>();
  for (let i = 0; i < count; i++) {
    const c = stratify[i] as number;
    const rows = byClass.get(c) ?? [];
    rows.push(i);
    byClass.set(c, rows);
  }
  const parts = { train: [] as number[], validation: [] as number[], test: [] as number[] };
  // Largest-remainder shares, so the totals are exactly nTest and nValidation.
  const classes = [...byClass.keys()].sort((a, b) => a - b);
  const share = (total: number) => {
    const exact = classes.map((c) => ((byClass.get(c)?.length ?? 0) * total) / count);
    const floor = exact.map(Math.floor);
    let left = total - floor.reduce((a, b) => a + b, 0);
    const order = exact.map((e, i) => [e - Math.floor(e), i] as const).sort((a, b) => b[0] - a[0]);
    for (const [, i] of order) {
      if (left <= 0) break;
      floor[i] = (floor[i] as number) + 1;
      left -= 1;
    }
    return floor;
  };
  const testShares = share(nTest);
  const validationShares = share(nValidation);
  classes.forEach((c, k) => {
    const rows = rng.shuffle(byClass.get(c) ?? []);
    const t = testShares[k] as number;
    const v = validationShares[k] as number;
    parts.test.push(...rows.slice(0, t));
    parts.validation.push(...rows.slice(t, t + v));
    parts.train.push(...rows.slice(t + v));
  });
  return {
    train: Int32Array.from(rng.shuffle(parts.train)),
    validation: Int32Array.from(rng.shuffle(parts.validation)),
    test: Int32Array.from(rng.shuffle(parts.test)),
  };
}

/**
 * Keras `class_weight` for unbalanced classes, scikit-learn's 'balanced' rule:
 * `n / (numClasses · count(c))`. A class with no example is an error.
 */
export function classWeights(labels: ArrayLike<number>, numClasses: number): Record<number, number> {
  const counts = new Array<number>(numClasses).fill(0);
  for (let i = 0; i < labels.length; i++) {
    const label = labels[i] as number;
    if (!Number.isInteger(label) || label < 0 || label >= numClasses) {
      throw new InvalidInputError(
        'classWeights',
        'labels',
        `label ${label} at index ${i} is outside 0..${numClasses - 1}`,
      );
    }
    counts[label] = (counts[label] as number) + 1;
  }
  const weights: Record<number, number> = {};
  counts.forEach((n, c) => {
    if (n === 0) throw new InvalidInputError('classWeights', 'labels', `class ${c} has no example`);
    weights[c] = labels.length / (numClasses * n);
  });
  return weights;
}
