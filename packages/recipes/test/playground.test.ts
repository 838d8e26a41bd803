import { createRng, DataFormatError } from '@neurona/core';
import { useBackend } from '@neurona/core/node';
import { denseClassifier, fashionCnn } from '@neurona/zoo';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { PlaygroundSettings } from '../src/index.js';
import {
  checkPlaygroundSettings,
  featureMatrix,
  PlaygroundTrainer,
  playgroundData,
  playgroundDefaults,
  playgroundGrid,
  playgroundNetworkOf,
  playgroundPresets,
  readPlaygroundMetadata,
  settingsForModel,
} from '../src/index.js';

beforeAll(async () => {
  await useBackend('cpu', { log: false });
});

const preset = (id: string) => playgroundPresets.find((p) => p.id === id) as (typeof playgroundPresets)[number];

/** Saves a model to memory and loads it back, as a file round trip does. */
async function roundTrip(model: tf.LayersModel) {
  let saved: tf.io.ModelArtifacts | undefined;
  await model.save(
    tf.io.withSaveHandler(async (artifacts) => {
      saved = artifacts;
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }),
  );
  const loaded = await tf.loadLayersModel(tf.io.fromMemory(saved as tf.io.ModelArtifacts));
  return { loaded, metadata: saved?.userDefinedMetadata };
}

describe('checkPlaygroundSettings', () => {
  it('fills what is missing with the Playground’s opening state', () => {
    expect(checkPlaygroundSettings({})).toEqual({ settings: playgroundDefaults, changes: [] });
    expect(playgroundDefaults).toMatchObject({
      dataset: 'circle',
      networkShape: [4, 2],
      learningRate: 0.03,
      batchSize: 10,
    });
  });

  it('reads the values a URL gives as strings', () => {
    const { settings, changes } = checkPlaygroundSettings({
      dataset: 'spiral',
      noise: '15',
      percTrainData: '70',
      features: 'x1,x2,sinX1',
      networkShape: '8,8,3',
      activation: 'relu',
      learningRate: '0.1',
      regularization: 'l2',
      regularizationRate: '0.003',
      seed: '42',
    });
    expect(changes).toEqual([]);
    expect(settings).toMatchObject({
      dataset: 'spiral',
      noise: 15,
      percTrainData: 70,
      features: ['x1', 'x2', 'sinX1'],
      networkShape: [8, 8, 3],
      activation: 'relu',
      learningRate: 0.1,
      regularization: 'l2',
      regularizationRate: 0.003,
      seed: 42,
    });
    expect(checkPlaygroundSettings({ networkShape: '' }).settings.networkShape).toEqual([]);
  });

  it('takes the nearest valid value for what is out of range or unknown, and says so', () => {
    const { settings, changes } = checkPlaygroundSettings({
      noise: '500',
      networkShape: '9,0,4,4,4,4,4,4,4,4,4,4',
      activation: 'foo',
      learningRate: '0.02',
      batchSize: 'many',
      features: 'x1,cosX1',
      dataset: 'plane',
      problem: 'classification',
      seed: '-3',
    });
    expect(settings).toMatchObject({
      noise: 50,
      networkShape: [8, 1, 4, 4, 4, 4],
      activation: 'tanh',
      learningRate: 0.03,
      batchSize: 10,
      features: ['x1'],
      dataset: 'plane',
      problem: 'regression',
      seed: 0,
    });
    expect(changes).toEqual([
      "problem 'classification' does not fit the plane data set; using 'regression'",
      "features 'cosX1' unknown; dropped (known: x1, x2, x1Squared, x2Squared, x1TimesX2, sinX1, sinX2)",
      "networkShape '9,0,4,4,4,4,4,4,4,4,4,4' is out of range; using [8, 1, 4, 4, 4, 4] (allowed: up to 6 hidden layers of 1 to 8 neurons)",
      "noise '500' is out of range; using 50 (allowed: 0 to 50)",
      "batchSize 'many' is not a number; using 10 (allowed: 1 to 30)",
      "activation 'foo' is unknown; using 'tanh' (allowed: tanh, relu, sigmoid, linear)",
      "learningRate '0.02' is not offered; using 0.03 (allowed: 0.00001, 0.0001, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1, 3, 10)",
      "seed '-3' is out of range; using 0 (allowed: 0 to 2147483647)",
    ]);
  });
});

