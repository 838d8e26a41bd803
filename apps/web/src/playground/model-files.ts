import type { ModelFiles } from './engine.js';

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
