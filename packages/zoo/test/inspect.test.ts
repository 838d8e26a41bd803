import { createRng, InvalidInputError, UnknownNameError } from '@neurona/core';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  ch05Dense,
  convFilters,
  dogsCatsCnn,
  layerActivations,
  layerGraph,
  mnistCnn,
  multiInputModel,
  residualBlockModel,
  sharedLayersModel,
} from '../src/index.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('convFilters', () => {
  it("gives each filter of the first Conv2D as its own array, in the kernel's y, x, channel order", async () => {
    const model = mnistCnn({ rng: createRng(3) });
    const filters = await convFilters(model);
    expect(filters).toMatchObject({ layer: 'conv2d', height: 5, width: 5, inChannels: 1 });
    expect(filters.filters).toHaveLength(32);
    const kernel = model.getLayer('conv2d').getWeights()[0] as tf.Tensor;
    const k = (await kernel.array()) as number[][][][];
    // Filter 7 at row 2, column 4: K[2][4][0][7].
    expect(filters.filters[7]?.[2 * 5 + 4]).toBeCloseTo(k[2]?.[4]?.[0]?.[7] as number, 6);
    const all = filters.filters.flatMap((f) => [...f]);
    expect(filters.min).toBe(Math.min(...all));
    expect(filters.max).toBe(Math.max(...all));
    const second = await convFilters(model, { layer: 'conv2d_1' });
    expect(second).toMatchObject({ height: 5, width: 5, inChannels: 32 });
    expect(second.filters).toHaveLength(64);
    model.dispose();
  });

  it('names the layers it knows when asked for one it does not, and refuses a model with no convolution', async () => {
    const model = mnistCnn({ rng: createRng(3) });
    await expect(convFilters(model, { layer: 'conv9' })).rejects.toThrow(UnknownNameError);
    await expect(convFilters(model, { layer: 'conv9' })).rejects.toThrow(/known: conv2d, max_pooling2d/);
    await expect(convFilters(model, { layer: 'dense' })).rejects.toThrow(/allowed: a Conv2D layer/);
    const dense = ch05Dense({ rng: createRng(1) });
    await expect(convFilters(dense)).rejects.toThrow(InvalidInputError);
    model.dispose();
    dense.dispose();
  });
});

describe('layerActivations', () => {
  it("gives each convolution's feature maps for one image, equal to the convolution worked out directly", async () => {
    const model = mnistCnn({ rng: createRng(5) });
    const image = tf.randomUniform([28, 28, 1], 0, 1, 'float32', 11);
    const before = tf.memory().numTensors;
    const maps = await layerActivations(model, image);
    expect(tf.memory().numTensors).toBe(before);
    expect(maps.map(({ layer, height, width, channels }) => ({ layer, height, width, channels }))).toEqual([
      { layer: 'conv2d', height: 24, width: 24, channels: 32 },
      { layer: 'conv2d_1', height: 8, width: 8, channels: 64 },
    ]);
    const [kernel, bias] = model.getLayer('conv2d').getWeights() as [tf.Tensor4D, tf.Tensor1D];
    const direct = tf.tidy(() => tf.relu(tf.conv2d(image as tf.Tensor3D, kernel, 1, 'valid').add(bias)));
    const expected = await direct.data();
    const got = maps[0]?.values as Float32Array;
    expect(got).toHaveLength(expected.length);
    let worst = 0;
    for (let i = 0; i < got.length; i++)
      worst = Math.max(worst, Math.abs((got[i] as number) - (expected[i] as number)));
    expect(worst).toBeLessThan(1e-5);
    // Some units fire and some do not: real feature maps, not zeros.
    expect(got.some((v) => v > 0)).toBe(true);
    expect(got.some((v) => v === 0)).toBe(true);
    // A batch of one gives the same maps; named layers, any kind.
    const batch = image.expandDims(0);
    const named = await layerActivations(model, batch, { layers: ['max_pooling2d', 'dense'] });
    expect(named.map((m) => [m.layer, m.height, m.width, m.channels])).toEqual([
      ['max_pooling2d', 12, 12, 32],
      ['dense', 1, 1, 10],
    ]);
    tf.dispose([image, direct, batch]);
    model.dispose();
  });

  it('refuses an image of another shape than the model takes, naming both', async () => {
    const model = mnistCnn({ rng: createRng(5) });
    const wrong = tf.zeros([32, 32, 3]);
    await expect(layerActivations(model, wrong)).rejects.toThrow(
      /the image has shape \[32, 32, 3\]; the model takes one \[28, 28, 1\] input/,
    );
    await expect(layerActivations(model, wrong, { layers: ['nope'] })).rejects.toThrow(UnknownNameError);
    wrong.dispose();
    model.dispose();
  });
});

describe('layerGraph', () => {
  it("draws a functional model's graph: the skip connection's two inputs, a shared layer's two uses", () => {
    const residual = residualBlockModel();
    const graph = layerGraph(residual);
    expect(graph.map((n) => [n.name, n.className, n.inputs])).toEqual([
      ['input', 'InputLayer', []],
      ['conv_a', 'Conv2D', ['input']],
      ['conv_b', 'Conv2D', ['conv_a']],
      ['skip', 'Add', ['input', 'conv_b']],
      ['out', 'Activation', ['skip']],
    ]);
    expect(graph[1]).toMatchObject({ outputShape: '(None, 16, 16, 8)', parameters: 3 * 3 * 8 * 8 + 8 });
    const shared = layerGraph(sharedLayersModel());
    expect(shared.find((n) => n.name === 'shared_encoder')?.inputs).toEqual(['left', 'right']);
    expect(shared.find((n) => n.name === 'merge')?.inputs).toEqual(['shared_encoder']);
    const multi = layerGraph(multiInputModel());
    expect(multi.find((n) => n.name === 'merge')?.inputs).toEqual(['pool', 'meta_dense']);
    residual.dispose();
  });

  it("chains a Sequential model's layers, the first with no inputs, and counts every layer's parameters", () => {
    const model = mnistCnn({ rng: createRng(1) });
    const graph = layerGraph(model);
    expect(graph[0]).toMatchObject({ name: 'conv2d', inputs: [], outputShape: '(None, 24, 24, 32)', parameters: 832 });
    expect(graph.slice(1).every((n, i) => n.inputs[0] === graph[i]?.name)).toBe(true);
    expect(graph.reduce((s, n) => s + n.parameters, 0)).toBe(62_346);
    model.dispose();
  });
});

describe('dogsCatsCnn classes', () => {
  it("keeps the book's sigmoid for two classes and ends in a softmax of one unit per class for more", () => {
    const two = dogsCatsCnn({ rng: createRng(1), inputShape: [64, 64, 3] });
    const three = dogsCatsCnn({ rng: createRng(1), inputShape: [64, 64, 3], classes: 3 });
    const last = (m: typeof two) => m.layers.at(-1)?.getConfig() as { units: number; activation: string };
    expect(last(two)).toMatchObject({ units: 1, activation: 'sigmoid' });
    expect(last(three)).toMatchObject({ units: 3, activation: 'softmax' });
    expect(() => dogsCatsCnn({ rng: createRng(1), classes: 1 })).toThrow(
      "dogsCatsCnn: option 'classes' is 1; allowed: an integer >= 2",
    );
    two.dispose();
    three.dispose();
  });
});
