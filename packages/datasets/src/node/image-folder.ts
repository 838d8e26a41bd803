/// <reference types="@tensorflow/tfjs-core/dist/public/chained_ops/register_all_chained_ops" />
// (Types only: tensor methods such as x.slice(), which @tensorflow/tfjs registers at run time.)
// Labelled image folders, as the book's Dogs vs Cats chapter and Keras's
// `image_dataset_from_directory`: one sub-folder per class, decoded in batches so a folder
// larger than memory can be trained on. Its own entry point (`@neurona/datasets/image-folder`)
// because it needs TensorFlow.js and @neurona/core, which the rest of the package does not.
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { createRng } from '@neurona/core';
import { FileNotFoundError, InvalidInputError, InvalidOptionError } from '@neurona/errors';
import * as tf from '@tensorflow/tfjs-core';
import * as tfd from '@tensorflow/tfjs-data';
import type { ImageSet } from '../image-set.js';
import { loadSharp } from './image-file.js';

/** The file endings an image folder reads; other files are skipped. */
export const imageExtensions = ['.jpg', '.jpeg', '.png', '.webp', '.gif', '.bmp', '.tif', '.tiff'];

/**
 * Options of `imageFolder`, as Keras's `image_dataset_from_directory`: size, channels, batch,
 * validation split, label mode, shuffle, seed.
 */
export interface ImageFolderOptions {
  /** `[height, width]` every image is resized to (aspect ratio not kept, as Keras). Default [256, 256]. */
  imageSize?: [number, number];
  /** Default 32. */
  batchSize?: number;
  /** Share of the files held out as `validation`, in (0, 1). */
  validationSplit?: number;
  /** Seeds the split and the shuffles. Default 1337. */
  seed?: number;
  /** `'int'` (default), `'categorical'` (one-hot) or `'binary'` (two classes, float 0/1). */
  labelMode?: 'int' | 'categorical' | 'binary';
  /** 3 (RGB, default) or 1 (grey). */
  channels?: 1 | 3;
  /** Reshuffle the training files every epoch. Default true. */
  shuffle?: boolean;
  /** Where the one-line warnings for undecodable images go. Default `console.warn`. */
  onWarning?: (message: string) => void;
}

/** One image file of a folder and its class. */
export interface ImageFile {
  path: string;
  label: number;
}

/** A folder of images in one sub-folder per class, listed and ready to read batch by batch. */
export interface ImageFolder {
  classNames: string[];
  /** Files of the training part (all files without `validationSplit`). */
  trainFiles: ImageFile[];
  validationFiles: ImageFile[];
  /** Batches `{xs: float32 [b, h, w, c] in 0..255, ys}` for `fitDataset`; decoded a batch at a time. */
  training: tfd.Dataset<tf.TensorContainer>;
  validation: tfd.Dataset<tf.TensorContainer> | undefined;
  /** Images skipped because they did not decode, counted as the datasets are read. */
  readonly skipped: number;
}

async function isDirectory(path: string) {
  return (await stat(path).catch(() => undefined))?.isDirectory() ?? false;
}

/** Lists `dir`'s class folders and their images, or explains what is wrong with the folder. */
export async function listImageFolder(dir: string): Promise<{ classNames: string[]; files: ImageFile[] }> {
  if (!(await isDirectory(dir))) throw new FileNotFoundError(dir, `imageFolder: ${dir} is not a folder`);
  const entries = (await readdir(dir, { withFileTypes: true })).filter((e) => e.isDirectory()).map((e) => e.name);
  const classNames = entries.sort();
  if (classNames.length < 2) {
    throw new InvalidInputError(
      'imageFolder',
      'dir',
      `${dir} has ${classNames.length} class folder${classNames.length === 1 ? ` ('${classNames[0]}')` : 's'}; a classifier needs at least 2, one sub-folder per class`,
    );
  }
  const files: ImageFile[] = [];
  for (const [label, name] of classNames.entries()) {
    const images = (await readdir(join(dir, name)))
      .filter((f) => imageExtensions.includes(f.slice(f.lastIndexOf('.')).toLowerCase()))
      .sort();
    if (images.length === 0) {
      throw new InvalidInputError(
        'imageFolder',
        'dir',
        `class folder '${name}' in ${dir} has no images (${imageExtensions.join(', ')})`,
      );
    }
    for (const f of images) files.push({ path: join(dir, name, f), label });
  }
  return { classNames, files };
}

