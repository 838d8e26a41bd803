import type { BackendReport, Logs, TrainingState } from '@neurona/core';
import { createRng, disposeTrainingState, TrainingInterruptedError } from '@neurona/core';
import type { LabelledSplit } from '@neurona/datasets';
import {
  fashionMnistClassNames,
  fetchFashionMnistSample,
  idxFileNames,
  mnistClassNames,
  readIdxSplits,
} from '@neurona/datasets';
import type { Recipe, RecipeResult, TrainingSettings } from '@neurona/recipes';
import { getRecipe, runRecipe, settingsFor } from '@neurona/recipes';
import type { ConfusionMatrix, WrongPrediction } from '@neurona/viz';
import { confidentlyWrong, confusionMatrix } from '@neurona/viz';
import type { ConvFilters, LayerActivation } from '@neurona/zoo';
import { convFilters, countParameters, layerActivations } from '@neurona/zoo';
import * as tf from '@tensorflow/tfjs';
import { type BackendChoice, chooseBackend } from '../shell/backends.js';
import { keptState } from '../shell/kept-state.js';
import { loadModelFiles, type ModelFiles } from '../shell/model-files.js';
import {
  architectureOf,
  BrowserModels,
  checkArchitecture,
  type ExportedFile,
  runFolderFiles,
  type SavedModel,
} from '../shell/model-store.js';
import { WorkQueue } from '../shell/work-queue.js';
import { fashionRecipes } from './recipes.js';

/** At most this often a progress event goes to the page while training. */
const PROGRESS_MS = 100;
/** The wrong predictions the page shows. */
const WRONG = 12;

/** The data a run trains on: the sample the app serves, or the full set from the person's files. */
export type DataName = 'fashion-mnist-sample' | 'mnist' | 'fashion-mnist';

/** A file the person chose, as bytes (a worker cannot read a File's path). */
export interface ChosenFile {
  name: string;
  bytes: ArrayBuffer;
}

/** What a file is named in MNIST's set, whatever way it was saved (`train-images.idx3-ubyte`, `….gz`). */
function idxKey(name: string): string {
  return name.toLowerCase().replace(/\.gz$/, '').replace(/\./g, '-');
}

