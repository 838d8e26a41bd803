// Node-only model loading: files on disk, and the MobileNetV2 that the npm package
// `nsfwjs` ships inside its JavaScript files.
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import {
  DataFormatError,
  DownloadError,
  FileNotFoundError,
  InvalidOptionError,
  MissingPackageError,
  NeuronaError,
} from '@neurona/core';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';

interface BundledModel {
  modelTopology: object;
  weightsManifest: { paths: string[]; weights: tf.io.WeightsManifestEntry[] }[];
}

/** The name `loadModel` and the CLI's `--pretrained` give the model below. */
export const NSFWJS_MOBILENET_V2 = 'nsfwjs-mobilenet-v2';

/**
 * The MobileNetV2 that the npm package `nsfwjs` (4.x) ships offline, as tfjs model artifacts:
 * its topology, weight specs and weight bytes, read from the base64 JavaScript files it bundles.
 * `loadNsfwjsMobileNetV2` builds the model from them; the web app's build writes them out as a
 * `model.json` and a `weights.bin` a browser loads. `resolveFrom` is where to look for `nsfwjs`
 * from (a file path or URL; default this package).
 */
export function readNsfwjsMobileNetV2(
  options: { resolveFrom?: string } = {},
): Required<Pick<tf.io.ModelArtifacts, 'modelTopology' | 'weightSpecs'>> & { weightData: ArrayBuffer } {
  const require = createRequire(options.resolveFrom ?? import.meta.url);
  let main: string;
  try {
    main = require.resolve('nsfwjs');
  } catch {
    throw new MissingPackageError('nsfwjs', 'loadNsfwjsMobileNetV2', {
      version: '4',
      hint: 'or pass a model.json path or URL instead',
    });
  }
  // nsfwjs/dist/cjs/index.js → nsfwjs/dist/models/mobilenet_v2/
  const dir = join(dirname(main), '..', 'models', 'mobilenet_v2');
  const modelFile = join(dir, 'model.min.js');
  if (!existsSync(modelFile)) {
    throw new FileNotFoundError(
      modelFile,
      `loadNsfwjsMobileNetV2: ${modelFile} is missing; this needs nsfwjs 4.x, which ships its models`,
    );
  }
  const model = require(modelFile) as BundledModel;
  const group = model.weightsManifest[0];
  if (!group || !model.modelTopology) throw new DataFormatError(modelFile, 'is not a layers model');
  const shards = group.paths.map((p) => Buffer.from(require(join(dir, `${p}.min.js`)) as string, 'base64'));
  const bytes = Buffer.concat(shards);
  const weightData = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
  return { modelTopology: model.modelTopology, weightSpecs: group.weights, weightData };
}

/**
 * Loads the MobileNetV2 layers model that the npm package `nsfwjs` (4.x) ships offline:
 * 224×224×3 inputs in [0, 1], 162 layers, ImageNet weights fine-tuned to 5 classes
 * (uint8-quantised). A real pretrained convolutional base for feature extraction and
 * fine-tuning (book ch. 11) on a machine that cannot download ImageNet weights.
 * `nsfwjs` is an optional peer dependency: install it to use this.
 */
export async function loadNsfwjsMobileNetV2(options: { resolveFrom?: string } = {}): Promise<tfl.LayersModel> {
  return tfl.loadLayersModel(tf.io.fromMemory(readNsfwjsMobileNetV2(options)));
}

/** How long an http(s) load may wait for an answer (and for the body) by default. */
export const DEFAULT_LOAD_TIMEOUT_MS = 30_000;

/** Options of the pretrained-model loaders: the timeout of an http(s) download. */
export interface LoadModelOptions {
  /** Gives up on an http(s) URL after this many milliseconds without the whole model. Default 30,000. */
  timeoutMs?: number;
}

/** The layer classes TensorFlow.js knows (its own and those registered since), for an "unknown layer" error. */
function knownLayerClasses(): string[] {
  const map = (tf.serialization.SerializationMap.getMap() as unknown as { classNameMap: Record<string, unknown> })
    .classNameMap;
  return Object.keys(map).sort();
}

/** Rewrites tfjs's load errors so they name the file and say what was wrong. */
function explainLoadError(where: string, error: unknown): Error {
  // Ours already name the file (core's file:// loader, the download's deadline): keep them as they are.
  if (NeuronaError.isInstance(error)) return error;
  const message = error instanceof Error ? error.message : String(error);
  const unknown = /Unknown layer: (\w+)/.exec(message);
  if (unknown) {
    return new DataFormatError(
      where,
      `layer class '${unknown[1]}' is not a TensorFlow.js layer (a custom or Keras-only layer?); the layers it knows: ${knownLayerClasses()
        .filter((n) => !/Initializer|Regularizer|Constraint|Optimizer|^[a-z]/.test(n))
        .join(', ')}`,
      {},
      { cause: error },
    );
  }
  return new DataFormatError(where, message.replace(/^fileSystem: /, ''), {}, { cause: error });
}

/**
 * Loads a TensorFlow.js layers model named as a user types it: `nsfwjs-mobilenet-v2`, a
 * path to a `model.json` (or its folder), or an `http(s)://` / `file://` URL. A file
 * system handler must be registered for paths (`registerFileSystem()` from
 * `@neurona/core/node`). Every error names the file or URL and what was wrong: a missing
 * file, truncated weights (expected and actual bytes), a layer class tfjs does not know
 * (with the ones it knows), a host that does not answer within `timeoutMs`.
 */
export async function loadModel(spec: string, options: LoadModelOptions = {}): Promise<tfl.LayersModel> {
  if (spec === NSFWJS_MOBILENET_V2) return loadNsfwjsMobileNetV2();
  if (/^https?:\/\//.test(spec)) {
    const timeoutMs = options.timeoutMs ?? DEFAULT_LOAD_TIMEOUT_MS;
    if (!(Number.isInteger(timeoutMs) && timeoutMs > 0)) {
      throw new InvalidOptionError('loadModel', 'timeoutMs', timeoutMs, 'an integer > 0');
    }
    // One deadline for the whole model (model.json and every weights file), bodies included.
    const deadline = AbortSignal.timeout(timeoutMs);
    const fetchFunc = async (input: string | URL | Request, init?: RequestInit) => {
      try {
        return await fetch(input, { ...init, signal: deadline });
      } catch (error) {
        const cause = (error as { cause?: { code?: string; message?: string } }).cause;
        if (deadline.aborted) {
          throw new DownloadError(String(input), `did not answer within ${timeoutMs / 1000} s (option timeoutMs)`);
        }
        throw new DownloadError(
          String(input),
          `cannot be reached (${cause?.code ?? cause?.message ?? (error as Error).message}): offline, or the host is wrong; download the model and give its model.json path instead`,
        );
      }
    };
    try {
      return await tfl.loadLayersModel(spec, { fetchFunc });
    } catch (error) {
      throw explainLoadError(`loadModel(${spec})`, error);
    }
  }
  const path = spec.startsWith('file://')
    ? spec.slice('file://'.length)
    : spec.endsWith('.json')
      ? resolve(spec)
      : join(resolve(spec), 'model.json');
  if (!existsSync(path)) {
    throw new FileNotFoundError(
      path,
      `loadModel: ${path} does not exist; give ${NSFWJS_MOBILENET_V2}, a model.json path, or a URL`,
    );
  }
  try {
    return await tfl.loadLayersModel(`file://${path}`);
  } catch (error) {
    throw explainLoadError(path, error);
  }
}
