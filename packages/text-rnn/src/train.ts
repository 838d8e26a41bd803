import type { History, Logs, TrainingCallback, TrainingState } from '@neurona/core';
import { createRng, DataFormatError, evaluate, fit, InvalidOptionError } from '@neurona/core';
import { CharVocabulary, type VocabularyJSON } from '@neurona/preprocessing';
import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { prepareCorpus, unigramEntropy, windowTensors } from './corpus.js';
import type { CharModelShape } from './model.js';
import { charLanguageModel, compileCharModel, resolveShape } from './model.js';
import { checkInteger } from './options.js';

/** How a character model trains: window length, batch, epochs, learning rate, seed, validation share. */
export interface LanguageModelTraining {
  /** Characters per training window; default 100 (the book). */
  sequenceLength?: number;
  /** Windows per batch; default 64 (the book). */
  batchSize?: number;
  epochs: number;
  /** Adam's learning rate; default 0.002. */
  learningRate?: number;
  seed: number;
  /** The share of the text at its end held out for the `val_loss` curve; default 0.1. */
  validationFraction?: number;
}

/** Options of `trainLanguageModel`: the training settings, the model's shape, callbacks, checkpoints and resume. */
export interface TrainLanguageModelOptions extends LanguageModelTraining {
  model?: CharModelShape;
  /** Names the text in messages (a file path, a corpus name). */
  source?: string;
  callbacks?: TrainingCallback[];
  /** A checkpoint of a run with the same text, model and settings (see core's `fit`). */
  resumeFrom?: TrainingState;
  /** Where checkpoints go; each keeps the vocabulary and the model's shape with it. */
  checkpoint?: { save(state: TrainingState): Promise<void>; everyEpochs?: number };
  signal?: AbortSignal;
}

/** What `trainLanguageModel` checkpoints beside the weights, so a run can be resumed and generated from. */
export interface LanguageModelCheckpointExtra {
  vocabulary: VocabularyJSON;
  model: Required<CharModelShape>;
  sequenceLength: number;
}

/** A trained character model with its vocabulary, settings, losses, baselines and timing. */
export interface LanguageModelRun {
  /** Yours to keep; `dispose()` frees it. */
  model: tfl.LayersModel;
  vocabulary: CharVocabulary;
  shape: Required<CharModelShape>;
  settings: Required<LanguageModelTraining>;
  history: History;
  /** Validation loss in nats per character, per epoch (also in `history`). */
  validationLoss: number[];
  /** What the validation loss is judged against, in nats per character. */
  baselines: { unigramEntropy: number; untrainedModel: number };
  counts: { trainCharacters: number; validationCharacters: number; trainWindows: number; vocabulary: number };
  timing: { seconds: number; trainCharactersPerSecond: number };
  epochsRun: number;
  dispose(): void;
}

/**
 * Trains the character-level language model of book 13.3 on `text`: the last
 * `validationFraction` is held out, the rest cut into windows of `sequenceLength` + 1,
 * Adam on sparse cross-entropy from logits, through core's `fit` — so checkpoints (with
 * the vocabulary), `resumeFrom` and `signal` work as for every other recipe, and a run
 * resumed from a checkpoint ends with the weights an uninterrupted one would.
 *
 * @example
 * ```ts
 * const run = await trainLanguageModel(text, { epochs: 3, seed: 1, model: { units: 256 } });
 * console.log(run.validationLoss, run.baselines);
 * ```
 */
