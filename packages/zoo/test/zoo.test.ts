import { createRng } from '@neurona/core';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  ch05Dense,
  countParameters,
  denseClassifier,
  fashionCnn,
  mnistCnn,
  seededDropout,
  summary,
} from '../src/index.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('ch05Dense', () => {
  it('has the book’s 7,960 parameters, summarised as Keras prints them', () => {
    const model = ch05Dense({ rng: createRng(1) });
    expect(countParameters(model)).toEqual({ total: 7960, trainable: 7960, nonTrainable: 0 });
    expect(model.layers.map((l) => l.countParams())).toEqual([0, 7850, 110]);
    const text = summary(model);
    expect(text).toContain('flatten (Flatten)            (None, 784)               0');
    expect(text).toContain('dense (Dense)                (None, 10)                7850');
    expect(text).toContain('dense_1 (Dense)              (None, 10)                110');
    expect(text).toMatch(/Total params: 7,960\nTrainable params: 7,960\nNon-trainable params: 0\n/);
    model.dispose();
  });

  it('gives the same initial weights for the same seed', () => {
    const a = ch05Dense({ rng: createRng(3) });
    const b = ch05Dense({ rng: createRng(3) });
    const c = ch05Dense({ rng: createRng(4) });
    const w = (m: tf.LayersModel) => Array.from(m.getWeights()[0]?.dataSync() ?? []);
    expect(w(b)).toEqual(w(a));
    expect(w(c)).not.toEqual(w(a));
    for (const m of [a, b, c]) m.dispose();
  });
});

describe('denseClassifier', () => {
  it('counts parameters of wider nets with thousands separators', () => {
    const model = denseClassifier({
      inputShape: [784],
      hidden: [{ units: 512, activation: 'relu' }],
      numClasses: 10,
      rng: createRng(1),
    });
    // 784*512 + 512 + 512*10 + 10
    expect(countParameters(model).total).toBe(407050);
    expect(summary(model)).toContain('Total params: 407,050');
    model.dispose();
  });

  it('takes Keras initialisers by name, seeded', () => {
    const build = (initializer: 'heNormal' | 'zeros', seed: number) =>
      denseClassifier({
        inputShape: [64],
        hidden: [{ units: 256, activation: 'relu', initializer }],
        numClasses: 2,
        rng: createRng(seed),
      });
    const he = build('heNormal', 3);
    const kernel = he.layers[0]?.getWeights()[0] as tf.Tensor;
    // He normal: truncated normal with stddev sqrt(2 / fan_in) = 0.177 (about 0.155 after truncation).
    const std = tf.tidy(() => tf.moments(kernel).variance.sqrt().dataSync()[0] as number);
    expect(std).toBeGreaterThan(0.14);
    expect(std).toBeLessThan(0.19);
    const again = build('heNormal', 3);
    expect(Array.from(((again.layers[0] as tf.layers.Layer).getWeights()[0] as tf.Tensor).dataSync())).toEqual(
      Array.from(kernel.dataSync()),
    );
    const zeros = build('zeros', 3);
    expect(
      tf.tidy(
        () =>
          tf
            .abs(zeros.layers[0]?.getWeights()[0] as tf.Tensor)
            .max()
            .dataSync()[0],
      ),
    ).toBe(0);
    for (const m of [he, again, zeros]) m.dispose();
  });

  it('puts a Keras L1L2 penalty on every kernel, which fit adds to the loss', async () => {
    const build = (kernelRegularizer?: { l1?: number; l2?: number }) =>
      denseClassifier({
        inputShape: [2],
        hidden: [{ units: 4, activation: 'tanh' }],
        numClasses: 1,
        outputActivation: 'linear',
        rng: createRng(5),
        ...(kernelRegularizer ? { kernelRegularizer } : {}),
      });
    const plain = build();
    const l2 = build({ l2: 0.5 });
    const regularizerOf = (m: typeof plain) =>
      m.layers.map((l) => (l.getConfig() as { kernelRegularizer?: unknown }).kernelRegularizer);
    const configs = regularizerOf(l2);
    expect(configs).toEqual([
      { className: 'L1L2', config: { l1: 0, l2: 0.5 } },
      { className: 'L1L2', config: { l1: 0, l2: 0.5 } },
    ]);
    expect(regularizerOf(plain)).toEqual([null, null]);
    // The same start, the same data: the penalised kernels end smaller.
    const x = tf.randomUniform([64, 2], -1, 1, 'float32', 9);
    const y = x.sum(1, true);
    const norms: number[] = [];
    for (const model of [plain, l2]) {
      model.compile({ optimizer: tf.train.sgd(0.1), loss: 'meanSquaredError' });
      await model.fit(x, y, { epochs: 20, batchSize: 16, shuffle: false, verbose: 0 });
      norms.push(tf.tidy(() => tf.norm(model.layers[0]?.getWeights()[0] as tf.Tensor).dataSync()[0] as number));
    }
    expect(norms[1]).toBeLessThan((norms[0] as number) * 0.7);
    expect(() => build({ l1: -1 })).toThrow(
      "denseClassifier: option 'kernelRegularizer.l1' is -1; allowed: a number >= 0",
    );
    tf.dispose([x, y]);
    plain.dispose();
    l2.dispose();
  });

  it('names the layer and the value for options that make no model', () => {
    const rng = createRng(1);
    expect(() =>
      denseClassifier({ inputShape: [4], hidden: [{ units: 0, activation: 'relu' }], numClasses: 2, rng }),
    ).toThrow("denseClassifier: hidden[0]: option 'units' is 0; allowed: an integer >= 1");
    expect(() =>
      denseClassifier({ inputShape: [4], hidden: [{ units: 3, activation: 'gelu' as 'relu' }], numClasses: 2, rng }),
    ).toThrow("denseClassifier: hidden[0]: option 'activation' is 'gelu'; allowed: relu, sigmoid");
    expect(() =>
      denseClassifier({
        inputShape: [4],
        hidden: [{ units: 3, activation: 'relu', initializer: 'xavier' as 'heNormal' }],
        numClasses: 2,
        rng,
      }),
    ).toThrow(
      "denseClassifier: hidden[0]: option 'initializer' is 'xavier'; allowed: glorotUniform, glorotNormal, heUniform",
    );
    expect(() => denseClassifier({ inputShape: [0, 3], hidden: [], numClasses: 2, rng })).toThrow(
      "denseClassifier: option 'inputShape' is [0,3]; allowed: a list of positive integers",
    );
  });
});

