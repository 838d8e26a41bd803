import { DataFormatError, InvalidOptionError } from '@neurona/core';
import { CharVocabulary } from '@neurona/preprocessing';
import * as tf from '@tensorflow/tfjs-core';
import { checkInteger } from './options.js';

/** Options of `prepareCorpus`: window length, validation share and the text's name for messages. */
export interface CorpusOptions {
  /** Characters per training window (the book: 100). */
  sequenceLength: number;
  /** The share of the text at its end held out for validation; default 0.1. */
  validationFraction?: number;
  /** Names the text in messages (a file path, a corpus name). Default `'the text'`. */
  source?: string;
}

/** A text split for a language model: ids of its first part for training, of its last for validation. */
export interface Corpus {
  vocabulary: CharVocabulary;
  train: Int32Array;
  validation: Int32Array;
  sequenceLength: number;
  source: string;
}

/** The fewest characters that give one training and one validation window. */
export function minimumCorpusLength(sequenceLength: number, validationFraction: number): number {
  const window = sequenceLength + 1;
  let n = window * 2;
  while (Math.floor(n * validationFraction) < window || n - Math.floor(n * validationFraction) < window) n++;
  return n;
}

/**
 * Splits `text` into training and validation ids (the last `validationFraction`, never
 * trained on) with a vocabulary of every character in it. A text too short for one window
 * of each, or one that is not text (NUL characters, undecodable bytes), is refused with a
 * message that names `source` and says the minimum.
 */
export function prepareCorpus(text: string, options: CorpusOptions): Corpus {
  const { sequenceLength, validationFraction = 0.1, source = 'the text' } = options;
  checkInteger('prepareCorpus', 'sequenceLength', sequenceLength, 1, 100_000);
  if (!(validationFraction > 0 && validationFraction < 0.5)) {
    throw new InvalidOptionError('prepareCorpus', 'validationFraction', validationFraction, 'a number in (0, 0.5)');
  }
  const nul = text.indexOf('\u0000');
  if (nul >= 0) {
    throw new DataFormatError(
      source,
      `has a NUL character at character ${nul}: a binary file, not text; give a UTF-8 text file`,
    );
  }
  const replacement = text.indexOf('\uFFFD');
  if (replacement >= 0) {
    throw new DataFormatError(
      source,
      `has bytes that are not UTF-8 (U+FFFD at character ${replacement}); give a UTF-8 text file`,
    );
  }
  const chars = Array.from(text);
  const minimum = minimumCorpusLength(sequenceLength, validationFraction);
  if (chars.length < minimum) {
    throw new DataFormatError(
      source,
      `has ${chars.length} characters; a language model with sequence length ${sequenceLength} needs at least ${minimum}: one window of ${sequenceLength} + 1 to train on and one in the last ${validationFraction * 100}% to validate on`,
    );
  }
  const vocabulary = CharVocabulary.fromText(text);
  const ids = vocabulary.encode(text);
  const cut = ids.length - Math.floor(ids.length * validationFraction);
  return {
    vocabulary,
    train: ids.slice(0, cut),
    validation: ids.slice(cut),
    sequenceLength,
    source,
  };
}

/**
 * Non-overlapping input/target windows, as TensorFlow's text-generation tutorial that the
 * book follows: `x[w] = ids[wL .. wL+L)`, `y[w] = ids[wL+1 .. wL+L]`, shaped `[windows, L]`
 * (int32) and `[windows, L, 1]`. The caller owns both tensors.
 */
export function windowTensors(ids: Int32Array, sequenceLength: number): [tf.Tensor2D, tf.Tensor3D] {
  const count = Math.floor((ids.length - 1) / sequenceLength);
  const xs = new Int32Array(count * sequenceLength);
  const ys = new Int32Array(count * sequenceLength);
  for (let w = 0; w < count; w++) {
    xs.set(ids.subarray(w * sequenceLength, (w + 1) * sequenceLength), w * sequenceLength);
    ys.set(ids.subarray(w * sequenceLength + 1, (w + 1) * sequenceLength + 1), w * sequenceLength);
  }
  return [tf.tensor2d(xs, [count, sequenceLength], 'int32'), tf.tensor3d(ys, [count, sequenceLength, 1], 'int32')];
}

/**
 * The entropy of the characters of `ids`, in nats: what a model that knows only how often
 * each character occurs pays per character. A language model's loss is judged against it.
 */
export function unigramEntropy(ids: Int32Array, vocabularySize: number): number {
  const counts = new Float64Array(vocabularySize);
  for (const id of ids) counts[id] = (counts[id] as number) + 1;
  let h = 0;
  for (const c of counts) if (c > 0) h -= (c / ids.length) * Math.log(c / ids.length);
  return h;
}
