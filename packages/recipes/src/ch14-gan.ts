import type { TrainingState } from '@neurona/core';
import { createRng, InvalidOptionError, UnknownNameError } from '@neurona/core';
import type { ImageSet, LabelledSplit } from '@neurona/datasets';
import type { GanCallbacks, GanRun, SampleScores } from '@neurona/gan';
import { dcganDiscriminator, dcganGenerator, MODE_COLLAPSE_SPREAD, SampleScorer, trainGan } from '@neurona/gan';
import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';

/** Everything a GAN recipe's run may override. */
export interface GanSettings {
  epochs: number;
  /** Images per step. */
  batchSize: number;
  /** Size of the generator's noise input. */
  latentDim: number;
  learningRate: number;
  /** Adam's first-moment decay. */
  beta1: number;
  seed: number;
  /** Train on the first this many training images; 0 for all of them. */
  trainImages: number;
  /**
   * Images in every scored set (real test images, generated ones): the Fréchet distance is only
   * compared at one count.
   */
  scoreImages: number;
}

/** The data sets the GAN recipes train on: 28×28×1 images with labels (the scoring classifier needs them). */
export const GAN_DATA = ['fashion-mnist', 'mnist', 'fashion-mnist-sample'] as const;
/** The data sets a GAN recipe trains on. */
export type GanDataName = (typeof GAN_DATA)[number];

/** A chapter-14 experiment: the book's DCGAN on a data set, judged by sample scores. */
export interface GanRecipe {
  id: string;
  chapter: 14;
  title: string;
  kind: 'gan';
  data: GanDataName;
  defaults: GanSettings;
  defaultsNote?: string;
  /** The book's settings (`--book`). */
  book: GanSettings;
  /** A first look (`--quick`). */
  quick: Partial<GanSettings>;
  /** The bars a run with the defaults clears. */
  expected: { distanceRatio: number; classSpread: number; note: string };
}

const book: GanSettings = {
  epochs: 50,
  batchSize: 256,
  latentDim: 100,
  learningRate: 1e-4,
  beta1: 0.9,
  seed: 42,
  trainImages: 0,
  scoreImages: 2000,
};

/** Chapter 14: the book's DCGAN on Fashion-MNIST, with its samples scored. */
export const ch14DcganFashionRecipe: GanRecipe = {
  id: 'ch14-dcgan-fashion',
  chapter: 14,
  title: 'DCGAN making Fashion-MNIST clothes, trained by a hand-written loop',
  kind: 'gan',
  data: 'fashion-mnist',
  defaults: {
    ...book,
    epochs: 16,
    batchSize: 32,
    learningRate: 2e-4,
    beta1: 0.5,
    trainImages: 12_800,
  },
  defaultsNote:
    "16 epochs of batch 32 on the first 12,800 images (6,400 steps), Adam 2e-4 with β1 0.5 (the DCGAN paper's): clothes you can name after about 5 epochs, a distance under a tenth of the untrained generator's by epoch 12, about 6 minutes an epoch on one CPU core with wasm; --book trains the book's 50 epochs of all 60,000 at batch 256 (235 steps an epoch)",
  book,
  quick: { epochs: 2, trainImages: 1024, batchSize: 64, learningRate: 2e-4, beta1: 0.5, scoreImages: 500 },
  expected: {
    distanceRatio: 0.1,
    classSpread: 2.0,
    note: "Fréchet distance at most a tenth of the untrained generator's, class spread at least 2.0 nats",
  },
};

/** Chapter 14: the book's DCGAN on MNIST (where its files are present). */
export const ch14DcganMnistRecipe: GanRecipe = {
  ...ch14DcganFashionRecipe,
  id: 'ch14-dcgan-mnist',
  title: 'DCGAN writing MNIST digits (where its files are present)',
  data: 'mnist',
};

/** The chapter-14 recipes. */
export const ganRecipes: readonly GanRecipe[] = [ch14DcganFashionRecipe, ch14DcganMnistRecipe];

/** Whether the id names a chapter-14 recipe. */
export function isGanRecipe(id: string): boolean {
  return ganRecipes.some((r) => r.id === id);
}

/** The chapter-14 recipe of that id, or an `UnknownNameError` listing them. */
export function getGanRecipe(id: string): GanRecipe {
  const recipe = ganRecipes.find((r) => r.id === id);
  if (!recipe)
    throw new UnknownNameError(
      'GAN recipe',
      id,
      ganRecipes.map((r) => r.id),
    );
  return recipe;
}

/**
 * A GAN recipe's settings: its defaults (or the book's, or `--quick`'s), then `overrides`,
 * each checked with an error naming the option.
 */
