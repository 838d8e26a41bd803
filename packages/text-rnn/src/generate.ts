import { createRng, InvalidOptionError, NeuronaError } from '@neurona/core';
import type { CharVocabulary } from '@neurona/preprocessing';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { checkInteger } from './options.js';
import type { SamplingOptions } from './sampling.js';
import { checkSamplingOptions, sampleFromLogits } from './sampling.js';

export interface GenerateOptions extends SamplingOptions {
  /** The text the model continues (the book's seed string, e.g. `'ROMEO:'`); at least one known character. */
  prompt: string;
  /** Characters to write, >= 1. */
  length: number;
  /** Seeds the draws: the same seed, model and options give the same text. */
  seed: number;
  /** Skip prompt characters the vocabulary lacks (and count them) instead of refusing the prompt. */
  dropUnknown?: boolean;
  /** Called with each character as soon as it is drawn (streamed output). */
  onText?: (text: string) => void;
}

/** What `CharGenerator.generate` wrote from its prompt, the unknown prompt characters it dropped, and how fast. */
export interface GeneratedText {
  /** The characters written, without the prompt. */
  text: string;
  /** The prompt as the model read it (without dropped characters). */
  prompt: string;
  /** Prompt characters skipped by `dropUnknown`. */
  dropped: number;
  seconds: number;
  charactersPerSecond: number;
}

type Activation = (x: tf.Tensor) => tf.Tensor;
const ACTIVATIONS: Record<string, Activation> = {
  tanh: (x) => tf.tanh(x),
  sigmoid: (x) => tf.sigmoid(x),
  // Keras's and tfjs's piecewise-linear sigmoid.
  hardSigmoid: (x) => tf.clipByValue(tf.add(tf.mul(x, 0.2), 0.5), 0, 1),
  hard_sigmoid: (x) => tf.clipByValue(tf.add(tf.mul(x, 0.2), 0.5), 0, 1),
  relu: (x) => tf.relu(x),
  linear: (x) => x,
};

interface RecurrentStep {
  cell: 'gru' | 'lstm';
  units: number;
  /**
   * The input projection `x·W + b` as a lookup table `[vocabulary, gates]` for the first layer (the
   * input is one id).
   */
  table?: tf.Tensor2D;
  kernel?: tf.Tensor2D;
  bias?: tf.Tensor1D;
  /** LSTM: the whole recurrent kernel; GRU: its update/reset part `[units, 2·units]`. */
  recurrent: tf.Tensor2D;
  /** GRU: the candidate's part `[units, units]`. */
  recurrentCandidate?: tf.Tensor2D;
  activation: Activation;
  recurrentActivation: Activation;
}

class GeneratorError extends NeuronaError {}

/**
 * Writes text one character at a time from a trained character model (book 13.3.6–13.3.7),
 * carrying each recurrent layer's state from character to character, so a character costs
 * one step, never a re-run of the whole prefix. The step runs on the backend directly
 * with the trained weights (copied, owned by the generator), not through `predict`, whose
 * per-call checks dominate a one-character batch (tfjs issue 8212): per character, a row
 * lookup for the first layer's input projection (embedding · kernel + bias, precomputed for
 * the whole vocabulary), one recurrent product per layer and the output layer.
 *
 * The maths is tfjs's (Keras's) cells: GRU (`reset_after=False`)
 *   z = σ(x·W_z + h·U_z + b_z), r = σ(x·W_r + h·U_r + b_r),
 *   ĥ = tanh(x·W_h + (r ⊙ h)·U_h + b_h), h' = z ⊙ h + (1 − z) ⊙ ĥ;
 * LSTM: [i, f, c̃, o] = x·W + h·U + b, c' = σ(f) ⊙ c + σ(i) ⊙ tanh(c̃), h' = σ(o) ⊙ tanh(c').
 * Dropout is the identity at generation time.
 *
 * @example
 * ```ts
 * const generator = CharGenerator.fromModel(run.model, run.vocabulary);
 * const { text } = await generator.generate({ prompt: 'ROMEO:', length: 500, temperature: 0.8, seed: 1,
 *   onText: (c) => process.stdout.write(c) });
 * generator.dispose();
 * ```
 */
