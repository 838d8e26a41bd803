import { InvalidInputError, InvalidOptionError, isMarked, NeuronaError } from '@neurona/errors';
import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { History } from './callbacks/history.js';
import type { Logs, TrainingCallback, TrainingContext } from './callbacks/types.js';
import type { LoopPosition, TrainingState } from './checkpoint/training-state.js';
import { captureTrainingState, disposeTrainingState, restoreTrainingState } from './checkpoint/training-state.js';
import type { Rng } from './random.js';
import { eventLoopYielder } from './yield.js';

/**
 * Options of `fit`, as Keras's `model.fit`: epochs, batch size, the seeded shuffle, validation
 * data, callbacks, checkpoints.
 */
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
  /**
   * Goes on from a checkpoint (from `checkpoint.save` or `loadCheckpoint`) of a run with the
   * same model, data, seed and callbacks: restored before the first step, it ends with the
   * weights and history an uninterrupted run would. The state stays the caller's to free.
   */
  resumeFrom?: TrainingState;
  /** Where checkpoints go: `save` is awaited with the run's state (its tensors are freed after). */
  checkpoint?: {
    save(state: TrainingState): Promise<void>;
    /** Save after every this many epochs (and after the last). Default 1. */
    everyEpochs?: number;
    /** Kept with every checkpoint (a recipe's phase, a vocabulary). */
    extra?: Record<string, unknown>;
  };
  /**
   * Aborting it stops training after the current batch: a checkpoint of that moment is
   * saved (when `checkpoint` is given), and `fit` rejects with `TrainingInterruptedError`.
   */
  signal?: AbortSignal;
}

const TRAINING_INTERRUPTED_MARKER = Symbol.for('neurona.error.training-interrupted');

/** `fit` stopped because its signal was aborted; `checkpointSaved` says whether the moment was saved. */
export class TrainingInterruptedError extends NeuronaError {
  protected readonly [TRAINING_INTERRUPTED_MARKER] = true;

  constructor(
    readonly epoch: number,
    readonly batch: number,
    readonly checkpointSaved: boolean,
  ) {
    super(
      `training interrupted at epoch ${epoch + 1}, batch ${batch}` +
        (checkpointSaved ? '; a checkpoint of this moment was saved' : '; no checkpoint was asked for'),
    );
  }

  static override isInstance(error: unknown): error is TrainingInterruptedError {
    return isMarked(error, TRAINING_INTERRUPTED_MARKER);
  }
}

// tfjs names the accuracy metric `acc`; Keras (and the book) print `accuracy`.
const kerasName = (name: string) => (name === 'acc' ? 'accuracy' : name);

