import type { Rng } from '@neurona/core';
import { DataFormatError, InvalidOptionError } from '@neurona/core';
import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';

/** Word vectors read from a GloVe text file: one `Float32Array` of `dimension` numbers per word. */
export interface WordVectors {
  file: string;
  dimension: number;
  vectors: Map<string, Float32Array>;
  /** Lines read (words in the file), whether kept or not. */
  lines: number;
}

/** Options of the GloVe parser: the file's name for messages, the vector size it must have, and the words to keep. */
export interface ParseGloveOptions {
  /** The file, for messages. */
  file: string;
  /** The vector size to expect (an Embedding's `outputDim`); default: the first line's. */
  dimension?: number;
  /** Keep only these words (a vocabulary): the full files hold 400,000 words. */
  words?: ReadonlySet<string>;
}

/**
 * Parses the plain GloVe format (Stanford's `glove.6B.*.txt`) a line at a time:
 * `word v1 v2 … vd`, separated by single spaces. A line with another count of numbers, or
 * a value that is not a number, is an error naming the file and the line.
 */
export class GloveParser {
  private dimension: number | undefined;
  private readonly vectors = new Map<string, Float32Array>();
  private n = 0;

  constructor(private readonly options: ParseGloveOptions) {
    this.dimension = options.dimension;
  }

  line(raw: string): void {
    const { file, words } = this.options;
    const n = ++this.n;
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (line.trim() === '') return;
    const parts = line.trimEnd().split(' ');
    const word = parts[0] as string;
    const count = parts.length - 1;
    if (this.dimension === undefined) {
      if (count < 1) throw new DataFormatError(file, `'${word}' has no numbers after it`, { line: n });
      this.dimension = count;
    }
    const dimension = this.dimension;
    if (count !== dimension) {
      throw new DataFormatError(
        file,
        `'${word}' has ${count} numbers, expected ${dimension}${this.options.dimension !== undefined ? ' (the Embedding size asked for)' : ' (as the first line)'}`,
        { line: n },
      );
    }
    if (words && !words.has(word)) return;
    const vector = new Float32Array(dimension);
    for (let i = 0; i < dimension; i++) {
      const text = parts[i + 1] as string;
      const v = Number(text);
      if (text === '' || !Number.isFinite(v)) {
        throw new DataFormatError(file, `value ${i + 1} of '${word}' is '${text}', not a number`, { line: n });
      }
      vector[i] = v;
    }
    this.vectors.set(word, vector);
  }

  result(): WordVectors {
    if (this.dimension === undefined) throw new DataFormatError(this.options.file, 'has no word vectors');
    return { file: this.options.file, dimension: this.dimension, vectors: this.vectors, lines: this.n };
  }
}

/** `GloveParser` over lines already in memory (a small file, a test). */
export function parseGloveLines(lines: Iterable<string>, options: ParseGloveOptions): WordVectors {
  const parser = new GloveParser(options);
  for (const line of lines) parser.line(line);
  return parser.result();
}

/** An Embedding's initial matrix from word vectors, and which of the vocabulary's tokens had one. */
export interface EmbeddingFromVectors {
  /** `[vocabulary, dimension]`; yours to dispose (or hand to `setEmbeddingVectors`). */
  matrix: tf.Tensor2D;
  found: number;
  /** Vocabulary words the file lacks (padding and out-of-vocabulary ids not counted). */
  missing: string[];
  /** One line for a person: how many were found, how the rest were initialised. */
  report: string;
}

/**
 * The Embedding weights for `tokens` (a vocabulary's, id by id): each word's GloVe vector
 * where the file has it; the padding id zeros; every other row drawn from N(0, σ²) with σ
 * the standard deviation of the vectors found (Keras's guide draws the rest at random too),
 * or zeros with `missing: 'zeros'`.
 */
export function embeddingFromVectors(
  tokens: readonly string[],
  vectors: WordVectors,
  options: { rng: Rng; missing?: 'random' | 'zeros'; reserved?: number },
): EmbeddingFromVectors {
  const { rng, missing: init = 'random', reserved = 1 } = options;
  if (init !== 'random' && init !== 'zeros') {
    throw new InvalidOptionError('embeddingFromVectors', 'missing', init, 'random, zeros');
  }
  const d = vectors.dimension;
  const values = new Float32Array(tokens.length * d);
  let sum = 0;
  let squares = 0;
  let count = 0;
  for (const v of vectors.vectors.values()) {
    for (const x of v) {
      sum += x;
      squares += x * x;
      count++;
    }
  }
  const mean = count > 0 ? sum / count : 0;
  const sd = count > 1 ? Math.sqrt(Math.max(0, squares / count - mean * mean)) : 0.05;
  const missing: string[] = [];
  let found = 0;
  tokens.forEach((token, id) => {
    if (id < reserved) return;
    const v = vectors.vectors.get(token);
    if (v) {
      values.set(v, id * d);
      found++;
      return;
    }
    missing.push(token);
    if (init === 'random') {
      for (let i = 0; i < d; i++) {
        // Box–Muller from the seeded stream.
        const u = Math.max(rng.next(), Number.MIN_VALUE);
        values[id * d + i] = sd * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rng.next());
      }
    }
  });
  const words = tokens.length - reserved;
  const report =
    `${found} of ${words} vocabulary words found in ${vectors.file} (${((100 * found) / Math.max(1, words)).toFixed(1)}%); ` +
    (missing.length === 0
      ? 'none missing'
      : `${missing.length} missing, initialised ${init === 'random' ? `from N(0, ${sd.toFixed(3)}²), the spread of the vectors found` : 'to zeros'}`);
  return { matrix: tf.tensor2d(values, [tokens.length, d]), found, missing, report };
}

/**
 * Puts `matrix` into an Embedding layer's weights and freezes it (`trainable: false`, the
 * book's feature-extraction use) or leaves it trainable (fine-tuning). Takes ownership of
 * `matrix`. A matrix of another shape is refused naming both shapes. Compile the model
 * after this, as Keras says for any change of `trainable`.
 */
export function setEmbeddingVectors(layer: tfl.layers.Layer, matrix: tf.Tensor2D, options: { trainable: boolean }) {
  try {
    if (layer.getClassName() !== 'Embedding') {
      throw new InvalidOptionError('setEmbeddingVectors', 'layer', layer.name, 'an Embedding layer');
    }
    const [weights] = layer.getWeights();
    const expected = weights?.shape ?? [];
    if (expected.join() !== matrix.shape.join()) {
      throw new DataFormatError(
        'the word vectors',
        `make a [${matrix.shape}] matrix but the Embedding layer '${layer.name}' has [${expected}] weights (input_dim × output_dim): the vector size must equal output_dim`,
      );
    }
    layer.setWeights([matrix]);
    layer.trainable = options.trainable;
  } finally {
    matrix.dispose();
  }
}
