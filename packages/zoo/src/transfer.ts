import type { Rng } from '@neurona/core';
import { eventLoopYielder, InvalidInputError, InvalidOptionError } from '@neurona/core';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { seededDropout } from './dropout.js';

/** A layer whose saved weights do not fit the model, and how. */
export interface WeightMismatch {
  layer: string;
  problem: string;
}

/**
 * Copies the weights of an already-loaded model into a model built by a zoo builder, layer
 * by layer (by name), after checking every layer first: a layer missing from the source or
 * a weight of another shape is an error listing the first mismatches, and nothing is
 * copied — never a partly loaded model. Returns the number of layers copied.
 */
export function copyWeights(target: tfl.LayersModel, from: tfl.LayersModel): number {
  const mismatches: WeightMismatch[] = [];
  const pairs: [tfl.layers.Layer, tf.Tensor[]][] = [];
  for (const layer of target.layers) {
    const wanted = layer.getWeights();
    if (wanted.length === 0) continue;
    const match = from.layers.find((l) => l.name === layer.name);
    if (!match) {
      mismatches.push({ layer: layer.name, problem: 'not in the pretrained model' });
      continue;
    }
    const given = match.getWeights();
    if (given.length !== wanted.length) {
      mismatches.push({ layer: layer.name, problem: `${given.length} weights, expected ${wanted.length}` });
      continue;
    }
    const shapes = wanted.map((w, i) => [w.shape.join('×'), (given[i] as tf.Tensor).shape.join('×')] as const);
    const bad = shapes.find(([a, b]) => a !== b);
    if (bad) mismatches.push({ layer: layer.name, problem: `weight of shape ${bad[1]}, expected ${bad[0]}` });
    else pairs.push([layer, given]);
  }
  if (mismatches.length > 0) {
    const first = mismatches
      .slice(0, 5)
      .map((m) => `${m.layer}: ${m.problem}`)
      .join('; ');
    throw new InvalidInputError(
      'loadPretrained',
      'source',
      `the weights do not fit ${target.name} (${mismatches.length} layer${mismatches.length > 1 ? 's' : ''}): ${first}${mismatches.length > 5 ? '; …' : ''}`,
    );
  }
  for (const [layer, weights] of pairs) layer.setWeights(weights);
  return pairs.length;
}

/**
 * Loads pretrained weights into a model built by a zoo builder with the checks of
 * `copyWeights`. `source` is a loaded model, or a path/URL tfjs can load
 * (`file://…/model.json`); a model loaded here is freed afterwards.
 */
export async function loadPretrained(
  target: tfl.LayersModel,
  source: tfl.LayersModel | string | tf.io.IOHandler,
): Promise<number> {
  const from = typeof source === 'object' && 'layers' in source ? source : await tfl.loadLayersModel(source);
  try {
    return copyWeights(target, from);
  } finally {
    if (from !== source) from.dispose();
  }
}

const inferenceOnly = Symbol('neurona.inferenceOnly');

/**
 * Makes a BatchNormalization layer run as in inference (the moving mean and variance, never a
 * batch's, and never updated) whenever it is not trainable, as Keras does since TF 2.0. tfjs
 * normalises a frozen BatchNormalization layer with each batch's statistics during `fit`, and
 * updates its moving statistics too: a pretrained base would lose what it learnt in the first
 * epochs and predict other values than it trained on (validation stuck at chance).
 */
function followTrainable(layer: tfl.layers.Layer) {
  const marked = layer as tfl.layers.Layer & { [inferenceOnly]?: true };
  if (layer.getClassName() !== 'BatchNormalization' || marked[inferenceOnly]) return;
  const call = layer.call.bind(layer);
  layer.call = (inputs, kwargs) => call(inputs, { ...kwargs, training: layer.trainable && kwargs.training === true });
  marked[inferenceOnly] = true;
}

/**
 * Freezes a base for feature extraction or fine-tuning: every layer, or those before `before`.
 * BatchNormalization layers stay frozen even from `before` on, and frozen ones normalise with
 * their moving statistics in training too, as Keras's fine-tuning guide keeps them: a small
 * batch's statistics would undo what the base learnt.
 */
