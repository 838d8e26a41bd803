import type { AugmentOptions } from '@neurona/augmentation';
import type { LearningRateSchedule, Rng, TrainingCallback, TrainingState } from '@neurona/core';
import type { ImageSet, LabelledSplit, TableRow } from '@neurona/datasets';
import type * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';

/** The optimisers a recipe names (Keras's): `sgd`, `adam`, `rmsprop`. */
export type OptimizerName = 'sgd' | 'adam' | 'rmsprop';

/** How a recipe trains: everything a user may override from the CLI or the page. */
export interface TrainingSettings {
  epochs: number;
  batchSize: number;
  optimizer: OptimizerName;
  learningRate: number;
  /**
   * Share of the training rows held out for the `val_*` curves, 0 for none (unused where the data
   * has its own validation part).
   */
  validationFraction: number;
  seed: number;
}

/** The data sets recipes train on. */
export type RecipeDataName =
  | 'fashion-mnist-sample'
  | 'fashion-mnist'
  | 'mnist'
  | 'toy2d'
  | 'auto-mpg'
  | 'dogs-vs-cats'
  | 'cifar10';

/** Loaded data, handed to `runRecipe`: how it was loaded is the app's business (Node files, browser fetch). */
export type RecipeInput =
  | { kind: 'images'; name: RecipeDataName; data: LabelledSplit & { validation?: ImageSet } }
  | { kind: 'table'; name: RecipeDataName; rows: TableRow[] }
  /** Data the recipe draws itself from its seed (the Playground's 2-D sets). */
  | { kind: 'generated'; name: RecipeDataName };

/** What a recipe's model predicts: one class of many, one of two, or a number. */
export type Task = 'multiclass' | 'binary' | 'regression';

/** The figure a recipe is judged by, and the bar a run with its default settings clears. */
export interface Expectation {
  metric: 'accuracy' | 'mae';
  /** `accuracy` must be at least this; `mae` at most. */
  bar: number;
  note: string;
}

/** Tensors ready for training; `runRecipe` owns and frees them. */
export interface Prepared {
  train: [tf.Tensor, tf.Tensor];
  /** Absent when `validationFraction` is 0 (no `val_*` curves). */
  validation?: [tf.Tensor, tf.Tensor];
  test: [tf.Tensor, tf.Tensor];
  inputShape: number[];
  /** Output units: classes for a softmax, 1 for binary or regression. */
  outputs: number;
  classNames?: readonly string[];
  /** What the preparation learnt that a user needs to predict later (a scaler, feature names). */
  preprocessing?: Record<string, unknown>;
}

/**
 * What a recipe's `buildModel` gets: the seed source, the input shape, the outputs, the settings, a
 * pretrained base.
 */
export interface BuildContext {
  rng: Rng;
  inputShape: number[];
  outputs: number;
  settings: TrainingSettings;
  /** The pretrained model the caller passed (ch. 11–12), or undefined. */
  pretrained?: tfl.LayersModel;
}

/**
 * One of the book's experiments as data: its data set, model, settings (defaults, the book's,
 * quick) and the bar it clears.
 */
export interface Recipe {
  id: string;
  chapter: number;
  title: string;
  task: Task;
  /** The data set it trains on by default, and others of the same shape it accepts. */
  data: RecipeDataName;
  alsoRunsOn?: readonly RecipeDataName[];
  /** The settings used by default, and why they differ from the book's, if they do. */
  defaults: TrainingSettings;
  defaultsNote?: string;
  /** The book's own settings (`--book`). */
  book: TrainingSettings;
  /** A small setting for tests and a first look (`--quick`): fewer epochs and rows. */
  quick: Partial<TrainingSettings> & { trainLimit?: number; testLimit?: number; fineTuneEpochs?: number };
  expected: Expectation;
  /** The book's or Keras's published figure, for the reproduction table. */
  reference?: { figure: string; source: string };
  /** Decoded image size for image folders (Dogs vs Cats). */
  imageSize?: [number, number];
  /** Learning-rate schedule applied per batch (book ch. 8). */
  schedule?: (settings: TrainingSettings, stepsPerEpoch: number) => LearningRateSchedule;
  /** Stops when the monitored figure stops improving, keeping the best weights (ch. 9). */
  earlyStopping?: { monitor: string; patience: number };
  /** Augments each training batch (ch. 11); runs on pixels in [0, 1]. */
  augment?: AugmentOptions;
  /**
   * Needs a pretrained model (`RunOptions.pretrained`): `'required'`, or `'optional'` (trained from
   * scratch without).
   */
  pretrained?: 'required' | 'optional';
  /** Feature extraction (ch. 11): the frozen base is run once over all images, the model trains on the features. */
  featureExtraction?: boolean;
  /** Fine-tuning (ch. 11): after the first phase, unfreeze from a layer and train again with a low rate. */
  fineTune?: { epochs: number; learningRate: number };
  /**
   * Threads the WASM backend trains this recipe fastest on, where the user leaves it open: 1 for
   * networks of a few thousand weights, whose steps are too small for a second thread to pay
   * (ch-5 dense, 114k samples/s on one thread, 56k on two). Absent: every logical core.
   */
  wasmThreads?: number;
  /** Custom data preparation (tables, generated data); images use the shared one. */
  prepare?: (input: RecipeInput, settings: TrainingSettings, rng: Rng, limits: Limits) => Prepared;
  buildModel(context: BuildContext): tfl.LayersModel;
}

