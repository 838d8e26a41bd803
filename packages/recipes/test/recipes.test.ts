import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InvalidOptionError } from '@neurona/core';
import { useBackend } from '@neurona/core/node';
import { loadFashionMnistSample } from '@neurona/datasets/node';
import { countParameters } from '@neurona/zoo';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Recipe, RecipeInput } from '../src/index.js';
import {
  ch05DenseRecipe,
  ch07DeepRecipe,
  ch07HiddenLayerRecipe,
  ch07OneNeuronRecipe,
  ch08FashionBasicRecipe,
  ch08FashionBnDropoutRecipe,
  ch08FashionLrDecayRecipe,
  ch09AutoMpgRecipe,
  ch12FunctionalRecipe,
  getRecipe,
  recipes,
  resolveSettings,
  runRecipe,
  settingsFor,
} from '../src/index.js';
import { loadRecipeInput } from '../src/node.js';

let sample: RecipeInput;
const generated: RecipeInput = { kind: 'generated', name: 'toy2d' };

beforeAll(async () => {
  await useBackend('wasm', { log: false });
  sample = { kind: 'images', name: 'fashion-mnist-sample', data: await loadFashionMnistSample() };
});

const falls = (loss: number[] | undefined, factor: number) => {
  expect(loss?.length).toBeGreaterThan(1);
  expect(loss?.at(-1)).toBeLessThan((loss?.[0] as number) * factor);
};

describe('the recipe registry', () => {
  it('has every experiment of the book once, with valid defaults, book and quick settings', () => {
    expect(recipes.map((r) => r.id)).toEqual([
      'ch05-dense',
      'ch07-one-neuron',
      'ch07-hidden-layer',
      'ch07-deep',
      'ch08-mnist-cnn',
      'ch08-fashion-basic',
      'ch08-fashion-adam',
      'ch08-fashion-bn-dropout',
      'ch08-fashion-lr-decay',
      'ch09-auto-mpg',
      'ch10-dogs-cats',
      'ch11-augmentation',
      'ch11-feature-extraction',
      'ch11-fine-tuning',
      'ch12-functional',
      'ch12-cifar-resnet50',
      'ch12-cifar-vgg19',
    ]);
    for (const r of recipes) {
      expect(() => resolveSettings(r.defaults), r.id).not.toThrow();
      expect(() => resolveSettings(r.book), r.id).not.toThrow();
      expect(() => settingsFor(r, {}, { quick: true }), r.id).not.toThrow();
      expect(r.expected.metric, r.id).toBe(r.task === 'regression' ? 'mae' : 'accuracy');
    }
  });

  it('names the known recipes for an unknown one, and bad settings by option', () => {
    expect(getRecipe('ch05-dense')).toBe(ch05DenseRecipe);
    expect(() => getRecipe('ch99-magic')).toThrow(
      "'ch99-magic' is not a known recipe; known: ch05-dense, ch07-one-neuron",
    );
    expect(() => resolveSettings(ch05DenseRecipe.defaults, { epochs: 0 })).toThrow(
      "option 'epochs' is 0; allowed: an integer from 1 to 1000000",
    );
    expect(() => resolveSettings(ch05DenseRecipe.defaults, { optimizer: 'lbfgs' as 'sgd' })).toThrow(
      "option 'optimizer' is 'lbfgs'; allowed: sgd, adam, rmsprop",
    );
    expect(() => resolveSettings(ch05DenseRecipe.defaults, { validationFraction: 1 })).toThrow(
      "option 'validationFraction' is 1; allowed: a number in [0, 1)",
    );
  });

  it('keeps the book’s settings beside the defaults', () => {
    expect(ch05DenseRecipe.book).toMatchObject({ epochs: 5, batchSize: 100, optimizer: 'sgd', learningRate: 0.01 });
    expect(ch05DenseRecipe.defaults).toMatchObject({ epochs: 20, batchSize: 100, optimizer: 'sgd', learningRate: 0.1 });
  });
});

