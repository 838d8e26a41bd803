import type { Rng } from '@neurona/core';
import { InvalidOptionError } from '@neurona/core';
import * as tfl from '@tensorflow/tfjs-layers';
import { seededDropout } from './dropout.js';

/** The options of Keras's `keras.applications` builders. */
export interface ApplicationOptions {
  /** The classifier on top (Flatten/pooling and dense layers). Default true. */
  includeTop?: boolean;
  /** Default [224, 224, 3]; with the top, it must be that. */
  inputShape?: [number, number, number];
  /** Classes of the top. Default 1000 (ImageNet). */
  classes?: number;
  /** Without the top: none (a 4-D feature map), global 'avg' or 'max' pooling. */
  pooling?: 'avg' | 'max';
  /**
   * Seeds every kernel's initialiser (Keras's default, Glorot uniform) from this generator, so
   * two builds with the same seed start from the same weights. Without it tfjs draws unseeded.
   */
  rng?: Rng;
}

/** The `kernelInitializer` option of one layer: seeded Glorot uniform where a generator is given. */
function kernel(rng: Rng | undefined, key: 'kernelInitializer' | 'depthwiseInitializer' = 'kernelInitializer') {
  return rng ? { [key]: tfl.initializers.glorotUniform({ seed: rng.nextSeed() }) } : {};
}

function resolve(name: string, options: ApplicationOptions, minSide: number) {
  const { includeTop = true, inputShape = [224, 224, 3], classes = 1000, pooling, rng } = options;
  if (!(Number.isInteger(classes) && classes >= 1))
    throw new InvalidOptionError(`${name}`, 'classes', classes, 'an integer >= 1');
  if (inputShape.length !== 3 || inputShape[2] !== 3 || inputShape[0] < minSide || inputShape[1] < minSide) {
    throw new InvalidOptionError(
      name,
      'inputShape',
      inputShape,
      `[height, width, 3] with height and width >= ${minSide}`,
    );
  }
  if (includeTop && (inputShape[0] !== 224 || inputShape[1] !== 224) && name.startsWith('vgg')) {
    throw new InvalidOptionError(
      name,
      'inputShape',
      inputShape,
      '[224, 224, 3] with includeTop (the dense top is sized for it)',
    );
  }
  if (pooling !== undefined && pooling !== 'avg' && pooling !== 'max') {
    throw new InvalidOptionError(`${name}`, 'pooling', pooling, 'avg, max');
  }
  return { includeTop, inputShape, classes, pooling, rng };
}

function head(x: tfl.SymbolicTensor, o: ReturnType<typeof resolve>, flatten: boolean): tfl.SymbolicTensor {
  if (o.includeTop) {
    if (flatten) return x;
    return tfl.layers
      .dense({ units: o.classes, activation: 'softmax', name: 'predictions', ...kernel(o.rng) })
      .apply(tfl.layers.globalAveragePooling2d({ name: 'avg_pool' }).apply(x)) as tfl.SymbolicTensor;
  }
  if (o.pooling === 'avg')
    return tfl.layers.globalAveragePooling2d({ name: 'avg_pool' }).apply(x) as tfl.SymbolicTensor;
  if (o.pooling === 'max') return tfl.layers.globalMaxPooling2d({ name: 'max_pool' }).apply(x) as tfl.SymbolicTensor;
  return x;
}