export function ganSettingsFor(
  recipe: GanRecipe,
  overrides: Partial<GanSettings> = {},
  options: { quick?: boolean; book?: boolean } = {},
): GanSettings {
  if (options.quick && options.book) {
    throw new InvalidOptionError(recipe.id, 'quick', true, "not with option 'book': one or the other");
  }
  const settings: GanSettings = {
    ...(options.book ? recipe.book : recipe.defaults),
    ...(options.quick ? recipe.quick : {}),
    ...(Object.fromEntries(Object.entries(overrides).filter(([, v]) => v !== undefined)) as Partial<GanSettings>),
  };
  const where = recipe.id;
  const int = (name: keyof GanSettings, min: number, max: number) => {
    const v = settings[name];
    if (!(typeof v === 'number' && Number.isSafeInteger(v) && v >= min && v <= max)) {
      throw new InvalidOptionError(where, name, v, `an integer from ${min} to ${max.toLocaleString('en-US')}`);
    }
  };
  int('epochs', 1, 1_000_000);
  int('batchSize', 1, 1_000_000);
  int('latentDim', 1, 100_000);
  int('seed', 0, Number.MAX_SAFE_INTEGER);
  int('trainImages', 0, 100_000_000);
  int('scoreImages', 2, 1_000_000);
  if (!(settings.learningRate > 0 && settings.learningRate <= 1)) {
    throw new InvalidOptionError(where, 'learningRate', settings.learningRate, 'a number in (0, 1]');
  }
  if (!(settings.beta1 >= 0 && settings.beta1 < 1)) {
    throw new InvalidOptionError(where, 'beta1', settings.beta1, 'a number in [0, 1)');
  }
  return settings;
}

/** The sample scores of the reference points a run is read against. */
export interface GanBaselines {
  /** Real training images against real test images: the best a generator can hope for. */
  floor: SampleScores;
  /** The generator before its first step. */
  untrained: SampleScores;
  /** The real test images' own classifier score and class spread. */
  reference: SampleScores;
}

/** Options of `runGanRecipe`: quick or book settings, overrides, callbacks, checkpoints and resume. */
export interface GanRunOptions {
  quick?: boolean;
  book?: boolean;
  callbacks?: GanCallbacks;
  resumeFrom?: TrainingState;
  checkpoint?: { save(state: TrainingState): Promise<void>; everyEpochs?: number; extra?: Record<string, unknown> };
  signal?: AbortSignal;
  /** Called with the networks once built (seeded, before any checkpoint is restored into them). */
  onNetworks?: (networks: { generator: tfl.LayersModel; discriminator: tfl.LayersModel }) => void;
  /** Called with the reference scores once measured, before the first step. */
  onBaselines?: (baselines: GanBaselines) => void;
  /**
   * Called with a message when an epoch's samples look like data (Fréchet distance under half
   * the untrained generator's) but their class spread is under 1.5 nats: mode collapse.
   */
  onWarning?: (message: string) => void;
}

/** A chapter-14 recipe's run: both networks, the history, the baselines and the final scores. */
export interface GanRecipeResult {
  recipe: GanRecipe;
  settings: GanSettings;
  generator: tfl.LayersModel;
  discriminator: tfl.LayersModel;
  history: GanRun['history'];
  epochsRun: number;
  steps: number;
  timing: GanRun['timing'];
  baselines: GanBaselines;
  /** The scores after the last epoch. */
  final: SampleScores;
  /** The final scores against the recipe's bars. */
  score: { distanceRatio: number; passed: boolean };
  counts: { train: number; scored: number };
  /** Frees both networks. */
  dispose(): void;
}

/**
 * How many training images a GAN recipe's run takes and how many images each score reads, for
 * these settings on this data: the recipe's own cut on a smaller set (the bundled sample) takes
 * all of it; a cut, batch or score count asked for that the data cannot give is refused, naming
 * the option and what the data allows. Check before any long work (the CLI does, before making a
 * run folder).
 */
export function ganCounts(
  recipe: GanRecipe,
  settings: GanSettings,
  overrides: Partial<GanSettings>,
  data: LabelledSplit,
): { trainCount: number; scored: number } {
  const { train, test } = data;
  const asked = overrides.trainImages !== undefined;
  const trainCount =
    settings.trainImages === 0 || (!asked && settings.trainImages > train.count) ? train.count : settings.trainImages;
  if (trainCount > train.count) {
    throw new InvalidOptionError(
      recipe.id,
      'trainImages',
      settings.trainImages,
      `at most ${train.count.toLocaleString('en-US')}, the training images of this data (0 for all)`,
    );
  }
  if (settings.batchSize > trainCount) {
    throw new InvalidOptionError(
      recipe.id,
      'batchSize',
      settings.batchSize,
      `at most ${trainCount.toLocaleString('en-US')}, the images it trains on`,
    );
  }
  const scored = settings.scoreImages;
  if (scored > test.count || scored > train.count) {
    throw new InvalidOptionError(
      recipe.id,
      'scoreImages',
      scored,
      `at most ${Math.min(test.count, train.count).toLocaleString('en-US')}: the test images it compares with (and as many training images for the floor)`,
    );
  }
  return { trainCount, scored };
}

/** The noise the scores are measured from: the same every epoch, so only the generator changes. */
export const SCORE_NOISE_SEED = 2020;

