import type { BackendReport, TrainingState } from '@neurona/core';
import { disposeTrainingState, TrainingInterruptedError } from '@neurona/core';
import type { ImageSet, LabelledSplit } from '@neurona/datasets';
import { fetchFashionMnistSample } from '@neurona/datasets';
import type { GanLogs, SampleScores } from '@neurona/gan';
import { generateImages, latentNoise, trainScoringClassifier } from '@neurona/gan';
import type { GanBaselines } from '@neurona/recipes';
import { ch14DcganFashionRecipe, ganSettingsFor, runGanRecipe } from '@neurona/recipes';
import * as tf from '@tensorflow/tfjs';
import { type BackendChoice, chooseBackend } from '../shell/backends.js';
import { keptState } from '../shell/kept-state.js';
import { modelFiles } from '../shell/model-export.js';
import { loadModelFiles, type ModelFiles } from '../shell/model-files.js';
import { BrowserModels, type ExportedFile, type RunRecord, type SavedModel } from '../shell/model-store.js';
import { WorkQueue } from '../shell/work-queue.js';

/** The run the page asks for (the rest are the ch14-dcgan-fashion recipe's settings). */
export interface GanTraining {
  epochs: number;
  trainImages: number;
  batchSize: number;
  /** Images each sample score reads. */
  scoreImages: number;
  seed: number;
}

export type GanRequest =
  | { type: 'train'; training: GanTraining; backend: BackendChoice }
  | { type: 'stop' }
  /** Goes on with the run Stop stopped, from the step it stopped at. */
  | { type: 'resume' }
  | { type: 'walk'; from: number; to: number; steps: number }
  /** The generator as files `neurona generate images --model FOLDER` reads. */
  | { type: 'export' }
  /** A generator `neurona train ch14-…` wrote (or this page exported), to draw and walk with. */
  | { type: 'import'; model: ModelFiles; backend: BackendChoice }
  /** Keeps the generator in this browser's IndexedDB, with the run's settings and scores. */
  | { type: 'save'; name: string }
  | { type: 'open'; name: string; backend: BackendChoice }
  | { type: 'delete'; name: string }
  | { type: 'list' };

/** Pictures from the generator: `count` images of 28 × 28, values in [−1, 1]. */
export interface Pictures {
  count: number;
  pixels: Float32Array;
}

export type GanEvent =
  | { type: 'backend'; report: BackendReport }
  | { type: 'status'; text: string }
  | { type: 'classifier'; testAccuracy: number; trained: boolean; seconds: number }
  | { type: 'begin'; epochs: number; stepsPerEpoch: number; trainImages: number }
  | { type: 'baselines'; baselines: GanBaselines; grid: Pictures }
  | { type: 'progress'; epoch: number; epochs: number; batch: number; batches: number; logs: GanLogs }
  | { type: 'epoch'; epoch: number; logs: GanLogs; grid: Pictures; seconds: number }
  | { type: 'stopped'; epoch: number; batch: number }
  | { type: 'resumed'; epoch: number; batch: number }
  | { type: 'done'; final: SampleScores; distanceRatio: number; imagesPerSecond: number }
  | { type: 'walk'; frames: Pictures }
  | { type: 'exported'; files: ExportedFile[] }
  /** A generator loaded (not trained here): the fixed-noise grid it draws, and what its record says. */
  | { type: 'opened'; from: string; epochs: number; grid: Pictures; figure: string }
  | { type: 'saved'; models: SavedModel[] }
  | { type: 'error'; during: GanRequest['type']; message: string };

/** Where the scoring classifier of the sample is kept between visits. */
const CLASSIFIER = 'indexeddb://neurona-gan-classifier-fashion-mnist-sample';
/** The fixed noise of the grid: the same 16 points every epoch, so only the generator changes. */
const GRID_SEED = 7;
const GRID = 16;
const PROGRESS_MS = 200;

function labelled(set: ImageSet) {
  return {
    images: tf.tidy(() =>
      tf.tensor4d(set.images, [set.count, set.height, set.width, set.channels], 'float32').div(255),
    ) as tf.Tensor4D,
    labels: tf.tensor1d(Int32Array.from(set.labels), 'int32'),
  };
}

