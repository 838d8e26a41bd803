import type { Rng } from '@neurona/core';
import { InvalidInputError, InvalidOptionError } from '@neurona/core';
import * as tf from '@tensorflow/tfjs-core';
import * as tfd from '@tensorflow/tfjs-data';

/** Id 0 is padding in every vocabulary; id 1 is out-of-vocabulary where that is allowed. */
export const PAD_ID = 0;
/** The id of an out-of-vocabulary token (0 is padding). */
export const OOV_ID = 1;

/** A `CharVocabulary` or `WordVocabulary` as JSON: its tokens, in id order. */
export interface VocabularyJSON {
  kind: 'CharVocabulary' | 'WordVocabulary';
  tokens: string[];
  oov: boolean;
  lowercase?: boolean;
}

const describeChar = (c: string) => `'${c}' (U+${(c.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')})`;

abstract class Vocabulary {
  protected readonly index: Map<string, number>;

  protected constructor(
    /** Tokens by id; ids 0 (and 1 with `oov`) are reserved. */
    readonly tokens: string[],
    readonly oov: boolean,
  ) {
    this.index = new Map(tokens.map((t, i) => [t, i]));
  }

  get size(): number {
    return this.tokens.length;
  }

  protected id(token: string, where: () => string): number {
    const id = this.index.get(token);
    if (id !== undefined && id > (this.oov ? OOV_ID : PAD_ID)) return id;
    if (this.oov) return OOV_ID;
    throw new InvalidInputError(
      this.constructor.name,
      'text',
      `${where()} is not in the vocabulary of ${this.size - 1} tokens, which has no out-of-vocabulary id`,
    );
  }
}

/**
 * Characters to ids and back, for the character-level language model of book ch. 13.
 * The vocabulary is the sorted set of characters of the training text.
 */
export class CharVocabulary extends Vocabulary {
  static fromText(text: string, options: { oov?: boolean } = {}): CharVocabulary {
    const chars = [...new Set(Array.from(text))].sort();
    if (chars.length === 0) throw new InvalidInputError('CharVocabulary.fromText', 'text', 'the text is empty');
    const oov = options.oov ?? false;
    return new CharVocabulary(['<pad>', ...(oov ? ['<oov>'] : []), ...chars], oov);
  }

  static fromJSON(json: VocabularyJSON): CharVocabulary {
    if (json?.kind !== 'CharVocabulary')
      throw new InvalidInputError('CharVocabulary.fromJSON', 'json', 'not a CharVocabulary');
    return new CharVocabulary([...json.tokens], json.oov);
  }

  encode(text: string): Int32Array {
    const chars = Array.from(text);
    return Int32Array.from(chars, (c, i) => this.id(c, () => `character ${describeChar(c)} at index ${i}`));
  }

  decode(ids: ArrayLike<number>): string {
    let out = '';
    for (let i = 0; i < ids.length; i++) {
      const id = ids[i] as number;
      if (id === PAD_ID) continue;
      const token = this.tokens[id];
      if (token === undefined)
        throw new InvalidInputError(
          'CharVocabulary.decode',
          'ids',
          `id ${id} at index ${i} is outside 0..${this.size - 1}`,
        );
      out += id === OOV_ID && this.oov ? '\uFFFD' : token;
    }
    return out;
  }

  toJSON(): VocabularyJSON {
    return { kind: 'CharVocabulary', tokens: [...this.tokens], oov: this.oov };
  }
}

