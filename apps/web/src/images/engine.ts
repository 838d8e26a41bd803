import type { AugmentOptions } from '@neurona/augmentation';
import { augmentImages } from '@neurona/augmentation';
import type { BackendReport, Logs, TrainingState } from '@neurona/core';
import { createRng, disposeTrainingState, TrainingInterruptedError } from '@neurona/core';
import type { ImageSet, LabelledSplit } from '@neurona/datasets';
import type { Recipe } from '@neurona/recipes';
import {
  ch10DogsCatsRecipe,
  ch11AugmentationRecipe,
  ch11FeatureExtractionRecipe,
  ch11FineTuningRecipe,
  runRecipe,
} from '@neurona/recipes';
import { stackHead } from '@neurona/zoo';
import * as tf from '@tensorflow/tfjs';
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
import type { RunName } from './runs.js';
import { SIZE } from './size.js';

export type { RunName } from './runs.js';

/** The fewest images a class needs: some to train on, to validate on and to test on. */
export const MIN_PER_CLASS = 4;
/** At most this often a progress event goes to the page while training. */
const PROGRESS_MS = 150;
/** The share of each class held out for the test. */
const TEST_SHARE = 0.25;

/** A file a person chose, as bytes (a worker cannot read a File's path). */
export interface ChosenFile {
  name: string;
  bytes: ArrayBuffer;
}

/** The recipe of each run (their ids are the page's `RUN_RECIPES`). */
export const RECIPES: Record<RunName, Recipe> = {
  plain: ch10DogsCatsRecipe,
  augmented: ch11AugmentationRecipe,
  features: ch11FeatureExtractionRecipe,
  'fine-tuning': ch11FineTuningRecipe,
};

/**
 * The pretrained base of the transfer runs: the MobileNetV2 (ImageNet weights, fine-tuned by
 * nsfwjs) that the app's build writes out as static files (vite.config.ts).
 */
export const PRETRAINED_MODEL = 'models/nsfwjs-mobilenet-v2/model.json';

export type ImagesRequest =
  | { type: 'load'; classes: { name: string; files: ChosenFile[] }[]; backend: BackendChoice }
  | { type: 'preview'; options: AugmentOptions; count: number }
  | { type: 'train'; runs: { run: RunName; epochs: number }[] }
  | { type: 'stop' }
  /** Goes on with the run Stop stopped, from its batch, then with the runs after it. */
  | { type: 'resume' }
  /** A run's model as a folder `neurona predict` reads (a feature-extraction head stacked on its base). */
  | { type: 'export'; run: RunName }
  | { type: 'save'; run: RunName; name: string }
  /** A model saved in this browser, scored on the test images in the place of its recipe's run. */
  | { type: 'open'; name: string }
  /** A `neurona train` run or an export, likewise. */
  | { type: 'import'; model: ModelFiles }
  | { type: 'delete'; name: string }
  | { type: 'list' };

/** Images as the page draws them: `count` of `SIZE × SIZE × 3` bytes. */
export interface Thumbnails {
  count: number;
  pixels: Uint8Array;
}

export type ImagesEvent =
  | { type: 'backend'; report: BackendReport }
  | {
      type: 'loaded';
      classes: { name: string; images: number; train: number; test: number }[];
      /** Files that are not images, named, with why. */
      skipped: { file: string; className: string; reason: string }[];
      first: Thumbnails;
    }
  | { type: 'preview'; images: Thumbnails }
  /**
   * A run starts (or, `resumed`, goes on); a fine-tuning run opens its base's last block after
   * `opensAfter` epochs.
   */
  | { type: 'begin'; run: RunName; epochs: number; opensAfter?: number; resumed?: boolean }
  /** Where training stands: run `index` of `runs`, its epoch (from 0) and batch (from 1). */
  | {
      type: 'progress';
      run: RunName;
      index: number;
      runs: number;
      epoch: number;
      epochs: number;
      batch: number;
      batches: number;
    }
  /** A transfer run's base is loaded and the images are ready at its size. */
  | { type: 'pretrained'; run: RunName; name: string; layers: number; size: number; seconds: number }
  | { type: 'epoch'; run: RunName; epoch: number; logs: Logs }
  /** A run ended, or (`from`) a model was loaded in its place and scored on the test images. */
  | { type: 'done'; run: RunName; testAccuracy: number; testCount: number; seconds: number; from?: string }
  | { type: 'exported'; files: ExportedFile[] }
  | { type: 'saved'; models: SavedModel[] }
  /** Stopped in `run` after `epoch` whole epochs and `batch` batches of the next. */
  | { type: 'stopped'; run: RunName; epoch: number; batch: number; left: number }
  | { type: 'error'; during: ImagesRequest['type']; message: string };