describe('playgroundData', () => {
  it('draws the same points for the same seed, splits them by percTrainData, and 1,200 to regress', () => {
    const a = playgroundData(playgroundDefaults);
    const b = playgroundData({ ...playgroundDefaults, networkShape: [1] });
    expect(a.train.count).toBe(250);
    expect(a.test.count).toBe(250);
    expect(b.train.points).toEqual(a.train.points);
    const other = playgroundData({ ...playgroundDefaults, seed: 2 });
    expect(other.train.points).not.toEqual(a.train.points);
    const seventy = playgroundData({ ...playgroundDefaults, percTrainData: 70 });
    expect([seventy.train.count, seventy.test.count]).toEqual([350, 150]);
    const plane = playgroundData({ ...playgroundDefaults, problem: 'regression', dataset: 'plane' });
    expect(plane.train.count + plane.test.count).toBe(1200);
    expect(Math.max(...plane.train.labels.map(Math.abs))).toBeLessThanOrEqual(1);
    // Classes are 0 and 1, about half each.
    const ones = a.train.labels.reduce((s, v) => s + v, 0);
    expect(new Set(a.train.labels)).toEqual(new Set([0, 1]));
    expect(ones).toBeGreaterThan(100);
    expect(ones).toBeLessThan(150);
  });

  it('computes each feature of each point, and the grid runs from the top left corner', () => {
    const points = new Float32Array([2, -3, 0.5, 1]);
    expect(
      Array.from(featureMatrix(points, ['x1', 'x2', 'x1Squared', 'x2Squared', 'x1TimesX2', 'sinX1', 'sinX2'])),
    ).toEqual(
      [2, -3, 4, 9, -6, Math.sin(2), Math.sin(-3), 0.5, 1, 0.25, 1, 0.5, Math.sin(0.5), Math.sin(1)].map(Math.fround),
    );
    const grid = playgroundGrid(4);
    expect(Array.from(grid.subarray(0, 4))).toEqual([-4.5, 4.5, -1.5, 4.5]);
    expect(Array.from(grid.subarray(-2))).toEqual([4.5, -4.5]);
  });
});