/** Caps on the training and test rows a run uses (quick runs, tests). */
export interface Limits {
  trainLimit?: number;
  testLimit?: number;
}

/** Options of `runRecipe`: callbacks, checkpoints, resume and row limits. */
export interface RunOptions extends Limits {
  callbacks?: TrainingCallback[];
  /** Use the recipe's `--quick` settings and limits (overrides still apply on top). */
  quick?: boolean;
  /** A pretrained model for transfer-learning recipes; the caller keeps ownership. */
  pretrained?: tfl.LayersModel;
  /** Fine-tuning: the layer of the base to unfreeze from (default: chosen from the base, see `fineTuneFrom`). */
  fineTuneFrom?: string;
  /**
   * Goes on from a checkpoint of a run of this recipe with the same settings, data and seed
   * (core's `loadCheckpoint`): the result equals an uninterrupted run's. The state stays the caller's.
   */
  resumeFrom?: TrainingState;
  /** Saves a checkpoint after every `everyEpochs` epochs (core's `saveCheckpoint` writes one to disk). */
  checkpoint?: { save(state: TrainingState): Promise<void>; everyEpochs?: number };
  /**
   * Aborting it stops after the current batch, saves a checkpoint, and rejects with core's
   * `TrainingInterruptedError`.
   */
  signal?: AbortSignal;
  /**
   * A regression's training loss instead of the mean squared error: `'meanAbsoluteError'` trains
   * on the figure it reports (book ch. 9.4.5 compares the two). Classifiers keep their cross-entropy.
   */
  loss?: RegressionLoss;
}

/** The losses a regression recipe trains with (Keras's names). */
export type RegressionLoss = 'meanSquaredError' | 'meanAbsoluteError';

/**
 * A recipe's run: the trained model (yours to dispose), its history, the test score and the
 * preprocessing to predict with.
 */
export interface RecipeResult {
  /** The trained model; the caller owns it: free it with `dispose()` below. */
  model: tfl.LayersModel;
  /**
   * A feature-extraction run's frozen base (ch. 11): `model` is the head trained on its features,
   * so images go through `base` first (zoo's `stackHead` makes the two one model). Freed by `dispose()`.
   */
  base?: tfl.LayersModel;
  /** Frees the model and its optimizer (tfjs's `model.dispose()` leaves an optimizer it was given). */
  dispose(): void;
  history: { epoch: number[]; history: Record<string, number[]> };
  /** Test figures by Keras name (`loss`, `accuracy` or `mae`). */
  test: Record<string, number>;
  /** The expected metric on the test part, and whether it clears the recipe's bar. */
  score: { metric: Expectation['metric']; value: number; bar: number; meetsBar: boolean };
  settings: TrainingSettings;
  /** The loss it trained with (Keras's name). */
  loss: string;
  /** Names of the classes, in the order of the model's outputs (classification data that names them). */
  classNames?: readonly string[];
  counts: { train: number; validation: number; test: number };
  epochsRun: number;
  preprocessing?: Record<string, unknown>;
  timing: {
    /**
     * Wall time of a whole epoch (training and validation), averaged; NaN when this call trained no
     * epoch (resumed at the end).
     */
    secondsPerEpoch: number;
    /** Training examples per second over the training phase of the epochs; NaN when this call trained no epoch. */
    trainSamplesPerSec: number;
    /** Feature extraction (ch. 11), seconds, if the recipe does it. */
    featureSeconds?: number;
    totalSeconds: number;
  };
}
