import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRng, InvalidOptionError, NeuronaError } from '@neurona/core';
import { loadCheckpoint, saveCheckpoint, useBackend } from '@neurona/core/node';
import { loadFashionMnistSample } from '@neurona/datasets/node';
import { countParameters } from '@neurona/zoo';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GanLogs } from '../src/index.js';
import { dcganDiscriminator, dcganGenerator, generateImages, latentNoise, trainGan } from '../src/index.js';

let images: tf.Tensor4D;
let dir = '';

beforeAll(async () => {
  await useBackend('wasm', { log: false });
  // 256 real Fashion-MNIST images (the bundled sample), scaled to [−1, 1] as the book does.
  const { train } = await loadFashionMnistSample();
  const count = 256;
  const pixels = Float32Array.from(train.images.subarray(0, count * 784), (v) => v / 127.5 - 1);
  images = tf.tensor4d(pixels, [count, 28, 28, 1]);
  dir = await mkdtemp(join(tmpdir(), 'neurona-gan-'));
});
afterAll(async () => {
  images.dispose();
  await rm(dir, { recursive: true, force: true });
});

const pair = (seed: number) => {
  const rng = createRng(seed);
  return { generator: dcganGenerator({ rng }), discriminator: dcganDiscriminator({ rng }) };
};
const free = (nets: ReturnType<typeof pair>) => {
  nets.generator.dispose();
  nets.discriminator.dispose();
};
const weightsOf = (m: tf.LayersModel) => m.getWeights().map((w) => Array.from(w.dataSync()));
/** Whether two networks hold the same weights bit for bit (a diff of 2.3 million numbers would not print). */
const sameWeights = (a: tf.LayersModel, b: tf.LayersModel) => {
  const [x, y] = [a.getWeights(), b.getWeights()];
  return (
    x.length === y.length &&
    x.every((w, i) => Buffer.from(w.dataSync().buffer).equals(Buffer.from((y[i] as tf.Tensor).dataSync().buffer)))
  );
};