/**
 * The chapter-14 page's work (in a Web Worker): the Fashion-MNIST sample, the classifier the
 * samples are scored with (trained once, kept in IndexedDB), the DCGAN trained by the gan
 * package's hand-written loop with a grid from fixed noise after every epoch, and a walk through
 * the latent space. Owns the networks.
 */
export class GanEngine {
  private data: LabelledSplit | undefined;
  private classifier: tf.LayersModel | undefined;
  private backend: BackendChoice | undefined;
  private controller: AbortController | undefined;
  /** The generator to draw with (trained here, or loaded), and its record: settings, epochs, scores. */
  private current: { generator: tf.LayersModel; dispose(): void; record: RunRecord } | undefined;
  private readonly store = new BrowserModels('gan');
  /** A run Stop stopped: its settings and an in-memory checkpoint of where it was. */
  private stopped: { training: GanTraining; state: TrainingState } | undefined;
  private latentDim = 100;

  private readonly queue = new WorkQueue<GanRequest['type']>((during, message) =>
    this.post({ type: 'error', during, message }),
  );

  constructor(
    private readonly post: (event: GanEvent, transfer?: Transferable[]) => void,
    private readonly afterBatch?: () => Promise<void>,
  ) {}

  handle(request: GanRequest): void {
    if (request.type === 'stop') {
      this.controller?.abort();
      return;
    }
    this.queue.add(request.type, () => this.work(request));
  }