export function freeze(model: tfl.LayersModel, options: { before?: string } = {}) {
  const index = options.before ? model.layers.findIndex((l) => l.name === options.before) : model.layers.length;
  if (index < 0) {
    throw new InvalidOptionError(
      'freeze',
      'before',
      options.before,
      `a layer of ${model.name} (${model.layers
        .map((l) => l.name)
        .slice(0, 8)
        .join(', ')}, …)`,
    );
  }
  model.layers.forEach((layer, i) => {
    followTrainable(layer);
    layer.trainable = i >= index && layer.getClassName() !== 'BatchNormalization';
  });
}

/** Options of the classifier head put on a pretrained base: classes, hidden layers, dropout, pooling, seed source. */
export interface HeadOptions {
  /** Classes; 1 gives a sigmoid output (binary), more a softmax. */
  classes: number;
  /** Hidden dense units before the output. Default [256]. */
  hidden?: number[];
  dropout?: number;
  /** How a 4-D feature map becomes a vector. Default 'flatten' (the book's head). */
  pooling?: 'flatten' | 'avg';
  /** Seeds the new layers' initialisers and dropout, so runs repeat. */
  rng?: Rng;
}

/**
 * A new model: `base` (frozen or not) with a classifier head on top, as the book does for
 * transfer learning (ch. 11). The base's layers are shared, not copied.
 */
export function withHead(base: tfl.LayersModel, options: HeadOptions): tfl.LayersModel {
  const { classes, hidden = [256], dropout = 0, pooling = 'flatten', rng } = options;
  const init = () => (rng ? { kernelInitializer: tfl.initializers.glorotUniform({ seed: rng.nextSeed() }) } : {});
  if (!(Number.isInteger(classes) && classes >= 1))
    throw new InvalidOptionError('withHead', 'classes', classes, 'an integer >= 1');
  let x = base.outputs[0] as tfl.SymbolicTensor;
  if ((x.shape.length ?? 0) > 2) {
    x = (pooling === 'avg' ? tfl.layers.globalAveragePooling2d({}) : tfl.layers.flatten()).apply(
      x,
    ) as tfl.SymbolicTensor;
  }
  for (const units of hidden) {
    x = tfl.layers.dense({ units, activation: 'relu', ...init() }).apply(x) as tfl.SymbolicTensor;
  }
  if (dropout > 0) {
    x = (rng ? seededDropout({ rate: dropout, seed: rng.nextSeed() }) : tfl.layers.dropout({ rate: dropout })).apply(
      x,
    ) as tfl.SymbolicTensor;
  }
  x = tfl.layers
    .dense({ units: classes, activation: classes === 1 ? 'sigmoid' : 'softmax', ...init() })
    .apply(x) as tfl.SymbolicTensor;
  return tfl.model({ inputs: base.inputs, outputs: x, name: `${base.name}_with_head` });
}

/**
 * Feature extraction (ch. 11): runs the base once over `x`, a batch at a time, and returns
 * the features, so a small classifier can be trained on them quickly. It awaits each batch,
 * so a long extraction never blocks the event loop (a page stays responsive, a progress bar
 * moves). The caller disposes the result.
 */
export async function extractFeatures(
  base: tfl.LayersModel,
  x: tf.Tensor,
  options: { batchSize?: number } = {},
): Promise<tf.Tensor> {
  const batchSize = options.batchSize ?? 32;
  if (!(Number.isInteger(batchSize) && batchSize >= 1)) {
    throw new InvalidOptionError('extractFeatures', 'batchSize', batchSize, 'an integer >= 1');
  }
  const n = x.shape[0] ?? 0;
  const parts: tf.Tensor[] = [];
  const yieldNow = eventLoopYielder();
  try {
    for (let start = 0; start < n; start += batchSize) {
      const part = tf.tidy(() => base.predict(x.slice(start, Math.min(batchSize, n - start))) as tf.Tensor);
      parts.push(part);
      await part.data();
      await yieldNow();
    }
    return parts.length === 1 ? (parts.pop() as tf.Tensor) : tf.concat(parts);
  } finally {
    tf.dispose(parts);
  }
}

