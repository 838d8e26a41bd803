import { createRng } from '@neurona/core';
import { useBackend } from '@neurona/core/node';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  augmentedBatches,
  RandomContrast,
  RandomFlip,
  RandomRotation,
  RandomTranslation,
  RandomZoom,
  registerAugmentationLayers,
} from '../src/index.js';

beforeAll(async () => {
  await useBackend('wasm', { log: false });
});

function modelWithAugmentation() {
  const rng = createRng(3);
  const model = tf.sequential({
    layers: [
      tf.layers.inputLayer({ inputShape: [12, 12, 3] }),
      new RandomFlip({ mode: 'horizontal', seed: 1 }),
      new RandomRotation({ factor: 0.1, seed: 2 }),
      new RandomZoom({ heightFactor: [-0.2, 0.2], seed: 3 }),
      new RandomTranslation({ heightFactor: 0.1, widthFactor: 0.1, fillMode: 'constant', seed: 4 }),
      new RandomContrast({ factor: 0.2, seed: 5 }),
      tf.layers.flatten(),
      tf.layers.dense({
        units: 2,
        activation: 'softmax',
        kernelInitializer: tf.initializers.glorotUniform({ seed: rng.nextSeed() }),
      }),
    ],
  });
  model.compile({ optimizer: 'sgd', loss: 'categoricalCrossentropy' });
  return model;
}

describe('augmentation layers', () => {
  it('change images in training and are the identity in inference', () => {
    const x = tf.randomUniform([4, 12, 12, 3], 0, 255, 'float32', 9);
    for (const layer of [
      new RandomFlip({ seed: 1 }),
      new RandomRotation({ factor: 0.2, seed: 1 }),
      new RandomZoom({ heightFactor: 0.3, seed: 1 }),
      new RandomTranslation({ heightFactor: 0.2, widthFactor: 0.2, seed: 1 }),
      new RandomContrast({ factor: 0.5, seed: 1 }),
    ]) {
      const inference = layer.apply(x, { training: false }) as tf.Tensor;
      const training = layer.apply(x, { training: true }) as tf.Tensor;
      expect(Array.from(inference.dataSync()), layer.getClassName()).toEqual(Array.from(x.dataSync()));
      expect(training.shape).toEqual(x.shape);
      expect(Array.from(training.dataSync()), layer.getClassName()).not.toEqual(Array.from(x.dataSync()));
      tf.dispose([training]);
    }
    x.dispose();
  });

  it('save and load back with their settings, predicting the same', async () => {
    registerAugmentationLayers();
    const model = modelWithAugmentation();
    let saved: tf.io.ModelArtifacts | undefined;
    await model.save(
      tf.io.withSaveHandler(async (artifacts) => {
        saved = artifacts;
        return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
      }),
    );
    const loaded = await tf.loadLayersModel(tf.io.fromMemory(saved as tf.io.ModelArtifacts));
    expect(loaded.layers.map((l) => l.getClassName())).toEqual([
      'InputLayer',
      'RandomFlip',
      'RandomRotation',
      'RandomZoom',
      'RandomTranslation',
      'RandomContrast',
      'Flatten',
      'Dense',
    ]);
    expect(loaded.layers[2]?.getConfig()).toMatchObject({ factor: [-0.1, 0.1], fillMode: 'reflect', seed: 2 });
    expect(loaded.layers[4]?.getConfig()).toMatchObject({ fillMode: 'constant', seed: 4 });
    const x = tf.randomUniform([2, 12, 12, 3], 0, 255, 'float32', 1);
    const a = model.predict(x) as tf.Tensor;
    const b = loaded.predict(x) as tf.Tensor;
    expect(Array.from(b.dataSync())).toEqual(Array.from(a.dataSync()));
    tf.dispose([x, a, b]);
    model.dispose();
    loaded.dispose();
  });

  it('name the option and the value they refuse', () => {
    expect(() => new RandomRotation({ factor: [0.3, 0.1] })).toThrow(
      "RandomRotation: option 'factor' is [0.3,0.1]; allowed: f or [lower, upper] within [-1, 1]",
    );
    expect(() => new RandomZoom({ heightFactor: -1.5 })).toThrow("RandomZoom: option 'heightFactor' is -1.5");
    expect(() => new RandomFlip({ mode: 'diagonal' as 'horizontal' })).toThrow(
      "RandomFlip: option 'mode' is 'diagonal'; allowed: horizontal, vertical, horizontal_and_vertical",
    );
    expect(() => new RandomTranslation({ heightFactor: 0.1, widthFactor: 0.1, fillMode: 'mirror' as 'wrap' })).toThrow(
      "option 'fillMode' is 'mirror'; allowed: nearest, constant, reflect, wrap",
    );
  });
});

