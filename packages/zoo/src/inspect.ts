import { InvalidInputError, InvalidOptionError, UnknownNameError } from '@neurona/core';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';

/** A convolution's learnt filters, one array per filter (book ch. 8.2: what the first layer looks for). */
export interface ConvFilters {
  /** The layer's name. */
  layer: string;
  /** The kernel's height and width, and the channels each filter reads. */
  height: number;
  width: number;
  inChannels: number;
  /** Filter `f`'s weights, `height × width × inChannels` values, row-major, channels last. */
  filters: Float32Array[];
  /** The smallest and largest weight over every filter, to draw them on one scale. */
  min: number;
  max: number;
}

/** One layer's output for one image: its feature maps. */
export interface LayerActivation {
  layer: string;
  height: number;
  width: number;
  channels: number;
  /** `height × width × channels` values, row-major, channels last (as tfjs keeps them). */
  values: Float32Array;
}

const isConv = (layer: tfl.layers.Layer) => layer.getClassName() === 'Conv2D';

function pickLayer(model: tfl.LayersModel, name: string | undefined, where: string): tfl.layers.Layer {
  if (name !== undefined) {
    const found = model.layers.find((l) => l.name === name);
    if (!found)
      throw new UnknownNameError(
        'layer',
        name,
        model.layers.map((l) => l.name),
        { where },
      );
    if (!isConv(found)) throw new InvalidOptionError(where, 'layer', name, 'a Conv2D layer of the model');
    return found;
  }
  const first = model.layers.find(isConv);
  if (!first) throw new InvalidInputError(where, 'model', `'${model.name}' has no Conv2D layer`);
  return first;
}

/**
 * The filters of a Conv2D layer (the model's first by default), each as its own array: the
 * pictures of book ch. 8.2. A kernel `K` of shape `[h, w, c, f]` gives filter `j` as the values
 * `K[y, x, i, j]` in `y, x, i` order.
 *
 * @example
 * ```ts
 * const { filters, height, width, min, max } = await convFilters(model);
 * // filters[0] is the first filter's height × width weights (one input channel)
 * ```
 */
export async function convFilters(model: tfl.LayersModel, options: { layer?: string } = {}): Promise<ConvFilters> {
  const layer = pickLayer(model, options.layer, 'convFilters');
  // The kernel variable itself (not a copy): read, never disposed here.
  const kernel = layer.getWeights()[0] as tf.Tensor;
  const [height, width, inChannels, count] = kernel.shape as [number, number, number, number];
  const all = (await kernel.data()) as Float32Array;
  const size = height * width * inChannels;
  const filters = Array.from({ length: count }, () => new Float32Array(size));
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  for (let k = 0; k < size; k++) {
    for (let j = 0; j < count; j++) {
      const v = all[k * count + j] as number;
      (filters[j] as Float32Array)[k] = v;
      if (v < min) min = v;
      if (v > max) max = v;
    }
  }
  return { layer: layer.name, height, width, inChannels, filters, min, max };
}

/**
 * What each Conv2D layer of a model makes of one image (book ch. 8.2: the activations, after the
 * layer's own activation function), or of the layers named in `options.layers`. `image` is one
 * input (`[h, w, c]`) or a batch of one; it stays the caller's. Every other tensor made here is
 * freed before returning.
 *
 * @example
 * ```ts
 * const maps = await layerActivations(model, tf.zeros([28, 28, 1]));
 * // maps[0]: { layer: 'conv2d', height: 24, width: 24, channels: 32, values }
 * ```
 */
export async function layerActivations(
  model: tfl.LayersModel,
  image: tf.Tensor,
  options: { layers?: string[] } = {},
): Promise<LayerActivation[]> {
  const where = 'layerActivations';
  const names = options.layers ?? model.layers.filter(isConv).map((l) => l.name);
  if (names.length === 0) throw new InvalidInputError(where, 'model', `'${model.name}' has no Conv2D layer`);
  const layers = names.map((name) => {
    const found = model.layers.find((l) => l.name === name);
    if (!found)
      throw new UnknownNameError(
        'layer',
        name,
        model.layers.map((l) => l.name),
        { where },
      );
    return found;
  });
  const inputShape = model.inputs[0]?.shape.slice(1) ?? [];
  const batchOfOne = image.rank === inputShape.length + 1 && image.shape[0] === 1;
  const shape = batchOfOne ? image.shape.slice(1) : image.shape;
  if (shape.length !== inputShape.length || shape.some((d, i) => inputShape[i] !== null && inputShape[i] !== d)) {
    throw new InvalidInputError(
      where,
      'image',
      `the image has shape [${image.shape.join(', ')}]; the model takes one [${inputShape.join(', ')}] input (or a batch of one)`,
    );
  }
  // A model over the same layers whose outputs are the chosen layers': it owns no weights of its
  // own, so it is never disposed (that would free the layers it shares).
  const probe = tfl.model({ inputs: model.inputs, outputs: layers.map((l) => l.output as tfl.SymbolicTensor) });
  const outputs = tf.tidy(() => {
    const out = probe.predict(batchOfOne ? image : image.expandDims(0));
    return Array.isArray(out) ? out : [out];
  });
  try {
    return await Promise.all(
      outputs.map(async (out, i) => {
        // A dense layer's output ([1, units]) reads as a 1 × 1 map of `units` channels.
        const [height, width, channels] = out.rank === 4 ? out.shape.slice(1) : [1, 1, out.size];
        return {
          layer: (layers[i] as tfl.layers.Layer).name,
          height: height as number,
          width: width as number,
          channels: channels as number,
          values: (await out.data()) as Float32Array,
        };
      }),
    );
  } finally {
    tf.dispose(outputs);
  }
}
