import type { Rng } from '@neurona/core';
import { fusedGru, fusedLstm, InvalidOptionError } from '@neurona/core';
import { orthogonal, seededDropout } from '@neurona/zoo';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { checkInteger, checkOneOf } from './options.js';

/** The recurrent layer of a character model: `gru` or `lstm`. */
export type RecurrentCell = 'gru' | 'lstm';
/** How characters enter the network (book 13.2): a learnt Embedding, or one-hot vectors. */
export type InputEncoding = 'embedding' | 'one-hot';

/** Every `RecurrentCell`. */
export const RECURRENT_CELLS: readonly RecurrentCell[] = ['gru', 'lstm'];
/** Every `InputEncoding`. */
export const INPUT_ENCODINGS: readonly InputEncoding[] = ['embedding', 'one-hot'];

/** The shape of a character-level language model (book 13.3), less its vocabulary. */
export interface CharModelShape {
  /** Default `'embedding'`. */
  encoding?: InputEncoding;
  /** Embedding size; default 64 (the book: 256). Unused for one-hot input. */
  embeddingDim?: number;
  /** Default `'gru'`, as the book. */
  cell?: RecurrentCell;
  /** Units of each recurrent layer; default 256 (the book: 1,024). */
  units?: number;
  /** Stacked recurrent layers; default 1. */
  layers?: number;
  /** Dropout after each recurrent layer, in [0, 1); default 0. Seeded, so runs repeat. */
  dropout?: number;
}

export interface CharModelOptions extends CharModelShape {
  /** Tokens of the vocabulary (`CharVocabulary.size`): the input ids and the output logits. */
  vocabularySize: number;
  /** Seeds every initialiser and dropout mask. */
  rng: Rng;
}

/** The defaults of `CharModelShape`, filled in. */
export function resolveShape(shape: CharModelShape = {}): Required<CharModelShape> {
  const where = 'charLanguageModel';
  const resolved = {
    encoding: shape.encoding ?? 'embedding',
    embeddingDim: shape.embeddingDim ?? 64,
    cell: shape.cell ?? 'gru',
    units: shape.units ?? 256,
    layers: shape.layers ?? 1,
    dropout: shape.dropout ?? 0,
  };
  checkOneOf(where, 'encoding', resolved.encoding, INPUT_ENCODINGS);
  checkOneOf(where, 'cell', resolved.cell, RECURRENT_CELLS);
  checkInteger(where, 'embeddingDim', resolved.embeddingDim, 1, 4096);
  checkInteger(where, 'units', resolved.units, 1, 8192);
  checkInteger(where, 'layers', resolved.layers, 1, 16);
  if (!(typeof resolved.dropout === 'number' && resolved.dropout >= 0 && resolved.dropout < 1)) {
    throw new InvalidOptionError(where, 'dropout', resolved.dropout, 'a number in [0, 1)');
  }
  return resolved as Required<CharModelShape>;
}

/**
 * The character-level language model of book 13.3: Embedding (or one-hot input) → GRU or
 * LSTM layers returning every step → Dense over the vocabulary, whose outputs are logits
 * (train with `sparseCrossEntropyFromLogits`). The recurrent layers are core's `FusedGRU` and
 * `FusedLSTM`: tfjs's layers, saved and loaded as such, whose sequences run as one kernel on
 * wasm (`pnpm bench:backends --models char-gru,char-gru-tfjs`). Layers are Keras's, with Keras's
 * initialisers (Glorot-uniform kernels, orthogonal recurrent kernels — by a fast Householder QR —, uniform
 * embeddings) seeded from `rng`, and Keras 2's sigmoid gates (tfjs defaults to hard
 * sigmoid). tfjs's GRU is Keras's with `reset_after=False`.
 *
 * Input: int32 ids `[batch, time]` (one-hot: float32 `[batch, time, vocabularySize]`);
 * output `[batch, time, vocabularySize]`. The caller owns the model.
 *
 * @example
 * ```ts
 * const vocabulary = CharVocabulary.fromText(text);
 * const model = charLanguageModel({ vocabularySize: vocabulary.size, units: 256, rng: createRng(1) });
 * ```
 */
export function charLanguageModel(options: CharModelOptions): tfl.LayersModel {
  const { rng } = options;
  const shape = resolveShape(options);
  checkInteger('charLanguageModel', 'vocabularySize', options.vocabularySize, 2);
  const vocabularySize = options.vocabularySize;
  const glorot = () => tfl.initializers.glorotUniform({ seed: rng.nextSeed() });
  const input =
    shape.encoding === 'embedding'
      ? tfl.input({ shape: [null], dtype: 'int32', name: 'characters' })
      : tfl.input({ shape: [null, vocabularySize], name: 'characters_one_hot' });
  let x: tfl.SymbolicTensor = input;
  if (shape.encoding === 'embedding') {
    x = tfl.layers
      .embedding({
        inputDim: vocabularySize,
        outputDim: shape.embeddingDim,
        embeddingsInitializer: tfl.initializers.randomUniform({ minval: -0.05, maxval: 0.05, seed: rng.nextSeed() }),
        name: 'embedding',
      })
      .apply(x) as tfl.SymbolicTensor;
  }
  const rnn = shape.cell === 'gru' ? fusedGru : fusedLstm;
  for (let l = 1; l <= shape.layers; l++) {
    x = rnn({
      units: shape.units,
      returnSequences: true,
      recurrentActivation: 'sigmoid',
      kernelInitializer: glorot(),
      recurrentInitializer: orthogonal({ seed: rng.nextSeed() }),
      name: `${shape.cell}_${l}`,
    }).apply(x) as tfl.SymbolicTensor;
    if (shape.dropout > 0) {
      x = seededDropout({ rate: shape.dropout, seed: rng.nextSeed(), name: `dropout_${l}` }).apply(
        x,
      ) as tfl.SymbolicTensor;
    }
  }
  const logits = tfl.layers
    .dense({ units: vocabularySize, kernelInitializer: glorot(), name: 'logits' })
    .apply(x) as tfl.SymbolicTensor;
  return tfl.model({ inputs: input, outputs: logits, name: `char_${shape.cell}` });
}

/**
 * Sparse categorical cross-entropy from logits (Keras's `from_logits=True`), in nats per
 * character: `−mean log softmax(logits)[label]`. Labels `[batch, time]` or `[batch, time, 1]`.
 */
export function sparseCrossEntropyFromLogits(labels: tf.Tensor, logits: tf.Tensor): tf.Scalar {
  return tf.tidy(() => {
    const classes = logits.shape[logits.shape.length - 1] as number;
    const logProbabilities = tf.logSoftmax(logits.reshape([-1, classes]));
    const picked = tf.sum(tf.mul(logProbabilities, tf.oneHot(labels.reshape([-1]).toInt(), classes)), -1);
    return tf.neg(tf.mean(picked)) as tf.Scalar;
  });
}

/**
 * Compiles a character model for training on sparse labels `[batch, time, 1]` with
 * `sparseCrossEntropyFromLogits`. tfjs accepts sparse labels only for its own
 * `sparseCategoricalCrossentropy` (which wants probabilities, not logits): it checks
 * targets against `feedOutputShapes`, so ours are declared with the last axis 1, as tfjs
 * declares them for its own sparse loss.
 */
export function compileCharModel(model: tfl.LayersModel, optimizer: tf.Optimizer): void {
  model.compile({ optimizer, loss: sparseCrossEntropyFromLogits });
  const internal = model as unknown as { feedOutputShapes: (number | null)[][] };
  internal.feedOutputShapes = internal.feedOutputShapes.map((shape) => [...shape.slice(0, -1), 1]);
}
