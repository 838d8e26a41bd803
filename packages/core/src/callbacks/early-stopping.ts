import { InvalidOptionError } from '@neurona/errors';
import * as tf from '@tensorflow/tfjs-core';
import type { CallbackState, StatefulCallback } from '../checkpoint/training-state.js';
import type { MonitorMode } from './monitor.js';
import { isImprovement, readMonitored, resolveMode, validateMonitorOptions } from './monitor.js';
import type { Logs, TrainingContext } from './types.js';

/** Options of `EarlyStopping`, as Keras's: the figure to watch, patience, minimum change, best weights. */
export interface EarlyStoppingOptions {
  /** Figure to watch. Default `'val_loss'`. */
  monitor?: string;
  /** Smallest change that counts as an improvement. Default 0. */
  minDelta?: number;
  /** Epochs without improvement before stopping. Default 0. */
  patience?: number;
  mode?: MonitorMode;
  /** Put back the weights of the best epoch when training stops early. Default false. */
  restoreBestWeights?: boolean;
}

/**
 * Stops training when the monitored figure has not improved for `patience` epochs,
 * as Keras's `EarlyStopping` (book ch. 9). The copies of the best weights are owned by
 * this callback and freed at the end of training.
 */
export class EarlyStopping implements StatefulCallback {
  readonly monitor: string;
  readonly minDelta: number;
  readonly patience: number;
  readonly restoreBestWeights: boolean;
  private readonly mode: 'min' | 'max';
  private wait = 0;
  private best = Number.NaN;
  private bestWeights: tf.Tensor[] | undefined;
  /** Epoch (0-based) at which training was stopped, or -1 when it ran to the end. */
  stoppedEpoch = -1;
  /** Epoch (0-based) with the best monitored value. */
  bestEpoch = -1;

  constructor(options: EarlyStoppingOptions = {}) {
    const { monitor = 'val_loss', minDelta = 0, patience = 0, mode = 'auto', restoreBestWeights = false } = options;
    validateMonitorOptions('EarlyStopping', monitor, mode);
    if (!Number.isInteger(patience) || patience < 0) {
      throw new InvalidOptionError('EarlyStopping', 'patience', patience, 'an integer >= 0');
    }
    if (!(minDelta >= 0)) throw new InvalidOptionError('EarlyStopping', 'minDelta', minDelta, 'a number >= 0');
    this.monitor = monitor;
    this.minDelta = minDelta;
    this.patience = patience;
    this.restoreBestWeights = restoreBestWeights;
    this.mode = resolveMode(monitor, mode);
  }

  onTrainBegin() {
    this.wait = 0;
    this.best = this.mode === 'min' ? Number.POSITIVE_INFINITY : Number.NEGATIVE_INFINITY;
    this.stoppedEpoch = -1;
    this.bestEpoch = -1;
    this.releaseWeights();
  }

  onEpochEnd(epoch: number, logs: Logs, context: TrainingContext) {
    const current = readMonitored('EarlyStopping', this.monitor, logs);
    if (isImprovement(current, this.best, this.mode, this.minDelta)) {
      this.best = current;
      this.bestEpoch = epoch;
      this.wait = 0;
      if (this.restoreBestWeights) {
        this.releaseWeights();
        this.bestWeights = context.model.getWeights().map((w) => w.clone());
      }
      return;
    }
    this.wait += 1;
    // Keras: stop once `patience` epochs in a row brought no improvement.
    if (this.wait >= this.patience && epoch > 0) {
      this.stoppedEpoch = epoch;
      context.stopTraining();
      if (this.restoreBestWeights && this.bestWeights) context.model.setWeights(this.bestWeights);
    }
  }

  onTrainEnd() {
    this.releaseWeights();
  }

  /** For checkpoints: the patience count, the best figure and epoch, and the best weights (lent). */
  saveState(): CallbackState {
    const { wait, best, bestEpoch, stoppedEpoch } = this;
    // JSON has no Infinity: a best not yet seen is written as null.
    return {
      json: { wait, best: Number.isFinite(best) ? best : null, bestEpoch, stoppedEpoch },
      ...(this.bestWeights ? { tensors: this.bestWeights } : {}),
    };
  }

  restoreState(state: CallbackState) {
    const json = state.json as { wait: number; best: number | null; bestEpoch: number; stoppedEpoch: number };
    this.wait = json.wait;
    this.best = json.best ?? (this.mode === 'min' ? Number.POSITIVE_INFINITY : Number.NEGATIVE_INFINITY);
    this.bestEpoch = json.bestEpoch;
    this.stoppedEpoch = json.stoppedEpoch;
    this.releaseWeights();
    if (this.restoreBestWeights && state.tensors && state.tensors.length > 0) {
      this.bestWeights = state.tensors.map((t) => t.clone());
    }
  }

  private releaseWeights() {
    if (this.bestWeights) tf.dispose(this.bestWeights);
    this.bestWeights = undefined;
  }
}
