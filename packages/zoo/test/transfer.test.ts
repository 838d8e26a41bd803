import type { AddressInfo, Socket } from 'node:net';
import { createServer } from 'node:net';
import { createRng } from '@neurona/core';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  convBase,
  countParameters,
  extractFeatures,
  fashionCnn,
  fineTune,
  fineTuneLayer,
  freeze,
  loadPretrained,
  mnistCnn,
  mobilenet,
  stackHead,
  vgg16,
  withHead,
} from '../src/index.js';
import { loadModel, loadNsfwjsMobileNetV2 } from '../src/node.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

async function saved(model: tf.LayersModel) {
  let artifacts: tf.io.ModelArtifacts | undefined;
  await model.save(
    tf.io.withSaveHandler(async (a) => {
      artifacts = a;
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }),
  );
  return tf.io.fromMemory(artifacts as tf.io.ModelArtifacts);
}

describe('loadPretrained', () => {
  it('copies weights saved from the same architecture, layer by layer, predicting the same', async () => {
    const trained = mnistCnn({ rng: createRng(1) });
    const fresh = mnistCnn({ rng: createRng(2) });
    const x = tf.randomUniform([3, 28, 28, 1], 0, 1, 'float32', 4);
    const expected = (trained.predict(x) as tf.Tensor).arraySync();
    expect(await loadPretrained(fresh, await saved(trained))).toBe(3);
    expect((fresh.predict(x) as tf.Tensor).arraySync()).toEqual(expected);
    tf.dispose(x);
    trained.dispose();
    fresh.dispose();
  });

  it('refuses weights of another architecture, listing the mismatches, and changes nothing', async () => {
    const other = fashionCnn({ rng: createRng(1) });
    const target = mnistCnn({ rng: createRng(2) });
    const before = target.getWeights().map((w) => Array.from(w.dataSync()));
    await expect(loadPretrained(target, await saved(other))).rejects.toThrow(
      /^loadPretrained: the weights do not fit mnist_cnn \(3 layers\): conv2d: (not in the pretrained model|weight of shape)/,
    );
    expect(target.getWeights().map((w) => Array.from(w.dataSync()))).toEqual(before);
    other.dispose();
    target.dispose();
  });
});

describe('transfer learning on a MobileNet base', () => {
  it('freezes the base, adds a head, extracts features and fine-tunes the last block', async () => {
    const base = mobilenet({ includeTop: false, inputShape: [32, 32, 3] });
    freeze(base);
    expect(countParameters(base).trainable).toBe(0);
    const model = withHead(base, { classes: 2, hidden: [16] });
    // Only the head trains: 1024·16 + 16 + 16·2 + 2 (the 1×1×1024 map is flattened).
    expect(countParameters(model).trainable).toBe(1024 * 16 + 16 + 16 * 2 + 2);
    model.compile({ optimizer: 'adam', loss: 'categoricalCrossentropy' });
    const x = tf.randomUniform([4, 32, 32, 3], 0, 1, 'float32', 1);
    const y = tf.oneHot(tf.tensor1d([0, 1, 0, 1], 'int32'), 2);
    // Every weight of the base stays, the BatchNormalization layers' moving statistics too.
    const baseBefore = base.getWeights(false).map((w) => Array.from(w.dataSync()));
    await model.trainOnBatch(x, y);
    expect(base.getWeights(false).map((w) => Array.from(w.dataSync()))).toEqual(baseBefore);

    const features = await extractFeatures(base, x, { batchSize: 3 });
    expect(features.shape).toEqual([4, 1, 1, 1024]);

    fineTune(model, { base, from: 'conv_dw_13', loss: 'categoricalCrossentropy', learningRate: 1e-5 });
    const trainable = base.layers.filter((l) => l.trainable).map((l) => l.name);
    expect(trainable[0]).toBe('conv_dw_13');
    expect(trainable).toContain('conv_pw_13');
    expect(trainable).not.toContain('conv_pw_12');
    // The last block's BatchNormalization layers stay frozen (Keras's fine-tuning guide).
    expect(trainable).not.toContain('conv_pw_13_bn');
    expect(() => freeze(base, { before: 'block5_conv1' })).toThrow(
      "freeze: option 'before' is 'block5_conv1'; allowed: a layer of mobilenet_1.00_224",
    );
    tf.dispose([x, y, features]);
    model.dispose();
  });
});

describe('stackHead', () => {
  it("makes a head trained on a base's features one model that takes images, and saves and loads as one", async () => {
    const base = mobilenet({ includeTop: false, inputShape: [32, 32, 3] });
    const head = tf.sequential({
      name: 'head',
      layers: [
        tf.layers.flatten({ inputShape: [1, 1, 1024] }),
        tf.layers.dense({
          units: 3,
          activation: 'softmax',
          kernelInitializer: tf.initializers.glorotUniform({ seed: 4 }),
        }),
      ],
    });
    const x = tf.randomUniform([2, 32, 32, 3], 0, 1, 'float32', 2);
    const features = base.predict(x) as tf.Tensor;
    const apart = head.predict(features) as tf.Tensor;
    const stacked = stackHead(base, head);
    expect(stacked.layers.length).toBe(base.layers.length + 2);
    const together = stacked.predict(x) as tf.Tensor;
    expect(Array.from(together.dataSync())).toEqual(Array.from(apart.dataSync()));
    const loaded = await tf.loadLayersModel(await saved(stacked));
    const again = loaded.predict(x) as tf.Tensor;
    const gap = tf.max(tf.abs(tf.sub(again, apart))).dataSync()[0] as number;
    expect(gap).toBeLessThan(1e-6);
    const narrow = tf.sequential({ layers: [tf.layers.flatten({ inputShape: [2, 2, 1024] })] });
    expect(() => stackHead(base, narrow)).toThrow(/takes \[2,2,1024\] inputs but .* gives \[1,1,1024\]/);
    tf.dispose([x, features, apart, together, again]);
    loaded.dispose();
    base.dispose();
    head.dispose();
    narrow.dispose();
  });
});

