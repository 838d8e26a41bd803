import { InvalidInputError, InvalidOptionError } from '@neurona/errors';
import type * as tf from '@tensorflow/tfjs-core';
import type { TrainingCallback, TrainingContext } from './types.js';

/** A learning rate as a function of the optimizer step, as Keras's `LearningRateSchedule`. */
export type LearningRateSchedule = (step: number) => number;

function positive(owner: string, name: string, value: number) {
  if (!(Number.isFinite(value) && value > 0)) {
    throw new InvalidOptionError(owner, name, value, 'a number > 0');
  }
}

/** Options of `exponentialDecay` and `inverseTimeDecay` (Keras's schedules of the same names). */
export interface DecayOptions {
  initialLearningRate: number;
  decaySteps: number;
  decayRate: number;
  /** Decay in whole steps of `decaySteps` (a staircase) instead of smoothly. */
  staircase?: boolean;
}

/** `lr = initial * decayRate ^ (step / decaySteps)`, as `keras.optimizers.schedules.ExponentialDecay`. */
export function exponentialDecay(options: DecayOptions): LearningRateSchedule {
  const { initialLearningRate, decaySteps, decayRate, staircase = false } = options;
  positive('exponentialDecay', 'initialLearningRate', initialLearningRate);
  positive('exponentialDecay', 'decaySteps', decaySteps);
  positive('exponentialDecay', 'decayRate', decayRate);
  return (step) => {
    const p = step / decaySteps;
    return initialLearningRate * decayRate ** (staircase ? Math.floor(p) : p);
  };
}

/**
 * `lr = initial / (1 + decayRate * step / decaySteps)`, as `InverseTimeDecay`. With
 * `decaySteps: 1` it is the `decay` argument of Keras's legacy SGD used in book ch. 8.
 */
export function inverseTimeDecay(options: DecayOptions): LearningRateSchedule {
  const { initialLearningRate, decaySteps, decayRate, staircase = false } = options;
  positive('inverseTimeDecay', 'initialLearningRate', initialLearningRate);
  positive('inverseTimeDecay', 'decaySteps', decaySteps);
  if (!(decayRate >= 0)) throw new InvalidOptionError('inverseTimeDecay', 'decayRate', decayRate, '>= 0');
  return (step) => {
    const p = step / decaySteps;
    return initialLearningRate / (1 + decayRate * (staircase ? Math.floor(p) : p));
  };
}

/** Options of `stepDecay`: the rate falls by `factor` every `stepSize` steps. */
export interface StepDecayOptions {
  initialLearningRate: number;
  /** Multiply the rate by `factor` every `stepSize` steps. */
  stepSize: number;
  factor: number;
}

/** Step decay: `lr = initial * factor ^ floor(step / stepSize)`. */
export function stepDecay(options: StepDecayOptions): LearningRateSchedule {
  const { initialLearningRate, stepSize, factor } = options;
  positive('stepDecay', 'initialLearningRate', initialLearningRate);
  positive('stepDecay', 'stepSize', stepSize);
  positive('stepDecay', 'factor', factor);
  return (step) => initialLearningRate * factor ** Math.floor(step / stepSize);
}

/** Sets an optimizer's learning rate, whichever tfjs optimizer it is. */
export function setLearningRate(optimizer: tf.Optimizer, learningRate: number) {
  const o = optimizer as tf.Optimizer & { setLearningRate?: (lr: number) => void; learningRate?: number };
  if (typeof o.setLearningRate === 'function') o.setLearningRate(learningRate);
  else if (typeof o.learningRate === 'number') o.learningRate = learningRate;
  else
    throw new InvalidInputError(
      'setLearningRate',
      'optimizer',
      `optimizer ${optimizer.getClassName()} has no learning rate to set`,
    );
}

/** The optimizer's current learning rate, or undefined where tfjs keeps it elsewhere. */
export function getLearningRate(optimizer: tf.Optimizer): number | undefined {
  const lr = (optimizer as unknown as { learningRate?: unknown }).learningRate;
  return typeof lr === 'number' ? lr : undefined;
}

/** Options of `LearningRateScheduler`: whether the schedule steps per batch or per epoch. */
export interface LearningRateSchedulerOptions {
  /**
   * `'batch'` (default) steps the schedule per optimizer step, as Keras optimizers do; `'epoch'`
   * per epoch, as Keras's `LearningRateScheduler` callback.
   */
  per?: 'batch' | 'epoch';
}

/** Applies a schedule to the model's optimizer before each batch or epoch. */
export class LearningRateScheduler implements TrainingCallback {
  /** The rate set most recently. */
  current = Number.NaN;
  private readonly per: 'batch' | 'epoch';

  constructor(
    private readonly schedule: LearningRateSchedule,
    options: LearningRateSchedulerOptions = {},
  ) {
    this.per = options.per ?? 'batch';
    if (this.per !== 'batch' && this.per !== 'epoch') {
      throw new InvalidOptionError('LearningRateScheduler', 'per', this.per, "'batch', 'epoch'");
    }
  }

  private apply(index: number, context: TrainingContext) {
    this.current = this.schedule(index);
    setLearningRate(context.model.optimizer, this.current);
  }

  onEpochBegin(epoch: number, context: TrainingContext) {
    if (this.per === 'epoch') this.apply(epoch, context);
  }

  onBatchBegin(_batch: number, context: TrainingContext) {
    if (this.per === 'batch') this.apply(context.step, context);
  }
}
