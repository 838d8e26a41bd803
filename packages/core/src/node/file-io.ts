import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { DataFormatError, FileNotFoundError, InvalidInputError } from '@neurona/errors';
import * as tf from '@tensorflow/tfjs-core';

const MODEL_JSON = 'model.json';
const WEIGHTS_BIN = 'weights.bin';

/** Writes `data` to `path` through a temporary sibling and a rename, so a crash never leaves half a file. */
export async function writeFileAtomic(path: string, data: string | Uint8Array) {
  const temporary = join(dirname(path), `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    await writeFile(temporary, data);
    await rename(temporary, path);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
}

function joinWeightData(data: tf.io.WeightData | undefined): Uint8Array {
  if (!data) return new Uint8Array(0);
  const buffer = Array.isArray(data) ? tf.io.CompositeArrayBuffer.join(data) : data;
  return new Uint8Array(buffer);
}

/**
 * A tfjs IO handler for a folder on disk, in the layers-model format tfjs writes
 * (`model.json` plus `weights.bin`), so saving and loading need no tfjs-node. `path`
 * is the folder for `save`, and the folder or its `model.json` for `load`.
 */
export function fileSystem(path: string): tf.io.IOHandler {
  return {
    async save(artifacts: tf.io.ModelArtifacts): Promise<tf.io.SaveResult> {
      if (artifacts.modelTopology instanceof ArrayBuffer) {
        throw new InvalidInputError(
          `fileSystem('${path}')`,
          'artifacts',
          'saving a binary graph model is not supported; save a layers model',
        );
      }
      const dir = resolve(path);
      await mkdir(dir, { recursive: true });
      const weights = joinWeightData(artifacts.weightData);
      const modelJson = {
        modelTopology: artifacts.modelTopology,
        format: artifacts.format ?? 'layers-model',
        generatedBy: artifacts.generatedBy,
        convertedBy: artifacts.convertedBy ?? null,
        ...(artifacts.trainingConfig ? { trainingConfig: artifacts.trainingConfig } : {}),
        ...(artifacts.userDefinedMetadata ? { userDefinedMetadata: artifacts.userDefinedMetadata } : {}),
        weightsManifest: [{ paths: [`./${WEIGHTS_BIN}`], weights: artifacts.weightSpecs ?? [] }],
      };
      // Weights first: model.json appears only once the weights it names are complete.
      await writeFileAtomic(join(dir, WEIGHTS_BIN), weights);
      await writeFileAtomic(join(dir, MODEL_JSON), JSON.stringify(modelJson));
      return {
        modelArtifactsInfo: {
          dateSaved: new Date(),
          modelTopologyType: 'JSON',
          modelTopologyBytes: JSON.stringify(artifacts.modelTopology ?? null).length,
          weightSpecsBytes: JSON.stringify(artifacts.weightSpecs ?? []).length,
          weightDataBytes: weights.byteLength,
        },
      };
    },

    async load(): Promise<tf.io.ModelArtifacts> {
      let jsonPath = resolve(path);
      const info = await stat(jsonPath).catch(() => undefined);
      if (!info) throw new FileNotFoundError(path, `fileSystem: no model at '${path}' (file or folder not found)`);
      if (info.isDirectory()) jsonPath = join(jsonPath, MODEL_JSON);
      let modelJson: tf.io.ModelJSON;
      try {
        modelJson = JSON.parse(await readFile(jsonPath, 'utf8')) as tf.io.ModelJSON;
      } catch (error) {
        throw new DataFormatError(jsonPath, `cannot be read: ${(error as Error).message}`, {}, { cause: error });
      }
      if (!modelJson.modelTopology) throw new DataFormatError(jsonPath, 'has no modelTopology: not a layers model');
      return tf.io.getModelArtifactsForJSON(modelJson, async (manifest) => {
        const specs: tf.io.WeightsManifestEntry[] = [];
        const parts: Uint8Array[] = [];
        for (const group of manifest) {
          for (const relative of group.paths) {
            const file = join(dirname(jsonPath), relative);
            parts.push(
              await readFile(file).catch((error: NodeJS.ErrnoException) => {
                const message = `fileSystem: cannot read weights '${file}' named by '${jsonPath}': ${error.message}`;
                if (error.code === 'ENOENT') throw new FileNotFoundError(file, message, { cause: error });
                throw new DataFormatError(
                  file,
                  `cannot be read (named by '${jsonPath}'): ${error.message}`,
                  {},
                  { cause: error },
                );
              }),
            );
          }
          specs.push(...group.weights);
        }
        const total = parts.reduce((sum, p) => sum + p.byteLength, 0);
        const expected = specs.reduce((sum, spec) => sum + weightBytes(spec), 0);
        if (total !== expected) {
          const files = manifest.flatMap((g) => g.paths.map((p) => join(dirname(jsonPath), p)));
          throw new DataFormatError(
            files.join(', '),
            `${files.length === 1 ? 'holds' : 'hold'} ${total} bytes of weights, but '${jsonPath}' lists ${specs.length} weights needing ${expected} bytes: the file is ${total < expected ? 'truncated' : 'from another model'}`,
          );
        }
        const data = new Uint8Array(total);
        let offset = 0;
        for (const p of parts) {
          data.set(p, offset);
          offset += p.byteLength;
        }
        return [specs, data.buffer];
      });
    },
  };
}

const dtypeBytes: Record<string, number> = { float32: 4, int32: 4, bool: 1, uint8: 1, uint16: 2, float16: 2 };

/** Bytes one manifest entry takes in the weights file (quantised weights take their stored size). */
function weightBytes(spec: tf.io.WeightsManifestEntry): number {
  const count = spec.shape.reduce((a, b) => a * b, 1);
  const dtype = spec.quantization?.dtype ?? spec.dtype;
  const size = dtypeBytes[dtype];
  if (size === undefined)
    throw new DataFormatError(`weight '${spec.name}'`, `has dtype '${dtype}', which tfjs cannot load`);
  return count * size;
}

let registered = false;

/**
 * Lets `model.save('file://dir')` and `tf.loadLayersModel('file://dir/model.json')` work
 * without tfjs-node. Where tfjs-node is loaded, its own `file://` handler is left to serve.
 */
export function registerFileSystem() {
  if (registered) return;
  registered = true;
  const route = (url: string | string[]) => {
    if (Array.isArray(url) || !url.startsWith('file://')) return null;
    if (tf.findBackendFactory('tensorflow')) return null;
    return fileSystem(url.slice('file://'.length));
  };
  // A router answers null for URLs it does not serve; tfjs's type omits that case.
  tf.io.registerSaveRouter(route as Parameters<typeof tf.io.registerSaveRouter>[0]);
  tf.io.registerLoadRouter(route as Parameters<typeof tf.io.registerSaveRouter>[0]);
}