describe('ch05-dense on the real Fashion-MNIST sample', () => {
  it('learns: loss falls and test accuracy clears 0.6 on 4,000 images, leaking nothing', async () => {
    const before = tf.memory().numTensors;
    const result = await runRecipe(ch05DenseRecipe, sample, { epochs: 6 }, { trainLimit: 4000 });
    expect(result.history.history.loss).toHaveLength(6);
    falls(result.history.history.loss, 0.7);
    expect(result.test.accuracy).toBeGreaterThan(0.6);
    expect(result.score).toMatchObject({ metric: 'accuracy', bar: 0.75 });
    expect(result.counts).toEqual({ train: 3600, validation: 400, test: 2000 });
    expect(result.timing.trainSamplesPerSec).toBeGreaterThan(0);
    result.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('repeats the same history for the same seed', async () => {
    const run = async () => {
      const r = await runRecipe(ch05DenseRecipe, sample, { epochs: 2, seed: 3 }, { trainLimit: 500 });
      r.dispose();
      return r.history.history;
    };
    expect(await run()).toEqual(await run());
  });

  it('trains on every row without validation curves when validationFraction is 0, as the book', async () => {
    const result = await runRecipe(ch05DenseRecipe, sample, { epochs: 1, validationFraction: 0 }, { trainLimit: 500 });
    expect(Object.keys(result.history.history).sort()).toEqual(['accuracy', 'loss']);
    expect(result.counts).toEqual({ train: 500, validation: 0, test: 2000 });
    result.dispose();
  });
});

describe('ch07: the TensorFlow Playground', () => {
  it.each([
    { recipe: ch07OneNeuronRecipe, bar: 0.95 },
    { recipe: ch07HiddenLayerRecipe, bar: 0.85 },
    { recipe: ch07DeepRecipe, bar: 0.7 },
  ])('$recipe.id --quick learns its 2-D set', async ({ recipe, bar }) => {
    const before = tf.memory().numTensors;
    const result = await runRecipe(recipe, generated, {}, { quick: true });
    falls(result.history.history.loss, 0.8);
    expect(result.test.accuracy).toBeGreaterThanOrEqual(bar);
    expect(result.counts).toEqual({ train: 200, validation: 50, test: 250 });
    result.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('one neuron cannot learn the circle that a hidden layer learns', async () => {
    const oneNeuronOnCircle: Recipe = { ...ch07HiddenLayerRecipe, buildModel: ch07OneNeuronRecipe.buildModel };
    const result = await runRecipe(oneNeuronOnCircle, generated);
    expect(result.test.accuracy).toBeLessThan(0.75);
    result.dispose();
  });
});

describe('ch08: CNNs on the Fashion-MNIST sample (wasm)', () => {
  it('the basic CNN (SGD) and the BatchNorm + Dropout CNN (Adam) learn; the second is better', async () => {
    const basic = await runRecipe(ch08FashionBasicRecipe, sample, {}, { quick: true });
    const better = await runRecipe(ch08FashionBnDropoutRecipe, sample, {}, { quick: true });
    falls(basic.history.history.loss, 0.99);
    falls(better.history.history.loss, 0.6);
    expect(countParameters(basic.model).total).toBe(62346);
    expect(countParameters(better.model).total).toBe(422026);
    expect(basic.test.accuracy).toBeGreaterThan(0.15);
    // 42 steps are too few for BatchNorm's moving averages (momentum 0.99): judge the training figures.
    expect(better.history.history.accuracy?.at(-1)).toBeGreaterThan(0.6);
    expect(better.history.history.accuracy?.at(-1)).toBeGreaterThan(basic.history.history.accuracy?.at(-1) as number);
    basic.dispose();
    better.dispose();
  });

  it('learning-rate decay lowers the rate by 0.9 per epoch', async () => {
    const before = tf.memory().numTensors;
    const result = await runRecipe(
      ch08FashionLrDecayRecipe,
      sample,
      { epochs: 2 },
      { trainLimit: 600, testLimit: 200 },
    );
    const lr = (result.model.optimizer as unknown as { learningRate: number }).learningRate;
    // 540 training rows, batch 100: 6 steps an epoch, 12 in all; the last step is 11.
    expect(lr).toBeCloseTo(0.001 * 0.9 ** (11 / 6), 8);
    result.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe('ch09: Auto MPG regression', () => {
  it('stops early and reaches a test MAE under 2.5 MPG with the default settings', async () => {
    const input = await loadRecipeInput('auto-mpg');
    const before = tf.memory().numTensors;
    const result = await runRecipe(ch09AutoMpgRecipe, input);
    expect(result.epochsRun).toBeLessThan(1000);
    expect(result.epochsRun).toBeGreaterThan(20);
    expect(result.score.metric).toBe('mae');
    expect(result.score.value).toBeLessThan(2.5);
    expect(result.score.meetsBar).toBe(true);
    expect(result.counts.test).toBe(78);
    expect(result.counts.train + result.counts.validation + result.counts.test).toBe(392);
    expect(result.preprocessing?.columns).toEqual([
      'cylinders',
      'displacement',
      'horsepower',
      'weight',
      'acceleration',
      'model_year',
      'origin=Europe',
      'origin=Japan',
      'origin=USA',
    ]);
    expect(result.preprocessing?.scaler).toMatchObject({ kind: 'StandardScaler' });
    falls(result.history.history.loss, 0.1);
    result.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('trains with the mean absolute error as its loss when asked (ch. 9.4.5): its loss is then its MAE', async () => {
    const input = await loadRecipeInput('auto-mpg');
    const before = tf.memory().numTensors;
    const result = await runRecipe(ch09AutoMpgRecipe, input, {}, { loss: 'meanAbsoluteError' });
    expect(result.loss).toBe('meanAbsoluteError');
    const { loss, mae } = result.history.history as { loss: number[]; mae: number[] };
    expect(loss).toHaveLength(result.epochsRun);
    // The loss is the running mean of the batches' MAE: the same figure as the metric.
    expect(loss.at(-1)).toBeCloseTo(mae.at(-1) as number, 4);
    expect(result.test.loss).toBeCloseTo(result.test.mae as number, 4);
    expect(result.score.value).toBeLessThan(2.5);
    falls(loss, 0.2);
    result.dispose();
    expect(tf.memory().numTensors).toBe(before);
    await expect(runRecipe(ch09AutoMpgRecipe, input, {}, { loss: 'huber' as 'meanAbsoluteError' })).rejects.toThrow(
      "ch09-auto-mpg: option 'loss' is 'huber'; allowed: meanSquaredError or meanAbsoluteError",
    );
    await expect(
      runRecipe(ch05DenseRecipe, { kind: 'table', name: 'auto-mpg', rows: [] }, {}, { loss: 'meanAbsoluteError' }),
    ).rejects.toThrow(/option 'loss' is 'meanAbsoluteError'; allowed: nothing: 'ch05-dense' is a classifier/);
  });

  it('refuses to stop early without a validation part', async () => {
    const input = await loadRecipeInput('auto-mpg');
    await expect(runRecipe(ch09AutoMpgRecipe, input, { validationFraction: 0 })).rejects.toThrow(
      "ch09-auto-mpg: option 'validationFraction' is 0; allowed: a number in (0, 1): the recipe stops early on val_loss",
    );
  });
});

describe('ch12: the functional API', () => {
  it('trains a model written with tf.input/tf.model, not a Sequential', async () => {
    const result = await runRecipe(ch12FunctionalRecipe, sample, {}, { quick: true });
    expect(result.model instanceof tf.Sequential).toBe(false);
    expect(result.model.layers.map((l) => l.name)).toEqual(['image', 'flatten', 'dense', 'dense_1', 'predictions']);
    falls(result.history.history.loss, 0.7);
    expect(result.test.accuracy).toBeGreaterThan(0.7);
    result.dispose();
  });
});

describe('bad input', () => {
  it('names the data a recipe runs on, the missing pretrained model, and bad limits; nothing leaks', async () => {
    const before = tf.memory().numTensors;
    const wrongData = await runRecipe(ch08FashionBasicRecipe, { kind: 'table', name: 'auto-mpg', rows: [] }).catch(
      (e: unknown) => e,
    );
    expect(InvalidOptionError.isInstance(wrongData) && [wrongData.option, wrongData.value, wrongData.message]).toEqual([
      'data',
      'auto-mpg',
      "ch08-fashion-basic: option 'data' is 'auto-mpg'; allowed: fashion-mnist-sample, fashion-mnist, mnist",
    ]);
    await expect(runRecipe(getRecipe('ch11-feature-extraction'), { ...sample, name: 'dogs-vs-cats' })).rejects.toThrow(
      "ch11-feature-extraction: option 'pretrained' is undefined; allowed: a tfjs layers model, such as the MobileNetV2",
    );
    await expect(runRecipe(ch05DenseRecipe, sample, {}, { trainLimit: 1 })).rejects.toThrow(
      "option 'trainLimit' is 1; allowed: an integer >= 2",
    );
    await expect(runRecipe(getRecipe('ch10-dogs-cats'), { ...sample, name: 'dogs-vs-cats' })).rejects.toThrow(
      "'dogs-vs-cats' has 10 classes (T-shirt/top, Trouser",
    );
    expect(tf.memory().numTensors).toBe(before);
  });

  it('names a data set that is not on this machine and how to get it', async () => {
    const empty = await mkdtemp(join(tmpdir(), 'neurona-recipes-'));
    await expect(loadRecipeInput('dogs-vs-cats', { path: empty })).rejects.toThrow(
      `${empty} has no train, validation, test folder`,
    );
  });
});
