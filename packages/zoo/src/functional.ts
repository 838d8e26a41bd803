import * as tfl from '@tensorflow/tfjs-layers';

/**
 * The Keras functional API examples of book ch. 12, each a small model the chapter draws.
 */

/** Two inputs (an image and a vector of metadata) merged into one classifier. */
export function multiInputModel(
  options: { imageShape?: [number, number, number]; metaFeatures?: number; classes?: number } = {},
) {
  const { imageShape = [28, 28, 1], metaFeatures = 4, classes = 10 } = options;
  const image = tfl.input({ shape: imageShape, name: 'image' });
  const meta = tfl.input({ shape: [metaFeatures], name: 'meta' });
  let x = tfl.layers
    .conv2d({ filters: 8, kernelSize: 3, activation: 'relu', name: 'conv' })
    .apply(image) as tfl.SymbolicTensor;
  x = tfl.layers.globalAveragePooling2d({ name: 'pool' }).apply(x) as tfl.SymbolicTensor;
  const m = tfl.layers.dense({ units: 8, activation: 'relu', name: 'meta_dense' }).apply(meta) as tfl.SymbolicTensor;
  const merged = tfl.layers.concatenate({ name: 'merge' }).apply([x, m]) as tfl.SymbolicTensor;
  const out = tfl.layers
    .dense({ units: classes, activation: 'softmax', name: 'class' })
    .apply(merged) as tfl.SymbolicTensor;
  return tfl.model({ inputs: [image, meta], outputs: out, name: 'multi_input' });
}

/** One input, two outputs: a class (softmax) and a value (regression), trained together. */
export function multiOutputModel(options: { inputShape?: [number, number, number]; classes?: number } = {}) {
  const { inputShape = [28, 28, 1], classes = 10 } = options;
  const input = tfl.input({ shape: inputShape, name: 'image' });
  let x = tfl.layers
    .conv2d({ filters: 8, kernelSize: 3, activation: 'relu', name: 'conv' })
    .apply(input) as tfl.SymbolicTensor;
  x = tfl.layers.flatten({ name: 'flatten' }).apply(x) as tfl.SymbolicTensor;
  const cls = tfl.layers.dense({ units: classes, activation: 'softmax', name: 'class' }).apply(x) as tfl.SymbolicTensor;
  const value = tfl.layers.dense({ units: 1, name: 'value' }).apply(x) as tfl.SymbolicTensor;
  return tfl.model({ inputs: input, outputs: [cls, value], name: 'multi_output' });
}

/** Shared layers: the same Dense encoder (one set of weights) applied to two inputs, compared. */
export function sharedLayersModel(options: { features?: number } = {}) {
  const { features = 16 } = options;
  const left = tfl.input({ shape: [features], name: 'left' });
  const right = tfl.input({ shape: [features], name: 'right' });
  const encoder = tfl.layers.dense({ units: 8, activation: 'relu', name: 'shared_encoder' });
  const a = encoder.apply(left) as tfl.SymbolicTensor;
  const b = encoder.apply(right) as tfl.SymbolicTensor;
  const merged = tfl.layers.concatenate({ name: 'merge' }).apply([a, b]) as tfl.SymbolicTensor;
  const out = tfl.layers.dense({ units: 1, activation: 'sigmoid', name: 'same' }).apply(merged) as tfl.SymbolicTensor;
  return tfl.model({ inputs: [left, right], outputs: out, name: 'shared_layers' });
}

/** A residual block: two 3×3 convolutions whose output is added back to the input (ResNet's idea). */
export function residualBlockModel(options: { inputShape?: [number, number, number] } = {}) {
  const { inputShape = [16, 16, 8] } = options;
  const input = tfl.input({ shape: inputShape, name: 'input' });
  const filters = inputShape[2];
  let y = tfl.layers
    .conv2d({ filters, kernelSize: 3, padding: 'same', activation: 'relu', name: 'conv_a' })
    .apply(input) as tfl.SymbolicTensor;
  y = tfl.layers.conv2d({ filters, kernelSize: 3, padding: 'same', name: 'conv_b' }).apply(y) as tfl.SymbolicTensor;
  const sum = tfl.layers.add({ name: 'skip' }).apply([input, y]) as tfl.SymbolicTensor;
  const out = tfl.layers.activation({ activation: 'relu', name: 'out' }).apply(sum) as tfl.SymbolicTensor;
  return tfl.model({ inputs: input, outputs: out, name: 'residual_block' });
}
