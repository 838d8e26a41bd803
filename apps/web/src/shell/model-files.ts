import * as tf from '@tensorflow/tfjs';

/** A model's files as the page read them: `model.json` parsed, its weights, and a run's recipe. */
export interface ModelFiles {
  /** The model file's name, for messages. */
  file: string;
  json: { modelTopology?: unknown; weightsManifest?: { paths: string[]; weights: tf.io.WeightsManifestEntry[] }[] };
  weights: ArrayBuffer;
  /** The recipe of the `neurona train` run the model comes from (its `summary.json`), if any. */
  recipe?: string;
}

const EXPECTED =
  'a TensorFlow.js Layers model: its model.json (with modelTopology and weightsManifest) and the weights file it names';

/**
 * Reads the files a person chose for a model: the `.json` with a `modelTopology` (a page export's
 * `NAME.json` or a run's `model.json`), the weight files its manifest names, in its order, and a
 * run's `summary.json` for the recipe that trained it. Throws naming what was expected.
 */
export async function readModelFiles(files: File[]): Promise<ModelFiles> {
  const jsons: { file: File; parsed: Record<string, unknown> }[] = [];
  for (const file of files.filter((f) => f.name.endsWith('.json'))) {
    try {
      jsons.push({ file, parsed: JSON.parse(await file.text()) as Record<string, unknown> });
    } catch (error) {
      throw new Error(`${file.name} is not JSON (${(error as Error).message}); expected ${EXPECTED}`);
    }
  }
  const model = jsons.find((j) => j.parsed.modelTopology !== undefined);
  if (!model) {
    const names = files.map((f) => f.name).join(', ');
    throw new Error(`none of ${names} is a model file; expected ${EXPECTED}`);
  }
  const manifest = model.parsed.weightsManifest as ModelFiles['json']['weightsManifest'];
  if (!Array.isArray(manifest)) throw new Error(`${model.file.name} has no weightsManifest; expected ${EXPECTED}`);
  const bins = files.filter((f) => !f.name.endsWith('.json'));
  const paths = manifest.flatMap((group) => group.paths);
  const parts: ArrayBuffer[] = [];
  for (const path of paths) {
    const name = path.split('/').pop() as string;
    const found = bins.find((b) => b.name === name) ?? (paths.length === 1 && bins.length === 1 ? bins[0] : undefined);
    if (!found) throw new Error(`${model.file.name} names the weights file '${name}': choose it with the model file`);
    parts.push(await found.arrayBuffer());
  }
  const weights = new Uint8Array(parts.reduce((n, p) => n + p.byteLength, 0));
  let offset = 0;
  for (const part of parts) {
    weights.set(new Uint8Array(part), offset);
    offset += part.byteLength;
  }
  const summary = jsons.find((j) => j !== model && typeof j.parsed.recipe === 'string');
  return {
    file: model.file.name,
    json: model.parsed as ModelFiles['json'],
    weights: weights.buffer,
    ...(summary ? { recipe: summary.parsed.recipe as string } : {}),
  };
}

/**
 * The model in files read by `readModelFiles` (or sent by a page), loaded; refused, naming the file,
 * when its JSON is not a Layers model or the weights are not the size its manifest says.
 */
export async function loadModelFiles(files: ModelFiles): Promise<tf.LayersModel> {
  const { json, file } = files;
  if (typeof json !== 'object' || json === null || !json.modelTopology || !Array.isArray(json.weightsManifest))
    throw new Error(`${file} is not ${EXPECTED}`);
  const weightSpecs = json.weightsManifest.flatMap((group) => group.weights);
  // float32 and int32 weights both take 4 bytes a value.
  const needed = weightSpecs.reduce((bytes, spec) => bytes + spec.shape.reduce((a, b) => a * b, 1) * 4, 0);
  if (files.weights.byteLength !== needed)
    throw new Error(
      `${file}: the weights come to ${files.weights.byteLength} bytes, but its weightsManifest needs ${needed}: choose the weights file saved with it`,
    );
  return tf.loadLayersModel(
    tf.io.fromMemory({ modelTopology: json.modelTopology as object, weightSpecs, weightData: files.weights }),
  );
}
