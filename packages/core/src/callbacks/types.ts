import type * as tfl from '@tensorflow/tfjs-layers';

/** Epoch or batch figures, named as Keras names them: `loss`, `accuracy`, `val_loss`, … */
export type Logs = Record<string, number>;

/** What a callback can see and change while `fit` runs. */
export interface TrainingContext {
  readonly model: tfl.LayersModel;
  readonly epochs: number;
  readonly stepsPerEpoch: number;
  /** Optimizer steps taken so far (Keras's `iterations`). */
  readonly step: number;
  /** Asks `fit` to stop after the current epoch, as Keras's `model.stop_training = True`. */
  stopTraining(): void;
}

/**
 * The progress interface of every Neurona training loop. Each method may be async;
 * `fit` awaits it before going on.
 */
export interface TrainingCallback {
  onTrainBegin?(context: TrainingContext): void | Promise<void>;
  onEpochBegin?(epoch: number, context: TrainingContext): void | Promise<void>;
  onBatchBegin?(batch: number, context: TrainingContext): void | Promise<void>;
  /** `logs` holds the running means of the epoch so far, as Keras's progress bar shows. */
  onBatchEnd?(batch: number, logs: Logs, context: TrainingContext): void | Promise<void>;
  onEpochEnd?(epoch: number, logs: Logs, context: TrainingContext): void | Promise<void>;
  onTrainEnd?(context: TrainingContext): void | Promise<void>;
}
