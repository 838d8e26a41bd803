import type { Rng } from '@neurona/core';
import { setLearningRate } from '@neurona/core';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import type { PlaygroundData } from './data.js';
import { featureMatrix, playgroundData, playgroundStreams } from './data.js';
import { buildPlaygroundModel, setPlaygroundMetadata } from './model.js';
import type { PlaygroundSettings } from './settings.js';
import { playgroundFeatures } from './settings.js';

/** The figures of one moment of training: losses (data only, no penalty) and, to classify, accuracies. */
export interface PlaygroundFigures {
  epoch: number;
  trainLoss: number;
  testLoss: number;
  /** Share of points on the right side of 0.5; absent for regression. */
  trainAccuracy?: number;
  testAccuracy?: number;
}

/** Every neuron's output over a set of points, neuron by neuron: what the page's small pictures show. */
export interface PlaygroundNodeOutputs {
  /** One array per chosen feature (its value at each point). */
  features: Float32Array[];
  /** Per layer (the hidden ones, then the output), one array per neuron. */
  layers: Float32Array[][];
}

/** The network's weights, layer by layer: the links the page draws. */
export interface PlaygroundWeights {
  /** Per layer, `inputs × neurons`, row-major: `kernels[l][i * neurons + j]` links input i to neuron j. */
  kernels: Float32Array[];
  biases: Float32Array[];
}

/** Options of `PlaygroundTrainer.create`: a model to go on training instead of a new one. */
export interface PlaygroundTrainerOptions {
  /** A model of the settings' network (see `settingsForModel`); the trainer takes ownership. */
  model?: tfl.LayersModel;
  /** The epoch the model has reached (a model file's metadata says). Default 0. */
  epoch?: number;
}

/**
 * Trains a Playground network the way the Playground does: one epoch a step, over the training
 * points in batches of `batchSize` in a seeded order, each batch one gradient step of the chosen
 * optimiser on the data loss plus the penalty; losses on all training and test points after it.
 * The learning rate may change between epochs, as the Playground's. Everything random comes from
 * the seed: the same settings on the same backend give the same losses.
 *
 * Owns its model and tensors: `dispose()` frees them.
 *
 * @example
 * ```ts
 * const trainer = PlaygroundTrainer.create(playgroundPresets[1].settings);
 * for (let i = 0; i < 40; i++) await trainer.trainEpoch();
 * (await trainer.figures()).testAccuracy; // about 0.98
 * trainer.dispose();
 * ```
 */
export class PlaygroundTrainer {
  epoch: number;
  private readonly x: { train: tf.Tensor2D; test: tf.Tensor2D };
  private readonly y: { train: tf.Tensor2D; test: tf.Tensor2D };
  private readonly optimizer: tf.Optimizer;
  private readonly shuffle: Rng;
  private activations: tfl.LayersModel | undefined;

  private constructor(
    /** The settings trained with; `setLearningRate` updates the rate here, so an export carries it. */
    public settings: PlaygroundSettings,
    readonly data: PlaygroundData,
    readonly model: tfl.LayersModel,
    options: { epoch: number; shuffle: Rng },
  ) {
    this.epoch = options.epoch;
    this.shuffle = options.shuffle;
    const k = settings.features.length;
    const part = (p: PlaygroundData['train']) =>
      [
        tf.tensor2d(featureMatrix(p.points, settings.features), [p.count, k]),
        tf.tensor2d(p.labels, [p.count, 1]),
      ] as const;
    const [xTrain, yTrain] = part(data.train);
    const [xTest, yTest] = part(data.test);
    this.x = { train: xTrain, test: xTest };
    this.y = { train: yTrain, test: yTest };
    this.optimizer =
      settings.optimizer === 'adam' ? tf.train.adam(settings.learningRate) : tf.train.sgd(settings.learningRate);
  }

  /** A trainer for the settings: their data, and their network with fresh weights (or `options.model`). */
  static create(settings: PlaygroundSettings, options: PlaygroundTrainerOptions = {}): PlaygroundTrainer {
    const streams = playgroundStreams(settings.seed);
    const data = playgroundData(settings);
    const model = options.model ?? buildPlaygroundModel(settings, streams.model);
    // Shuffles go on from where the model's epoch left them, so a loaded model trains on as it would have.
    for (let e = 0; e < (options.epoch ?? 0); e++) streams.shuffle.permutation(data.train.count);
    return new PlaygroundTrainer(settings, data, model, { epoch: options.epoch ?? 0, shuffle: streams.shuffle });
  }

  /** The learning rate from the next batch on (the Playground's one control that does not reset). */
  setLearningRate(rate: number): void {
    setLearningRate(this.optimizer, rate);
    this.settings = { ...this.settings, learningRate: rate };
  }

  /** The data loss of outputs against labels: binary cross-entropy to classify, squared error to regress. */
  private dataLoss(labels: tf.Tensor, outputs: tf.Tensor): tf.Scalar {
    return this.settings.problem === 'classification'
      ? tf.mean(tfl.metrics.binaryCrossentropy(labels, outputs))
      : tf.mean(tf.squaredDifference(labels, outputs));
  }

  /** Σ rate·|w| or Σ rate·w² over the kernels (not biases), as Keras's kernel regularizer adds to the loss. */
  private penalty(): tf.Scalar | undefined {
    const { regularization, regularizationRate: rate } = this.settings;
    if (regularization === 'none' || rate === 0) return undefined;
    // A Dense layer's trainable weights are [kernel, bias]: the penalty takes the kernels.
    const kernels = this.model.layers.map((l) => l.trainableWeights[0]).filter((w) => w !== undefined);
    const terms = kernels.map((w) => {
      const v = w.read();
      return regularization === 'l1' ? tf.sum(tf.abs(v)) : tf.sum(tf.square(v));
    });
    return tf.mul(rate, tf.addN(terms)) as tf.Scalar;
  }