/** Gunzips `bytes` when they are gzip (its magic number), in the browser's own DecompressionStream. */
async function gunzip(bytes: Uint8Array): Promise<Uint8Array> {
  if (bytes[0] !== 0x1f || bytes[1] !== 0x8b) return bytes;
  const stream = new Blob([bytes as Uint8Array<ArrayBuffer>]).stream().pipeThrough(new DecompressionStream('gzip'));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

/**
 * MNIST or Fashion-MNIST from the person's four IDX files (gzipped or not, named as the data sets
 * publish them). A missing file is named before anything is read; a file that is not IDX is
 * named with what was wrong.
 */
export async function readIdxFiles(files: ChosenFile[], name: 'mnist' | 'fashion-mnist'): Promise<LabelledSplit> {
  const byKey = new Map(files.map((f) => [idxKey(f.name), f]));
  const wanted = [
    idxFileNames.train.images,
    idxFileNames.train.labels,
    idxFileNames.test.images,
    idxFileNames.test.labels,
  ];
  const missing = wanted.filter((w) => !byKey.has(idxKey(w)));
  if (missing.length > 0)
    throw new Error(
      `missing ${missing.join(', ')}: choose the four IDX files of ${name === 'mnist' ? 'MNIST' : 'Fashion-MNIST'} (${wanted.join(', ')}; gzipped or not)`,
    );
  const file = (wantedName: string) => byKey.get(idxKey(wantedName)) as ChosenFile;
  return readIdxSplits(async (n) => new Uint8Array(file(n).bytes), gunzip, {
    describe: (n) => file(n).name,
    classNames: name === 'mnist' ? mnistClassNames : fashionMnistClassNames,
  });
}

/** What the page asks of the engine. */
export type FashionRequest =
  /** Train on the person's IDX files from now on, or (without files) on the sample again. */
  | { type: 'data'; name: DataName; files?: ChosenFile[] }
  | { type: 'train'; recipe: string; epochs?: number; trainLimit?: number; backend: BackendChoice }
  | { type: 'stop' }
  | { type: 'resume' }
  | { type: 'predict'; pixels: Float32Array }
  | { type: 'activations'; index: number }
  | { type: 'export' }
  | { type: 'import'; model: ModelFiles; recipe: string; backend: BackendChoice }
  | { type: 'save'; name: string }
  | { type: 'load'; name: string; backend: BackendChoice }
  | { type: 'list' }
  | { type: 'delete'; name: string };

/** A test image, its pixels as stored (0–255, 28 × 28). */
export interface TestImage {
  index: number;
  truth: number;
  pixels: Uint8Array;
}

/** What the page shows once a model is trained (or loaded): the test figures and the pictures. */
export interface Figures {
  recipe: string;
  testAccuracy: number;
  testCount: number;
  confusion: ConfusionMatrix;
  wrong: (WrongPrediction & { pixels: Uint8Array })[];
  /** The first convolution's filters; absent for a dense network. */
  filters?: ConvFilters;
  /** Parameters of the model, and its layers' classes in order. */
  parameters: number;
  architecture: string;
}

/** What the engine tells the page. */
export type FashionEvent =
  | { type: 'backend'; report: BackendReport }
  | { type: 'status'; text: string }
  /** The data the next run trains on. */
  | { type: 'data'; name: DataName; classNames: string[]; counts: { train: number; test: number } }
  | {
      type: 'begin';
      recipe: string;
      title: string;
      settings: TrainingSettings;
      classNames: string[];
      counts: { train: number; test: number };
      resumed: boolean;
    }
  | { type: 'progress'; epoch: number; epochs: number; batch: number; batches: number; logs: Logs }
  | { type: 'epoch'; epoch: number; logs: Logs; seconds: number; samplesPerSecond: number }
  | { type: 'stopped'; epoch: number; batch: number }
  | { type: 'done'; figures: Figures; secondsPerEpoch: number; trainSamplesPerSec: number }
  | { type: 'activations'; image: TestImage; maps: LayerActivation[] }
  | { type: 'probabilities'; values: number[] }
  | { type: 'exported'; files: ExportedFile[] }
  | { type: 'saved'; models: SavedModel[] }
  | { type: 'error'; during: FashionRequest['type']; message: string };

/** Where events go, with the buffers that can be moved rather than copied. */
export type Post = (event: FashionEvent, transfer: Transferable[]) => void;

/**
 * The chapter 5 and 8 page's work, wherever it runs (a Web Worker, or the page): loads the
 * Fashion-MNIST sample, trains a recipe with stop and resume, and answers for the trained model
 * (test figures, filters, activations, drawn images, export, IndexedDB). Requests run one at a
 * time in order; `stop` acts at once (after the current batch). Owns the model and every tensor.
 */
export class FashionEngine {
  private data: LabelledSplit | undefined;
  private dataName: DataName = 'fashion-mnist-sample';
  private backend: BackendChoice | undefined;
  private result:
    | { model: tf.LayersModel; dispose(): void; recipe: Recipe; summary: Record<string, unknown> }
    | undefined;
  private run: { recipe: string; epochs?: number; trainLimit?: number } | undefined;
  private controller: AbortController | undefined;
  private checkpoint: TrainingState | undefined;
  private testX: tf.Tensor | undefined;
  private readonly store = new BrowserModels('fashion');

  private readonly queue = new WorkQueue<FashionRequest['type']>((during, message) =>
    this.post({ type: 'error', during, message }, []),
  );

  constructor(
    private readonly post: Post,
    /** Awaited after each batch: in the page, a yield to the event loop so that it keeps drawing. */
    private readonly afterBatch?: () => Promise<void>,
  ) {}

  /** Takes a request from the page. */
  handle(request: FashionRequest): void {
    if (request.type === 'stop') {
      this.controller?.abort();
      return;
    }
    this.queue.add(request.type, () => this.work(request));
  }

  private async work(request: FashionRequest) {
    switch (request.type) {
      case 'data':
        return this.useData(request.name, request.files);
      case 'train':
        await this.useBackend(request.backend);
        this.dropCheckpoint();
        this.run = {
          recipe: request.recipe,
          ...(request.epochs ? { epochs: request.epochs } : {}),
          ...(request.trainLimit ? { trainLimit: request.trainLimit } : {}),
        };
        return this.train(undefined);
      case 'resume':
        if (!this.checkpoint || !this.run) throw new Error('nothing to resume: no run was stopped');
        return this.train(this.checkpoint);
      case 'predict':
        return this.predict(request.pixels);
      case 'activations':
        return this.activations(request.index);
      case 'export':
        return this.export();
      case 'import':
        await this.useBackend(request.backend);
        return this.import(request.model, request.recipe);
      case 'save':
        return this.save(request.name);
      case 'load':
        await this.useBackend(request.backend);
        return this.load(request.name);
      case 'list':
        return this.list();
      case 'delete':
        await this.store.remove(request.name);
        return this.list();
      case 'stop':
        return;
    }
  }

  private async useBackend(choice: BackendChoice) {
    if (choice === this.backend) return;
    this.clear();
    // Every logical core for the WASM backend (core's default): the CNNs train 1.4x faster on two.
    const report = await chooseBackend(choice);
    this.backend = choice;
    this.post({ type: 'backend', report }, []);
  }

  /** Reads the person's files (or forgets them, for the sample); the model and checkpoint go. */
  private async useData(name: DataName, files: ChosenFile[] | undefined) {
    if (name !== 'fashion-mnist-sample' && !files) throw new Error(`${name}: choose its four IDX files`);
    const data = name === 'fashion-mnist-sample' ? undefined : await readIdxFiles(files as ChosenFile[], name);
    this.clear();
    this.data = data;
    this.dataName = name;
    const loaded = await this.loadData();
    this.post(
      {
        type: 'data',
        name,
        classNames: [...loaded.classNames],
        counts: { train: loaded.train.count, test: loaded.test.count },
      },
      [],
    );
  }

  private async loadData(): Promise<LabelledSplit> {
    if (!this.data) {
      this.post({ type: 'status', text: 'loading the Fashion-MNIST sample…' }, []);
      this.data = await fetchFashionMnistSample({ baseUrl: `${import.meta.env.BASE_URL}fashion-mnist-sample/` });
    }
    return this.data;
  }

  private async train(resumeFrom: TrainingState | undefined) {
    const run = this.run as NonNullable<FashionEngine['run']>;
    if (!fashionRecipes.includes(run.recipe))
      throw new Error(`recipe '${run.recipe}' does not train on this page; allowed: ${fashionRecipes.join(', ')}`);
    const recipe = getRecipe(run.recipe);
    const data = await this.loadData();
    this.clearModel();
    const settings = settingsFor(recipe, run.epochs ? { epochs: run.epochs } : {});
    const trainCount = Math.min(run.trainLimit ?? data.train.count, data.train.count);
    this.post(
      {
        type: 'begin',
        recipe: recipe.id,
        title: recipe.title,
        settings,
        classNames: [...data.classNames],
        counts: { train: trainCount, test: data.test.count },
        resumed: resumeFrom !== undefined,
      },
      [],
    );
    const controller = new AbortController();
    this.controller = controller;
    let epochStart = 0;
    let lastProgress = 0;
    let currentEpoch = resumeFrom?.epoch ?? 0;
    let done: RecipeResult;
    try {
      done = await runRecipe(
        recipe,
        { kind: 'images', name: this.dataName, data },
        run.epochs ? { epochs: run.epochs } : {},
        {
          ...(run.trainLimit ? { trainLimit: run.trainLimit } : {}),
          ...(resumeFrom ? { resumeFrom } : {}),
          signal: controller.signal,
          // Kept in memory for resume: the state's tensors are freed after `save`, so it keeps copies.
          checkpoint: {
            save: async (state) => {
              if (this.checkpoint !== resumeFrom) this.dropCheckpoint();
              this.checkpoint = keptState(state);
            },
            everyEpochs: 1,
          },
          callbacks: [
            {
              onEpochBegin: () => {
                epochStart = performance.now();
              },
              onBatchEnd: async (batch, logs, context) => {
                const now = performance.now();
                if (now - lastProgress >= PROGRESS_MS || batch + 1 === context.stepsPerEpoch) {
                  lastProgress = now;
                  this.post(
                    {
                      type: 'progress',
                      epoch: currentEpoch,
                      epochs: context.epochs,
                      batch: batch + 1,
                      batches: context.stepsPerEpoch,
                      logs: { ...logs },
                    },
                    [],
                  );
                }
                await this.afterBatch?.();
              },
              onEpochEnd: (epoch, logs) => {
                const seconds = (performance.now() - epochStart) / 1000;
                currentEpoch = epoch + 1;
                this.post(
                  {
                    type: 'epoch',
                    epoch: epoch + 1,
                    logs: { ...logs },
                    seconds,
                    samplesPerSecond: trainCount / seconds,
                  },
                  [],
                );
              },
            },
          ],
        },
      );
    } catch (error) {
      if (TrainingInterruptedError.isInstance(error)) {
        this.post({ type: 'stopped', epoch: error.epoch, batch: error.batch }, []);
        return;
      }
      throw error;
    } finally {
      this.controller = undefined;
      // The state resumed from is spent once the run has saved a newer one (or finished).
      if (resumeFrom && resumeFrom !== this.checkpoint) disposeTrainingState(resumeFrom);
    }
    this.dropCheckpoint();
    this.result = {
      model: done.model,
      dispose: () => done.dispose(),
      recipe,
      summary: {
        recipe: recipe.id,
        settings: done.settings,
        data: { name: this.dataName, ...done.counts },
        classNames: done.classNames,
        epochsRun: done.epochsRun,
        testAccuracy: done.test.accuracy,
        preprocessing: done.preprocessing,
      },
    };
    const figures = await this.figures();
    this.post(
      {
        type: 'done',
        figures,
        secondsPerEpoch: done.timing.secondsPerEpoch,
        trainSamplesPerSec: done.timing.trainSamplesPerSec,
      },
      [],
    );
    await this.activations(figures.wrong[0]?.index ?? 0);
  }

  /** The test part as the recipes see it: every test image, pixels scaled to [0, 1]. */
  private testImages(): tf.Tensor {
    const test = (this.data as LabelledSplit).test;
    this.testX ??= tf.tidy(() =>
      tf.tensor4d(test.images, [test.count, test.height, test.width, test.channels], 'float32').div(255),
    );
    return this.testX;
  }

  /** The trained model's test figures: accuracy, confusion matrix, the surest mistakes, the filters. */
  private async figures(): Promise<Figures> {
    const { model, recipe } = this.result as NonNullable<FashionEngine['result']>;
    const data = this.data as LabelledSplit;
    const x = this.testImages(); // made outside the tidy, which would free it
    const probabilities = tf.tidy(() => model.predict(x, { batchSize: 500 }) as tf.Tensor);
    const values = (await probabilities.data()) as Float32Array;
    const predicted = (await tf.tidy(() => tf.argMax(probabilities, 1)).data()) as Int32Array;
    probabilities.dispose();
    const classes = data.classNames.length;
    const confusion = confusionMatrix(data.test.labels, predicted, data.classNames);
    const size = data.test.height * data.test.width * data.test.channels;
    const wrong = confidentlyWrong(values, data.test.labels, classes, WRONG).map((w) => ({
      ...w,
      pixels: data.test.images.slice(w.index * size, (w.index + 1) * size),
    }));
    const hasConv = model.layers.some((l) => l.getClassName() === 'Conv2D');
    return {
      recipe: recipe.id,
      testAccuracy: confusion.accuracy,
      testCount: confusion.total,
      confusion,
      wrong,
      ...(hasConv ? { filters: await convFilters(model) } : {}),
      parameters: countParameters(model).total,
      architecture: architectureOf(model),
    };
  }

  private requireModel(what: string): tf.LayersModel {
    if (!this.result) throw new Error(`${what}: no model yet; train one, or load a saved one`);
    return this.result.model;
  }

  /** Each convolution's feature maps for a test image (book ch. 8.2). */
  private async activations(index: number) {
    const model = this.requireModel('activations');
    if (!model.layers.some((l) => l.getClassName() === 'Conv2D')) return;
    const test = (this.data as LabelledSplit).test;
    const i = Math.min(Math.max(0, Math.trunc(index)), test.count - 1);
    const size = test.height * test.width * test.channels;
    const x = this.testImages(); // made outside the tidy, which would free it
    const image = tf.tidy(() => x.slice([i, 0, 0, 0], [1, test.height, test.width, test.channels]));
    const maps = await layerActivations(model, image);
    image.dispose();
    this.post(
      {
        type: 'activations',
        image: { index: i, truth: test.labels[i] as number, pixels: test.images.slice(i * size, (i + 1) * size) },
        maps,
      },
      maps.map((m) => m.values.buffer),
    );
  }

  /** The class probabilities of a drawn image: 28 × 28 values in [0, 1], ink high, as the data's. */
  private async predict(pixels: Float32Array) {
    const model = this.requireModel('predict');
    if (pixels.length !== 28 * 28) throw new Error(`predict: ${pixels.length} pixels; the models take 28 × 28 = 784`);
    const out = tf.tidy(() => model.predict(tf.tensor4d(pixels, [1, 28, 28, 1])) as tf.Tensor);
    const values = [...((await out.data()) as Float32Array)];
    out.dispose();
    this.post({ type: 'probabilities', values }, []);
  }

  /**
   * The model as `neurona train` writes a run folder: `model.json`, `weights.bin` and a
   * `summary.json` naming the recipe, so `neurona evaluate FOLDER` scores it.
   */
  private async export() {
    const { model, summary } = this.result ?? {};
    if (!model || !summary) throw new Error('export: no model yet; train one, or load a saved one');
    const { files, transfer } = await runFolderFiles(model, summary);
    this.post({ type: 'exported', files }, transfer);
  }

  /**
   * A model from files (a `neurona train` run folder, or this page's export): refused unless its
   * layers are those of the recipe it names (its `summary.json`) or, without one, the page's recipe.
   */
  private async import(files: ModelFiles, pageRecipe: string) {
    const recipeId = files.recipe ?? pageRecipe;
    if (!fashionRecipes.includes(recipeId)) {
      throw new Error(
        `${files.file} comes from a run of '${recipeId}', which this page does not train; it takes models of ${fashionRecipes.join(', ')}`,
      );
    }
    const model = await loadModelFiles(files);
    await this.adopt(model, recipeId, files.file, {});
  }

  /** Makes a loaded model the page's, once it proves to be the recipe's architecture. */
  private async adopt(model: tf.LayersModel, recipeId: string, file: string, carried: Record<string, unknown>) {
    const recipe = getRecipe(recipeId);
    const expected = recipe.buildModel({
      rng: createRng(1),
      inputShape: [28, 28, 1],
      outputs: 10,
      settings: settingsFor(recipe),
    });
    try {
      checkArchitecture(model, expected, file, recipe.id);
    } catch (error) {
      model.dispose();
      throw error;
    } finally {
      expected.dispose();
    }
    const data = await this.loadData();
    this.dropCheckpoint();
    this.clearModel();
    this.result = {
      model,
      dispose: () => model.dispose(),
      recipe,
      summary: { recipe: recipe.id, settings: settingsFor(recipe), classNames: [...data.classNames], ...carried },
    };
    const figures = await this.figures();
    Object.assign(this.result.summary, {
      testAccuracy: figures.testAccuracy,
      data: { name: this.dataName, train: 0, validation: 0, test: figures.testCount },
    });
    this.post({ type: 'done', figures, secondsPerEpoch: Number.NaN, trainSamplesPerSec: Number.NaN }, []);
    await this.activations(figures.wrong[0]?.index ?? 0);
  }

  /** Saves the model in the browser's IndexedDB, with what the page needs to show it again. */
  private async save(name: string) {
    const { model, summary } = this.result ?? {};
    if (!model || !summary) throw new Error('save: no model yet; train one first');
    await this.store.save(name, model, summary);
    await this.list();
  }

  private async load(name: string) {
    const { model, record } = await this.store.load(name);
    await this.adopt(model, String(record.recipe ?? ''), `saved model '${name}'`, record);
  }

  private async list() {
    this.post({ type: 'saved', models: await this.store.list() }, []);
  }

  private dropCheckpoint() {
    if (this.checkpoint) disposeTrainingState(this.checkpoint);
    this.checkpoint = undefined;
  }

  private clearModel() {
    this.result?.dispose();
    this.result = undefined;
  }

  /** Frees everything made on the current backend (before switching to another). */
  private clear() {
    this.clearModel();
    this.dropCheckpoint();
    this.testX?.dispose();
    this.testX = undefined;
  }
}
