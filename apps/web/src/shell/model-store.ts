import { countParameters } from '@neurona/zoo';
import * as tf from '@tensorflow/tfjs';
import { modelFiles } from './model-export.js';

/** A model a page saved in the browser's IndexedDB, as its list shows it. */
export interface SavedModel {
  name: string;
  recipe: string;
  savedAt: string;
  /** The run's figure in words: `test accuracy 0.9137`, `test MAE 1.87`, `validation loss 1.912 nats/char`, `Fréchet distance 189.5`. */
  figure: string;
}

/** What a page keeps with a model: a `summary.json` as `neurona train` writes it (recipe, settings, figures). */
export type RunRecord = Record<string, unknown>;

/** A file to download, and what it holds. */
export interface ExportedFile {
  name: string;
  data: ArrayBuffer | string;
}

/** A record's main figure in words (a character model's is its validation loss). */
export function figureOf(record: RunRecord): string {
  if (typeof record.testAccuracy === 'number') return `test accuracy ${record.testAccuracy.toFixed(4)}`;
  if (typeof record.testMae === 'number') return `test MAE ${record.testMae.toFixed(2)}`;
  const final = record.final as { frechetDistance?: number } | undefined;
  if (typeof final?.frechetDistance === 'number') return `Fréchet distance ${final.frechetDistance.toFixed(1)}`;
  if (typeof record.validationLoss === 'number') return `validation loss ${record.validationLoss.toFixed(3)} nats/char`;
  return 'no test figure';
}

/** A model's layers as a line: what "another architecture" is judged by. */
export function architectureOf(model: tf.LayersModel): string {
  return model.layers.map((l) => l.getClassName()).join(' → ');
}

/**
 * The files of a run folder as `neurona train` writes one: `model.json`, `weights.bin`, and
 * `summary.json` with the record (recipe, settings, split, test figure), so `neurona evaluate FOLDER`
 * and `neurona predict FOLDER …` read it. The weights' buffer is listed to be moved, not copied.
 */
export async function runFolderFiles(
  model: tf.LayersModel,
  record: RunRecord,
): Promise<{ files: ExportedFile[]; transfer: ArrayBuffer[] }> {
  const { json, weights } = await modelFiles(model, 'weights.bin');
  const summary = {
    ...record,
    backend: tf.getBackend(),
    createdAt: new Date().toISOString(),
    exportedBy: 'the Neurona web app',
  };
  return {
    files: [
      { name: 'model.json', data: json },
      { name: 'weights.bin', data: weights },
      { name: 'summary.json', data: `${JSON.stringify(summary, null, 2)}\n` },
    ],
    transfer: [weights],
  };
}

/**
 * One page's models in the browser's IndexedDB (`indexeddb://neurona-PAGE/NAME`), each with its
 * run record in the model's metadata, so a saved model shows again with its recipe and figures.
 */
export class BrowserModels {
  private readonly prefix: string;

  constructor(page: string) {
    this.prefix = `indexeddb://neurona-${page}/`;
  }

  async save(name: string, model: tf.LayersModel, record: RunRecord): Promise<void> {
    if (!/^[\w.-]{1,64}$/.test(name))
      throw new Error(`save: the name '${name}' is not allowed; use 1 to 64 letters, digits, '.', '_' or '-'`);
    const previous = model.getUserDefinedMetadata();
    // Plain JSON (tfjs refuses undefined fields in metadata).
    model.setUserDefinedMetadata(
      JSON.parse(JSON.stringify({ neurona: { ...record, savedAt: new Date().toISOString() } })),
    );
    try {
      await model.save(`${this.prefix}${name}`);
    } finally {
      if (previous) model.setUserDefinedMetadata(previous);
    }
  }

  /** A saved model and the record saved with it; the caller owns the model. */
  async load(name: string): Promise<{ model: tf.LayersModel; record: RunRecord }> {
    const model = await tf.loadLayersModel(`${this.prefix}${name}`);
    const record = (model.getUserDefinedMetadata() as { neurona?: RunRecord } | undefined)?.neurona ?? {};
    return { model, record };
  }

  async remove(name: string): Promise<void> {
    await tf.io.removeModel(`${this.prefix}${name}`);
  }

  /** The page's saved models, newest first. */
  async list(): Promise<SavedModel[]> {
    const all = await tf.io.listModels();
    const models: SavedModel[] = [];
    for (const url of Object.keys(all).filter((u) => u.startsWith(this.prefix))) {
      // listModels gives no metadata: the model's JSON does (its weights stay in the store).
      const artifacts = await tf.io.getLoadHandlers(url)[0]?.load?.();
      const record = (artifacts?.userDefinedMetadata as { neurona?: RunRecord } | undefined)?.neurona ?? {};
      models.push({
        name: url.slice(this.prefix.length),
        recipe: String(record.recipe ?? '?'),
        savedAt: String(record.savedAt ?? all[url]?.dateSaved ?? ''),
        figure: figureOf(record),
      });
    }
    return models.sort((a, b) => b.savedAt.localeCompare(a.savedAt));
  }
}

/** A model's layers and parameter count in words: `Flatten → Dense → Dense (101,770 parameters)`. */
function describe(model: tf.LayersModel): string {
  return `${architectureOf(model)} (${countParameters(model).total.toLocaleString('en')} parameters)`;
}

/**
 * Refuses `model` unless its layers and parameter count are those of `expected` (what `recipeId`
 * builds for the page's data), naming both: `model.json is a model of …; ch08-fashion-basic builds …`.
 */
export function checkArchitecture(model: tf.LayersModel, expected: tf.LayersModel, file: string, recipeId: string) {
  const want = describe(expected);
  const got = describe(model);
  if (want !== got) throw new Error(`${file} is a model of ${got}; ${recipeId} builds ${want}`);
}
