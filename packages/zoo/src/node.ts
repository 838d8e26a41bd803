// Node-only model loading: files on disk, and the MobileNetV2 that the npm package
// `nsfwjs` ships inside its JavaScript files.
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import * as tf from '@tensorflow/tfjs';

interface BundledModel {
  modelTopology: object;
  weightsManifest: { paths: string[]; weights: tf.io.WeightsManifestEntry[] }[];
}

/** The name `loadModel` and the CLI's `--pretrained` give the model below. */
export const NSFWJS_MOBILENET_V2 = 'nsfwjs-mobilenet-v2';

/**
 * Loads the MobileNetV2 layers model that the npm package `nsfwjs` (4.x) ships offline:
 * 224×224×3 inputs in [0, 1], 162 layers, ImageNet weights fine-tuned to 5 classes
 * (uint8-quantised). A real pretrained convolutional base for feature extraction and
 * fine-tuning (book ch. 11) on a machine that cannot download ImageNet weights.
 * `nsfwjs` is an optional peer dependency: install it to use this.
 */
export async function loadNsfwjsMobileNetV2(options: { resolveFrom?: string } = {}): Promise<tf.LayersModel> {
  const require = createRequire(options.resolveFrom ?? import.meta.url);
  let main: string;
  try {
    main = require.resolve('nsfwjs');
  } catch {
    throw new Error(
      `loadNsfwjsMobileNetV2: the npm package 'nsfwjs' is not installed (npm install nsfwjs@4); or pass a model.json path or URL instead`,
    );
  }
  // nsfwjs/dist/cjs/index.js → nsfwjs/dist/models/mobilenet_v2/
  const dir = join(dirname(main), '..', 'models', 'mobilenet_v2');
  const modelFile = join(dir, 'model.min.js');
  if (!existsSync(modelFile)) {
    throw new Error(`loadNsfwjsMobileNetV2: ${modelFile} is missing; this needs nsfwjs 4.x, which ships its models`);
  }
  const model = require(modelFile) as BundledModel;
  const group = model.weightsManifest[0];
  if (!group || !model.modelTopology) throw new Error(`loadNsfwjsMobileNetV2: ${modelFile} is not a layers model`);
  const shards = group.paths.map((p) => Buffer.from(require(join(dir, `${p}.min.js`)) as string, 'base64'));
  const bytes = Buffer.concat(shards);
  const weightData = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
  return tf.loadLayersModel(
    tf.io.fromMemory({ modelTopology: model.modelTopology, weightSpecs: group.weights, weightData }),
  );
}

/**
 * Loads a TensorFlow.js layers model named as a user types it: `nsfwjs-mobilenet-v2`, a
 * path to a `model.json` (or its folder), or an `http(s)://` / `file://` URL. A file
 * system handler must be registered for paths (`registerFileSystem()` from
 * `@neurona/core/node`).
 */
export async function loadModel(spec: string): Promise<tf.LayersModel> {
  if (spec === NSFWJS_MOBILENET_V2) return loadNsfwjsMobileNetV2();
  if (/^(https?|file):\/\//.test(spec)) return tf.loadLayersModel(spec);
  const path = spec.endsWith('.json') ? resolve(spec) : join(resolve(spec), 'model.json');
  if (!existsSync(path)) {
    throw new Error(`loadModel: ${path} does not exist; give ${NSFWJS_MOBILENET_V2}, a model.json path, or a URL`);
  }
  return tf.loadLayersModel(`file://${path}`);
}
