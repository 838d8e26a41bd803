import { createRng } from '@neurona/core';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildNamedModel, countParameters, mobilenet, resnet50, summary, vgg16, zoo } from '../src/index.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('named networks of chapter 12, against the parameter counts Keras reports', () => {
  it.each([
    ['vgg16', 138357544, 0],
    ['vgg19', 143667240, 0],
    ['resnet50', 25636712, 53120],
    ['mobilenet', 4253864, 21888],
    ['mnist-cnn', 62346, 0],
    ['dogs-cats-cnn', 3453121, 0],
  ] as const)('%s has %i parameters, %i of them non-trainable', (name, total, nonTrainable) => {
    const model = buildNamedModel(name);
    expect(countParameters(model)).toEqual({ total, trainable: total - nonTrainable, nonTrainable });
    expect(summary(model)).toContain(`Total params: ${total.toLocaleString('en-US')}`);
    model.dispose();
  });

  it('builds bases without the top, with pooling, for other input sizes and classes', () => {
    const base = vgg16({ includeTop: false, inputShape: [150, 150, 3] });
    expect(base.outputs[0]?.shape).toEqual([null, 4, 4, 512]);
    expect(countParameters(base).total).toBe(14714688); // Keras: VGG16 convolutional base
    const pooled = resnet50({ includeTop: false, pooling: 'avg', inputShape: [64, 64, 3] });
    expect(pooled.outputs[0]?.shape).toEqual([null, 2048]);
    const ten = mobilenet({ classes: 10 });
    expect(ten.outputs[0]?.shape).toEqual([null, 10]);
    for (const m of [base, pooled, ten]) m.dispose();
  });

  it.each([
    ['vgg16', () => vgg16],
    ['resnet50', () => resnet50],
    ['mobilenet', () => mobilenet],
  ] as const)(
    '%s starts from the same weights for the same seed, and other weights for another',
    async (_, builder) => {
      const start = tf.memory().numTensors;
      // A fingerprint per weight (sum, first and last value): exact for equal weights, and cheap
      // where comparing 14 million floats element by element is not.
      const fingerprints = async (seed: number) => {
        const model = builder()({ includeTop: false, inputShape: [32, 32, 3], rng: createRng(seed) });
        const prints = model.weights.map((w) => {
          const v = w.read().dataSync();
          let sum = 0;
          for (const x of v) sum += x;
          // tfjs suffixes the variable names of a second build (kernel_1): compare values only.
          return { kernel: w.name.includes('kernel'), sum, first: v[0], last: v[v.length - 1] };
        });
        model.dispose();
        await new Promise((resolve) => setImmediate(resolve)); // let the test runner breathe
        return prints;
      };
      const a = await fingerprints(7);
      expect(await fingerprints(7)).toEqual(a);
      const c = await fingerprints(8);
      // Every kernel differs between seeds (biases and BatchNorm start at constants).
      const kernels = a.flatMap((w, i) => (w.kernel ? [i] : []));
      expect(kernels.length).toBeGreaterThan(10);
      for (const i of kernels) expect(c[i]?.sum).not.toBe(a[i]?.sum);
      expect(tf.memory().numTensors).toBe(start);
    },
  );

  it('names options that make no model, and unknown models', () => {
    expect(() => vgg16({ inputShape: [150, 150, 3] })).toThrow(
      "vgg16: option 'inputShape' is [150,150,3]; allowed: [224, 224, 3] with includeTop (the dense top is sized for it)",
    );
    expect(() => resnet50({ inputShape: [16, 16, 3] })).toThrow(
      "resnet50: option 'inputShape' is [16,16,3]; allowed: [height, width, 3] with height and width >= 32",
    );
    expect(() => mobilenet({ classes: 0 })).toThrow("mobilenet: option 'classes' is 0; allowed: an integer >= 1");
    expect(() => buildNamedModel('alexnet')).toThrow(
      `'alexnet' is not a known model; known: ${zoo.map((m) => m.name).join(', ')}`,
    );
    expect(() => buildNamedModel('mnist-cnn', { classes: 3 })).toThrow(
      "mnist-cnn: option 'classes' is 3; allowed: 10 (the architecture's)",
    );
  });
});

describe('options that make no model', () => {
  it('name the layer and the shapes, before any training, and leave nothing allocated', async () => {
    const { dogsCatsCnn, checkShapes, checkedSequential } = await import('../src/index.js');
    const { createRng } = await import('@neurona/core');
    const start = tf.memory().numTensors;
    // 20×20: conv 18 → pool 9 → conv 7 → pool 3 → conv 1 → pool 0, caught at that pooling.
    expect(() => dogsCatsCnn({ rng: createRng(1), inputShape: [20, 20, 3] })).toThrow(
      'dogs_cats_cnn: layer max_pooling2d_2 (MaxPooling2D) turns input [None,1,1,128] into [None,0,0,128]; a kernel or pooling larger than its input makes no model',
    );
    // A 5×5 kernel on a 3×3 input: tfjs cannot add it at all.
    expect(() =>
      checkedSequential('big_kernel', [
        tf.layers.conv2d({ inputShape: [3, 3, 1], filters: 2, kernelSize: 5, name: 'conv' }),
      ]),
    ).toThrow(
      'big_kernel: layer conv (Conv2D) turns input [None,3,3,1] into a negative size; a kernel or pooling larger than its input makes no model',
    );
    expect(tf.memory().numTensors).toBe(start);
    const pooled = tf.sequential({
      name: 'tiny',
      layers: [tf.layers.maxPooling2d({ inputShape: [1, 1, 1], poolSize: 2, name: 'pool' })],
    });
    expect(() => checkShapes(pooled)).toThrow(
      'tiny: layer pool (MaxPooling2D) turns input [None,1,1,1] into [None,0,0,1]; a kernel or pooling larger than its input makes no model',
    );
    expect(() => buildNamedModel('dogs-cats-cnn', { inputShape: [16, 16, 3] })).toThrow(
      // 16×16: conv 14 → pool 7 → conv 5 → pool 2 → conv 0.
      'dogs_cats_cnn: layer conv2d_2 (Conv2D) turns input [None,2,2,64] into [None,0,0,128]; a kernel or pooling larger than its input makes no model',
    );
  });
});