describe('the DCGAN of chapter 14', () => {
  it('has the parameter counts Keras gives the book’s models, and refuses shapes it cannot make', () => {
    const nets = pair(1);
    expect(countParameters(nets.generator)).toMatchObject({ total: 2_330_944, trainable: 2_305_472 });
    expect(countParameters(nets.discriminator)).toMatchObject({ total: 212_865, trainable: 212_865 });
    free(nets);
    const cifar = dcganGenerator({ imageShape: [32, 32, 3], rng: createRng(1) });
    expect(cifar.outputs[0]?.shape).toEqual([null, 32, 32, 3]);
    cifar.dispose();
    const error = (() => {
      try {
        dcganGenerator({ imageShape: [30, 30, 1], rng: createRng(1) });
      } catch (e) {
        return e;
      }
    })();
    expect(InvalidOptionError.isInstance(error)).toBe(true);
    expect((error as Error).message).toBe(
      "dcganGenerator: option 'imageShape' is [30,30,1]; allowed: height and width multiples of 4 (the generator doubles h/4 × w/4 twice: …, 24, 28, 32, …) and 1 to 4 channels, e.g. [28, 28, 1] or [32, 32, 3]",
    );
    expect(() => dcganGenerator({ latentDim: 0, rng: createRng(1) })).toThrow(
      "dcganGenerator: option 'latentDim' is 0; allowed: an integer >= 1",
    );
  });

  it('learns on real images: the discriminator leaves chance, the samples move toward the data, nothing leaks', async () => {
    const nets = pair(2);
    const before = tf.memory().numTensors;
    const counts: number[] = [];
    const epochs: GanLogs[] = [];
    const noise = latentNoise(64, 100, 5);
    const realMean = tf.tidy(() => tf.mean(images).dataSync()[0] as number);
    const gap = () =>
      tf.tidy(() => Math.abs((tf.mean(generateImages(nets.generator, noise)).dataSync()[0] as number) - realMean));
    const startGap = gap();
    const run = await trainGan(images, {
      ...nets,
      epochs: 3,
      batchSize: 32,
      // Ten times the book's rate, so that 24 steps show the game moving.
      learningRate: 1e-3,
      seed: 7,
      callbacks: {
        onBatchEnd: () => void counts.push(tf.memory().numTensors),
        onEpochEnd: (_e, logs) => void epochs.push(logs),
      },
    });
    // 8 steps an epoch; after the first step (Adam's slots) the count stays put.
    expect(run.steps).toBe(24);
    expect(new Set(counts.slice(1)).size).toBe(1);
    expect(epochs).toHaveLength(3);
    // The game moves: the discriminator leaves chance (0.5) in some epoch of this short seeded run.
    expect(Math.max(...epochs.map((e) => e.d_accuracy))).toBeGreaterThan(0.55);
    expect(run.history.history.d_loss).toHaveLength(3);
    expect(gap()).toBeLessThan(startGap * 0.5);
    expect(run.timing.imagesPerSecond).toBeGreaterThan(0);
    run.dispose();
    noise.dispose();
    expect(tf.memory().numTensors).toBe(before);
    free(nets);
  }, 180_000);

  it('resumes: 1 epoch, a checkpoint on disk, 1 more equals 2 straight, bit for bit', async () => {
    const small = images.slice([0, 0, 0, 0], [96, 28, 28, 1]);
    const options = { epochs: 2, batchSize: 32, seed: 3 };
    const straight = pair(4);
    (await trainGan(small, { ...straight, ...options })).dispose();

    const first = pair(4);
    const save = join(dir, 'ckpt');
    const one = await trainGan(small, {
      ...first,
      ...options,
      epochs: 1,
      checkpoint: {
        save: async (state) => {
          await saveCheckpoint(save, state);
        },
      },
    });
    one.dispose();
    free(first);
    const checkpoint = await loadCheckpoint(save);
    // Built again from the same seed (its dropout masks follow from it), then the checkpoint's state.
    const resumed = pair(4);
    (await trainGan(small, { ...resumed, ...options, resumeFrom: checkpoint.state })).dispose();
    expect(sameWeights(resumed.generator, straight.generator)).toBe(true);
    expect(sameWeights(resumed.discriminator, straight.discriminator)).toBe(true);
    const fresh = pair(4);
    expect(sameWeights(resumed.generator, fresh.generator)).toBe(false);
    free(fresh);

    // Networks of another shape are refused before anything changes.
    const other = {
      generator: dcganGenerator({ latentDim: 64, rng: createRng(1) }),
      discriminator: dcganDiscriminator({ rng: createRng(1) }),
    };
    const kept = weightsOf(other.discriminator);
    await expect(trainGan(small, { ...other, ...options, resumeFrom: checkpoint.state })).rejects.toThrow(
      /weight 0 \(.*\) is \[64,12544\] in the model but \[100,12544\] in the checkpoint: it was saved from another architecture/,
    );
    expect(weightsOf(other.discriminator)).toEqual(kept);
    checkpoint.dispose();
    for (const n of [straight, resumed, other]) free(n);
    small.dispose();
  }, 180_000);

  it('refuses data outside [−1, 1], a batch larger than the data, and networks that do not fit the images', async () => {
    const nets = pair(5);
    const bytes = tf.mul(tf.add(images.slice([0, 0, 0, 0], [8, 28, 28, 1]), 1), 127.5) as tf.Tensor4D;
    await expect(trainGan(bytes, { ...nets, epochs: 1, batchSize: 4, seed: 1 })).rejects.toThrow(
      /trainGan: option 'images' is 'values from 0 to 255'; allowed: values in \[−1, 1\], the range of the generator’s tanh: scale pixels with x \/ 127\.5 − 1/,
    );
    await expect(trainGan(images, { ...nets, epochs: 1, batchSize: 1000, seed: 1 })).rejects.toThrow(
      "trainGan: option 'batchSize' is 1000; allowed: an integer from 1 to 256, the number of images",
    );
    const color = tf.zeros([8, 32, 32, 3]) as tf.Tensor4D;
    const error = await trainGan(color, { ...nets, epochs: 1, batchSize: 4, seed: 1 }).catch((e: unknown) => e);
    expect(NeuronaError.isInstance(error)).toBe(true);
    expect((error as Error).message).toBe(
      'trainGan: the images are [32,32,3], the generator makes [28,28,1] and the discriminator judges [28,28,1]: they must agree',
    );
    tf.dispose([bytes, color]);
    free(nets);
  });
});
