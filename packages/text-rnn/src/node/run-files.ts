import { access, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DataFormatError } from '@neurona/core';
import { fileSystem, writeFileAtomic } from '@neurona/core/node';
import { CharVocabulary, type VocabularyJSON } from '@neurona/preprocessing';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { CharGenerator } from '../generate.js';

/** The vocabulary's file name in a run folder. */
export const VOCABULARY_JSON = 'vocabulary.json';

/**
 * Writes a character model into `dir` as Keras-shaped `model.json` + `weights.bin` and its
 * vocabulary as `vocabulary.json` (each file atomically). The custom loss is left out of
 * `model.json`, so any tfjs or Keras loader reads it.
 */
export async function saveCharModel(dir: string, model: tfl.LayersModel, vocabulary: CharVocabulary): Promise<void> {
  const files = fileSystem(dir);
  await model.save(
    tf.io.withSaveHandler(async (artifacts) =>
      (files.save as tf.io.SaveHandler)({ ...artifacts, trainingConfig: undefined }),
    ),
  );
  await writeFileAtomic(join(dir, VOCABULARY_JSON), `${JSON.stringify(vocabulary.toJSON())}\n`);
}

/**
 * Reads what `saveCharModel` wrote: the model (yours to dispose) and its vocabulary. A folder
 * without a vocabulary, or one whose size is not the model's, is refused naming both.
 */
export async function loadCharModel(dir: string): Promise<{ model: tfl.LayersModel; vocabulary: CharVocabulary }> {
  const vocabularyPath = join(dir, VOCABULARY_JSON);
  await access(join(dir, 'model.json')).catch(() => {
    throw new DataFormatError(dir, 'has no model.json: not a run folder of a trained model (neurona train ch13-…)');
  });
  const json = await readFile(vocabularyPath, 'utf8').catch(() => {
    throw new DataFormatError(
      dir,
      `has a model.json but no ${VOCABULARY_JSON}: not a character-model run (neurona train ch13-…), or the file was removed`,
    );
  });
  let vocabulary: CharVocabulary;
  try {
    vocabulary = CharVocabulary.fromJSON(JSON.parse(json) as VocabularyJSON);
  } catch (error) {
    throw new DataFormatError(
      vocabularyPath,
      `is not a character vocabulary: ${(error as Error).message}`,
      {},
      { cause: error },
    );
  }
  const model = await tfl.loadLayersModel(fileSystem(dir));
  try {
    // Refused here, naming both sizes, rather than at the first generated character.
    CharGenerator.fromModel(model, vocabulary).dispose();
  } catch (error) {
    model.dispose();
    throw new DataFormatError(
      vocabularyPath,
      (error as Error).message.replace(/^CharGenerator: /, ''),
      {},
      { cause: error },
    );
  }
  return { model, vocabulary };
}
