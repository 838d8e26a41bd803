import * as tf from '@tensorflow/tfjs';
import { History } from './callbacks/history.js';
import type { Logs, TrainingCallback, TrainingContext } from './callbacks/types.js';
import type { Rng } from './random.js';
import { eventLoopYielder } from './yield.js';

export interface FitOptions {
  epochs: number;
  batchSize: number;
  /** Shuffles the training rows before every epoch; required so runs repeat exactly. */
  rng: Rng;
  /** Held-out rows evaluated after every epoch, logged as `val_*`. */
  validationData?: [tf.Tensor, tf.Tensor];
  /** Default true. */
  shuffle?: boolean;
  callbacks?: TrainingCallback[];
  /**
   * Transforms each training batch's `x` before the step (data augmentation, book ch. 11),
   * inside a tidy: return a new tensor; validation data is never transformed.
   */
  transformBatch?: (x: tf.Tensor) => tf.Tensor;
}

// tfjs names the accuracy metric `acc`; Keras (and the book) print `accuracy`.
const kerasName = (name: string) => (name === 'acc' ? 'accuracy' : name);

function positiveInteger(name: string, value: number) {
  if (!Number.isInteger(value) || value <= 0) {
    throw new Error(`fit: option '${name}' is ${value}; allowed: an integer > 0`);
  }
}

async function scalars(result: tf.Scalar | tf.Scalar[]): Promise<number[]> {
  const list = Array.isArray(result) ? result : [result];
  const values = await Promise.all(list.map(async (t) => (await t.data())[0] as number));
  tf.dispose(list);
  return values;
}

/**
 * Trains a compiled model on tensors, the way Keras's `model.fit` does, with seeded
 * shuffling and Neurona callbacks. The caller keeps ownership of `x`, `y` and the
 * validation tensors; `fit` frees every tensor it makes. Returns the run's History.
 */
export async function fit(model: tf.LayersModel, x: tf.Tensor, y: tf.Tensor, options: FitOptions): Promise<History> {
  const { epochs, batchSize, rng, validationData, shuffle = true, callbacks = [], transformBatch } = options;
  positiveInteger('epochs', epochs);
  positiveInteger('batchSize', batchSize);
  const n = x.shape[0] ?? 0;
  if (n === 0) throw new Error('fit: the training set is empty');
  if (y.shape[0] !== n) throw new Error(`fit: x has ${n} rows but y has ${y.shape[0]}`);
  if (!model.optimizer) throw new Error('fit: compile the model before training it');

  const history = new History();
  const all: TrainingCallback[] = [...callbacks, history];
  const stepsPerEpoch = Math.ceil(n / batchSize);
  const names = model.metricsNames.map(kerasName);
  let stop = false;
  let step = 0;
  const yieldNow = eventLoopYielder();
  const context: TrainingContext = {
    model,
    epochs,
    stepsPerEpoch,
    get step() {
      return step;
    },
    stopTraining: () => {
      stop = true;
    },
  };

  for (const cb of all) await cb.onTrainBegin?.(context);
  try {
    for (let epoch = 0; epoch < epochs && !stop; epoch++) {
      for (const cb of all) await cb.onEpochBegin?.(epoch, context);
      const order = shuffle ? rng.permutation(n) : Int32Array.from({ length: n }, (_, i) => i);
      const sums = new Array<number>(names.length).fill(0);
      let seen = 0;
      for (let batch = 0; batch < stepsPerEpoch; batch++) {
        for (const cb of all) await cb.onBatchBegin?.(batch, context);
        const rows = order.subarray(batch * batchSize, Math.min(n, (batch + 1) * batchSize));
        const [xs, ys] = tf.tidy(() => {
          const index = tf.tensor1d(rows, 'int32');
          const xb = tf.gather(x, index);
          return [transformBatch ? transformBatch(xb) : xb, tf.gather(y, index)];
        });
        let values: number[];
        try {
          const out = await model.trainOnBatch(xs as tf.Tensor, ys as tf.Tensor);
          values = Array.isArray(out) ? out : [out];
        } finally {
          tf.dispose([xs as tf.Tensor, ys as tf.Tensor]);
        }
        step += 1;
        seen += rows.length;
        const logs: Logs = {};
        names.forEach((name, i) => {
          sums[i] = (sums[i] as number) + (values[i] as number) * rows.length;
          logs[name] = (sums[i] as number) / seen;
        });
        for (const cb of all) await cb.onBatchEnd?.(batch, logs, context);
        await yieldNow();
      }
      const logs: Logs = {};
      names.forEach((name, i) => {
        logs[name] = (sums[i] as number) / seen;
      });
      if (validationData) {
        const validation = await evaluate(model, validationData[0], validationData[1], { batchSize });
        for (const name of names) logs[`val_${name}`] = validation[name] as number;
      }
      for (const cb of all) await cb.onEpochEnd?.(epoch, logs, context);
    }
  } finally {
    for (const cb of all) await cb.onTrainEnd?.(context);
  }
  return history;
}

/**
 * Evaluates a compiled model and returns its figures by Keras name (`loss`, `accuracy`).
 * Runs a batch at a time and awaits each, so a large test set never blocks the event loop;
 * the figures are the means over all rows, as Keras reports them.
 */
export async function evaluate(
  model: tf.LayersModel,
  x: tf.Tensor,
  y: tf.Tensor,
  options: { batchSize?: number } = {},
): Promise<Logs> {
  const batchSize = options.batchSize ?? 32;
  positiveInteger('batchSize', batchSize);
  const n = x.shape[0] ?? 0;
  if (n === 0) throw new Error('evaluate: no rows to evaluate');
  if (y.shape[0] !== n) throw new Error(`evaluate: x has ${n} rows but y has ${y.shape[0]}`);
  const names = model.metricsNames.map(kerasName);
  const sums = new Array<number>(names.length).fill(0);
  const yieldNow = eventLoopYielder();
  for (let start = 0; start < n; start += batchSize) {
    const size = Math.min(batchSize, n - start);
    const values = await scalars(
      tf.tidy(() => model.evaluate(x.slice(start, size), y.slice(start, size), { batchSize: size })) as
        | tf.Scalar
        | tf.Scalar[],
    );
    values.forEach((v, i) => {
      sums[i] = (sums[i] as number) + v * size;
    });
    await yieldNow();
  }
  const logs: Logs = {};
  names.forEach((name, i) => {
    logs[name] = (sums[i] as number) / n;
  });
  return logs;
}
