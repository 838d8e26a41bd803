import { InvalidOptionError } from '@neurona/core';
import { useBackend } from '@neurona/core/node';
import type { LabelledSplit } from '@neurona/datasets';
import { loadFashionMnistSample } from '@neurona/datasets/node';
import { trainScoringClassifier } from '@neurona/gan';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { ch14DcganFashionRecipe, ganSettingsFor, getGanRecipe, runGanRecipe } from '../src/index.js';

let sample: LabelledSplit;
beforeAll(async () => {
  await useBackend('wasm', { log: false });
  sample = await loadFashionMnistSample();
});

describe('the chapter-14 recipes', () => {
  it('settings: the book, the defaults, --quick and overrides, each bad value named', () => {
    const recipe = getGanRecipe('ch14-dcgan-fashion');
    expect(ganSettingsFor(recipe, {}, { book: true })).toMatchObject({
      epochs: 50,
      batchSize: 256,
      learningRate: 1e-4,
      beta1: 0.9,
      latentDim: 100,
      trainImages: 0,
    });
    expect(ganSettingsFor(recipe, {}, { quick: true })).toMatchObject({
      epochs: 2,
      trainImages: 1024,
      scoreImages: 500,
    });
    expect(ganSettingsFor(recipe, { latentDim: 64 })).toMatchObject({ ...recipe.defaults, latentDim: 64 });
    expect(() => ganSettingsFor(recipe, { latentDim: 0 })).toThrow(
      "ch14-dcgan-fashion: option 'latentDim' is 0; allowed: an integer from 1 to 100,000",
    );
    expect(() => ganSettingsFor(recipe, { beta1: 1 })).toThrow(
      "ch14-dcgan-fashion: option 'beta1' is 1; allowed: a number in [0, 1)",
    );
    const error = (() => {
      try {
        ganSettingsFor(recipe, {}, { quick: true, book: true });
      } catch (e) {
        return e;
      }
    })();
    expect(InvalidOptionError.isInstance(error)).toBe(true);
    expect(() => getGanRecipe('ch14-dcgan-cifar')).toThrow(/ch14-dcgan-fashion, ch14-dcgan-mnist/);
  });

  it('runs on real images: scores before and after every epoch in the history, nothing left behind', async () => {
    const take = (set: LabelledSplit['train'], n: number) => ({
      images: tf.tensor4d(
        Float32Array.from(set.images.subarray(0, n * 784), (v) => v / 127.5 - 1),
        [n, 28, 28, 1],
      ),
      labels: tf.tensor1d(set.labels.subarray(0, n), 'int32'),
    });
    const [train, test] = [take(sample.train, 2000), take(sample.test, 500)];
    const classifier = await trainScoringClassifier(train, test, { epochs: 1, batchSize: 32, seed: 2 });
    tf.dispose([train.images, train.labels, test.images, test.labels]);
    const before = tf.memory().numTensors;
    const warnings: string[] = [];
    const seen: number[] = [];
    const result = await runGanRecipe(
      ch14DcganFashionRecipe,
      sample,
      classifier.model,
      { epochs: 2, trainImages: 128, batchSize: 32, scoreImages: 200 },
      { onWarning: (m) => warnings.push(m), onBaselines: (b) => seen.push(b.untrained.frechetDistance) },
    );
    const h = result.history.history;
    expect(result.steps).toBe(8);
    expect(h.frechet_distance).toHaveLength(2);
    expect(h.class_spread).toHaveLength(2);
    expect(result.final.frechetDistance).toBe(h.frechet_distance?.[1]);
    expect(result.final.count).toBe(200);
    expect(seen).toEqual([result.baselines.untrained.frechetDistance]);
    // Real images against real ones sit far closer than the untrained generator's noise.
    expect(result.baselines.untrained.frechetDistance).toBeGreaterThan(5 * result.baselines.floor.frechetDistance);
    expect(result.score.distanceRatio).toBeCloseTo(
      result.final.frechetDistance / result.baselines.untrained.frechetDistance,
      12,
    );
    // Only the two networks stay, the caller's to free.
    const kept = result.generator.weights.length + result.discriminator.weights.length;
    expect(tf.memory().numTensors - before).toBe(kept);
    result.dispose();
    expect(tf.memory().numTensors).toBe(before);

    await expect(runGanRecipe(ch14DcganFashionRecipe, sample, classifier.model, { trainImages: 9000 })).rejects.toThrow(
      "ch14-dcgan-fashion: option 'trainImages' is 9000; allowed: at most 8,000, the training images of this data (0 for all)",
    );
    await expect(runGanRecipe(ch14DcganFashionRecipe, sample, classifier.model, { scoreImages: 5000 })).rejects.toThrow(
      "ch14-dcgan-fashion: option 'scoreImages' is 5000; allowed: at most 2,000: the test images it compares with (and as many training images for the floor)",
    );
    expect(tf.memory().numTensors).toBe(before);
    classifier.model.dispose();
  }, 120_000);
});
