import type { BackendReport, Logs } from '@neurona/core';
import { TrainingInterruptedError } from '@neurona/core';
import type { TableRow } from '@neurona/datasets';
import { fetchTable } from '@neurona/datasets';
import type { RecipeInput, RegressionLoss } from '@neurona/recipes';
import { ch09AutoMpgRecipe, prepareRecipeData, runRecipe, settingsFor } from '@neurona/recipes';
import * as tf from '@tensorflow/tfjs';
import { type BackendChoice, chooseBackend } from '../shell/backends.js';
import { WorkQueue } from '../shell/work-queue.js';

/** What the page asks of the engine. */
export type MpgRequest =
  | { type: 'load'; backend: BackendChoice }
  | { type: 'train'; loss: RegressionLoss; epochs?: number }
  | { type: 'stop' };

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
  seconds: number;
}

/** What the engine tells the page. */
export type MpgEvent =
  | { type: 'backend'; report: BackendReport }
  | { type: 'table'; preview: TablePreview }
  | { type: 'begin'; loss: RegressionLoss; maxEpochs: number }
  | { type: 'epoch'; loss: RegressionLoss; epoch: number; logs: Logs }
  | { type: 'done'; run: MpgRun }
  | { type: 'stopped'; loss: RegressionLoss; epoch: number }
  | { type: 'error'; during: MpgRequest['type']; message: string };

/** At most this often epochs go to the page while training (an epoch of 250 cars takes a few ms). */
const POST_MS = 100;

/**
 * The chapter-9 page's work (in a Web Worker, or in the page): loads the Auto MPG table, trains
 * the recipe with early stopping on the MSE or the MAE, and predicts the test cars.
 */
export class MpgEngine {
  private rows: TableRow[] | undefined;
  private controller: AbortController | undefined;

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
    this.queue.add(request.type, () =>
      request.type === 'load' ? this.load(request.backend) : this.train(request.loss, request.epochs),
    );
  }

  private input(): RecipeInput {
    return { kind: 'table', name: 'auto-mpg', rows: this.rows as TableRow[] };
  }

  private async load(backend: BackendChoice) {
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
  }

  private async train(loss: RegressionLoss, epochs: number | undefined) {
    if (!this.rows) throw new Error('the table is not loaded yet');
    const settings = settingsFor(ch09AutoMpgRecipe, epochs ? { epochs } : {});
    this.post({ type: 'begin', loss, maxEpochs: settings.epochs });
    const controller = new AbortController();
    this.controller = controller;
    let pending: { epoch: number; logs: Logs }[] = [];
    let last = 0;
    const flush = () => {
      for (const p of pending) this.post({ type: 'epoch', loss, ...p });
      pending = [];
      last = performance.now();
    };
    const started = performance.now();
    let result: Awaited<ReturnType<typeof runRecipe>>;
    try {
      result = await runRecipe(ch09AutoMpgRecipe, this.input(), epochs ? { epochs } : {}, {
        loss,
        signal: controller.signal,
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
      if (TrainingInterruptedError.isInstance(error)) {
        this.post({ type: 'stopped', loss, epoch: error.epoch });
        return;
      }
      throw error;
    } finally {
      this.controller = undefined;
    }
    flush();
    const seconds = (performance.now() - started) / 1000;
    try {
      // The same seeded split as the run's: its test cars, to plot predictions against the truth.
      const prepared = prepareRecipeData(ch09AutoMpgRecipe, this.input(), result.settings);
      const [tx, ty] = prepared.test;
      const out = tf.tidy(() => result.model.predict(tx) as tf.Tensor);
      const predicted = [...(await out.data())];
      const truth = [...(await ty.data())];
      tf.dispose([out, ...prepared.train, ...(prepared.validation ?? []), ...prepared.test]);
      const valLoss = result.history.history.val_loss ?? [];
      const best = valLoss.reduce((b, v, i) => (v < (valLoss[b] as number) ? i : b), 0);
      const mse = truth.reduce((s, t, i) => s + (t - (predicted[i] as number)) ** 2, 0) / truth.length;
      this.post({
        type: 'done',
        run: {
          loss,
          epochsRun: result.epochsRun,
          maxEpochs: settings.epochs,
          bestEpoch: best + 1,
          stoppedEarly: result.epochsRun < settings.epochs,
          test: { mae: result.test.mae as number, mse },
          truth,
          predicted,
          seconds,
        },
      });
    } finally {
      result.dispose();
    }
  }
}