/** Bytes of an image set, the first `count`, as a tensor in [−1, 1]. */
function scaled(set: ImageSet, from: number, count: number): tf.Tensor4D {
  const size = set.height * set.width * set.channels;
  const bytes = set.images.subarray(from * size, (from + count) * size);
  return tf.tidy(() =>
    tf.sub(tf.div(tf.tensor4d(bytes, [count, set.height, set.width, set.channels], 'float32'), 127.5), 1),
  ) as tf.Tensor4D;
}

/**
 * Runs a chapter-14 recipe: the book's DCGAN (seeded) trained by `trainGan` on the data's
 * training images in [−1, 1], scored after every epoch by `classifier` (trained on the same
 * data set: see `trainScoringClassifier`) against the first `scoreImages` test images. The
 * history holds `d_loss`, `g_loss`, `d_accuracy`, `frechet_distance`, `classifier_score`,
 * `class_spread` per epoch; the baselines are measured before the first step.
 */
export async function runGanRecipe(
  recipe: GanRecipe,
  data: LabelledSplit,
  classifier: tfl.LayersModel,
  overrides: Partial<GanSettings> = {},
  options: GanRunOptions = {},
): Promise<GanRecipeResult> {
  const settings = ganSettingsFor(recipe, overrides, options);
  const { train, test } = data;
  const { trainCount, scored } = ganCounts(recipe, settings, overrides, data);
  const rng = createRng(settings.seed);
  const imageShape = [train.height, train.width, train.channels] as [number, number, number];
  const generator = dcganGenerator({ imageShape, latentDim: settings.latentDim, rng });
  const discriminator = dcganDiscriminator({ imageShape, rng });
  options.onNetworks?.({ generator, discriminator });
  const images = scaled(train, 0, trainCount);
  let run: GanRun | undefined;
  try {
    const reference = scaled(test, 0, scored);
    const floorImages = scaled(train, train.count - scored, scored);
    let scorer: SampleScorer;
    let floor: SampleScores;
    try {
      scorer = SampleScorer.create(classifier, reference);
      floor = scorer.score(floorImages);
    } finally {
      tf.dispose([reference, floorImages]);
    }
    const untrained = scorer.scoreGenerator(generator, SCORE_NOISE_SEED);
    const baselines: GanBaselines = { floor, untrained, reference: scorer.referenceScores };
    options.onBaselines?.(baselines);
    let last = untrained;
    run = await trainGan(images, {
      generator,
      discriminator,
      epochs: settings.epochs,
      batchSize: settings.batchSize,
      learningRate: settings.learningRate,
      beta1: settings.beta1,
      seed: settings.seed,
      ...(options.callbacks ? { callbacks: options.callbacks } : {}),
      ...(options.resumeFrom ? { resumeFrom: options.resumeFrom } : {}),
      ...(options.checkpoint ? { checkpoint: options.checkpoint } : {}),
      ...(options.signal ? { signal: options.signal } : {}),
      measureEpoch: (epoch) => {
        last = scorer.scoreGenerator(generator, SCORE_NOISE_SEED);
        // Mode collapse is images of few classes; noise that the classifier calls one class is
        // not yet images: warn once the samples are at least half-way to the data.
        if (last.classSpread < MODE_COLLAPSE_SPREAD && last.frechetDistance < untrained.frechetDistance / 2) {
          options.onWarning?.(
            `epoch ${epoch + 1}: the samples' class spread is ${last.classSpread.toFixed(2)} nats (under ${MODE_COLLAPSE_SPREAD}; ln 10 = 2.30 is even): the generator is collapsing onto few classes (mode collapse)`,
          );
        }
        return {
          frechet_distance: last.frechetDistance,
          classifier_score: last.classifierScore,
          class_spread: last.classSpread,
        };
      },
    });
    // A run resumed after its last epoch measures nothing: its scores are the history's last.
    const h = run.history.history;
    const final: SampleScores =
      run.epochsRun > 0 && h.frechet_distance
        ? {
            frechetDistance: h.frechet_distance.at(-1) as number,
            classifierScore: h.classifier_score?.at(-1) as number,
            classSpread: h.class_spread?.at(-1) as number,
            count: scored,
          }
        : last;
    const distanceRatio = final.frechetDistance / untrained.frechetDistance;
    const result: GanRecipeResult = {
      recipe,
      settings,
      generator,
      discriminator,
      history: run.history,
      epochsRun: run.epochsRun,
      steps: run.steps,
      timing: run.timing,
      baselines,
      final,
      score: {
        distanceRatio,
        passed: distanceRatio <= recipe.expected.distanceRatio && final.classSpread >= recipe.expected.classSpread,
      },
      counts: { train: trainCount, scored },
      dispose: () => {
        generator.dispose();
        discriminator.dispose();
      },
    };
    return result;
  } catch (error) {
    generator.dispose();
    discriminator.dispose();
    throw error;
  } finally {
    run?.dispose();
    images.dispose();
  }
}