/**
 * The recipe of a run for `classes` kinds of pictures: the book's for two (one sigmoid unit), and
 * for more the same network and training ending in a softmax of one unit per class.
 */
export function recipeFor(run: RunName, classes: number): Recipe {
  const recipe = RECIPES[run];
  return classes === 2 ? recipe : { ...recipe, task: 'multiclass' };
}

/** Decodes an image file and scales it to `size × size` RGB bytes; throws with the browser's reason. */
async function decode(file: ChosenFile, size: number): Promise<Uint8Array> {
  const bitmap = await createImageBitmap(new Blob([file.bytes])).catch((error: Error) => {
    throw new Error(`not an image the browser can decode (${error.message || error.name})`);
  });
  const canvas = new OffscreenCanvas(size, size);
  const context = canvas.getContext('2d') as OffscreenCanvasRenderingContext2D;
  context.drawImage(bitmap, 0, 0, size, size);
  bitmap.close();
  const rgba = context.getImageData(0, 0, size, size).data;
  const rgb = new Uint8Array(size * size * 3);
  for (let i = 0, j = 0; i < rgba.length; i += 4, j += 3) {
    rgb[j] = rgba[i] as number;
    rgb[j + 1] = rgba[i + 1] as number;
    rgb[j + 2] = rgba[i + 2] as number;
  }
  return rgb;
}

/** One image of the split: its file (decoded again at another size for a transfer run) and label. */
interface Kept {
  file: ChosenFile;
  image: Uint8Array;
  label: number;
}

function imageSet(kept: Kept[], images: Uint8Array[], size: number): ImageSet {
  const pixels = new Uint8Array(images.length * size * size * 3);
  for (const [i, image] of images.entries()) pixels.set(image, i * size * size * 3);
  return {
    images: pixels,
    labels: Uint8Array.from(kept.map((k) => k.label)),
    count: images.length,
    height: size,
    width: size,
    channels: 3,
  };
}

/**
 * The chapters 10–11 page's work (in a Web Worker): the person's images decoded and split, the
 * augmentation previewed on them, and the chapter-10 CNN trained on them without and with
 * augmentation (the ch10-dogs-cats and ch11-augmentation recipes).
 */
export class ImagesEngine {
  private data: LabelledSplit | undefined;
  /** The split's images with their files, and the split decoded at a transfer base's size. */
  private kept: { train: Kept[]; test: Kept[]; classNames: string[] } | undefined;
  private resized: { size: number; data: LabelledSplit } | undefined;
  /** The image the augmentation preview starts from: the first of the first class, as shown. */
  private first: Uint8Array | undefined;
  private controller: AbortController | undefined;
  /** The runs of a stopped Train, the one it stopped in, and an in-memory checkpoint of where. */
  private stopped:
    | { runs: { run: RunName; epochs: number }[]; from: number; state: TrainingState; epochsDone: number }
    | undefined;
  /** Each run's model (one that takes images), with the record `summary.json` and IndexedDB keep. */
  private readonly models: Partial<Record<RunName, { model: tf.LayersModel; dispose(): void; record: RunRecord }>> = {};
  private readonly store = new BrowserModels('images');

  private readonly queue = new WorkQueue<ImagesRequest['type']>((during, message) =>
    this.post({ type: 'error', during, message }),
  );

  constructor(
    private readonly post: (event: ImagesEvent, transfer?: Transferable[]) => void,
    private readonly afterBatch?: () => Promise<void>,
  ) {}

  handle(request: ImagesRequest): void {
    if (request.type === 'stop') {
      this.controller?.abort();
      return;
    }
    this.queue.add(request.type, () => this.work(request));
  }

  private async work(request: Exclude<ImagesRequest, { type: 'stop' }>) {
    if (request.type === 'load') return this.load(request.classes, request.backend);
    if (request.type === 'preview') return this.preview(request.options, request.count);
    if (request.type === 'train') {
      this.dropStopped();
      return this.trainRuns(request.runs, 0);
    }
    if (request.type === 'export') {
      const { model, record } = this.requireModel('export', request.run);
      const { files, transfer } = await runFolderFiles(model, record);
      return this.post({ type: 'exported', files }, transfer);
    }
    if (request.type === 'save') {
      const { model, record } = this.requireModel('save', request.run);
      await this.store.save(request.name, model, record);
      return this.list();
    }
    if (request.type === 'open') {
      const { model, record } = await this.store.load(request.name);
      return this.adopt(model, record, `saved model '${request.name}'`);
    }
    if (request.type === 'import') {
      const model = await loadModelFiles(request.model);
      const record = request.model.recipe ? { recipe: request.model.recipe } : {};
      return this.adopt(model, record, request.model.file);
    }
    if (request.type === 'delete') {
      await this.store.remove(request.name);
      return this.list();
    }
    if (request.type === 'list') return this.list();
    const stopped = this.stopped;
    if (!stopped) throw new Error('nothing to resume: no run was stopped');
    this.stopped = undefined;
    return this.trainRuns(stopped.runs, stopped.from, stopped);
  }

