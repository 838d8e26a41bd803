import type { BackendReport, Logs, TrainingState } from '@neurona/core';
import { createRng, disposeTrainingState, TrainingInterruptedError } from '@neurona/core';
import type { TableRow } from '@neurona/datasets';
import { fetchTable } from '@neurona/datasets';
import type { RecipeInput, RegressionLoss } from '@neurona/recipes';
import { ch09AutoMpgRecipe, prepareRecipeData, runRecipe, settingsFor } from '@neurona/recipes';
import * as tf from '@tensorflow/tfjs';
import { type BackendChoice, chooseBackend } from '../shell/backends.js';
import { keptState } from '../shell/kept-state.js';
import { loadModelFiles, type ModelFiles } from '../shell/model-files.js';
import {
  BrowserModels,
  checkArchitecture,
  type ExportedFile,
  type RunRecord,
  runFolderFiles,
  type SavedModel,
} from '../shell/model-store.js';
import { WorkQueue } from '../shell/work-queue.js';

/** What the page asks of the engine. */
export type MpgRequest =
  | { type: 'load'; backend: BackendChoice }
  | { type: 'train'; loss: RegressionLoss; epochs?: number }
  | { type: 'stop' }
  /** Goes on with the run Stop stopped, from the epoch it was in. */
  | { type: 'resume' }
  /** The model of the run on `loss`, as a folder `neurona evaluate` reads. */
  | { type: 'export'; loss: RegressionLoss }
  /** A `neurona train ch09-auto-mpg` run (or an export), scored on the test cars in place of the run on its loss. */
  | { type: 'import'; model: ModelFiles }
  | { type: 'save'; loss: RegressionLoss; name: string }
  /** A model saved in this browser, in the place of the run on its loss. */
  | { type: 'open'; name: string }
  | { type: 'delete'; name: string }
  | { type: 'list' };

/** The table as the page previews it. */
export interface TablePreview {
  columns: string[];
  /** The first rows, as read. */
  rows: TableRow[];
  total: number;
  /** Rows without an mpg or a horsepower, dropped before the split (the book drops 6). */
  dropped: number;
  /** The seeded split of the rest (validation from the training part, for early stopping). */
  split: { train: number; validation: number; test: number };
  features: string[];
}

/** One run's outcome: the test figures, where early stopping stopped, and the test predictions. */
export interface MpgRun {
  loss: RegressionLoss;
  epochsRun: number;
  maxEpochs: number;
  /** The epoch (from 1) whose weights early stopping kept: the lowest validation loss. */
  bestEpoch: number;
  /** True when early stopping ended it before `maxEpochs`. */
  stoppedEarly: boolean;
  test: { mae: number; mse: number };
  truth: number[];
  predicted: number[];
  /** NaN for a model loaded rather than trained here. */
  seconds: number;
  /** Where a model not trained here came from: `saved model 'mse-1'`, `model.json`. */
  from?: string;
}

/** What the engine tells the page. */
export type MpgEvent =
  | { type: 'backend'; report: BackendReport }
  | { type: 'table'; preview: TablePreview }
  /** A run starts, or (`resumed`) goes on from where Stop left it. */
  | { type: 'begin'; loss: RegressionLoss; maxEpochs: number; resumed?: boolean }
  | { type: 'epoch'; loss: RegressionLoss; epoch: number; logs: Logs }
  | { type: 'done'; run: MpgRun }
  | { type: 'stopped'; loss: RegressionLoss; epoch: number }
  | { type: 'exported'; files: ExportedFile[] }
  | { type: 'saved'; models: SavedModel[] }
  | { type: 'error'; during: MpgRequest['type']; message: string };

/** At most this often epochs go to the page while training (an epoch of 250 cars takes a few ms). */
const POST_MS = 100;

/** A model of the page's: the run (or loaded model) and the record `summary.json` and IndexedDB keep with it. */
interface Kept {
  model: tf.LayersModel;
  dispose(): void;
  run: MpgRun;
  record: RunRecord;
}

