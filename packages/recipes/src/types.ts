import type { Rng, TrainingCallback } from '@neurona/core';
import type * as tf from '@tensorflow/tfjs';

/** How a recipe trains: everything a user may override from the CLI or the page. */
export interface TrainingSettings {
  epochs: number;
  batchSize: number;
  optimizer: 'sgd' | 'adam' | 'rmsprop';
  learningRate: number;
  /** Share of the training images held out for the `val_*` curves. */
  validationFraction: number;
  seed: number;
}

export interface Recipe {
  id: string;
  chapter: number;
  title: string;
  /** The data set the recipe trains on. */
  data: 'fashion-mnist-sample';
  /** The settings used by default, and why they differ from the book's, if they do. */
  defaults: TrainingSettings;
  defaultsNote?: string;
  /** The book's own settings (`--book`). */
  book: TrainingSettings;
  /** What a default run should reach on its data, checked by tests and the CLI. */
  expected: { testAccuracy: number; note: string };
  buildModel(rng: Rng): tf.LayersModel;
}

export interface RunOptions {
  callbacks?: TrainingCallback[];
  /** Use only the first N training images (tests, quick looks). */
  trainLimit?: number;
}

export interface RecipeResult {
  /** The trained model; the caller owns it: free it with `dispose()` below. */
  model: tf.LayersModel;
  /** Frees the model and its optimizer (tfjs's `model.dispose()` leaves an optimizer it was given). */
  dispose(): void;
  history: { epoch: number[]; history: Record<string, number[]> };
  test: Record<string, number>;
  settings: TrainingSettings;
  counts: { train: number; validation: number; test: number };
  timing: {
    /** Wall time of a whole epoch (training and validation), averaged. */
    secondsPerEpoch: number;
    /** Training examples per second over the training phase of the epochs. */
    trainSamplesPerSec: number;
    totalSeconds: number;
  };
}