function vgg(name: 'vgg16' | 'vgg19', convsPerBlock: number[], options: ApplicationOptions): tfl.LayersModel {
  const o = resolve(name, options, 32);
  const input = tfl.input({ shape: o.inputShape, name: 'input_1' });
  let x: tfl.SymbolicTensor = input;
  const filters = [64, 128, 256, 512, 512];
  convsPerBlock.forEach((n, b) => {
    for (let i = 0; i < n; i++) {
      x = tfl.layers
        .conv2d({
          filters: filters[b] as number,
          kernelSize: 3,
          padding: 'same',
          activation: 'relu',
          name: `block${b + 1}_conv${i + 1}`,
          ...kernel(o.rng),
        })
        .apply(x) as tfl.SymbolicTensor;
    }
    x = tfl.layers.maxPooling2d({ poolSize: 2, strides: 2, name: `block${b + 1}_pool` }).apply(x) as tfl.SymbolicTensor;
  });
  if (o.includeTop) {
    x = tfl.layers.flatten({ name: 'flatten' }).apply(x) as tfl.SymbolicTensor;
    const dense = (units: number, activation: 'relu' | 'softmax', name: string) =>
      tfl.layers.dense({ units, activation, name, ...kernel(o.rng) });
    x = dense(4096, 'relu', 'fc1').apply(x) as tfl.SymbolicTensor;
    x = dense(4096, 'relu', 'fc2').apply(x) as tfl.SymbolicTensor;
    x = dense(o.classes, 'softmax', 'predictions').apply(x) as tfl.SymbolicTensor;
  }
  return tfl.model({ inputs: input, outputs: head(x, o, true), name });
}

/** VGG16 (Simonyan and Zisserman, 2014) as `keras.applications.VGG16`: 138,357,544 parameters with the top. */
export const vgg16 = (options: ApplicationOptions = {}) => vgg('vgg16', [2, 2, 3, 3, 3], options);
/** VGG19: 143,667,240 parameters with the top. */
export const vgg19 = (options: ApplicationOptions = {}) => vgg('vgg19', [2, 2, 4, 4, 4], options);

/** ResNet50 (He et al., 2015) as `keras.applications.ResNet50`: 25,636,712 parameters with the top. */
export function resnet50(options: ApplicationOptions = {}): tfl.LayersModel {
  const o = resolve('resnet50', options, 32);
  const bn = (name: string) => tfl.layers.batchNormalization({ axis: 3, epsilon: 1.001e-5, name });
  const conv = (
    filters: number,
    kernelSize: number,
    strides: number,
    name: string,
    padding: 'same' | 'valid' = 'valid',
  ) => tfl.layers.conv2d({ filters, kernelSize, strides, padding, name, ...kernel(o.rng) });
  const relu = (name: string) => tfl.layers.activation({ activation: 'relu', name });
  const block = (
    x: tfl.SymbolicTensor,
    filters: [number, number, number],
    stride: number,
    project: boolean,
    name: string,
  ) => {
    const [f1, f2, f3] = filters;
    let shortcut = x;
    if (project) {
      shortcut = bn(`${name}_0_bn`).apply(conv(f3, 1, stride, `${name}_0_conv`).apply(x)) as tfl.SymbolicTensor;
    }
    let y = relu(`${name}_1_relu`).apply(
      bn(`${name}_1_bn`).apply(conv(f1, 1, stride, `${name}_1_conv`).apply(x)),
    ) as tfl.SymbolicTensor;
    y = relu(`${name}_2_relu`).apply(
      bn(`${name}_2_bn`).apply(conv(f2, 3, 1, `${name}_2_conv`, 'same').apply(y)),
    ) as tfl.SymbolicTensor;
    y = bn(`${name}_3_bn`).apply(conv(f3, 1, 1, `${name}_3_conv`).apply(y)) as tfl.SymbolicTensor;
    return relu(`${name}_out`).apply(
      tfl.layers.add({ name: `${name}_add` }).apply([shortcut, y]),
    ) as tfl.SymbolicTensor;
  };
  const input = tfl.input({ shape: o.inputShape, name: 'input_1' });
  let x = tfl.layers.zeroPadding2d({ padding: 3, name: 'conv1_pad' }).apply(input) as tfl.SymbolicTensor;
  x = relu('conv1_relu').apply(bn('conv1_bn').apply(conv(64, 7, 2, 'conv1_conv').apply(x))) as tfl.SymbolicTensor;
  x = tfl.layers.zeroPadding2d({ padding: 1, name: 'pool1_pad' }).apply(x) as tfl.SymbolicTensor;
  x = tfl.layers.maxPooling2d({ poolSize: 3, strides: 2, name: 'pool1_pool' }).apply(x) as tfl.SymbolicTensor;
  const stages: [[number, number, number], number, number][] = [
    [[64, 64, 256], 3, 1],
    [[128, 128, 512], 4, 2],
    [[256, 256, 1024], 6, 2],
    [[512, 512, 2048], 3, 2],
  ];
  stages.forEach(([filters, blocks, stride], s) => {
    for (let b = 0; b < blocks; b++) x = block(x, filters, b === 0 ? stride : 1, b === 0, `conv${s + 2}_block${b + 1}`);
  });
  return tfl.model({ inputs: input, outputs: head(x, o, false), name: 'resnet50' });
}