describe('CNNs of chapter 8', () => {
  it('mnistCnn has the book’s 62,346 parameters', () => {
    const model = mnistCnn({ rng: createRng(1) });
    // conv 5·5·1·32+32, conv 5·5·32·64+64, dense 4·4·64·10+10
    expect(model.layers.map((l) => l.countParams())).toEqual([832, 0, 51264, 0, 0, 10250]);
    expect(summary(model)).toContain('Total params: 62,346');
    model.dispose();
  });

  it('fashionCnn counts BatchNorm statistics as non-trainable, as Keras does', () => {
    const model = fashionCnn({ rng: createRng(1) });
    // conv 320, BN 4·32, conv 18,496, BN 4·64, dense 3136·128+128, dense 1,290
    expect(countParameters(model)).toEqual({ total: 422026, trainable: 421834, nonTrainable: 192 });
    const plain = fashionCnn({ rng: createRng(1), batchNorm: false, dropout: 0 });
    expect(plain.layers.map((l) => l.getClassName())).toEqual([
      'Conv2D',
      'MaxPooling2D',
      'Conv2D',
      'MaxPooling2D',
      'Flatten',
      'Dense',
      'Dense',
    ]);
    expect(() => fashionCnn({ rng: createRng(1), dropout: 1 })).toThrow(
      "fashionCnn: option 'dropout' is 1; allowed: a rate in [0, 1)",
    );
    model.dispose();
    plain.dispose();
  });
});

describe('seededDropout', () => {
  it('draws a new mask every batch, the same sequence for the same seed, and saves as a plain Dropout', async () => {
    const masks = (seed: number) => {
      const layer = seededDropout({ rate: 0.5, seed });
      const x = tf.ones([1, 64]);
      const out = [0, 1, 2].map(() => {
        const y = layer.apply(x, { training: true }) as tf.Tensor;
        const v = Array.from(y.dataSync());
        y.dispose();
        return v.join(',');
      });
      x.dispose();
      return out;
    };
    const first = masks(7);
    expect(new Set(first).size).toBe(3);
    expect(masks(7)).toEqual(first);
    expect(masks(8)[0]).not.toBe(first[0]);

    const model = tf.sequential({
      layers: [tf.layers.dense({ inputShape: [4], units: 4 }), seededDropout({ rate: 0.25, seed: 1 })],
    });
    const json = model.toJSON(undefined, false) as { config: { layers: { class_name: string }[] } };
    expect(json.config.layers.map((l) => l.class_name)).toEqual(['Dense', 'Dropout']);
    model.dispose();
  });
});