/**
 * Reads a folder of labelled images as Keras's `image_dataset_from_directory` does: class
 * names from the sub-folders (sorted), a seeded split into training and validation, and
 * datasets that decode (with sharp), resize and batch a batch at a time. An image that
 * does not decode is skipped with a warning and counted, never a crash mid-epoch.
 */
export async function imageFolder(dir: string, options: ImageFolderOptions = {}): Promise<ImageFolder> {
  const {
    imageSize = [256, 256],
    batchSize = 32,
    validationSplit,
    seed = 1337,
    labelMode = 'int',
    channels = 3,
    shuffle = true,
    onWarning = (m: string) => console.warn(m),
  } = options;
  if (!imageSize.every((v) => Number.isInteger(v) && v >= 1)) {
    throw new InvalidOptionError('imageFolder', 'imageSize', imageSize, '[height, width] of positive integers');
  }
  if (!(Number.isInteger(batchSize) && batchSize >= 1))
    throw new InvalidOptionError('imageFolder', 'batchSize', batchSize, 'an integer >= 1');
  if (validationSplit !== undefined && !(validationSplit > 0 && validationSplit < 1)) {
    throw new InvalidOptionError('imageFolder', 'validationSplit', validationSplit, 'a number in (0, 1)');
  }
  if (!['int', 'categorical', 'binary'].includes(labelMode)) {
    throw new InvalidOptionError('imageFolder', 'labelMode', labelMode, 'int, categorical, binary');
  }
  if (channels !== 1 && channels !== 3) throw new InvalidOptionError('imageFolder', 'channels', channels, '1, 3');
  const { classNames, files } = await listImageFolder(dir);
  if (labelMode === 'binary' && classNames.length !== 2) {
    throw new InvalidOptionError(
      'imageFolder',
      'labelMode',
      labelMode,
      `int, categorical ('binary' needs exactly 2 classes; ${dir} has ${classNames.length}: ${classNames.join(', ')})`,
    );
  }
  const sharp = await loadSharp();
  const rng = createRng(seed);
  const order = rng.permutation(files.length);
  const nValidation = validationSplit ? Math.max(1, Math.round(files.length * validationSplit)) : 0;
  const validationFiles = Array.from(order.subarray(0, nValidation), (i) => files[i] as ImageFile);
  const trainFiles = Array.from(order.subarray(nValidation), (i) => files[i] as ImageFile);
  const [height, width] = imageSize;
  const pixels = height * width * channels;
  let skipped = 0;

  const decode = async (file: ImageFile): Promise<Uint8Array | undefined> => {
    try {
      let pipeline = sharp(file.path, { failOn: 'error' }).removeAlpha().resize(width, height, { fit: 'fill' });
      pipeline = channels === 1 ? pipeline.grayscale() : pipeline.toColourspace('srgb');
      const data = await pipeline.raw().toBuffer();
      return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
    } catch (error) {
      skipped += 1;
      onWarning(`imageFolder: skipped ${file.path}: ${(error as Error).message.split('\n')[0]}`);
      return undefined;
    }
  };

  const labelsTensor = (labels: number[]) => {
    if (labelMode === 'int') return tf.tensor1d(labels, 'int32');
    if (labelMode === 'binary') return tf.tensor2d(labels, [labels.length, 1], 'float32');
    return tf.oneHot(tf.tensor1d(labels, 'int32'), classNames.length).toFloat();
  };

  const datasetOf = (part: ImageFile[], reshuffle: boolean) =>
    tfd.generator(async function* () {
      const epochOrder = reshuffle
        ? rng.permutation(part.length)
        : Int32Array.from({ length: part.length }, (_, i) => i);
      for (let start = 0; start < part.length; start += batchSize) {
        const batch = Array.from(epochOrder.subarray(start, start + batchSize), (i) => part[i] as ImageFile);
        const decoded = await Promise.all(batch.map(decode));
        const kept = batch.flatMap((file, i) => (decoded[i] ? [{ file, data: decoded[i] as Uint8Array }] : []));
        if (kept.length === 0) continue;
        const xs = new Float32Array(kept.length * pixels);
        for (const [i, k] of kept.entries()) xs.set(k.data, i * pixels);
        yield tf.tidy(() => ({
          xs: tf.tensor4d(xs, [kept.length, height, width, channels]),
          ys: labelsTensor(kept.map((k) => k.file.label)),
        }));
      }
    } as unknown as () => Iterator<tf.TensorContainer>);

  return {
    classNames,
    trainFiles,
    validationFiles,
    training: datasetOf(trainFiles, shuffle),
    validation: nValidation ? datasetOf(validationFiles, false) : undefined,
    get skipped() {
      return skipped;
    },
  };
}