  /**
   * One epoch: every training point once, in batches of `batchSize`, in this epoch's seeded order.
   * `afterBatch` is awaited after each batch: core's `eventLoopYielder()` there keeps a page drawing
   * (or a worker answering) during a long epoch.
   */
  async trainEpoch(options: { afterBatch?: () => Promise<void> } = {}): Promise<void> {
    const count = this.data.train.count;
    const order = this.shuffle.permutation(count);
    const variables = this.model.trainableWeights.map((w) => w.read() as tf.Variable);
    for (let start = 0; start < count; start += this.settings.batchSize) {
      const rows = order.subarray(start, Math.min(count, start + this.settings.batchSize));
      tf.tidy(() => {
        const index = tf.tensor1d(rows, 'int32');
        const x = tf.gather(this.x.train, index);
        const y = tf.gather(this.y.train, index);
        this.optimizer.minimize(
          () => {
            const loss = this.dataLoss(y, this.model.apply(x, { training: true }) as tf.Tensor);
            const penalty = this.penalty();
            return penalty ? tf.add(loss, penalty) : loss;
          },
          false,
          variables,
        );
      });
      await options.afterBatch?.();
    }
    this.epoch += 1;
  }

  /** The losses (and accuracies) on every training and test point, now. */
  async figures(): Promise<PlaygroundFigures> {
    const classify = this.settings.problem === 'classification';
    const values = tf.tidy(() =>
      (['train', 'test'] as const).flatMap((part) => {
        const out = this.model.apply(this.x[part]) as tf.Tensor;
        const loss = this.dataLoss(this.y[part], out);
        if (!classify) return [loss];
        const right = tf.equal(tf.greaterEqual(out, 0.5), tf.greaterEqual(this.y[part], 0.5));
        return [loss, tf.mean(tf.cast(right, 'float32'))];
      }),
    );
    const [n0, n1, n2, n3] = await Promise.all(values.map(async (v) => (await v.data())[0] as number));
    tf.dispose(values);
    return classify
      ? {
          epoch: this.epoch,
          trainLoss: n0 as number,
          trainAccuracy: n1 as number,
          testLoss: n2 as number,
          testAccuracy: n3 as number,
        }
      : { epoch: this.epoch, trainLoss: n0 as number, testLoss: n1 as number };
  }

  /**
   * Every neuron's output at each of `points` (`count × 2` coordinates, e.g. `playgroundGrid(100)`):
   * one batched prediction of a model whose outputs are every layer's.
   */
  async nodeOutputs(points: Float32Array): Promise<PlaygroundNodeOutputs> {
    const count = points.length / 2;
    const { features } = this.settings;
    const matrix = featureMatrix(points, features);
    this.activations ??= tfl.model({
      inputs: this.model.inputs,
      outputs: this.model.layers.map((l) => l.output as tfl.SymbolicTensor),
    });
    const activations = this.activations;
    const outputs = tf.tidy(() => {
      // One call over every point (predict would split them into batches of 32).
      const out = activations.apply(tf.tensor2d(matrix, [count, features.length])) as tf.Tensor | tf.Tensor[];
      return Array.isArray(out) ? out : [out];
    });
    const layers = await Promise.all(
      outputs.map(async (t) => {
        const units = t.shape[1] as number;
        const flat = (await t.data()) as Float32Array;
        return Array.from({ length: units }, (_, j) => {
          const one = new Float32Array(count);
          for (let i = 0; i < count; i++) one[i] = flat[i * units + j] as number;
          return one;
        });
      }),
    );
    tf.dispose(outputs);
    const featureValues = features.map((_, j) => {
      const one = new Float32Array(count);
      for (let i = 0; i < count; i++) one[i] = matrix[i * features.length + j] as number;
      return one;
    });
    return { features: featureValues, layers };
  }

  /** The weights and biases of every layer, copied out. */
  async weights(): Promise<PlaygroundWeights> {
    const kernels: Float32Array[] = [];
    const biases: Float32Array[] = [];
    for (const layer of this.model.layers) {
      const [kernel, bias] = layer.getWeights();
      if (!kernel || !bias) continue;
      // Copies: on the CPU backend `data()` hands out the variable's own storage, which a caller may
      // transfer to a worker (detaching it) or change.
      kernels.push(((await kernel.data()) as Float32Array).slice());
      biases.push(((await bias.data()) as Float32Array).slice());
    }
    return { kernels, biases };
  }

  /**
   * The model with its settings and epoch in its metadata, for `model.save`: the file then says how to
   * draw its data again. The trainer still owns the model.
   */
  modelToSave(): tfl.LayersModel {
    setPlaygroundMetadata(this.model, this.settings, this.epoch);
    return this.model;
  }

  /** Frees the model, the optimiser and the data tensors. */
  dispose(): void {
    tf.dispose([this.x.train, this.x.test, this.y.train, this.y.test]);
    this.optimizer.dispose();
    this.model.dispose();
  }
}

/** The labels of the features, in order (`x₁`, `x₁²`, …), for pictures and messages. */
export function featureLabels(settings: PlaygroundSettings): string[] {
  return settings.features.map((f) => playgroundFeatures.find((x) => x.name === f)?.label ?? f);
}
