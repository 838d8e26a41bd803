import { augmentResolved, resolveOptions } from '@neurona/augmentation';
import type { Logs, Rng, TrainingCallback, TrainingState } from '@neurona/core';
import {
  createRng,
  EarlyStopping,
  evaluate,
  fit,
  InvalidInputError,
  InvalidOptionError,
  LearningRateScheduler,
} from '@neurona/core';
import { convBase, extractFeatures, fineTune, fineTuneLayer } from '@neurona/zoo';
import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { prepareImages } from './prepare.js';
import { resolveSettings } from './settings.js';
import type {
  Limits,
  Prepared,
  Recipe,
  RecipeDataName,
  RecipeInput,
  RecipeResult,
  RegressionLoss,
  RunOptions,
  Task,
  TrainingSettings,
} from './types.js';

function optimizerFor(settings: TrainingSettings): tf.Optimizer {
  switch (settings.optimizer) {
    case 'sgd':
      return tf.train.sgd(settings.learningRate);
    case 'adam':
      return tf.train.adam(settings.learningRate);
    case 'rmsprop':
      return tf.train.rmsprop(settings.learningRate);
  }
}

/** Keras's loss and metric for each kind of task. */
export const lossFor: Record<Task, { loss: string; metrics: string[] }> = {
  multiclass: { loss: 'categoricalCrossentropy', metrics: ['accuracy'] },
  binary: { loss: 'binaryCrossentropy', metrics: ['accuracy'] },
  regression: { loss: 'meanSquaredError', metrics: ['mae'] },
};

/** Times the training phase and the whole of each epoch. */
class EpochTimer implements TrainingCallback {
  epochSeconds: number[] = [];
  trainSeconds: number[] = [];
  private start = 0;
  private lastBatchEnd = 0;
  onEpochBegin() {
    this.start = performance.now();
  }
  onBatchEnd() {
    this.lastBatchEnd = performance.now();
  }
  onEpochEnd() {
    const end = performance.now();
    this.epochSeconds.push((end - this.start) / 1000);
    this.trainSeconds.push((this.lastBatchEnd - this.start) / 1000);
  }
}

/**
 * Frees models that may share layers (a pretrained model, its base, a model built on the
 * base): every layer once, whichever models hold it, and the optimizers. tfjs's
 * `model.dispose()` cannot do this: the second model to go would find its layers gone.
 */
function disposeModels(models: (tfl.LayersModel | undefined)[]) {
  const layers = new Set<tfl.layers.Layer>();
  for (const model of models) {
    if (!model) continue;
    model.optimizer?.dispose();
    for (const layer of model.layers) layers.add(layer);
  }
  for (const layer of layers) {
    try {
      while (layer.dispose().refCountAfterDispose > 0);
    } catch {
      // Already freed by an earlier owner.
    }
  }
}

// NaN when nothing was timed (a run resumed from its final checkpoint trains no epoch here).
const mean = (xs: number[]) => (xs.length === 0 ? Number.NaN : xs.reduce((a, b) => a + b, 0) / xs.length);

function checkLimit(where: string, name: string, value: number | undefined) {
  if (value !== undefined && !(Number.isInteger(value) && value >= 2)) {
    throw new InvalidOptionError(where, name, value, 'an integer >= 2');
  }
}

/** The settings a run uses: the recipe's defaults (or `--quick`), then the user's overrides. */
export function settingsFor(
  recipe: Recipe,
  overrides: Partial<TrainingSettings> = {},
  options: { quick?: boolean } = {},
): TrainingSettings {
  const { trainLimit: _t, testLimit: _s, fineTuneEpochs: _f, ...quick } = recipe.quick;
  return resolveSettings({ ...recipe.defaults, ...(options.quick ? quick : {}) }, overrides, recipe.id);
}

