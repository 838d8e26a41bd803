import { InvalidInputError, InvalidOptionError } from '@neurona/core';
import * as tf from '@tensorflow/tfjs-core';

function check2d(owner: string, x: tf.Tensor): asserts x is tf.Tensor2D {
  if (x.rank !== 2)
    throw new InvalidInputError(owner, 'x', `expected a [rows, features] tensor, got shape [${x.shape.join(', ')}]`);
}

function checkWidth(owner: string, x: tf.Tensor2D, features: number) {
  if (x.shape[1] !== features) {
    throw new InvalidInputError(owner, 'x', `fitted on ${features} features, got a tensor with ${x.shape[1]}`);
  }
}

/** A fitted `StandardScaler` as JSON: each column's mean and standard deviation. */
export interface StandardScalerJSON {
  kind: 'StandardScaler';
  mean: number[];
  std: number[];
}

/**
 * Per-feature standardisation, `(x − mean) / std`, as the book does for Auto MPG (ch. 9)
 * and scikit-learn's `StandardScaler`: population std, a constant feature divided by 1.
 * Its statistics serialise to JSON so a saved model and its scaler travel together.
 *
 * @example
 * ```ts
 * const scaler = StandardScaler.fit(xTrain); // means and deviations of the training rows only
 * const scaled = scaler.transform(xTest);
 * localStorage.setItem('scaler', JSON.stringify(scaler)); // StandardScaler.fromJSON(...) restores it
 * ```
 */
export class StandardScaler {
  private constructor(
    readonly mean: number[],
    readonly std: number[],
  ) {}

  static fit(x: tf.Tensor): StandardScaler {
    check2d('StandardScaler.fit', x);
    if (x.shape[0] === 0) throw new InvalidInputError('StandardScaler.fit', 'x', 'no rows to fit on');
    const [mean, variance] = tf.tidy(() => {
      const m = tf.moments(x, 0);
      return [m.mean.arraySync() as number[], m.variance.arraySync() as number[]];
    });
    return new StandardScaler(
      mean,
      variance.map((v) => (v > 0 ? Math.sqrt(v) : 1)),
    );
  }

  static fromJSON(json: StandardScalerJSON): StandardScaler {
    if (json?.kind !== 'StandardScaler' || json.mean.length !== json.std.length || json.std.some((s) => !(s > 0))) {
      throw new InvalidInputError(
        'StandardScaler.fromJSON',
        'json',
        'not a StandardScaler (kind, mean and std of one length, std > 0)',
      );
    }
    return new StandardScaler([...json.mean], [...json.std]);
  }

  /** A new tensor; the caller disposes it. */
  transform(x: tf.Tensor): tf.Tensor2D {
    check2d('StandardScaler.transform', x);
    checkWidth('StandardScaler.transform', x, this.mean.length);
    return tf.tidy(() => tf.div(tf.sub(x, tf.tensor1d(this.mean)), tf.tensor1d(this.std)));
  }

  inverseTransform(x: tf.Tensor): tf.Tensor2D {
    check2d('StandardScaler.inverseTransform', x);
    checkWidth('StandardScaler.inverseTransform', x, this.mean.length);
    return tf.tidy(() => tf.add(tf.mul(x, tf.tensor1d(this.std)), tf.tensor1d(this.mean)));
  }

  toJSON(): StandardScalerJSON {
    return { kind: 'StandardScaler', mean: [...this.mean], std: [...this.std] };
  }
}

/** A fitted `MinMaxScaler` as JSON: each column's minimum and maximum. */
export interface MinMaxScalerJSON {
  kind: 'MinMaxScaler';
  min: number[];
  max: number[];
  range: [number, number];
}

/** Per-feature scaling of [min, max] to `range` (default [0, 1]), as scikit-learn's `MinMaxScaler`. */
export class MinMaxScaler {
  private constructor(
    readonly min: number[],
    readonly max: number[],
    readonly range: [number, number],
  ) {}

  static fit(x: tf.Tensor, options: { range?: [number, number] } = {}): MinMaxScaler {
    check2d('MinMaxScaler.fit', x);
    if (x.shape[0] === 0) throw new InvalidInputError('MinMaxScaler.fit', 'x', 'no rows to fit on');
    const range = options.range ?? [0, 1];
    if (!(range[0] < range[1]))
      throw new InvalidOptionError('MinMaxScaler.fit', 'range', range, '[low, high] with low < high');
    const [min, max] = tf.tidy(() => [tf.min(x, 0).arraySync() as number[], tf.max(x, 0).arraySync() as number[]]);
    return new MinMaxScaler(min, max, range);
  }

  static fromJSON(json: MinMaxScalerJSON): MinMaxScaler {
    if (json?.kind !== 'MinMaxScaler' || json.min.length !== json.max.length) {
      throw new InvalidInputError(
        'MinMaxScaler.fromJSON',
        'json',
        'not a MinMaxScaler (kind, min and max of one length)',
      );
    }
    return new MinMaxScaler([...json.min], [...json.max], [...json.range] as [number, number]);
  }

  transform(x: tf.Tensor): tf.Tensor2D {
    check2d('MinMaxScaler.transform', x);
    checkWidth('MinMaxScaler.transform', x, this.min.length);
    const span = this.max.map((hi, i) => hi - (this.min[i] as number) || 1);
    const [lo, hi] = this.range;
    return tf.tidy(() => tf.add(tf.mul(tf.div(tf.sub(x, tf.tensor1d(this.min)), tf.tensor1d(span)), hi - lo), lo));
  }

  toJSON(): MinMaxScalerJSON {
    return { kind: 'MinMaxScaler', min: [...this.min], max: [...this.max], range: [...this.range] };
  }
}