export class CharGenerator {
  private states: tf.Tensor2D[][] = [];
  private disposed = false;

  private constructor(
    readonly vocabulary: CharVocabulary,
    private readonly layers: RecurrentStep[],
    private readonly output: { kernel: tf.Tensor2D; bias?: tf.Tensor1D; softmax: boolean },
  ) {
    this.reset();
  }

  /** Reads the layers of a model made by `charLanguageModel` (or of the same kinds); the model stays the caller's. */
  static fromModel(model: tfl.LayersModel, vocabulary: CharVocabulary): CharGenerator {
    const made: tf.Tensor[] = [];
    const keep = <T extends tf.Tensor>(t: T): T => {
      made.push(t);
      return t;
    };
    try {
      let embedding: tf.Tensor2D | undefined;
      let oneHotWidth: number | undefined;
      const steps: RecurrentStep[] = [];
      let output: { kernel: tf.Tensor2D; bias?: tf.Tensor1D; softmax: boolean } | undefined;
      for (const layer of model.layers) {
        const kind = layer.getClassName();
        const config = layer.getConfig() as Record<string, unknown>;
        const weights = layer.getWeights();
        if (kind === 'InputLayer') {
          const shape = (config.batchInputShape ?? config.batch_input_shape) as (number | null)[];
          if (shape.length === 3) oneHotWidth = shape[2] as number;
        } else if (kind === 'Embedding') {
          embedding = keep((weights[0] as tf.Tensor2D).clone());
        } else if (kind === 'GRU' || kind === 'LSTM') {
          const units = config.units as number;
          const [kernel, recurrent, bias] = weights as [tf.Tensor2D, tf.Tensor2D, tf.Tensor1D | undefined];
          const step: RecurrentStep = {
            cell: kind === 'GRU' ? 'gru' : 'lstm',
            units,
            recurrent: keep(kind === 'GRU' ? recurrent.slice([0, 0], [units, 2 * units]) : recurrent.clone()),
            activation: activation(layer.name, config.activation),
            recurrentActivation: activation(layer.name, config.recurrentActivation),
          };
          if (kind === 'GRU') step.recurrentCandidate = keep(recurrent.slice([0, 2 * units], [units, units]));
          if (steps.length === 0) {
            // The first layer's input is one id: its projection is one row of a table.
            step.table = keep(
              tf.tidy(() => {
                const projected = embedding ? tf.matMul(embedding, kernel) : kernel.clone();
                return bias ? tf.add(projected, bias) : projected;
              }) as tf.Tensor2D,
            );
          } else {
            step.kernel = keep(kernel.clone());
            if (bias) step.bias = keep(bias.clone());
          }
          steps.push(step);
        } else if (kind === 'Dense') {
          const act = config.activation as string;
          if (act !== 'linear' && act !== 'softmax') {
            throw new GeneratorError(
              `CharGenerator: the output layer '${layer.name}' has activation '${act}'; allowed: linear (logits), softmax`,
            );
          }
          const [kernel, bias] = weights as [tf.Tensor2D, tf.Tensor1D | undefined];
          output = {
            kernel: keep(kernel.clone()),
            ...(bias ? { bias: keep(bias.clone()) } : {}),
            softmax: act === 'softmax',
          };
        } else if (kind !== 'Dropout') {
          throw new GeneratorError(
            `CharGenerator: layer '${layer.name}' is a ${kind}; a character model has InputLayer, Embedding, GRU or LSTM, Dropout and one Dense`,
          );
        }
      }
      if (steps.length === 0 || !output) {
        throw new GeneratorError(
          `CharGenerator: model '${model.name}' has ${steps.length === 0 ? 'no GRU or LSTM layer' : 'no Dense output layer'}`,
        );
      }
      const inputs = embedding ? (embedding.shape[0] as number) : oneHotWidth;
      const outputs = output.kernel.shape[1] as number;
      for (const [what, size] of [
        [embedding ? "model's Embedding takes" : "model's one-hot input has", inputs],
        ["model's output layer has", outputs],
      ] as const) {
        if (size !== vocabulary.size) {
          throw new GeneratorError(
            `CharGenerator: the vocabulary has ${vocabulary.size} tokens but the ${what} ${size}: they are not from the same run`,
          );
        }
      }
      if (embedding) {
        embedding.dispose();
        made.splice(made.indexOf(embedding), 1);
      }
      return new CharGenerator(vocabulary, steps, output);
    } catch (error) {
      tf.dispose(made);
      throw error;
    }
  }