describe('augmentedBatches', () => {
  it('feeds fitDataset on WASM with fresh transforms each epoch, leaking nothing', async () => {
    const model = modelWithAugmentation();
    const images = tf.randomUniform([10, 12, 12, 3], 0, 255, 'float32', 2);
    const labels = tf.oneHot(tf.tensor1d([0, 1, 0, 1, 0, 1, 0, 1, 0, 1], 'int32'), 2);
    const augment = { rotationRange: 20, widthShiftRange: 0.1, horizontalFlip: true, rescale: 1 / 255 };
    const dataset = augmentedBatches(images, labels, { batchSize: 4, augment, rng: createRng(8) });
    const firstPass: number[][] = [];
    await dataset.forEachAsync((batch) => {
      const { xs } = batch as { xs: tf.Tensor };
      firstPass.push(Array.from(xs.dataSync()).slice(0, 5));
      expect(xs.shape[0]).toBeLessThanOrEqual(4);
      expect(Math.max(...xs.dataSync())).toBeLessThanOrEqual(1);
    });
    expect(firstPass).toHaveLength(3); // 4 + 4 + 2
    const before = tf.memory().numTensors;
    const history = await model.fitDataset(dataset, { epochs: 2, verbose: 0 });
    expect(history.history.loss).toHaveLength(2);
    expect(tf.memory().numTensors).toBe(before);
    const secondPass: number[][] = [];
    await dataset.forEachAsync((batch) => {
      secondPass.push(Array.from((batch as { xs: tf.Tensor }).xs.dataSync()).slice(0, 5));
    });
    expect(secondPass).not.toEqual(firstPass);
    tf.dispose([images, labels]);
    model.dispose();
  });

  it('checks its options before training starts', () => {
    const images = tf.zeros([2, 4, 4, 1]);
    const labels = tf.zeros([3, 2]);
    expect(() => augmentedBatches(images, labels, { batchSize: 2, augment: {}, rng: createRng(1) })).toThrow(
      'augmentedBatches: 2 images but 3 labels',
    );
    expect(() =>
      augmentedBatches(images, images, { batchSize: 2, augment: { shearRange: 95 }, rng: createRng(1) }),
    ).toThrow("augmentation: option 'shearRange' is 95; allowed: a number in [0, 90)");
    tf.dispose([images, labels]);
  });
});

describe('augmentDataset over an image folder', () => {
  it('augments every batch read from disk, fresh each epoch', async () => {
    const { mkdtemp, mkdir } = await import('node:fs/promises');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const sharp = (await import('sharp')).default;
    const { imageFolder } = await import('@neurona/datasets/image-folder');
    const { augmentDataset } = await import('../src/index.js');
    const dir = await mkdtemp(join(tmpdir(), 'neurona-augdir-'));
    for (const cls of ['cats', 'dogs']) {
      await mkdir(join(dir, cls));
      for (let i = 0; i < 3; i++) {
        // A bright square on a dark ground, so a transform changes pixels.
        const data = Buffer.alloc(16 * 16 * 3, 0);
        for (let y = 4; y < 12; y++)
          for (let x = 3; x < 9 + i; x++) data.fill(240, (y * 16 + x) * 3, (y * 16 + x) * 3 + 3);
        await sharp(data, { raw: { width: 16, height: 16, channels: 3 } })
          .png()
          .toFile(join(dir, cls, `${cls}.${i}.png`));
      }
    }
    const folder = await imageFolder(dir, { imageSize: [16, 16], batchSize: 6, shuffle: false });
    const augmented = augmentDataset(
      folder.training,
      { rotationRange: 30, horizontalFlip: true, fillMode: 'constant' },
      createRng(2),
    );
    const pass = async (ds: tf.data.Dataset<tf.TensorContainer>) => {
      const out: number[] = [];
      await ds.forEachAsync((b) => {
        out.push(...(b as { xs: tf.Tensor }).xs.dataSync());
      });
      return out;
    };
    const plain = await pass(folder.training);
    const first = await pass(augmented);
    const second = await pass(augmented);
    expect(first).toHaveLength(plain.length);
    expect(first).not.toEqual(plain);
    expect(second).not.toEqual(first);
    expect(() => augmentDataset(folder.training, { zoomRange: 2 }, createRng(1))).toThrow("option 'zoomRange' is 2");
  });
});