function positiveInteger(name: string, value: number) {
  if (!Number.isInteger(value) || value <= 0) {
    throw new InvalidOptionError('fit', name, value, 'an integer > 0');
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
 *
 * @example
 * ```ts
 * const model = tf.sequential({ layers: [tf.layers.dense({ inputShape: [4], units: 3, activation: 'softmax' })] });
 * model.compile({ optimizer: 'adam', loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
 * const history = await fit(model, x, y, {
 *   epochs: 20,
 *   batchSize: 32,
 *   rng: createRng(42),
 *   validationData: [xVal, yVal],
 *   callbacks: [new EarlyStopping({ patience: 3, restoreBestWeights: true })],
 * });
 * console.log(history.history.val_accuracy);
 * ```
 */
export async function fit(model: tfl.LayersModel, x: tf.Tensor, y: tf.Tensor, options: FitOptions): Promise<History> {
  const {
    epochs,
    batchSize,
    rng,
    validationData,
    shuffle = true,
    callbacks = [],
    transformBatch,
    resumeFrom,
    checkpoint,
    signal,
  } = options;
  positiveInteger('epochs', epochs);
  positiveInteger('batchSize', batchSize);
  const everyEpochs = checkpoint?.everyEpochs ?? 1;
  positiveInteger('checkpoint.everyEpochs', everyEpochs);
  const n = x.shape[0] ?? 0;
  if (n === 0) throw new InvalidInputError('fit', 'x', 'the training set is empty');
  if (y.shape[0] !== n) throw new InvalidInputError('fit', 'y', `x has ${n} rows but y has ${y.shape[0]}`);
  if (!model.optimizer) throw new InvalidInputError('fit', 'model', 'compile the model before training it');

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
  let firstEpoch = 0;
  // A checkpoint taken mid-epoch: the batch to go on with and the epoch's running sums.
  let partial: { batch: number; sums: number[]; seen: number } | undefined;
  if (resumeFrom) {
    if (resumeFrom.epoch > epochs) {
      throw new InvalidOptionError(
        'fit',
        'epochs',
        epochs,
        `at least ${resumeFrom.epoch}, the epoch of the checkpoint it resumes from`,
      );
    }
    if (resumeFrom.batch > 0 && resumeFrom.sums.length !== names.length) {
      throw new InvalidInputError(
        'fit',
        'resumeFrom',
        `the checkpoint logs ${resumeFrom.sums.length} figures, the model ${names.length}`,
      );
    }
    await restoreTrainingState(model, callbacks, resumeFrom);
    history.restore(resumeFrom.history);
    firstEpoch = resumeFrom.epoch;
    step = resumeFrom.step;
    stop = resumeFrom.stopped;
    if (resumeFrom.batch > 0) partial = { batch: resumeFrom.batch, sums: [...resumeFrom.sums], seen: resumeFrom.seen };
    // The stream as it stood when that epoch began: its shuffle is drawn again from there.
    rng.setState(resumeFrom.epochRng);
  }
  let epochRng = rng.state();
  const save = async (position: Omit<LoopPosition, 'rng' | 'epochRng' | 'history' | 'extra' | 'stopped'>) => {
    if (!checkpoint) return;
    const state = await captureTrainingState(model, callbacks, {
      ...position,
      stopped: stop,
      rng: rng.state(),
      epochRng,
      history: history.toJSON(),
      extra: checkpoint.extra ?? {},
    });
    try {
      await checkpoint.save(state);
    } finally {
      disposeTrainingState(state);
    }
  };
  try {
    for (let epoch = firstEpoch; epoch < epochs && !stop; epoch++) {
      epochRng = rng.state();
      for (const cb of all) await cb.onEpochBegin?.(epoch, context);
      const order = shuffle ? rng.permutation(n) : Int32Array.from({ length: n }, (_, i) => i);
      const resumed = epoch === firstEpoch ? partial : undefined;
      // Mid-epoch, the stream goes on from where it stood at the interrupt (augmentation draws from it).
      if (resumed && resumeFrom) rng.setState(resumeFrom.rng);
      const sums = resumed?.sums ?? new Array<number>(names.length).fill(0);
      let seen = resumed?.seen ?? 0;
      for (let batch = resumed?.batch ?? 0; batch < stepsPerEpoch; batch++) {
        if (signal?.aborted) {
          await save({ epoch, batch, step, sums, seen });
          throw new TrainingInterruptedError(epoch, batch, Boolean(checkpoint));
        }
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
      const done = epoch + 1;
      if (done % everyEpochs === 0 || done === epochs || stop) {
        epochRng = rng.state();
        await save({ epoch: done, batch: 0, step, sums: [], seen: 0 });
      }
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
  model: tfl.LayersModel,
  x: tf.Tensor,
  y: tf.Tensor,
  options: { batchSize?: number } = {},
): Promise<Logs> {
  const batchSize = options.batchSize ?? 32;
  positiveInteger('batchSize', batchSize);
  const n = x.shape[0] ?? 0;
  if (n === 0) throw new InvalidInputError('evaluate', 'x', 'no rows to evaluate');
  if (y.shape[0] !== n) throw new InvalidInputError('evaluate', 'y', `x has ${n} rows but y has ${y.shape[0]}`);
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
