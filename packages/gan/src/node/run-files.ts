import { access, readFile } from 'node:fs/promises';
import { isAbsolute, join, normalize } from 'node:path';
import { DataFormatError } from '@neurona/core';
import { fileSystem, writeFileAtomic } from '@neurona/core/node';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';

/** What a GAN folder says about its generator: enough to make images without the run's settings. */
export interface GanInfo {
  format: 'neurona-gan';
  version: 1;
  /** Height, width, channels of the images. */
  imageShape: number[];
  latentDim: number;
  /**
   * The generator's model.json, relative to the folder. Default `generator/model.json`; a
   * browser, whose downloads cannot make folders, writes its files side by side and names its
   * generator's here (`generator-model.json`).
   */
  generator?: string;
  /** Anything else the writer keeps (the recipe, the epoch). */
  [key: string]: unknown;
}

/** The file that describes a saved GAN (both networks and their shapes). */
export const GAN_JSON = 'gan.json';
const GENERATOR = 'generator';
const DISCRIMINATOR = 'discriminator';

/** Saves a model as Keras-shaped model.json + weights.bin, without its training configuration. */
async function saveModel(dir: string, model: tfl.LayersModel) {
  const files = fileSystem(dir);
  await model.save(
    tf.io.withSaveHandler(async (artifacts) =>
      (files.save as tf.io.SaveHandler)({ ...artifacts, trainingConfig: undefined }),
    ),
  );
}

/**
 * Writes both networks into `dir` (`generator/`, `discriminator/`, each model.json +
 * weights.bin) and `gan.json` last, so a folder with gan.json holds a whole GAN.
 */
export async function saveGan(
  dir: string,
  networks: { generator: tfl.LayersModel; discriminator: tfl.LayersModel },
  extra: Record<string, unknown> = {},
): Promise<GanInfo> {
  const { generator, discriminator } = networks;
  await saveModel(join(dir, GENERATOR), generator);
  await saveModel(join(dir, DISCRIMINATOR), discriminator);
  const info: GanInfo = {
    ...extra,
    format: 'neurona-gan',
    version: 1,
    imageShape: generator.outputs[0]?.shape.slice(1) as number[],
    latentDim: generator.inputs[0]?.shape[1] as number,
  };
  await writeFileAtomic(join(dir, GAN_JSON), `${JSON.stringify(info, null, 2)}\n`);
  return info;
}

/**
 * Reads the generator of a folder `saveGan` wrote (yours to dispose) and its gan.json. A folder
 * without them is refused naming what was expected.
 */
export async function loadGenerator(dir: string): Promise<{ generator: tfl.LayersModel; info: GanInfo }> {
  const infoPath = join(dir, GAN_JSON);
  const text = await readFile(infoPath, 'utf8').catch(() => {
    throw new DataFormatError(
      dir,
      `holds no generator: expected ${GAN_JSON} and ${GENERATOR}/model.json, as neurona train ch14-dcgan-fashion writes`,
    );
  });
  let info: GanInfo;
  try {
    info = JSON.parse(text) as GanInfo;
  } catch (error) {
    throw new DataFormatError(infoPath, `is not JSON: ${(error as Error).message}`, {}, { cause: error });
  }
  if (info.format !== 'neurona-gan') {
    throw new DataFormatError(infoPath, `has format ${JSON.stringify(info.format)}; expected "neurona-gan"`);
  }
  const named = info.generator ?? `${GENERATOR}/model.json`;
  if (typeof named !== 'string' || isAbsolute(named) || normalize(named).startsWith('..')) {
    throw new DataFormatError(
      infoPath,
      `names its generator ${JSON.stringify(named)}; expected a model.json path inside ${dir}`,
    );
  }
  const modelJson = join(dir, named);
  await access(modelJson).catch(() => {
    throw new DataFormatError(dir, `has ${GAN_JSON} but no ${named}: the generator was removed`);
  });
  const generator = await tfl.loadLayersModel(fileSystem(modelJson));
  const made = generator.outputs[0]?.shape.slice(1).join();
  if (made !== info.imageShape.join() || generator.inputs[0]?.shape[1] !== info.latentDim) {
    generator.dispose();
    throw new DataFormatError(
      infoPath,
      `says [${info.imageShape}] images from ${info.latentDim} numbers, but ${named} makes [${made}] from ${generator.inputs[0]?.shape[1]}`,
    );
  }
  return { generator, info };
}

/** What a saved scoring classifier says about itself: scores are comparable only from the same one. */
export interface ClassifierFacts {
  /** The data set it was trained on. */
  data: string;
  testAccuracy: number;
  testCount: number;
  epochs: number;
  seed: number;
}

/** The contents of a saved scoring classifier's `classifier.json`. */
export type ClassifierInfo = ClassifierFacts & {
  format: 'neurona-scoring-classifier';
  version: 1;
  /** Anything else the writer kept (training images, seconds). */
  [key: string]: unknown;
};

/** The file that describes a saved scoring classifier. */
export const CLASSIFIER_JSON = 'classifier.json';

/** Writes a scoring classifier (model.json + weights.bin) and classifier.json, last. */
export async function saveScoringClassifier(
  dir: string,
  model: tfl.LayersModel,
  info: ClassifierFacts & Record<string, unknown>,
): Promise<ClassifierInfo> {
  await saveModel(dir, model);
  const full = { ...info, format: 'neurona-scoring-classifier', version: 1 } as ClassifierInfo;
  await writeFileAtomic(join(dir, CLASSIFIER_JSON), `${JSON.stringify(full, null, 2)}\n`);
  return full;
}

/**
 * Reads a scoring classifier `saveScoringClassifier` wrote, or `undefined` when `dir` has none
 * (train one then). A folder with a damaged one is refused naming the file.
 */
export async function loadScoringClassifier(
  dir: string,
): Promise<{ model: tfl.LayersModel; info: ClassifierInfo } | undefined> {
  const infoPath = join(dir, CLASSIFIER_JSON);
  const text = await readFile(infoPath, 'utf8').catch(() => undefined);
  if (text === undefined) return undefined;
  let info: ClassifierInfo;
  try {
    info = JSON.parse(text) as ClassifierInfo;
  } catch (error) {
    throw new DataFormatError(infoPath, `is not JSON: ${(error as Error).message}`, {}, { cause: error });
  }
  if (info.format !== 'neurona-scoring-classifier') {
    throw new DataFormatError(
      infoPath,
      `has format ${JSON.stringify(info.format)}; expected "neurona-scoring-classifier"`,
    );
  }
  return { model: await tfl.loadLayersModel(fileSystem(dir)), info };
}