function prepareWith(recipe: Recipe, input: RecipeInput, settings: TrainingSettings, rng: Rng, limits: Limits) {
  return recipe.prepare
    ? recipe.prepare(input, settings, rng, limits)
    : prepareImages(input, settings, rng, limits, recipe.task);
}

/**
 * The data of a run of `recipe` with `settings`, prepared exactly as `runRecipe` prepared it
 * (the seed gives the same split, scaling and encoding): what `neurona evaluate` scores a
 * saved run on. The caller owns the tensors (free them with `tf.dispose`).
 */
export function prepareRecipeData(
  recipe: Recipe,
  input: RecipeInput,
  settings: TrainingSettings,
  options: Pick<RunOptions, 'quick' | 'trainLimit' | 'testLimit'> = {},
): Prepared {
  checkInput(recipe, input.name);
  return prepareWith(recipe, input, settings, createRng(settings.seed), {
    trainLimit: options.trainLimit ?? (options.quick ? recipe.quick.trainLimit : undefined),
    testLimit: options.testLimit ?? (options.quick ? recipe.quick.testLimit : undefined),
  });
}

/** Refuses data the recipe does not run on, naming what it accepts. */
export function checkInput(recipe: Recipe, data: RecipeDataName) {
  const accepted = [...new Set([recipe.data, ...(recipe.alsoRunsOn ?? [])])];
  if (!accepted.includes(data)) {
    throw new InvalidOptionError(recipe.id, 'data', data, accepted.join(', '));
  }
}

/**
 * Runs a recipe on loaded data, as the book's chapters do: prepare (seeded split, scaling,
 * labels), build and compile the model, train with `fit` (with the recipe's schedule,
 * early stopping and augmentation), fine-tune where the recipe does, and evaluate on the
 * test part. Transfer-learning recipes take `options.pretrained` and own it from then on:
 * its layers become part of the result's model and are freed with it. Every other tensor
 * made here is freed before returning.
 *
 * @example
 * ```ts
 * import { useBestBackend } from '@neurona/core/node';
 * import { ch09AutoMpgRecipe, runRecipe } from '@neurona/recipes';
 * import { loadRecipeInput } from '@neurona/recipes/node';
 *
 * await useBestBackend();
 * const result = await runRecipe(ch09AutoMpgRecipe, await loadRecipeInput('auto-mpg'));
 * console.log(result.score); // { metric: 'mae', value: 2.2…, bar: 2.5, meetsBar: true }
 * result.dispose();
 * ```
 */