/**
 * The chapter-9 page's work (in a Web Worker, or in the page): loads the Auto MPG table, trains
 * the recipe with early stopping on the MSE or the MAE (Stop keeps an in-memory checkpoint that
 * Resume goes on from), predicts the test cars, and exports, saves, loads and imports the models.
 * Owns every tensor and model; requests run one at a time, `stop` at once.
 */
export class MpgEngine {
  private rows: TableRow[] | undefined;
  private controller: AbortController | undefined;
  /** The models of the runs, by the loss they trained on. */
  private readonly kept: Partial<Record<RegressionLoss, Kept>> = {};
  /** A stopped run: its loss and epochs, and where it was. */
  private stopped: { loss: RegressionLoss; epochs: number | undefined; state: TrainingState } | undefined;
  private readonly store = new BrowserModels('auto-mpg');

  private readonly queue = new WorkQueue<MpgRequest['type']>((during, message) =>
    this.post({ type: 'error', during, message }),
  );

  constructor(
    private readonly post: (event: MpgEvent) => void,
    private readonly afterBatch?: () => Promise<void>,
  ) {}

  handle(request: MpgRequest): void {
    if (request.type === 'stop') {
      this.controller?.abort();
      return;
    }
    this.queue.add(request.type, () => this.work(request));
  }

  private async work(request: Exclude<MpgRequest, { type: 'stop' }>) {
    switch (request.type) {
      case 'load':
        return this.loadTable(request.backend);
      case 'train':
        this.dropStopped();
        return this.train(request.loss, request.epochs);
      case 'resume': {
        const stopped = this.stopped;
        if (!stopped) throw new Error('nothing to resume: no run was stopped');
        this.stopped = undefined;
        return this.train(stopped.loss, stopped.epochs, stopped.state);
      }
      case 'export': {
        const { model, record } = this.requireKept('export', request.loss);
        const { files } = await runFolderFiles(model, record);
        this.post({ type: 'exported', files });
        return;
      }
      case 'import':
        return this.adopt(await loadModelFiles(request.model), {}, request.model.file, request.model.recipe);
      case 'save': {
        const { model, record } = this.requireKept('save', request.loss);
        await this.store.save(request.name, model, record);
        return this.list();
      }
      case 'open': {
        const { model, record } = await this.store.load(request.name);
        return this.adopt(model, record, `saved model '${request.name}'`, String(record.recipe ?? ''));
      }
      case 'delete':
        await this.store.remove(request.name);
        return this.list();
      case 'list':
        return this.list();
    }
  }

  private async list() {
    this.post({ type: 'saved', models: await this.store.list() });
  }

  private requireKept(what: string, loss: RegressionLoss): Kept {
    const kept = this.kept[loss];
    if (!kept) throw new Error(`${what}: no model trained on the ${loss} yet; train one, or load a saved one`);
    return kept;
  }

  private input(): RecipeInput {
    return { kind: 'table', name: 'auto-mpg', rows: this.rows as TableRow[] };
  }

  private async loadTable(backend: BackendChoice) {
    // One WASM thread: a network of 64 units is too small for a second one to pay (the Playground's finding).
    this.post({ type: 'backend', report: await chooseBackend(backend, { wasmThreads: 1 }) });
    this.rows = await fetchTable('auto-mpg', { baseUrl: import.meta.env.BASE_URL });
    const rows = this.rows;
    const settings = settingsFor(ch09AutoMpgRecipe);
    const prepared = prepareRecipeData(ch09AutoMpgRecipe, this.input(), settings);
    const count = (t: tf.Tensor | undefined) => t?.shape[0] ?? 0;
    const split = {
      train: count(prepared.train[0]),
      validation: count(prepared.validation?.[0]),
      test: count(prepared.test[0]),
    };
    tf.dispose([...prepared.train, ...(prepared.validation ?? []), ...prepared.test]);
    this.post({
      type: 'table',
      preview: {
        columns: Object.keys(rows[0] ?? {}),
        rows: rows.slice(0, 8),
        total: rows.length,
        dropped: rows.length - split.train - split.validation - split.test,
        split,
        features: (prepared.preprocessing?.columns as string[] | undefined) ?? [],
      },
    });
    await this.list();
  }