/**
 * Fine-tuning (ch. 11): unfreezes the layers from `from` on (the earlier ones stay frozen)
 * and recompiles with a low learning rate, as Keras requires after changing `trainable`.
 */
export function fineTune(
  model: tfl.LayersModel,
  options: { from: string; learningRate?: number; loss: string; metrics?: string[]; base?: tfl.LayersModel },
) {
  const target = options.base ?? model;
  freeze(target, { before: options.from });
  const learningRate = options.learningRate ?? 1e-5;
  if (!(learningRate > 0)) throw new InvalidOptionError('fineTune', 'learningRate', learningRate, 'a number > 0');
  model.compile({
    optimizer: tf.train.rmsprop(learningRate),
    loss: options.loss,
    metrics: options.metrics ?? ['accuracy'],
  });
}

/**
 * The convolutional base of a classifier: the model up to its last layer with a 4-D output
 * (`[batch, h, w, channels]`), as Keras's `include_top=False` gives. A model that already
 * ends in a 4-D output is returned as it is. The base shares the classifier's layers.
 */
export function convBase(model: tfl.LayersModel): tfl.LayersModel {
  const output = model.outputs[0] as tfl.SymbolicTensor;
  if (model.outputs.length === 1 && output.shape.length === 4) return model;
  const last = [...model.layers].reverse().find((l) => {
    const shape = l.outputShape;
    return Array.isArray(shape) && !Array.isArray(shape[0]) && shape.length === 4;
  });
  if (!last)
    throw new InvalidInputError(
      'convBase',
      'model',
      `${model.name} has no layer with a 4-D (image-like) output to cut at`,
    );
  return tfl.model({ inputs: model.inputs, outputs: last.output as tfl.SymbolicTensor, name: `${model.name}_base` });
}

/**
 * One model that takes what `base` takes and ends in `head`'s output: `head`'s layers applied in
 * order to `base`'s output. After feature extraction (ch. 11) the head was trained on the base's
 * features; stacked, it classifies images, and saves and loads as one model. The result shares
 * both models' layers (and weights): free it with them, not on its own.
 */
export function stackHead(base: tfl.LayersModel, head: tfl.LayersModel): tfl.LayersModel {
  const features = base.outputs[0] as tfl.SymbolicTensor;
  const wanted = (head.inputs[0] as tfl.SymbolicTensor).shape.slice(1);
  const given = features.shape.slice(1);
  if (
    base.outputs.length !== 1 ||
    wanted.length !== given.length ||
    wanted.some((d, i) => d !== null && d !== given[i])
  )
    throw new InvalidInputError(
      'stackHead',
      'head',
      `${head.name} takes [${wanted.join(',')}] inputs but ${base.name} gives [${given.join(',')}]`,
    );
  let x = features;
  for (const layer of head.layers) {
    if (layer.getClassName() === 'InputLayer') continue;
    x = layer.apply(x) as tfl.SymbolicTensor;
  }
  return tfl.model({ inputs: base.inputs, outputs: x, name: `${base.name}_with_${head.name}` });
}

// Where the book (and Keras's guides) start fine-tuning in the named networks: the last block.
const lastBlocks = ['block5_conv1', 'block_16_expand', 'conv_dw_13', 'conv5_block3_1_conv'];

/**
 * The layer to fine-tune from in a base: the first layer of its last block in VGG16/19
 * (`block5_conv1`), MobileNetV2 (`block_16_expand`), MobileNet (`conv_dw_13`) or ResNet50
 * (`conv5_block3_1_conv`); in another model, the first layer with weights in its last tenth.
 */
export function fineTuneLayer(base: tfl.LayersModel): string {
  const named = lastBlocks.find((name) => base.layers.some((l) => l.name === name));
  if (named) return named;
  const start = Math.floor(base.layers.length * 0.9);
  const layer = base.layers.slice(start).find((l) => l.weights.length > 0) ?? base.layers[start];
  if (!layer) throw new InvalidInputError('fineTuneLayer', 'base', `${base.name} has no layers`);
  return layer.name;
}