  /** Trains `runs` from index `from` on, the first from `resume` when given; keeps where a Stop left it. */
  private async trainRuns(
    runs: { run: RunName; epochs: number }[],
    from: number,
    resume?: { state: TrainingState; epochsDone: number },
  ) {
    for (let i = from; i < runs.length; i++) {
      const { run, epochs } = runs[i] as { run: RunName; epochs: number };
      const stopped = await this.train(run, epochs, { index: i, runs: runs.length }, i === from ? resume : undefined);
      if (stopped) {
        this.stopped = { runs, from: i, ...stopped };
        return;
      }
    }
  }

  private async list() {
    this.post({ type: 'saved', models: await this.store.list() });
  }

  private requireModel(what: string, run: RunName) {
    const kept = this.models[run];
    if (!kept) throw new Error(`${what}: no ${RECIPES[run].id} model yet; train that run, or load a saved one`);
    return kept;
  }

  /** Puts `model` in the place of `run`'s, freeing the one there. */
  private keep(run: RunName, kept: { model: tf.LayersModel; dispose(): void; record: RunRecord }) {
    this.models[run]?.dispose();
    this.models[run] = kept;
  }

  /**
   * A loaded model in the place of the run of its recipe (the record's, or the plain CNN's), once
   * it proves to take this page's images and tell its classes apart; scored on the test images.
   */
  private async adopt(model: tf.LayersModel, record: RunRecord, file: string) {
    let run: RunName;
    let test: LabelledSplit['test'];
    try {
      const own = this.requireData();
      const recipeId = String(record.recipe ?? ch10DogsCatsRecipe.id);
      const found = (Object.keys(RECIPES) as RunName[]).find((r) => RECIPES[r].id === recipeId);
      if (!found)
        throw new Error(
          `${file} comes from a run of '${recipeId}'; this page takes models of ${Object.values(RECIPES)
            .map((r) => r.id)
            .join(', ')}`,
        );
      run = found;
      const shape = model.inputs[0]?.shape ?? [];
      const size = shape[1];
      if (shape.length !== 4 || shape[3] !== 3 || shape[1] !== shape[2] || typeof size !== 'number')
        throw new Error(
          `${file} takes inputs of [${shape.slice(1).join(', ')}], not colour images${RECIPES[run].featureExtraction ? ': a feature-extraction run of the CLI keeps only its head; this page exports the head stacked on its base' : ''}`,
        );
      const classes = own.classNames.length;
      const outputs = model.outputs[0]?.shape[1];
      if (outputs !== (classes === 2 ? 1 : classes))
        throw new Error(
          `${file} has ${outputs} output${outputs === 1 ? '' : 's'}; the ${classes} classes here (${own.classNames.join(', ')}) need ${classes === 2 ? 1 : classes}`,
        );
      test = size === SIZE ? own.test : await this.testAt(size);
    } catch (error) {
      model.dispose();
      throw error;
    }
    const testAccuracy = await accuracyOn(model, test);
    this.keep(run, {
      model,
      dispose: () => model.dispose(),
      record: { ...record, recipe: RECIPES[run].id, classNames: this.requireData().classNames, testAccuracy },
    });
    this.post({ type: 'done', run, testAccuracy, testCount: test.count, seconds: Number.NaN, from: file });
  }

  /** The test images decoded at `size` (a transfer model's 224). */
  private async testAt(size: number): Promise<LabelledSplit['test']> {
    if (this.resized?.size === size) return this.resized.data.test;
    const kept = this.kept as NonNullable<ImagesEngine['kept']>;
    return imageSet(kept.test, await Promise.all(kept.test.map((k) => decode(k.file, size))), size);
  }

  private dropStopped() {
    if (this.stopped) disposeTrainingState(this.stopped.state);
    this.stopped = undefined;
  }