  /** Zeroes every recurrent state: the next character starts a new text. */
  reset(): void {
    tf.dispose(this.states.flat());
    this.states = this.layers.map((l) =>
      l.cell === 'gru' ? [tf.zeros([1, l.units])] : [tf.zeros([1, l.units]), tf.zeros([1, l.units])],
    ) as tf.Tensor2D[][];
  }

  /**
   * Feeds one character id and returns the logits `[1, vocabulary]` for the next (yours to
   * dispose); the states move on by one character.
   */
  step(id: number): tf.Tensor2D {
    if (this.disposed) throw new GeneratorError('CharGenerator: used after dispose()');
    const next: tf.Tensor2D[][] = [];
    const logits = tf.tidy(() => {
      let x: tf.Tensor2D | undefined;
      this.layers.forEach((l, i) => {
        const state = this.states[i] as tf.Tensor2D[];
        const h = state[0] as tf.Tensor2D;
        const projected = l.table
          ? (tf.gather(l.table, [id]) as tf.Tensor2D)
          : l.bias
            ? tf.add(tf.matMul(x as tf.Tensor2D, l.kernel as tf.Tensor2D), l.bias)
            : tf.matMul(x as tf.Tensor2D, l.kernel as tf.Tensor2D);
        if (l.cell === 'gru') {
          const [xz, xr, xh] = tf.split(projected, 3, 1) as [tf.Tensor2D, tf.Tensor2D, tf.Tensor2D];
          const [hz, hr] = tf.split(tf.matMul(h, l.recurrent), 2, 1) as [tf.Tensor2D, tf.Tensor2D];
          const z = l.recurrentActivation(tf.add(xz, hz));
          const r = l.recurrentActivation(tf.add(xr, hr));
          const candidate = l.activation(tf.add(xh, tf.matMul(tf.mul(r, h), l.recurrentCandidate as tf.Tensor2D)));
          x = tf.add(tf.mul(z, h), tf.mul(tf.sub(1, z), candidate)) as tf.Tensor2D;
          next.push([tf.keep(x)]);
        } else {
          const c = state[1] as tf.Tensor2D;
          const [gi, gf, gc, go] = tf.split(tf.add(projected, tf.matMul(h, l.recurrent)), 4, 1);
          const cell = tf.add(
            tf.mul(l.recurrentActivation(gf as tf.Tensor), c),
            tf.mul(l.recurrentActivation(gi as tf.Tensor), l.activation(gc as tf.Tensor)),
          ) as tf.Tensor2D;
          x = tf.mul(l.recurrentActivation(go as tf.Tensor), l.activation(cell)) as tf.Tensor2D;
          next.push([tf.keep(x), tf.keep(cell)]);
        }
      });
      const { kernel, bias, softmax } = this.output;
      const out = bias ? tf.add(tf.matMul(x as tf.Tensor2D, kernel), bias) : tf.matMul(x as tf.Tensor2D, kernel);
      return (softmax ? tf.log(out) : out) as tf.Tensor2D;
    });
    tf.dispose(this.states.flat());
    this.states = next;
    return logits;
  }