  private async work(request: Exclude<GanRequest, { type: 'stop' }>) {
    switch (request.type) {
      case 'train':
        this.dropStopped();
        return this.train(request.training, request.backend);
      case 'resume': {
        const stopped = this.stopped;
        if (!stopped || !this.backend) throw new Error('nothing to resume: no run was stopped');
        return this.train(stopped.training, this.backend, stopped.state);
      }
      case 'walk':
        return this.walk(request);
      case 'export':
        return this.export();
      case 'save': {
        if (!this.current) throw new Error('no generator yet: train one first');
        await this.store.save(request.name, this.current.generator, this.current.record);
        return this.list();
      }
      case 'open': {
        await this.useBackend(request.backend);
        const { model, record } = await this.store.load(request.name);
        return this.adopt(model, record, `saved model '${request.name}'`);
      }
      case 'import': {
        await this.useBackend(request.backend);
        const model = await loadModelFiles(request.model);
        return this.adopt(model, { recipe: request.model.recipe ?? ch14DcganFashionRecipe.id }, request.model.file);
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

  /** Chooses the backend; a change frees what was made on the old one. */
  private async useBackend(backend: BackendChoice) {
    if (backend === this.backend) return;
    this.drop();
    this.classifier?.dispose();
    this.classifier = undefined;
    this.post({ type: 'backend', report: await chooseBackend(backend) });
    this.backend = backend;
  }

  private drop() {
    this.current?.dispose();
    this.current = undefined;
  }

  /**
   * A loaded generator becomes the page's, once it maps a noise vector to a 28 × 28 × 1 image as the
   * chapter's does; it draws the grid from the page's fixed noise.
   */
  private async adopt(model: tf.LayersModel, record: RunRecord, file: string) {
    const input = model.inputs[0]?.shape ?? [];
    const output = model.outputs[0]?.shape ?? [];
    if (record.recipe !== ch14DcganFashionRecipe.id || input.length !== 2 || output.join() !== ',28,28,1') {
      model.dispose();
      throw new Error(
        `${file} is not a generator of ${ch14DcganFashionRecipe.id} (${String(record.recipe ?? 'no recipe named')}; inputs [${input.slice(1).join(', ')}], outputs [${output.slice(1).join(', ')}]): it takes a noise vector and draws a 28 × 28 × 1 image`,
      );
    }
    this.drop();
    this.current = { generator: model, dispose: () => model.dispose(), record };
    this.latentDim = input[1] as number;
    const noise = latentNoise(GRID, this.latentDim, GRID_SEED);
    const grid = await this.pictures(model, noise);
    noise.dispose();
    const final = record.final as SampleScores | undefined;
    this.post(
      {
        type: 'opened',
        from: file,
        epochs: Number(record.epochs ?? 0),
        grid,
        figure: final ? `Fréchet distance ${final.frechetDistance.toFixed(1)}` : 'no scores with it',
      },
      [grid.pixels.buffer],
    );
  }

  private dropStopped() {
    if (this.stopped) disposeTrainingState(this.stopped.state);
    this.stopped = undefined;
  }

  private async pictures(generator: tf.LayersModel, noise: tf.Tensor2D): Promise<Pictures> {
    const images = generateImages(generator, noise);
    const pixels = (await images.data()) as Float32Array;
    const count = images.shape[0];
    images.dispose();
    return { count, pixels };
  }

  private async scoringClassifier(data: LabelledSplit): Promise<tf.LayersModel> {
    if (this.classifier) return this.classifier;
    const saved = await tf.loadLayersModel(CLASSIFIER).catch(() => undefined);
    if (saved) {
      const meta = (saved.getUserDefinedMetadata() as { testAccuracy?: number } | undefined) ?? {};
      this.post({ type: 'classifier', testAccuracy: meta.testAccuracy ?? Number.NaN, trained: false, seconds: 0 });
      this.classifier = saved;
      return saved;
    }
    this.post({
      type: 'status',
      text: `training the classifier the samples are scored with, once (3 epochs on ${data.train.count.toLocaleString('en')} images); later visits read it from this browser`,
    });
    const train = labelled(data.train);
    const test = labelled(data.test);
    try {
      const trained = await trainScoringClassifier(train, test, { seed: 1, epochs: 3 });
      trained.model.setUserDefinedMetadata({ testAccuracy: trained.testAccuracy, data: 'fashion-mnist-sample' });
      await trained.model.save(CLASSIFIER);
      this.post({ type: 'classifier', testAccuracy: trained.testAccuracy, trained: true, seconds: trained.seconds });
      this.classifier = trained.model;
      return trained.model;
    } finally {
      tf.dispose([train.images, train.labels, test.images, test.labels]);
    }
  }

  /** Trains from the start, or from `resumeFrom` (a stopped run of these settings). */
  private async train(training: GanTraining, backend: BackendChoice, resumeFrom?: TrainingState) {
    await this.useBackend(backend);
    if (!this.data) {
      this.post({ type: 'status', text: 'loading the Fashion-MNIST sample…' });
      this.data = await fetchFashionMnistSample({ baseUrl: `${import.meta.env.BASE_URL}fashion-mnist-sample/` });
    }
    const data = this.data;
    const classifier = await this.scoringClassifier(data);
    const recipe = ch14DcganFashionRecipe;
    const overrides = {
      epochs: training.epochs,
      trainImages: training.trainImages,
      batchSize: training.batchSize,
      scoreImages: training.scoreImages,
      seed: training.seed,
    };
    const settings = ganSettingsFor(recipe, overrides);
    this.latentDim = settings.latentDim;
    this.drop();
    const stepsPerEpoch = Math.floor(training.trainImages / training.batchSize);
    if (resumeFrom) this.post({ type: 'resumed', epoch: resumeFrom.epoch, batch: resumeFrom.batch });
    else this.post({ type: 'begin', epochs: training.epochs, stepsPerEpoch, trainImages: training.trainImages });
    this.post({ type: 'status', text: 'scoring the untrained generator and the real images…' });
    const noise = latentNoise(GRID, settings.latentDim, GRID_SEED);
    const controller = new AbortController();
    this.controller = controller;
    let generator: tf.LayersModel | undefined;
    let epochStart = performance.now();
    let lastProgress = 0;
    let epochNow = resumeFrom?.epoch ?? 0;
    let latest: TrainingState | undefined;
    try {
      const result = await runGanRecipe(recipe, data, classifier, overrides, {
        signal: controller.signal,
        ...(resumeFrom ? { resumeFrom } : {}),
        // Kept in memory for Resume: the state's tensors are freed after `save`, so it keeps copies.
        checkpoint: {
          save: async (state) => {
            if (latest) disposeTrainingState(latest);
            latest = keptState(state);
          },
        },
        onNetworks: (networks) => {
          generator = networks.generator;
        },
        onBaselines: (baselines) => {
          // Posted once the grid is drawn (below, before the first step).
          void this.pictures(generator as tf.LayersModel, noise).then((grid) => {
            this.post({ type: 'baselines', baselines, grid }, [grid.pixels.buffer]);
            this.post({ type: 'status', text: 'training: each step, the discriminator, then the generator…' });
          });
          epochStart = performance.now();
        },
        callbacks: {
          onBatchEnd: async (batch, logs) => {
            const now = performance.now();
            if (now - lastProgress >= PROGRESS_MS || batch + 1 === stepsPerEpoch) {
              lastProgress = now;
              this.post({
                type: 'progress',
                epoch: epochNow,
                epochs: training.epochs,
                batch: batch + 1,
                batches: stepsPerEpoch,
                logs: { ...logs },
              });
            }
            await this.afterBatch?.();
          },
          onEpochEnd: async (epoch, logs) => {
            epochNow = epoch + 1;
            const grid = await this.pictures(generator as tf.LayersModel, noise);
            this.post(
              {
                type: 'epoch',
                epoch: epoch + 1,
                logs: { ...logs },
                grid,
                seconds: (performance.now() - epochStart) / 1000,
              },
              [grid.pixels.buffer],
            );
            epochStart = performance.now();
          },
        },
      });
      this.current = {
        generator: result.generator,
        dispose: () => result.dispose(),
        // What gan.json of a run says, and the scores the saved model is listed with.
        record: {
          recipe: recipe.id,
          kind: 'gan',
          epochs: result.epochsRun,
          data: 'fashion-mnist-sample',
          settings: training,
          final: result.final,
          distanceRatio: result.score.distanceRatio,
        },
      };
      this.post({
        type: 'done',
        final: result.final,
        distanceRatio: result.score.distanceRatio,
        imagesPerSecond: result.timing.imagesPerSecond,
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
      noise.dispose();
      this.controller = undefined;
    }
    if (latest) disposeTrainingState(latest);
    if (resumeFrom) {
      disposeTrainingState(resumeFrom);
      this.stopped = undefined;
    }
  }

  /**
   * The generator as `neurona generate images` reads it: `gan.json` naming its model side by side
   * (a download cannot make the `generator/` folder `neurona train` writes), the model's JSON and
   * its weights.
   */
  private async export() {
    if (!this.current) throw new Error('no generator yet: train one first');
    const { generator, record } = this.current;
    const { json, weights } = await modelFiles(generator, 'generator-weights.bin');
    const info = {
      format: 'neurona-gan',
      version: 1,
      imageShape: generator.outputs[0]?.shape.slice(1),
      latentDim: generator.inputs[0]?.shape[1],
      generator: 'generator-model.json',
      recipe: ch14DcganFashionRecipe.id,
      epochs: record.epochs,
      data: record.data,
      settings: record.settings,
      backend: tf.getBackend(),
      createdAt: new Date().toISOString(),
      exportedBy: 'the Neurona web app',
    };
    this.post({
      type: 'exported',
      files: [
        { name: 'gan.json', data: `${JSON.stringify(info, null, 2)}\n` },
        { name: 'generator-model.json', data: json },
        { name: 'generator-weights.bin', data: weights },
      ],
    });
  }

  /** Images along a straight line between two points of the latent space, seeded: a walk. */
  private async walk(request: { from: number; to: number; steps: number }) {
    if (!this.current) throw new Error('no generator yet: train one first');
    const steps = Math.min(Math.max(2, Math.trunc(request.steps)), 32);
    const noise = tf.tidy(() => {
      const a = latentNoise(1, this.latentDim, request.from);
      const b = latentNoise(1, this.latentDim, request.to);
      const t = tf.linspace(0, 1, steps).reshape([steps, 1]);
      return a.mul(tf.sub(1, t)).add(b.mul(t)) as tf.Tensor2D;
    });
    const frames = await this.pictures(this.current.generator, noise);
    noise.dispose();
    this.post({ type: 'walk', frames }, [frames.pixels.buffer]);
  }
}