  /** The test cars (the recipe's seeded split) through `model`: the truth and the predictions. */
  private async predictTest(model: tf.LayersModel, settings = settingsFor(ch09AutoMpgRecipe)) {
    const prepared = prepareRecipeData(ch09AutoMpgRecipe, this.input(), settings);
    try {
      const [tx, ty] = prepared.test;
      const out = tf.tidy(() => model.predict(tx) as tf.Tensor);
      const predicted = [...(await out.data())];
      out.dispose();
      const truth = [...(await ty.data())];
      const mae = truth.reduce((s, t, i) => s + Math.abs(t - (predicted[i] as number)), 0) / truth.length;
      const mse = truth.reduce((s, t, i) => s + (t - (predicted[i] as number)) ** 2, 0) / truth.length;
      return { truth, predicted, mae, mse };
    } finally {
      tf.dispose([...prepared.train, ...(prepared.validation ?? []), ...prepared.test]);
    }
  }

  /** Puts a model in the place of the run on `loss`, freeing the one there. */
  private keep(loss: RegressionLoss, kept: Kept) {
    this.kept[loss]?.dispose();
    this.kept[loss] = kept;
    this.post({ type: 'done', run: kept.run });
  }

  /**
   * A loaded model (saved here, a CLI run, an export) in the place of the run on the loss its
   * record names (MSE when it names none, as `neurona train` trains), once it proves to be the
   * recipe's network for this table; scored on the test cars.
   */
  private async adopt(model: tf.LayersModel, record: RunRecord, file: string, recipeId: string | undefined) {
    try {
      if (!this.rows) throw new Error('the table is not loaded yet');
      if (recipeId && recipeId !== ch09AutoMpgRecipe.id)
        throw new Error(`${file} comes from a run of '${recipeId}'; this page takes models of ${ch09AutoMpgRecipe.id}`);
      const features = this.featureCount();
      if (model.inputs[0]?.shape[1] !== features)
        throw new Error(`${file} takes ${model.inputs[0]?.shape[1]} features a car; this table gives ${features}`);
      const expected = ch09AutoMpgRecipe.buildModel({
        rng: createRng(1),
        inputShape: [features],
        outputs: 1,
        settings: settingsFor(ch09AutoMpgRecipe),
      });
      try {
        checkArchitecture(model, expected, file, ch09AutoMpgRecipe.id);
      } finally {
        expected.dispose();
      }
    } catch (error) {
      model.dispose();
      throw error;
    }
    const loss: RegressionLoss = record.loss === 'meanAbsoluteError' ? 'meanAbsoluteError' : 'meanSquaredError';
    const test = await this.predictTest(model);
    const epochsRun = Number(record.epochsRun ?? Number.NaN);
    this.keep(loss, {
      model,
      dispose: () => model.dispose(),
      record: { ...record, recipe: ch09AutoMpgRecipe.id, loss, testMae: test.mae },
      run: {
        loss,
        epochsRun,
        maxEpochs: Number((record.settings as { epochs?: number } | undefined)?.epochs ?? Number.NaN),
        bestEpoch: Number(record.bestEpoch ?? Number.NaN),
        stoppedEarly: record.stoppedEarly === true,
        test: { mae: test.mae, mse: test.mse },
        truth: test.truth,
        predicted: test.predicted,
        seconds: Number.NaN,
        from: file,
      },
    });
  }

  /** The number of features the table's preprocessing gives (one-hot origin included). */
  private featureCount(): number {
    const prepared = prepareRecipeData(ch09AutoMpgRecipe, this.input(), settingsFor(ch09AutoMpgRecipe));
    const features = prepared.test[0].shape[1] as number;
    tf.dispose([...prepared.train, ...(prepared.validation ?? []), ...prepared.test]);
    return features;
  }