  private async load(classes: { name: string; files: ChosenFile[] }[], backend: BackendChoice) {
    this.post({ type: 'backend', report: await chooseBackend(backend) });
    const skipped: { file: string; className: string; reason: string }[] = [];
    const decoded: { name: string; images: Uint8Array[]; files: ChosenFile[] }[] = [];
    for (const c of classes) {
      const images: Uint8Array[] = [];
      const files: ChosenFile[] = [];
      for (const file of c.files) {
        try {
          images.push(await decode(file, SIZE));
          files.push(file);
        } catch (error) {
          skipped.push({ file: file.name, className: c.name, reason: (error as Error).message });
        }
      }
      decoded.push({ name: c.name, images, files });
    }
    const usable = decoded.filter((c) => c.images.length > 0);
    if (usable.length < 2)
      throw new Error(
        `the network learns to tell classes apart: give images of two classes or more (${usable.length === 0 ? 'no class has' : `only '${usable[0]?.name}' has`} any)`,
      );
    const few = usable.filter((c) => c.images.length < MIN_PER_CLASS);
    if (few.length > 0)
      throw new Error(
        `${few.map((c) => `'${c.name}' has ${c.images.length} image${c.images.length === 1 ? '' : 's'}`).join(', ')}: each class needs at least ${MIN_PER_CLASS} (to train, validate and test on)`,
      );
    // Each class split the same seeded way: a quarter held out for the test.
    const rng = createRng(42);
    const train: Kept[] = [];
    const test: Kept[] = [];
    const summary = usable.map((c, label) => {
      const order = [...rng.permutation(c.images.length)];
      const held = Math.max(1, Math.round(c.images.length * TEST_SHARE));
      for (const [n, k] of order.entries())
        (n < held ? test : train).push({ file: c.files[k] as ChosenFile, image: c.images[k] as Uint8Array, label });
      return { name: c.name, images: c.images.length, train: c.images.length - held, test: held };
    });
    const classNames = usable.map((c) => c.name);
    // Other images, other classes: the runs' models and a stopped run belong to the ones before.
    for (const run of Object.keys(this.models) as RunName[]) {
      this.models[run]?.dispose();
      delete this.models[run];
    }
    this.dropStopped();
    this.kept = { train, test, classNames };
    this.resized = undefined;
    this.data = {
      train: imageSet(
        train,
        train.map((t) => t.image),
        SIZE,
      ),
      test: imageSet(
        test,
        test.map((t) => t.image),
        SIZE,
      ),
      classNames,
    };
    this.first = usable[0]?.images[0] as Uint8Array;
    this.post({ type: 'loaded', classes: summary, skipped, first: { count: 1, pixels: this.first.slice() } });
  }

  /** `count` augmentations of the first image, seeded: only the options change them. */
  private async preview(options: AugmentOptions, count: number) {
    this.requireData();
    const first = this.first as Uint8Array;
    const out = tf.tidy(() => {
      const one = tf.tensor4d(first, [1, SIZE, SIZE, 3], 'float32');
      const batch = tf.tile(one, [count, 1, 1, 1]);
      return tf
        .clipByValue(augmentImages(batch, options, createRng(1)), 0, 255)
        .round()
        .cast('int32');
    });
    const pixels = Uint8Array.from((await out.data()) as Int32Array);
    out.dispose();
    this.post({ type: 'preview', images: { count, pixels } }, [pixels.buffer]);
  }

  private requireData(): LabelledSplit {
    if (!this.data) throw new Error('no images yet: choose images of two classes first');
    return this.data;
  }

  /**
   * A transfer run's pretrained base, loaded from the app's own files (runRecipe owns it from
   * then on), and the split decoded at the size it takes (kept for the next transfer run).
   */
  private async pretrainedFor(run: RunName): Promise<{ model: tf.LayersModel; data: LabelledSplit }> {
    const started = performance.now();
    const url = new URL(`${import.meta.env.BASE_URL}${PRETRAINED_MODEL}`, globalThis.location.href).href;
    const model = await tf.loadLayersModel(url).catch((error: Error) => {
      throw new Error(`the pretrained MobileNetV2 did not load from ${url}: ${error.message}`);
    });
    const size = (model.inputs[0]?.shape[1] ?? 224) as number;
    if (this.resized?.size !== size) {
      const kept = this.kept as NonNullable<ImagesEngine['kept']>;
      const at = async (part: Kept[]) => imageSet(part, await Promise.all(part.map((k) => decode(k.file, size))), size);
      this.resized = {
        size,
        data: { train: await at(kept.train), test: await at(kept.test), classNames: kept.classNames },
      };
    }
    this.post({
      type: 'pretrained',
      run,
      name: model.name,
      layers: model.layers.length,
      size,
      seconds: (performance.now() - started) / 1000,
    });
    return { model, data: this.resized.data };
  }