describe('PlaygroundTrainer', () => {
  it('gives the same losses for the same settings, and other losses for another seed', async () => {
    const losses = async (settings: PlaygroundSettings) => {
      const trainer = PlaygroundTrainer.create(settings);
      const out: number[] = [];
      for (let i = 0; i < 5; i++) {
        await trainer.trainEpoch();
        out.push((await trainer.figures()).testLoss);
      }
      trainer.dispose();
      return out;
    };
    const first = await losses(playgroundDefaults);
    expect(await losses(playgroundDefaults)).toEqual(first);
    expect(await losses({ ...playgroundDefaults, seed: 2 })).not.toEqual(first);
  });

  it.each(['ch07-one-neuron', 'ch07-hidden-layer'])('%s: the test loss falls under the preset’s bar', async (id) => {
    const before = tf.memory().numTensors;
    const { settings, epochs, testLossBar, accuracyBar } = preset(id);
    const trainer = PlaygroundTrainer.create(settings);
    const start = await trainer.figures();
    for (let i = 0; i < epochs; i++) await trainer.trainEpoch();
    const end = await trainer.figures();
    expect(end.epoch).toBe(epochs);
    expect(end.testLoss).toBeLessThan(testLossBar);
    expect(end.testLoss).toBeLessThan(start.testLoss / 3);
    expect(end.testAccuracy).toBeGreaterThanOrEqual(accuracyBar);
    trainer.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('regresses the plane with a linear output', async () => {
    const trainer = PlaygroundTrainer.create({ ...playgroundDefaults, problem: 'regression', dataset: 'plane' });
    const start = await trainer.figures();
    for (let i = 0; i < 5; i++) await trainer.trainEpoch();
    const end = await trainer.figures();
    expect(end.trainAccuracy).toBeUndefined();
    expect(end.testLoss).toBeLessThan(start.testLoss / 5);
    expect(end.testLoss).toBeLessThan(0.02);
    trainer.dispose();
  });

  it('an L1 penalty drives more weights to near zero than none', async () => {
    const smallWeights = async (settings: PlaygroundSettings) => {
      const trainer = PlaygroundTrainer.create({ ...settings, networkShape: [8, 8], dataset: 'gauss' });
      for (let i = 0; i < 20; i++) await trainer.trainEpoch();
      const { kernels } = await trainer.weights();
      trainer.dispose();
      return kernels.flatMap((k) => Array.from(k)).filter((w) => Math.abs(w) < 0.02).length;
    };
    const none = await smallWeights(playgroundDefaults);
    const l1 = await smallWeights({ ...playgroundDefaults, regularization: 'l1', regularizationRate: 0.03 });
    // Of 88 kernel weights: 1 without the penalty, 46 with it (cpu backend).
    expect(l1).toBeGreaterThan(none + 30);
  });

  it("weights() hands out copies: changing (or transferring) them leaves the model's own alone", async () => {
    const trainer = PlaygroundTrainer.create(playgroundDefaults);
    const first = await trainer.weights();
    const kept = (first.kernels[0] as Float32Array).slice();
    (first.kernels[0] as Float32Array).fill(Number.NaN);
    expect((await trainer.weights()).kernels[0]).toEqual(kept);
    expect(Number.isFinite((await trainer.figures()).testLoss)).toBe(true);
    trainer.dispose();
  });

  it('a new learning rate takes effect from the next epoch', async () => {
    const step = async (rate?: number) => {
      const trainer = PlaygroundTrainer.create(playgroundDefaults);
      if (rate !== undefined) trainer.setLearningRate(rate);
      const before = (await trainer.weights()).kernels[0] as Float32Array;
      await trainer.trainEpoch();
      const after = (await trainer.weights()).kernels[0] as Float32Array;
      trainer.dispose();
      return Math.max(...after.map((w, i) => Math.abs(w - (before[i] as number))));
    };
    expect(await step(0.00001)).toBeLessThan((await step()) / 100);
  });

  it('gives every neuron’s output over the grid from one prediction, and the weights layer by layer', async () => {
    const trainer = PlaygroundTrainer.create({ ...playgroundDefaults, features: ['x1', 'x2', 'x1Squared'] });
    const grid = playgroundGrid(10);
    const nodes = await trainer.nodeOutputs(grid);
    expect(nodes.features.map((f) => f.length)).toEqual([100, 100, 100]);
    expect(nodes.features[2]?.[0]).toBeCloseTo(5.4 ** 2, 4);
    expect(nodes.layers.map((l) => l.length)).toEqual([4, 2, 1]);
    const predicted = tf.tidy(
      () => trainer.model.predict(tf.tensor2d(featureMatrix(grid, trainer.settings.features), [100, 3])) as tf.Tensor,
    );
    const outputs = nodes.layers[2]?.[0] as Float32Array;
    const expected = Array.from(await predicted.data());
    expect(Math.max(...expected.map((v, i) => Math.abs(v - (outputs[i] as number))))).toBeLessThan(1e-6);
    predicted.dispose();
    // tanh neurons stay in (-1, 1); the sigmoid output in (0, 1).
    expect(Math.max(...(nodes.layers[0]?.flatMap((n) => Array.from(n).map(Math.abs)) ?? []))).toBeLessThanOrEqual(1);
    const { kernels, biases } = await trainer.weights();
    expect(kernels.map((k) => k.length)).toEqual([3 * 4, 4 * 2, 2 * 1]);
    expect(biases.map((b) => b.length)).toEqual([4, 2, 1]);
    trainer.dispose();
  });
});

describe('models in and out of the page', () => {
  it('a saved model carries its settings and epoch, and goes on training as if never saved (SGD)', async () => {
    const settings = { ...preset('ch07-hidden-layer').settings, noise: 10 };
    const straight = PlaygroundTrainer.create(settings);
    const saved = PlaygroundTrainer.create(settings);
    for (let i = 0; i < 3; i++) {
      await straight.trainEpoch();
      await saved.trainEpoch();
    }
    const { loaded, metadata } = await roundTrip(saved.modelToSave());
    saved.dispose();
    const read = readPlaygroundMetadata(metadata);
    expect(read).toEqual({ settings, changes: [], epoch: 3 });
    const imported = settingsForModel(loaded, { current: playgroundDefaults, metadata });
    expect(imported.settings).toEqual(settings);
    const resumed = PlaygroundTrainer.create(imported.settings, { model: loaded, epoch: imported.epoch });
    for (let i = 0; i < 2; i++) {
      await straight.trainEpoch();
      await resumed.trainEpoch();
    }
    expect(await resumed.weights()).toEqual(await straight.weights());
    expect((await resumed.figures()).epoch).toBe(5);
    straight.dispose();
    resumed.dispose();
  });

  it('a model of a ch07 recipe run takes its preset’s data; x₁ and x₂ for two inputs', async () => {
    const model = denseClassifier({
      inputShape: [2],
      hidden: [{ units: 4, activation: 'tanh' }],
      numClasses: 1,
      outputActivation: 'sigmoid',
      rng: createRng(1),
    });
    const withSin = { ...playgroundDefaults, features: ['x1', 'x2', 'sinX1'] as PlaygroundSettings['features'] };
    const fromRun = settingsForModel(model, { current: withSin, recipe: 'ch07-hidden-layer' });
    expect(fromRun.settings).toEqual(preset('ch07-hidden-layer').settings);
    const plain = settingsForModel(model, { current: withSin });
    expect(plain.settings).toMatchObject({ dataset: 'circle', features: ['x1', 'x2'], networkShape: [4] });
    expect(plain.changes).toEqual(['features: x₁ and x₂, the two inputs of the model']);
    model.dispose();
  });

  it('refuses a model the Playground cannot draw, naming the file and what was expected', () => {
    const three = denseClassifier({
      inputShape: [3],
      hidden: [],
      numClasses: 1,
      outputActivation: 'sigmoid',
      rng: createRng(1),
    });
    const refusal = (() => {
      try {
        settingsForModel(three, { current: playgroundDefaults, file: 'mine.json' });
      } catch (error) {
        return error;
      }
    })();
    expect(DataFormatError.isInstance(refusal)).toBe(true);
    expect((refusal as Error).message).toBe(
      'mine.json: the model takes 3 inputs, but the chosen features are 2 (x₁, x₂): choose 3 features, or load a model made for these',
    );
    const cnn = fashionCnn({ rng: createRng(1) });
    expect(() => playgroundNetworkOf(cnn, 'cnn.json')).toThrow(
      /^cnn\.json: layer '\w+' is a Conv2D; the Playground draws Dense networks of 1 to 7 inputs, up to 6 hidden layers of up to 8 neurons/,
    );
    const softmax = denseClassifier({ inputShape: [2], hidden: [], numClasses: 3, rng: createRng(1) });
    expect(() => playgroundNetworkOf(softmax)).toThrow(/^model\.json: its output layer has 3 neurons, not 1;/);
    const wide = denseClassifier({
      inputShape: [2],
      hidden: [{ units: 16, activation: 'tanh' }],
      numClasses: 1,
      outputActivation: 'sigmoid',
      rng: createRng(1),
    });
    expect(() => playgroundNetworkOf(wide)).toThrow(/^model\.json: a hidden layer has 16 neurons;/);
    for (const m of [three, cnn, softmax, wide]) m.dispose();
  });

  it('a regression model switches the page to a regression data set', () => {
    const model = denseClassifier({
      inputShape: [2],
      hidden: [],
      numClasses: 1,
      outputActivation: 'linear',
      rng: createRng(1),
    });
    const { settings, changes } = settingsForModel(model, { current: playgroundDefaults });
    expect(settings).toMatchObject({ problem: 'regression', dataset: 'plane', networkShape: [] });
    expect(changes).toEqual(["problem: regression, as the model's output says; data set plane"]);
    model.dispose();
  });
});
