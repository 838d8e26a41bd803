import { useBackend } from '@neurona/core/node';
import { loadFashionMnistSample } from '@neurona/datasets/node';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { ch05DenseRecipe, getRecipe, resolveSettings, runRecipe } from '../src/index.js';

describe('ch05-dense on the real Fashion-MNIST sample', () => {
  beforeAll(async () => {
    await useBackend('wasm', { log: false });
  });

  it('learns: loss falls and test accuracy clears 0.6 on 4,000 images, leaking nothing', async () => {
    const data = await loadFashionMnistSample();
    const before = tf.memory().numTensors;
    const result = await runRecipe(ch05DenseRecipe, data, { epochs: 6 }, { trainLimit: 4000 });
    const loss = result.history.history.loss as number[];
    expect(loss).toHaveLength(6);
    expect(loss[5]).toBeLessThan((loss[0] as number) * 0.7);
    expect(result.test.accuracy).toBeGreaterThan(0.6);
    expect(result.counts).toEqual({ train: 3600, validation: 400, test: 2000 });
    expect(result.timing.trainSamplesPerSec).toBeGreaterThan(0);
    result.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('repeats the same history for the same seed', async () => {
    const data = await loadFashionMnistSample();
    const run = async () => {
      const r = await runRecipe(ch05DenseRecipe, data, { epochs: 2, seed: 3 }, { trainLimit: 500 });
      r.dispose();
      return r.history.history;
    };
    expect(await run()).toEqual(await run());
  });
});

describe('recipe registry and settings', () => {
  it('lists the known recipes when one is unknown', () => {
    expect(getRecipe('ch05-dense')).toBe(ch05DenseRecipe);
    expect(() => getRecipe('ch99-magic')).toThrow("Unknown recipe 'ch99-magic'. Known recipes: ch05-dense");
  });

  it('keeps the book’s settings beside the defaults', () => {
    expect(ch05DenseRecipe.book).toMatchObject({ epochs: 5, batchSize: 100, optimizer: 'sgd', learningRate: 0.01 });
    expect(ch05DenseRecipe.defaults).toMatchObject({ epochs: 20, batchSize: 100, optimizer: 'sgd', learningRate: 0.1 });
  });

  it('names an option whose value is not allowed', () => {
    expect(() => resolveSettings(ch05DenseRecipe.defaults, { epochs: 0 })).toThrow(
      "option 'epochs' is 0; allowed: an integer >= 1",
    );
    expect(() => resolveSettings(ch05DenseRecipe.defaults, { batchSize: 2.5 })).toThrow("option 'batchSize' is 2.5");
    expect(() => resolveSettings(ch05DenseRecipe.defaults, { optimizer: 'lbfgs' as 'sgd' })).toThrow(
      "option 'optimizer' is 'lbfgs'; allowed: sgd, adam, rmsprop",
    );
  });
});