describe('BatchNormalization in a frozen base', () => {
  it('normalises with its moving statistics during fit, as in predict, and never updates them', async () => {
    const input = tf.input({ shape: [4] });
    const bn = tf.layers.batchNormalization({ name: 'bn' });
    const base = tf.model({ inputs: input, outputs: bn.apply(input) as tf.SymbolicTensor });
    // Moving statistics far from any batch's: a batch-normalised output would differ a lot.
    bn.setWeights([tf.ones([4]), tf.zeros([4]), tf.fill([4], 5), tf.fill([4], 4)]);
    freeze(base);
    const head = tf.layers.dense({ units: 1, kernelInitializer: 'ones', useBias: false });
    const model = tf.model({
      inputs: input,
      outputs: head.apply(base.outputs[0] as tf.SymbolicTensor) as tf.SymbolicTensor,
    });
    model.compile({ optimizer: tf.train.sgd(0), loss: 'meanSquaredError' });
    const x = tf.tensor2d([
      [1, 2, 3, 4],
      [5, 6, 7, 8],
    ]);
    const y = tf.zeros([2, 1]);
    // The loss fit reports (training mode) is the loss of predict's outputs (inference mode).
    const predicted = model.predict(x) as tf.Tensor;
    const expected = tf.losses.meanSquaredError(y, predicted).dataSync()[0] as number;
    const { history } = await model.fit(x, y, { epochs: 1, batchSize: 2, verbose: 0 });
    expect(history.loss?.[0] as number).toBeCloseTo(expected, 4);
    expect(Array.from(bn.getWeights()[2]?.dataSync() ?? [])).toEqual([5, 5, 5, 5]);
    expect(Array.from(bn.getWeights()[3]?.dataSync() ?? [])).toEqual([4, 4, 4, 4]);
    tf.dispose([x, y, predicted]);
    model.dispose();
  });
});

describe('convolutional bases and where to fine-tune', () => {
  it('cuts a classifier at its last 4-D output and names the last block of the named networks', () => {
    const net = mobilenet({ includeTop: true });
    const base = convBase(net);
    expect(base.outputs[0]?.shape.length).toBe(4);
    expect(base.layers.length).toBeLessThan(net.layers.length);
    expect(convBase(base)).toBe(base);
    expect(fineTuneLayer(base)).toBe('conv_dw_13');
    const vgg = vgg16({ includeTop: false, inputShape: [32, 32, 3] });
    expect(fineTuneLayer(vgg)).toBe('block5_conv1');
    vgg.dispose();
    net.dispose();
    const dense = tf.sequential({ layers: [tf.layers.dense({ inputShape: [4], units: 2 })] });
    expect(() => convBase(dense)).toThrow('convBase: sequential');
    expect(() => convBase(dense)).toThrow('has no layer with a 4-D (image-like) output to cut at');
    dense.dispose();
  });
});

describe('loading models in Node', () => {
  it('loads the MobileNetV2 that nsfwjs ships (224×224, 162 layers, 5 classes), offline', async () => {
    const model = await loadNsfwjsMobileNetV2();
    expect(model.layers).toHaveLength(162);
    expect(model.inputs[0]?.shape).toEqual([null, 224, 224, 3]);
    expect(model.outputs[0]?.shape).toEqual([null, 5]);
    expect(countParameters(model).total).toBe(2619461);
    // The quantised weights decode to the real values: a first conv kernel is not all zero.
    const kernel = model.getLayer('Conv1').getWeights()[0] as tf.Tensor;
    expect(tf.tidy(() => tf.max(tf.abs(kernel)).dataSync()[0])).toBeGreaterThan(0.1);
    model.dispose();
  });

  it('names a model path that does not exist and what is accepted', async () => {
    await expect(loadModel('/nowhere/model.json')).rejects.toThrow(
      'loadModel: /nowhere/model.json does not exist; give nsfwjs-mobilenet-v2, a model.json path, or a URL',
    );
  });

  it('gives up on a server that accepts and never answers, and says a host cannot be reached', async () => {
    const sockets: Socket[] = [];
    // Accepts the connection and the request, and never sends a byte back.
    const silent = createServer((socket) => {
      sockets.push(socket);
    });
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const { port } = silent.address() as AddressInfo;
    const started = performance.now();
    await expect(loadModel(`http://127.0.0.1:${port}/model.json`, { timeoutMs: 300 })).rejects.toThrow(
      `http://127.0.0.1:${port}/model.json: did not answer within 0.3 s (option timeoutMs)`,
    );
    expect(performance.now() - started).toBeLessThan(5000);
    for (const s of sockets) s.destroy();
    await new Promise<void>((resolve) => silent.close(() => resolve()));
    // The port is closed now: nothing listens there.
    await expect(loadModel(`http://127.0.0.1:${port}/model.json`, { timeoutMs: 2000 })).rejects.toThrow(
      /http:\/\/127\.0\.0\.1:\d+\/model\.json: cannot be reached \(ECONNREFUSED\): offline, or the host is wrong; download the model and give its model\.json path instead/,
    );
  });
});
