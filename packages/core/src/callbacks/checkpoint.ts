import { InvalidOptionError } from '@neurona/errors';
import type * as tf from '@tensorflow/tfjs-core';
import type { CallbackState, StatefulCallback } from '../checkpoint/training-state.js';
import type { MonitorMode } from './monitor.js';
import { isImprovement, readMonitored, resolveMode, validateMonitorOptions } from './monitor.js';
import type { Logs, TrainingContext } from './types.js';

/**
 * Options of `ModelCheckpoint`: where to save, the figure to watch, and whether only the best epoch
 * is kept (Keras's `save_best_only`).
 */
export interface ModelCheckpointOptions {
  /** Where to save: a tfjs URL (`file://runs/best`, `indexeddb://best`) or an IO handler. */
  destination: string | tf.io.IOHandler;
  /** Default `'val_loss'`. */
  monitor?: string;
  mode?: MonitorMode;
  /** Save only when the monitored figure improves (default), or after every epoch. */
  saveBestOnly?: boolean;
}

/** Saves the model when the monitored figure improves, as Keras's `ModelCheckpoint`. */
export class ModelCheckpoint implements StatefulCallback {
  /** Epoch (0-based) of the last save, or -1. */
  savedEpoch = -1;
  best: number;
  private readonly mode: 'min' | 'max';
  private readonly monitor: string;
  private readonly saveBestOnly: boolean;

  constructor(private readonly options: ModelCheckpointOptions) {
    const { monitor = 'val_loss', mode = 'auto', saveBestOnly = true } = options;
    validateMonitorOptions('ModelCheckpoint', monitor, mode);
    if (!options.destination)
      throw new InvalidOptionError(
        'ModelCheckpoint',
        'destination',
        options.destination,
        'a save destination (required)',
      );
    this.monitor = monitor;
    this.saveBestOnly = saveBestOnly;
    this.mode = resolveMode(monitor, mode);
    this.best = this.mode === 'min' ? Number.POSITIVE_INFINITY : Number.NEGATIVE_INFINITY;
  }

  async onEpochEnd(epoch: number, logs: Logs, context: TrainingContext) {
    if (this.saveBestOnly) {
      const current = readMonitored('ModelCheckpoint', this.monitor, logs);
      if (!isImprovement(current, this.best, this.mode)) return;
      this.best = current;
    }
    await context.model.save(this.options.destination);
    this.savedEpoch = epoch;
  }

  saveState(): CallbackState {
    return { json: { best: Number.isFinite(this.best) ? this.best : null, savedEpoch: this.savedEpoch } };
  }

  restoreState(state: CallbackState) {
    const json = state.json as { best: number | null; savedEpoch: number };
    if (json.best !== null) this.best = json.best;
    this.savedEpoch = json.savedEpoch;
  }
}