  /**
   * One run, from the start or from `resume`; where it stopped when Stop stopped it. A fine-tuning
   * run trains `epochs` with the base frozen, then `epochs` more with its last block open; its
   * epochs are numbered on across both.
   */
  private async train(
    run: RunName,
    epochs: number,
    place: { index: number; runs: number },
    resume?: { state: TrainingState; epochsDone: number },
  ): Promise<{ state: TrainingState; epochsDone: number } | undefined> {
    const own = this.requireData();
    const base = recipeFor(run, own.classNames.length);
    const recipe = base.fineTune ? { ...base, fineTune: { ...base.fineTune, epochs } } : base;
    const total = recipe.fineTune ? 2 * epochs : epochs;
    this.post({
      type: 'begin',
      run,
      epochs: total,
      ...(recipe.fineTune ? { opensAfter: epochs } : {}),
      ...(resume ? { resumed: true } : {}),
    });
    const controller = new AbortController();
    this.controller = controller;
    const started = performance.now();
    let epoch = resume?.epochsDone ?? 0;
    let latest: TrainingState | undefined;
    let lastProgress = 0;
    try {
      const pretrained = recipe.pretrained ? await this.pretrainedFor(run) : undefined;
      const result = await runRecipe(
        recipe,
        { kind: 'images', name: 'dogs-vs-cats', data: pretrained?.data ?? own },
        // Few images: batches of 8 so an epoch is more than one step.
        { epochs, batchSize: 8 },
        {
          signal: controller.signal,
          ...(pretrained ? { pretrained: pretrained.model } : {}),
          ...(resume ? { resumeFrom: resume.state } : {}),
          // Kept in memory for Resume: the state's tensors are freed after `save`, so it keeps copies.
          checkpoint: {
            save: async (state) => {
              if (latest) disposeTrainingState(latest);
              latest = keptState(state);
            },
          },
          callbacks: [
            {
              onBatchEnd: async (batch, _, context) => {
                const now = performance.now();
                if (now - lastProgress >= PROGRESS_MS || batch + 1 === context.stepsPerEpoch) {
                  lastProgress = now;
                  this.post({
                    type: 'progress',
                    run,
                    ...place,
                    epoch,
                    epochs: total,
                    batch: batch + 1,
                    batches: context.stepsPerEpoch,
                  });
                }
                await this.afterBatch?.();
              },
              onEpochEnd: (_, logs) => {
                epoch += 1;
                this.post({ type: 'epoch', run, epoch, logs: { ...logs } });
              },
            },
          ],
        },
      );
      this.post({
        type: 'done',
        run,
        testAccuracy: result.test.accuracy as number,
        testCount: result.counts.test,
        seconds: (performance.now() - started) / 1000,
      });
      // Kept for export and save: a feature-extraction head stacked on its base takes images, as the others.
      this.keep(run, {
        model: result.base ? stackHead(result.base, result.model) : result.model,
        dispose: () => result.dispose(),
        record: {
          recipe: recipe.id,
          settings: result.settings,
          data: { name: 'dogs-vs-cats', ...result.counts },
          classNames: [...(result.classNames ?? own.classNames)],
          epochsRun: result.epochsRun,
          testAccuracy: result.test.accuracy,
        },
      });
      if (latest) disposeTrainingState(latest);
      return undefined;
    } catch (error) {
      if (TrainingInterruptedError.isInstance(error) && latest) {
        this.post({ type: 'stopped', run, epoch, batch: error.batch, left: place.runs - place.index - 1 });
        return { state: latest, epochsDone: epoch };
      }
      if (latest) disposeTrainingState(latest);
      throw error;
    } finally {
      // The state resumed from is spent, whatever happened: a stop keeps its own, newer one.
      if (resume) disposeTrainingState(resume.state);
      this.controller = undefined;
    }
  }
}

/** The share of `test`'s images `model` classes right (pixels scaled to [0, 1], as the recipes train). */
async function accuracyOn(model: tf.LayersModel, test: LabelledSplit['test']): Promise<number> {
  const predicted = tf.tidy(() => {
    const x = tf.div(tf.tensor4d(test.images, [test.count, test.height, test.width, test.channels], 'float32'), 255);
    const out = model.predict(x, { batchSize: 16 }) as tf.Tensor;
    return out.shape[1] === 1 ? tf.greaterEqual(out, 0.5).cast('int32').reshape([-1]) : tf.argMax(out, 1);
  });
  const classes = await predicted.data();
  predicted.dispose();
  return test.labels.reduce((right, label, i) => right + (classes[i] === label ? 1 : 0), 0) / test.count;
}