/**
 * Reads a whole labelled image folder into memory as one `ImageSet` of bytes (every image
 * resized to `imageSize`, aspect ratio not kept, as Keras), in a seeded shuffled order,
 * for data sets as small as the book's 2,000 Dogs vs Cats photos. Undecodable images are
 * skipped with a warning; `skipped` counts them.
 */
export async function loadImageSet(
  dir: string,
  options: Pick<ImageFolderOptions, 'imageSize' | 'channels' | 'seed' | 'onWarning'> & { limit?: number } = {},
): Promise<{ set: ImageSet; classNames: string[]; skipped: number }> {
  const { imageSize = [256, 256], channels = 3, seed = 1337, onWarning = (m: string) => console.warn(m) } = options;
  if (!imageSize.every((v) => Number.isInteger(v) && v >= 1)) {
    throw new InvalidOptionError('loadImageSet', 'imageSize', imageSize, '[height, width] of positive integers');
  }
  if (channels !== 1 && channels !== 3) throw new InvalidOptionError('loadImageSet', 'channels', channels, '1, 3');
  const { classNames, files } = await listImageFolder(dir);
  const order = Array.from(createRng(seed).permutation(files.length), (i) => files[i] as ImageFile).slice(
    0,
    options.limit ?? files.length,
  );
  const sharp = await loadSharp();
  const [height, width] = imageSize;
  const pixels = height * width * channels;
  const images = new Uint8Array(order.length * pixels);
  const labels: number[] = [];
  let skipped = 0;
  // A few decodes at a time: sharp runs them on its own threads.
  for (let start = 0; start < order.length; start += 16) {
    const batch = order.slice(start, start + 16);
    const decoded = await Promise.all(
      batch.map(async (file) => {
        try {
          let pipeline = sharp(file.path, { failOn: 'error' }).removeAlpha().resize(width, height, { fit: 'fill' });
          pipeline = channels === 1 ? pipeline.grayscale() : pipeline.toColourspace('srgb');
          return await pipeline.raw().toBuffer();
        } catch (error) {
          skipped += 1;
          onWarning(`loadImageSet: skipped ${file.path}: ${(error as Error).message.split('\n')[0]}`);
          return undefined;
        }
      }),
    );
    batch.forEach((file, i) => {
      const data = decoded[i];
      if (!data) return;
      images.set(data, labels.length * pixels);
      labels.push(file.label);
    });
  }
  const count = labels.length;
  if (count === 0 && order.length > 0) {
    throw new InvalidInputError(
      'loadImageSet',
      'dir',
      `none of the ${order.length} images in ${dir} decodes (every one was skipped; see the warnings above); it needs at least one JPEG, PNG or WebP that opens`,
    );
  }
  return {
    set: {
      images: images.subarray(0, count * pixels),
      labels: Uint8Array.from(labels),
      count,
      height,
      width,
      channels,
    },
    classNames,
    skipped,
  };
}