const WORD = /[\p{L}\p{N}']+/gu;

/**
 * Words to ids and back, most frequent first (Keras's `Tokenizer`): `maxSize` keeps the
 * most frequent words, the rest map to the out-of-vocabulary id.
 */
export class WordVocabulary extends Vocabulary {
  private constructor(
    tokens: string[],
    oov: boolean,
    readonly lowercase: boolean,
  ) {
    super(tokens, oov);
  }

  static fromTexts(
    texts: readonly string[],
    options: { maxSize?: number; lowercase?: boolean; oov?: boolean } = {},
  ): WordVocabulary {
    const { maxSize, lowercase = true, oov = true } = options;
    if (maxSize !== undefined && !(Number.isInteger(maxSize) && maxSize >= 1)) {
      throw new InvalidOptionError('WordVocabulary.fromTexts', 'maxSize', maxSize, 'an integer >= 1');
    }
    const counts = new Map<string, number>();
    for (const text of texts)
      for (const w of WordVocabulary.split(text, lowercase)) counts.set(w, (counts.get(w) ?? 0) + 1);
    const words = [...counts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).map(([w]) => w);
    return new WordVocabulary(['<pad>', ...(oov ? ['<oov>'] : []), ...words.slice(0, maxSize)], oov, lowercase);
  }

  static fromJSON(json: VocabularyJSON): WordVocabulary {
    if (json?.kind !== 'WordVocabulary')
      throw new InvalidInputError('WordVocabulary.fromJSON', 'json', 'not a WordVocabulary');
    return new WordVocabulary([...json.tokens], json.oov, json.lowercase ?? true);
  }

  private static split(text: string, lowercase: boolean): string[] {
    return (lowercase ? text.toLowerCase() : text).match(WORD) ?? [];
  }

  encode(text: string): Int32Array {
    const words = WordVocabulary.split(text, this.lowercase);
    return Int32Array.from(words, (w, i) => this.id(w, () => `word '${w}' (word ${i})`));
  }

  decode(ids: ArrayLike<number>): string {
    return Array.from(ids)
      .filter((id) => id !== PAD_ID)
      .map((id, i) => {
        const token = this.tokens[id];
        if (token === undefined)
          throw new InvalidInputError(
            'WordVocabulary.decode',
            'ids',
            `id ${id} at index ${i} is outside 0..${this.size - 1}`,
          );
        return token;
      })
      .join(' ');
  }

  toJSON(): VocabularyJSON {
    return { kind: 'WordVocabulary', tokens: [...this.tokens], oov: this.oov, lowercase: this.lowercase };
  }
}

/** Options of `padSequences`, as Keras's `pad_sequences`: the length, and where padding and cutting happen. */
export interface PadOptions {
  /** Default: the longest sequence. */
  maxLength?: number;
  /** Where padding goes; default `'pre'`, as Keras's `pad_sequences`. */
  padding?: 'pre' | 'post';
  /** Which end is cut from sequences that are too long; default `'pre'`. */
  truncating?: 'pre' | 'post';
  value?: number;
}

/** Keras's `pad_sequences`: a `[n, maxLength]` Int32Array matrix, row-major. */
export function padSequences(sequences: readonly ArrayLike<number>[], options: PadOptions = {}) {
  const { padding = 'pre', truncating = 'pre', value = PAD_ID } = options;
  for (const [name, v] of [
    ['padding', padding],
    ['truncating', truncating],
  ] as const) {
    if (v !== 'pre' && v !== 'post') throw new InvalidOptionError('padSequences', name, v, 'pre, post');
  }
  const maxLength = options.maxLength ?? Math.max(0, ...sequences.map((s) => s.length));
  if (!(Number.isInteger(maxLength) && maxLength >= 1))
    throw new InvalidOptionError('padSequences', 'maxLength', maxLength, 'an integer >= 1');
  const out = new Int32Array(sequences.length * maxLength).fill(value);
  sequences.forEach((seq, i) => {
    const values = Array.from(seq);
    const kept =
      values.length <= maxLength
        ? values
        : truncating === 'pre'
          ? values.slice(-maxLength)
          : values.slice(0, maxLength);
    const offset = padding === 'pre' ? maxLength - kept.length : 0;
    out.set(kept, i * maxLength + offset);
  });
  return { values: out, shape: [sequences.length, maxLength] as [number, number] };
}

/** Options of cutting a token sequence into input / next-token windows for a language model. */
export interface WindowOptions {
  /** Characters (or words) per input window. */
  sequenceLength: number;
  /** Step between window starts. Default: `sequenceLength` (non-overlapping, as the TF tutorial). */
  stride?: number;
  batchSize: number;
  /** Shuffles window order every pass; needs `rng`. */
  shuffle?: boolean;
  rng?: Rng;
}

/** How many input/target windows `ids` gives. */
export function windowCount(length: number, sequenceLength: number, stride: number): number {
  return length < sequenceLength + 1 ? 0 : Math.floor((length - sequenceLength - 1) / stride) + 1;
}

/**
 * The input/target windows of a language model as a streaming `tf.data.Dataset`:
 * `xs = ids[s .. s+L)`, `ys = ids[s+1 .. s+L]` (the next token at every step, shaped
 * `[batch, L, 1]` for `sparseCategoricalCrossentropy`). Only one batch is materialised
 * at a time; every pass reshuffles when `shuffle` is set.
 */
export function languageModelWindows(ids: Int32Array, options: WindowOptions): tfd.Dataset<tf.TensorContainer> {
  const { sequenceLength, batchSize, shuffle = false, rng } = options;
  const stride = options.stride ?? sequenceLength;
  for (const [name, v] of [
    ['sequenceLength', sequenceLength],
    ['stride', stride],
    ['batchSize', batchSize],
  ] as const) {
    if (!(Number.isInteger(v) && v >= 1))
      throw new InvalidOptionError('languageModelWindows', name, v, 'an integer >= 1');
  }
  if (shuffle && !rng)
    throw new InvalidOptionError(
      'languageModelWindows',
      'rng',
      rng,
      "a seeded generator when option 'shuffle' is true",
    );
  const count = windowCount(ids.length, sequenceLength, stride);
  if (count === 0) {
    throw new InvalidInputError(
      'languageModelWindows',
      'ids',
      `${ids.length} tokens make no window of ${sequenceLength} + 1`,
    );
  }
  return tfd.generator(function* () {
    const order = shuffle && rng ? rng.permutation(count) : Int32Array.from({ length: count }, (_, i) => i);
    for (let b = 0; b < count; b += batchSize) {
      const rows = order.subarray(b, Math.min(count, b + batchSize));
      const xs = new Int32Array(rows.length * sequenceLength);
      const ys = new Int32Array(rows.length * sequenceLength);
      rows.forEach((w, i) => {
        const start = w * stride;
        xs.set(ids.subarray(start, start + sequenceLength), i * sequenceLength);
        ys.set(ids.subarray(start + 1, start + sequenceLength + 1), i * sequenceLength);
      });
      yield {
        xs: tf.tensor2d(xs, [rows.length, sequenceLength], 'int32'),
        ys: tf.tensor3d(ys, [rows.length, sequenceLength, 1], 'int32'),
      };
    }
  });
}
