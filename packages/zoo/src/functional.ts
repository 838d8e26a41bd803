import * as tf from '@tensorflow/tfjs';

/**
 * The Keras functional API examples of book ch. 12, each a small model the chapter draws.
 */

/** Two inputs (an image and a vector of metadata) merged into one classifier. */
export function multiInputModel(
  options: { imageShape?: [number, number, number]; metaFeatures?: number; classes?: number } = {},
) {
  const { imageShape = [28, 28, 1], metaFeatures = 4, classes = 10 } = options;
  const image = tf.input({ shape: imageShape, name: 'image' });
  const meta = tf.input({ shape: [metaFeatures], name: 'meta' });
  let x = tf.layers
    .conv2d({ filters: 8, kernelSize: 3, activation: 'relu', name: 'conv' })
    .apply(image) as tf.SymbolicTensor;
  x = tf.layers.globalAveragePooling2d({ name: 'pool' }).apply(x) as tf.SymbolicTensor;
  const m = tf.layers.dense({ units: 8, activation: 'relu', name: 'meta_dense' }).apply(meta) as tf.SymbolicTensor;
  const merged = tf.layers.concatenate({ name: 'merge' }).apply([x, m]) as tf.SymbolicTensor;
  const out = tf.layers
    .dense({ units: classes, activation: 'softmax', name: 'class' })
    .apply(merged) as tf.SymbolicTensor;
  return tf.model({ inputs: [image, meta], outputs: out, name: 'multi_input' });
}

/** One input, two outputs: a class (softmax) and a value (regression), trained together. */
export function multiOutputModel(options: { inputShape?: [number, number, number]; classes?: number } = {}) {
  const { inputShape = [28, 28, 1], classes = 10 } = options;
  const input = tf.input({ shape: inputShape, name: 'image' });
  let x = tf.layers
    .conv2d({ filters: 8, kernelSize: 3, activation: 'relu', name: 'conv' })
    .apply(input) as tf.SymbolicTensor;
  x = tf.layers.flatten({ name: 'flatten' }).apply(x) as tf.SymbolicTensor;
  const cls = tf.layers.dense({ units: classes, activation: 'softmax', name: 'class' }).apply(x) as tf.SymbolicTensor;
  const value = tf.layers.dense({ units: 1, name: 'value' }).apply(x) as tf.SymbolicTensor;
  return tf.model({ inputs: input, outputs: [cls, value], name: 'multi_output' });
}

/** Shared layers: the same Dense encoder (one set of weights) applied to two inputs, compared. */
export function sharedLayersModel(options: { features?: number } = {}) {
  const { features = 16 } = options;
  const left = tf.input({ shape: [features], name: 'left' });
  const right = tf.input({ shape: [features], name: 'right' });
  const encoder = tf.layers.dense({ units: 8, activation: 'relu', name: 'shared_encoder' });
  const a = encoder.apply(left) as tf.SymbolicTensor;
  const b = encoder.apply(right) as tf.SymbolicTensor;
  const merged = tf.layers.concatenate({ name: 'merge' }).apply([a, b]) as tf.SymbolicTensor;
  const out = tf.layers.dense({ units: 1, activation: 'sigmoid', name: 'same' }).apply(merged) as tf.SymbolicTensor;
  return tf.model({ inputs: [left, right], outputs: out, name: 'shared_layers' });
}

/** A residual block: two 3×3 convolutions whose output is added back to the input (ResNet's idea). */
export function residualBlockModel(options: { inputShape?: [number, number, number] } = {}) {
  const { inputShape = [16, 16, 8] } = options;
  const input = tf.input({ shape: inputShape, name: 'input' });
  const filters = inputShape[2];
  let y = tf.layers
    .conv2d({ filters, kernelSize: 3, padding: 'same', activation: 'relu', name: 'conv_a' })
    .apply(input) as tf.SymbolicTensor;
  y = tf.layers.conv2d({ filters, kernelSize: 3, padding: 'same', name: 'conv_b' }).apply(y) as tf.SymbolicTensor;
  const sum = tf.layers.add({ name: 'skip' }).apply([input, y]) as tf.SymbolicTensor;
  const out = tf.layers.activation({ activation: 'relu', name: 'out' }).apply(sum) as tf.SymbolicTensor;
  return tf.model({ inputs: input, outputs: out, name: 'residual_block' });
}