  /** One run on `loss`, from the start or from a stopped run's state (which it frees). */
  private async train(loss: RegressionLoss, epochs: number | undefined, resumeFrom?: TrainingState) {
    if (!this.rows) throw new Error('the table is not loaded yet');
    const settings = settingsFor(ch09AutoMpgRecipe, epochs ? { epochs } : {});
    this.post({ type: 'begin', loss, maxEpochs: settings.epochs, ...(resumeFrom ? { resumed: true } : {}) });
    const controller = new AbortController();
    this.controller = controller;
    let pending: { epoch: number; logs: Logs }[] = [];
    let last = 0;
    const flush = () => {
      for (const p of pending) this.post({ type: 'epoch', loss, ...p });
      pending = [];
      last = performance.now();
    };
    let latest: TrainingState | undefined;
    const started = performance.now();
    let result: Awaited<ReturnType<typeof runRecipe>>;
    try {
      result = await runRecipe(ch09AutoMpgRecipe, this.input(), epochs ? { epochs } : {}, {
        loss,
        signal: controller.signal,
        ...(resumeFrom ? { resumeFrom } : {}),
        // Only Stop's moment is kept (in memory, for Resume): a checkpoint every epoch would copy
        // the weights a thousand times for nothing.
        checkpoint: {
          everyEpochs: settings.epochs,
          save: async (state) => {
            if (latest) disposeTrainingState(latest);
            latest = keptState(state);
          },
        },
        callbacks: [
          {
            onBatchEnd: async () => {
              await this.afterBatch?.();
            },
            onEpochEnd: (epoch, logs) => {
              pending.push({ epoch: epoch + 1, logs: { ...logs } });
              if (performance.now() - last >= POST_MS) flush();
            },
          },
        ],
      });
    } catch (error) {
      flush();
      if (TrainingInterruptedError.isInstance(error) && latest) {
        this.stopped = { loss, epochs, state: latest };
        this.post({ type: 'stopped', loss, epoch: error.epoch });
        return;
      }
      if (latest) disposeTrainingState(latest);
      throw error;
    } finally {
      this.controller = undefined;
      if (resumeFrom) disposeTrainingState(resumeFrom);
    }
    flush();
    if (latest) disposeTrainingState(latest);
    const seconds = (performance.now() - started) / 1000;
    try {
      // The same seeded split as the run's: its test cars, to plot predictions against the truth.
      const test = await this.predictTest(result.model, result.settings);
      const valLoss = result.history.history.val_loss ?? [];
      const best = valLoss.reduce((b, v, i) => (v < (valLoss[b] as number) ? i : b), 0);
      const run: MpgRun = {
        loss,
        epochsRun: result.epochsRun,
        maxEpochs: settings.epochs,
        bestEpoch: best + 1,
        stoppedEarly: result.epochsRun < settings.epochs,
        test: { mae: result.test.mae as number, mse: test.mse },
        truth: test.truth,
        predicted: test.predicted,
        seconds,
      };
      const { model } = result;
      this.keep(loss, {
        model,
        dispose: () => result.dispose(),
        run,
        // As `neurona train` writes summary.json, and what the page shows again when it loads the model.
        record: {
          recipe: ch09AutoMpgRecipe.id,
          settings: result.settings,
          loss,
          data: { name: 'auto-mpg', ...result.counts },
          epochsRun: result.epochsRun,
          bestEpoch: run.bestEpoch,
          stoppedEarly: run.stoppedEarly,
          testMae: run.test.mae,
          ...(result.preprocessing ? { preprocessing: result.preprocessing } : {}),
        },
      });
    } catch (error) {
      result.dispose();
      throw error;
    }
  }

  private dropStopped() {
    if (this.stopped) disposeTrainingState(this.stopped.state);
    this.stopped = undefined;
  }
}