/**
 * MobileNet v1 at alpha 1.0 (Howard et al., 2017) as `keras.applications.MobileNet`: 4,253,864
 * parameters with the top.
 */
export function mobilenet(options: ApplicationOptions = {}): tfl.LayersModel {
  const o = resolve('mobilenet', options, 32);
  const relu6 = (name: string) => tfl.layers.reLU({ maxValue: 6, name });
  const input = tfl.input({ shape: o.inputShape, name: 'input_1' });
  let x = tfl.layers
    .conv2d({
      filters: 32,
      kernelSize: 3,
      strides: 2,
      padding: 'same',
      useBias: false,
      name: 'conv1',
      ...kernel(o.rng),
    })
    .apply(input) as tfl.SymbolicTensor;
  x = relu6('conv1_relu').apply(tfl.layers.batchNormalization({ name: 'conv1_bn' }).apply(x)) as tfl.SymbolicTensor;
  const blocks: [number, number][] = [
    [64, 1],
    [128, 2],
    [128, 1],
    [256, 2],
    [256, 1],
    [512, 2],
    [512, 1],
    [512, 1],
    [512, 1],
    [512, 1],
    [512, 1],
    [1024, 2],
    [1024, 1],
  ];
  blocks.forEach(([filters, stride], i) => {
    const id = i + 1;
    x = tfl.layers
      .depthwiseConv2d({
        kernelSize: 3,
        strides: stride,
        padding: 'same',
        useBias: false,
        name: `conv_dw_${id}`,
        ...kernel(o.rng, 'depthwiseInitializer'),
      })
      .apply(x) as tfl.SymbolicTensor;
    x = relu6(`conv_dw_${id}_relu`).apply(
      tfl.layers.batchNormalization({ name: `conv_dw_${id}_bn` }).apply(x),
    ) as tfl.SymbolicTensor;
    x = tfl.layers
      .conv2d({ filters, kernelSize: 1, useBias: false, name: `conv_pw_${id}`, ...kernel(o.rng) })
      .apply(x) as tfl.SymbolicTensor;
    x = relu6(`conv_pw_${id}_relu`).apply(
      tfl.layers.batchNormalization({ name: `conv_pw_${id}_bn` }).apply(x),
    ) as tfl.SymbolicTensor;
  });
  if (o.includeTop) {
    x = tfl.layers.globalAveragePooling2d({ name: 'global_average_pooling2d' }).apply(x) as tfl.SymbolicTensor;
    x = tfl.layers.reshape({ targetShape: [1, 1, 1024], name: 'reshape_1' }).apply(x) as tfl.SymbolicTensor;
    const dropout = o.rng
      ? seededDropout({ rate: 1e-3, seed: o.rng.nextSeed(), name: 'dropout' })
      : tfl.layers.dropout({ rate: 1e-3, name: 'dropout' });
    x = dropout.apply(x) as tfl.SymbolicTensor;
    x = tfl.layers
      .conv2d({ filters: o.classes, kernelSize: 1, padding: 'same', name: 'conv_preds', ...kernel(o.rng) })
      .apply(x) as tfl.SymbolicTensor;
    x = tfl.layers.reshape({ targetShape: [o.classes], name: 'reshape_2' }).apply(x) as tfl.SymbolicTensor;
    x = tfl.layers.activation({ activation: 'softmax', name: 'predictions' }).apply(x) as tfl.SymbolicTensor;
    return tfl.model({ inputs: input, outputs: x, name: 'mobilenet_1.00_224' });
  }
  return tfl.model({ inputs: input, outputs: head(x, o, false), name: 'mobilenet_1.00_224' });
}