  /**
   * Reads `prompt` and writes `length` characters after it, drawn with `temperature`,
   * `topK` and `topP` from a generator seeded with `seed`, calling `onText` for each. Starts
   * from zero states. Options out of range, and prompt characters the vocabulary lacks
   * (unless `dropUnknown`), are refused before the first step.
   */
  async generate(options: GenerateOptions): Promise<GeneratedText> {
    const where = 'CharGenerator.generate';
    checkSamplingOptions(where, options);
    checkInteger(where, 'length', options.length, 1, 10_000_000);
    checkInteger(where, 'seed', options.seed, 0);
    const known = new Set(this.vocabulary.tokens.slice(this.vocabulary.oov ? 2 : 1));
    const chars = Array.from(options.prompt);
    const unknown = [...new Set(chars.filter((c) => !known.has(c)))];
    if (unknown.length > 0 && !options.dropUnknown) {
      throw new InvalidOptionError(
        where,
        'prompt',
        options.prompt,
        `characters of the model's vocabulary; ${unknown.map(describe).join(', ')} ${unknown.length === 1 ? 'is' : 'are'} not in it (dropUnknown skips them)`,
      );
    }
    const kept = chars.filter((c) => known.has(c));
    if (kept.length === 0) {
      throw new InvalidOptionError(where, 'prompt', options.prompt, 'at least one character of the vocabulary');
    }
    const rng = createRng(options.seed);
    const started = performance.now();
    this.reset();
    let logits: tf.Tensor2D | undefined;
    let text = '';
    try {
      for (const id of this.vocabulary.encode(kept.join(''))) {
        logits?.dispose();
        logits = this.step(id);
      }
      for (let i = 0; i < options.length; i++) {
        const values = await (logits as tf.Tensor2D).data();
        const id = sampleFromLogits(values, options, rng);
        const char = this.vocabulary.decode([id]);
        text += char;
        options.onText?.(char);
        logits?.dispose();
        logits = i + 1 < options.length ? this.step(id) : undefined;
      }
    } finally {
      logits?.dispose();
    }
    const seconds = (performance.now() - started) / 1000;
    return {
      text,
      prompt: kept.join(''),
      dropped: chars.length - kept.length,
      seconds,
      charactersPerSecond: options.length / seconds,
    };
  }

  /** Frees the copied weights and the states. */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    tf.dispose(this.states.flat());
    this.states = [];
    for (const l of this.layers)
      tf.dispose([l.table, l.kernel, l.bias, l.recurrent, l.recurrentCandidate].filter(Boolean) as tf.Tensor[]);
    tf.dispose([this.output.kernel, ...(this.output.bias ? [this.output.bias] : [])]);
  }
}

const describe = (c: string) =>
  `${JSON.stringify(c)} (U+${(c.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')})`;

function activation(layer: string, name: unknown): Activation {
  const f = ACTIVATIONS[String(name)];
  if (!f) {
    throw new GeneratorError(
      `CharGenerator: layer '${layer}' uses activation '${String(name)}'; supported: ${Object.keys(ACTIVATIONS).join(', ')}`,
    );
  }
  return f;
}

/**
 * The Keras way of generating (book 13.3.6): the same model rebuilt for batch 1 with
 * `stateful: true` recurrent layers, the trained weights copied in. Each `predict` of one
 * character `[1, 1]` moves the states on; `resetStates()` starts again. Slower per
 * character than `CharGenerator` (it goes through `predict`); kept for Keras-shaped export
 * and as the benchmark's reference. The caller owns the new model.
 */
export async function statefulCopy(model: tfl.LayersModel): Promise<tfl.LayersModel> {
  const topology = model.toJSON(null, false) as unknown as {
    config: { layers: { class_name: string; config: Record<string, unknown> }[] };
  };
  for (const layer of topology.config.layers) {
    if (layer.class_name === 'InputLayer') {
      const shape = layer.config.batch_input_shape as (number | null)[];
      layer.config.batch_input_shape = [1, 1, ...shape.slice(2)];
    }
    if (layer.class_name === 'GRU' || layer.class_name === 'LSTM') layer.config.stateful = true;
    // The trained weights replace whatever the layers start with: skip drawing them (an
    // orthogonal recurrent kernel of 1,024 units takes tfjs 47 s).
    for (const key of Object.keys(layer.config)) {
      if (key.endsWith('_initializer')) layer.config[key] = { class_name: 'Zeros', config: {} };
    }
  }
  const copy = await tfl.models.modelFromJSON(topology as unknown as Parameters<typeof tfl.models.modelFromJSON>[0]);
  copy.setWeights(model.getWeights());
  return copy;
}
