// Node loaders of the chapter-14 recipes: their images, and the classifier their samples are scored with.
import { homedir } from 'node:os';
import { join } from 'node:path';
import { DataFormatError, InvalidOptionError } from '@neurona/core';
import type { LabelledSplit } from '@neurona/datasets';
import { fashionMnistSampleDir, loadFashionMnistSample, loadIdxDataset } from '@neurona/datasets/node';
import type { LabelledImages } from '@neurona/gan';
import { trainScoringClassifier } from '@neurona/gan';
import type { ClassifierInfo } from '@neurona/gan/node';
import { loadScoringClassifier, saveScoringClassifier } from '@neurona/gan/node';
import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import type { GanDataName, GanRecipe } from '../ch14-gan.js';
import { GAN_DATA } from '../ch14-gan.js';
import type { LoadInputOptions } from './loaders.js';

/**
 * The images a GAN recipe trains on: MNIST from wherever it is (or a verified download);
 * Fashion-MNIST likewise, falling back to the bundled 8,000-image sample (with a warning)
 * where the full set is nowhere on this machine. `name` says which it got.
 */
export async function loadGanData(
  recipe: GanRecipe,
  options: LoadInputOptions & { data?: GanDataName } = {},
): Promise<{ data: LabelledSplit; name: GanDataName; dir: string }> {
  const name = options.data ?? recipe.data;
  if (!GAN_DATA.includes(name)) {
    throw new InvalidOptionError(recipe.id, 'data', name, GAN_DATA.join(', '));
  }
  if (name === 'fashion-mnist-sample') {
    if (options.path) {
      throw new InvalidOptionError(
        recipe.id,
        'path',
        options.path,
        "none with data 'fashion-mnist-sample', which ships with @neurona/datasets",
      );
    }
    return { data: await loadFashionMnistSample(), name, dir: fashionMnistSampleDir };
  }
  const data = await loadIdxDataset(name, {
    ...(options.path ? { path: options.path } : {}),
    ...(options.download === false ? { download: false } : {}),
    ...(options.onWarning ? { onWarning: options.onWarning } : {}),
    allowSample: name === 'fashion-mnist',
  });
  const sample = data.located.source === 'sample';
  if (sample) {
    options.onWarning?.(
      `the full Fashion-MNIST is not on this machine (apt-get install dataset-fashion-mnist, or neurona data fetch fashion-mnist): training on the bundled sample of ${data.train.count.toLocaleString('en-US')} images`,
    );
  }
  return { data, name: sample ? 'fashion-mnist-sample' : name, dir: data.located.dir };
}

/**
 * Where scoring classifiers are kept: `$NEURONA_CLASSIFIER_DIR`, or ~/.cache/neurona/classifiers,
 * one folder a data set.
 */
export function defaultClassifierDir(dataName: string): string {
  return join(process.env.NEURONA_CLASSIFIER_DIR || join(homedir(), '.cache', 'neurona', 'classifiers'), dataName);
}

/**
 * Options of `scoringClassifierFor`: its folder, and the seed, epochs, log and stop signal of
 * training it where it is not saved yet.
 */
export interface ScoringClassifierOptions {
  /** The classifier's folder; default `defaultClassifierDir(dataName)`. */
  dir?: string;
  seed?: number;
  epochs?: number;
  log?: (line: string) => void;
  signal?: AbortSignal;
}

/** A labelled image set's first `count` images in [−1, 1], the GAN's range, with their labels. */
function labelled(set: LabelledSplit['train']): LabelledImages {
  const { count, height, width, channels } = set;
  return {
    images: tf.tidy(() =>
      tf.sub(tf.div(tf.tensor4d(set.images, [count, height, width, channels], 'float32'), 127.5), 1),
    ) as tf.Tensor4D,
    labels: tf.tensor1d(set.labels, 'int32'),
  };
}

/**
 * The classifier a data set's samples are scored with: read from its folder, or trained once
 * on the data set's training images (`trainScoringClassifier`, a few minutes on the full
 * Fashion-MNIST) and saved there, so every later run is scored by the same one. A folder
 * holding a classifier of another data set is refused: scores from it would mean nothing.
 */
export async function scoringClassifierFor(
  dataName: string,
  data: LabelledSplit,
  options: ScoringClassifierOptions = {},
): Promise<{ model: tfl.LayersModel; info: ClassifierInfo; dir: string; trained: boolean }> {
  const dir = options.dir ?? defaultClassifierDir(dataName);
  const found = await loadScoringClassifier(dir);
  if (found) {
    if (found.info.data !== dataName) {
      found.model.dispose();
      throw new DataFormatError(
        join(dir, 'classifier.json'),
        `is a classifier of '${found.info.data}', not of '${dataName}': scores from it would not compare; give a folder of a '${dataName}' classifier, or an empty one to train it`,
      );
    }
    return { ...found, dir, trained: false };
  }
  const epochs = options.epochs ?? 3;
  options.log?.(
    `training the scoring classifier of ${dataName} once (${epochs} epochs on ${data.train.count.toLocaleString('en-US')} images); later runs read it from ${dir}`,
  );
  const train = labelled(data.train);
  const test = labelled(data.test);
  try {
    const classifier = await trainScoringClassifier(train, test, {
      seed: options.seed ?? 1,
      epochs,
      ...(options.signal ? { signal: options.signal } : {}),
    });
    const info = await saveScoringClassifier(dir, classifier.model, {
      data: dataName,
      testAccuracy: classifier.testAccuracy,
      testCount: classifier.testCount,
      epochs,
      seed: options.seed ?? 1,
      trainImages: data.train.count,
      seconds: classifier.seconds,
    });
    options.log?.(
      `scoring classifier: test accuracy ${classifier.testAccuracy.toFixed(4)} on ${classifier.testCount.toLocaleString('en-US')} images, trained in ${classifier.seconds.toFixed(0)} s`,
    );
    return { model: classifier.model, info, dir, trained: true };
  } finally {
    tf.dispose([train.images, train.labels, test.images, test.labels]);
  }
}
