import type { AugmentOptions } from '@neurona/augmentation';
import { augmentImages } from '@neurona/augmentation';
import type { BackendReport, Logs } from '@neurona/core';
import { createRng, TrainingInterruptedError } from '@neurona/core';
import type { ImageSet, LabelledSplit } from '@neurona/datasets';
import type { Recipe } from '@neurona/recipes';
import { ch10DogsCatsRecipe, ch11AugmentationRecipe, runRecipe } from '@neurona/recipes';
import { dogsCatsCnn } from '@neurona/zoo';
import * as tf from '@tensorflow/tfjs';
import { type BackendChoice, chooseBackend } from '../shell/backends.js';
import { WorkQueue } from '../shell/work-queue.js';
import { SIZE } from './size.js';

/** The fewest images a class needs: some to train on, to validate on and to test on. */
export const MIN_PER_CLASS = 4;
/** The share of each class held out for the test. */
const TEST_SHARE = 0.25;

/** A file a person chose, as bytes (a worker cannot read a File's path). */
export interface ChosenFile {
  name: string;
  bytes: ArrayBuffer;
}

/** Which run: the chapter-10 CNN as it is, or chapter 11's with Dropout on augmented batches. */
export type RunName = 'plain' | 'augmented';

export type ImagesRequest =
  | { type: 'load'; classes: { name: string; files: ChosenFile[] }[]; backend: BackendChoice }
  | { type: 'preview'; options: AugmentOptions; count: number }
  | { type: 'train'; runs: RunName[]; epochs: number }
  | { type: 'stop' };

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
  | { type: 'begin'; run: RunName; epochs: number }
  | { type: 'epoch'; run: RunName; epoch: number; logs: Logs }
  | { type: 'done'; run: RunName; testAccuracy: number; testCount: number; seconds: number }
  | { type: 'stopped'; run: RunName; epoch: number }
  | { type: 'error'; during: ImagesRequest['type']; message: string };

/**
 * The chapter-10 or -11 recipe for `classes` kinds of pictures: the book's for two (one sigmoid
 * unit), and for more the same network and training ending in a softmax of one unit per class.
 */
export function recipeFor(recipe: Recipe, classes: number): Recipe {
  if (classes === 2) return recipe;
  return {
    ...recipe,
    task: 'multiclass',
    buildModel: ({ rng, inputShape }) =>
      dogsCatsCnn({
        rng,
        inputShape: inputShape as [number, number, number],
        dropout: recipe.id === ch11AugmentationRecipe.id,
        classes,
      }),
  };
}

/** Decodes an image file and scales it to `SIZE × SIZE` RGB bytes; throws with the browser's reason. */
async function decode(file: ChosenFile): Promise<Uint8Array> {
  const bitmap = await createImageBitmap(new Blob([file.bytes])).catch((error: Error) => {
    throw new Error(`not an image the browser can decode (${error.message || error.name})`);
  });
  const canvas = new OffscreenCanvas(SIZE, SIZE);
  const context = canvas.getContext('2d') as OffscreenCanvasRenderingContext2D;
  context.drawImage(bitmap, 0, 0, SIZE, SIZE);
  bitmap.close();
  const rgba = context.getImageData(0, 0, SIZE, SIZE).data;
  const rgb = new Uint8Array(SIZE * SIZE * 3);
  for (let i = 0, j = 0; i < rgba.length; i += 4, j += 3) {
    rgb[j] = rgba[i] as number;
    rgb[j + 1] = rgba[i + 1] as number;
    rgb[j + 2] = rgba[i + 2] as number;
  }
  return rgb;
}

function imageSet(images: Uint8Array[], labels: number[]): ImageSet {
  const pixels = new Uint8Array(images.length * SIZE * SIZE * 3);
  for (const [i, image] of images.entries()) pixels.set(image, i * SIZE * SIZE * 3);
  return {
    images: pixels,
    labels: Uint8Array.from(labels),
    count: images.length,
    height: SIZE,
    width: SIZE,
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
  /** The image the augmentation preview starts from: the first of the first class, as shown. */
  private first: Uint8Array | undefined;
  private controller: AbortController | undefined;

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
    for (const run of request.runs) {
      const stopped = await this.train(run, request.epochs);
      if (stopped) return;
    }
  }

  private async load(classes: { name: string; files: ChosenFile[] }[], backend: BackendChoice) {
    this.post({ type: 'backend', report: await chooseBackend(backend) });
    const skipped: { file: string; className: string; reason: string }[] = [];
    const decoded: { name: string; images: Uint8Array[] }[] = [];
    for (const c of classes) {
      const images: Uint8Array[] = [];
      for (const file of c.files) {
        try {
          images.push(await decode(file));
        } catch (error) {
          skipped.push({ file: file.name, className: c.name, reason: (error as Error).message });
        }
      }
      decoded.push({ name: c.name, images });
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
    const train: { image: Uint8Array; label: number }[] = [];
    const test: { image: Uint8Array; label: number }[] = [];
    const summary = usable.map((c, label) => {
      const order = [...rng.permutation(c.images.length)];
      const held = Math.max(1, Math.round(c.images.length * TEST_SHARE));
      for (const [n, k] of order.entries()) (n < held ? test : train).push({ image: c.images[k] as Uint8Array, label });
      return { name: c.name, images: c.images.length, train: c.images.length - held, test: held };
    });
    this.data = {
      train: imageSet(
        train.map((t) => t.image),
        train.map((t) => t.label),
      ),
      test: imageSet(
        test.map((t) => t.image),
        test.map((t) => t.label),
      ),
      classNames: usable.map((c) => c.name),
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

  /** One run; true when it was stopped. */
  private async train(run: RunName, epochs: number): Promise<boolean> {
    const data = this.requireData();
    const recipe = recipeFor(run === 'plain' ? ch10DogsCatsRecipe : ch11AugmentationRecipe, data.classNames.length);
    this.post({ type: 'begin', run, epochs });
    const controller = new AbortController();
    this.controller = controller;
    const started = performance.now();
    try {
      const result = await runRecipe(
        recipe,
        { kind: 'images', name: 'dogs-vs-cats', data },
        // Few images: batches of 8 so an epoch is more than one step.
        { epochs, batchSize: 8 },
        {
          signal: controller.signal,
          callbacks: [
            {
              onBatchEnd: async () => {
                await this.afterBatch?.();
              },
              onEpochEnd: (epoch, logs) => this.post({ type: 'epoch', run, epoch: epoch + 1, logs: { ...logs } }),
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
      result.dispose();
      return false;
    } catch (error) {
      if (TrainingInterruptedError.isInstance(error)) {
        this.post({ type: 'stopped', run, epoch: error.epoch });
        return true;
      }
      throw error;
    } finally {
      this.controller = undefined;
    }
  }
}