export async function runRecipe(
  recipe: Recipe,
  input: RecipeInput,
  overrides: Partial<TrainingSettings> = {},
  options: RunOptions = {},
): Promise<RecipeResult> {
  let prepared: Prepared;
  let settings: TrainingSettings;
  let rng: Rng;
  try {
    settings = settingsFor(recipe, overrides, options);
    rng = createRng(settings.seed);
    if (options.loss !== undefined) {
      const losses: RegressionLoss[] = ['meanSquaredError', 'meanAbsoluteError'];
      if (recipe.task !== 'regression')
        throw new InvalidOptionError(
          recipe.id,
          'loss',
          options.loss,
          `nothing: '${recipe.id}' is a classifier; the option is for regressions`,
        );
      if (!losses.includes(options.loss))
        throw new InvalidOptionError(recipe.id, 'loss', options.loss, losses.join(' or '));
    }
    checkInput(recipe, input.name);
    const limits: Limits = {
      trainLimit: options.trainLimit ?? (options.quick ? recipe.quick.trainLimit : undefined),
      testLimit: options.testLimit ?? (options.quick ? recipe.quick.testLimit : undefined),
    };
    checkLimit(recipe.id, 'trainLimit', limits.trainLimit);
    checkLimit(recipe.id, 'testLimit', limits.testLimit);
    if (recipe.earlyStopping && settings.validationFraction === 0) {
      throw new InvalidOptionError(
        recipe.id,
        'validationFraction',
        settings.validationFraction,
        `a number in (0, 1): the recipe stops early on ${recipe.earlyStopping.monitor}`,
      );
    }
    if (recipe.pretrained === 'required' && !options.pretrained) {
      throw new InvalidOptionError(
        recipe.id,
        'pretrained',
        options.pretrained,
        "a tfjs layers model, such as the MobileNetV2 of @neurona/zoo/node's loadNsfwjsMobileNetV2 (the recipe needs one)",
      );
    }
    if (options.fineTuneFrom !== undefined) {
      if (!recipe.fineTune)
        throw new InvalidOptionError(
          recipe.id,
          'fineTuneFrom',
          options.fineTuneFrom,
          `nothing: the option is for ch11-fine-tuning; '${recipe.id}' does not fine-tune`,
        );
      const names = options.pretrained ? convBase(options.pretrained).layers.map((l) => l.name) : [];
      if (options.pretrained && !names.includes(options.fineTuneFrom)) {
        throw new InvalidOptionError(
          recipe.id,
          'fineTuneFrom',
          options.fineTuneFrom,
          `a layer of the pretrained base; its last layers: ${names.slice(-8).join(', ')}`,
        );
      }
    }
    prepared = prepareWith(recipe, input, settings, rng, limits);
  } catch (error) {
    disposeModels([options.pretrained]);
    throw error;
  }

  const tensors: tf.Tensor[] = [...prepared.train, ...(prepared.validation ?? []), ...prepared.test];
  const own = <T extends tf.Tensor>(t: T) => {
    tensors.push(t);
    return t;
  };
  let model: tfl.LayersModel | undefined;
  let base: tfl.LayersModel | undefined;
  try {
    let [x, y] = prepared.train;
    let validation = prepared.validation;
    let [tx, ty] = prepared.test;
    let inputShape = prepared.inputShape;
    const { pretrained } = options;
    if (pretrained && (recipe.featureExtraction || recipe.fineTune)) {
      // The images go through the pretrained model: they must be of the size it takes.
      const wanted = (pretrained.inputs[0] as tfl.SymbolicTensor).shape.slice(1);
      if (wanted.some((d, i) => d !== null && d !== inputShape[i])) {
        throw new InvalidInputError(
          recipe.id,
          'pretrained',
          `the pretrained model ${pretrained.name} takes ${wanted.map((d) => d ?? 'any').join('×')} inputs but the data is ${inputShape.join('×')}; load the images at that size`,
        );
      }
    }
    let featureSeconds: number | undefined;
    if (recipe.featureExtraction && pretrained) {
      // Run the frozen base once over every image and train only the head (book ch. 11).
      const frozen = convBase(pretrained);
      base = frozen;
      const started = performance.now();
      x = own(await extractFeatures(frozen, x));
      if (validation) validation = [own(await extractFeatures(frozen, validation[0])), validation[1]];
      tx = own(await extractFeatures(frozen, tx));
      featureSeconds = (performance.now() - started) / 1000;
      inputShape = x.shape.slice(1);
    }
    model = recipe.buildModel({
      rng,
      inputShape,
      outputs: prepared.outputs,
      settings,
      ...(pretrained && !recipe.featureExtraction ? { pretrained } : {}),
    });
    const { metrics } = lossFor[recipe.task];
    const loss = options.loss ?? lossFor[recipe.task].loss;
    model.compile({ optimizer: optimizerFor(settings), loss, metrics });

    const timer = new EpochTimer();
    const stepsPerEpoch = Math.ceil((x.shape[0] ?? 0) / settings.batchSize);
    const callbacks: TrainingCallback[] = [timer];
    if (recipe.schedule) callbacks.push(new LearningRateScheduler(recipe.schedule(settings, stepsPerEpoch)));
    if (recipe.earlyStopping) callbacks.push(new EarlyStopping({ ...recipe.earlyStopping, restoreBestWeights: true }));
    callbacks.push(...(options.callbacks ?? []));
    const augment = recipe.augment ? resolveOptions(recipe.augment) : undefined;
    const started = performance.now();
    const trained = model;
    const train = async (epochs: number, extra: Record<string, unknown>, resumeFrom: TrainingState | undefined) =>
      (
        await fit(trained, x, y, {
          epochs,
          batchSize: settings.batchSize,
          rng,
          ...(validation ? { validationData: validation } : {}),
          callbacks,
          ...(resumeFrom ? { resumeFrom } : {}),
          ...(options.checkpoint ? { checkpoint: { ...options.checkpoint, extra } } : {}),
          ...(options.signal ? { signal: options.signal } : {}),
          ...(augment ? { transformBatch: (xb: tf.Tensor) => augmentResolved(xb as tf.Tensor4D, augment, rng) } : {}),
        })
      ).toJSON();
    // Every checkpoint carries what the preparation learnt (a scaler, the class names), so an
    // interrupted run's folder is enough to predict with.
    const kept = {
      ...(prepared.preprocessing ? { preprocessing: prepared.preprocessing } : {}),
      ...(prepared.classNames ? { classNames: prepared.classNames } : {}),
    };
    // A fine-tuning run checkpointed in its second phase goes on there, with the first phase's record.
    const resumedPhase = options.resumeFrom?.extra.phase;
    const record =
      resumedPhase === 'fineTune'
        ? (options.resumeFrom?.extra.firstPhase as RecipeResult['history'])
        : await train(settings.epochs, { phase: 'first', ...kept }, options.resumeFrom);
    if (recipe.fineTune && pretrained) {
      // Phase two (book ch. 11): unfreeze the base's last block, recompile with a low rate.
      const from = options.fineTuneFrom ?? fineTuneLayer(convBase(pretrained));
      const previous = model.optimizer;
      fineTune(model, { from, learningRate: recipe.fineTune.learningRate, loss, metrics });
      previous.dispose();
      const more = await train(
        (options.quick ? recipe.quick.fineTuneEpochs : undefined) ?? recipe.fineTune.epochs,
        { phase: 'fineTune', firstPhase: record, ...kept },
        resumedPhase === 'fineTune' ? options.resumeFrom : undefined,
      );
      const offset = record.epoch.length;
      record.epoch.push(...more.epoch.map((e) => e + offset));
      for (const [key, values] of Object.entries(more.history)) {
        record.history[key] = [...(record.history[key] ?? []), ...values];
      }
    }
    const totalSeconds = (performance.now() - started) / 1000;
    const test: Logs = await evaluate(model, tx, ty, { batchSize: 500 });
    const metric = recipe.expected.metric;
    const value = test[metric] ?? Number.NaN;
    const owned = [model, base, pretrained];
    return {
      model,
      ...(base ? { base } : {}),
      dispose: () => disposeModels(owned),
      history: record,
      test,
      score: {
        metric,
        value,
        bar: recipe.expected.bar,
        meetsBar: metric === 'mae' ? value <= recipe.expected.bar : value >= recipe.expected.bar,
      },
      settings,
      loss,
      ...(prepared.classNames ? { classNames: prepared.classNames } : {}),
      counts: { train: x.shape[0] ?? 0, validation: validation?.[0].shape[0] ?? 0, test: tx.shape[0] ?? 0 },
      epochsRun: record.epoch.length,
      ...(prepared.preprocessing ? { preprocessing: prepared.preprocessing } : {}),
      timing: {
        secondsPerEpoch: mean(timer.epochSeconds),
        trainSamplesPerSec: (x.shape[0] ?? 0) / mean(timer.trainSeconds),
        ...(featureSeconds !== undefined ? { featureSeconds } : {}),
        totalSeconds,
      },
    };
  } catch (error) {
    disposeModels([model, base, options.pretrained]);
    throw error;
  } finally {
    tf.dispose(tensors);
  }
}