export async function trainLanguageModel(text: string, options: TrainLanguageModelOptions): Promise<LanguageModelRun> {
  const settings: Required<LanguageModelTraining> = {
    sequenceLength: options.sequenceLength ?? 100,
    batchSize: options.batchSize ?? 64,
    epochs: options.epochs,
    learningRate: options.learningRate ?? 0.002,
    seed: options.seed,
    validationFraction: options.validationFraction ?? 0.1,
  };
  const where = 'trainLanguageModel';
  checkInteger(where, 'epochs', settings.epochs, 1, 1_000_000);
  checkInteger(where, 'batchSize', settings.batchSize, 1, 1_000_000);
  checkInteger(where, 'seed', settings.seed, 0);
  if (!(settings.learningRate > 0 && settings.learningRate <= 10)) {
    throw new InvalidOptionError(where, 'learningRate', settings.learningRate, 'a number in (0, 10]');
  }
  const shape = resolveShape(options.model);
  const source = options.source ?? 'the text';
  const saved = options.resumeFrom?.extra as Partial<LanguageModelCheckpointExtra> | undefined;
  const vocabulary = saved?.vocabulary ? CharVocabulary.fromJSON(saved.vocabulary) : undefined;
  if (saved?.model && JSON.stringify(saved.model) !== JSON.stringify(shape)) {
    throw new InvalidOptionError(
      where,
      'model',
      shape,
      `the checkpoint's model ${JSON.stringify(saved.model)}: resume with the shape the run was started with`,
    );
  }
  if (saved?.sequenceLength !== undefined && saved.sequenceLength !== settings.sequenceLength) {
    throw new InvalidOptionError(
      where,
      'sequenceLength',
      settings.sequenceLength,
      `${saved.sequenceLength}, the checkpoint's`,
    );
  }
  const corpus = prepareCorpus(text, { ...settings, source });
  if (vocabulary && vocabulary.tokens.join('') !== corpus.vocabulary.tokens.join('')) {
    const added = corpus.vocabulary.tokens.filter((t) => !vocabulary.tokens.includes(t));
    throw new DataFormatError(
      source,
      `is not the text the checkpoint was trained on: its vocabulary has ${corpus.vocabulary.size} tokens, the checkpoint's ${vocabulary.size}` +
        (added.length > 0 ? ` (new: ${JSON.stringify(added.slice(0, 10).join(''))})` : '') +
        '; resume with the same text',
    );
  }
  const rng = createRng(settings.seed);
  const model = charLanguageModel({ ...shape, vocabularySize: corpus.vocabulary.size, rng });
  const owned: tf.Tensor[] = [];
  try {
    compileCharModel(model, tf.train.adam(settings.learningRate));
    const [x, y] = windowTensors(corpus.train, settings.sequenceLength);
    owned.push(x, y);
    if (x.shape[0] === 0) throw new DataFormatError(source, 'makes no training window');
    const [vx, vy] = windowTensors(corpus.validation, settings.sequenceLength);
    owned.push(vx, vy);
    const oneHot = shape.encoding === 'one-hot';
    const size = corpus.vocabulary.size;
    const validationX = oneHot ? tf.tidy(() => tf.oneHot(vx, size).toFloat()) : vx;
    if (oneHot) owned.push(validationX);
    const untrained = (await evaluate(model, validationX, vy, { batchSize: settings.batchSize })).loss as number;
    const extra: LanguageModelCheckpointExtra = {
      vocabulary: corpus.vocabulary.toJSON(),
      model: shape,
      sequenceLength: settings.sequenceLength,
    };
    const trained: Logs[] = [];
    let seconds = 0;
    let started = 0;
    const timer: TrainingCallback = {
      onEpochBegin: () => {
        started = performance.now();
      },
      onEpochEnd: (_epoch: number, logs: Logs) => {
        seconds += (performance.now() - started) / 1000;
        trained.push(logs);
      },
    };
    const history = await fit(model, x, y, {
      epochs: settings.epochs,
      batchSize: settings.batchSize,
      rng,
      validationData: [validationX, vy],
      callbacks: [...(options.callbacks ?? []), timer],
      ...(oneHot ? { transformBatch: (ids: tf.Tensor) => tf.oneHot(ids as tf.Tensor2D, size).toFloat() } : {}),
      ...(options.resumeFrom ? { resumeFrom: options.resumeFrom } : {}),
      ...(options.checkpoint ? { checkpoint: { ...options.checkpoint, extra: { ...extra } } } : {}),
      ...(options.signal ? { signal: options.signal } : {}),
    });
    const trainWindows = x.shape[0] as number;
    tf.dispose(owned);
    owned.length = 0;
    return {
      model,
      vocabulary: corpus.vocabulary,
      shape,
      settings,
      history,
      validationLoss: (history.history.val_loss ?? []).map(Number),
      baselines: { unigramEntropy: unigramEntropy(corpus.train, corpus.vocabulary.size), untrainedModel: untrained },
      counts: {
        trainCharacters: corpus.train.length,
        validationCharacters: corpus.validation.length,
        trainWindows,
        vocabulary: corpus.vocabulary.size,
      },
      timing: {
        seconds,
        trainCharactersPerSecond:
          trained.length > 0 ? (trainWindows * settings.sequenceLength * trained.length) / seconds : Number.NaN,
      },
      epochsRun: history.epoch.length,
      dispose: () => disposeModel(model),
    };
  } catch (error) {
    tf.dispose(owned);
    disposeModel(model);
    throw error;
  }
}

/** Frees a trained model and its optimizer's slots (Adam's moments), which `model.dispose()` leaves. */
function disposeModel(model: tfl.LayersModel) {
  model.optimizer?.dispose();
  model.dispose();
}
