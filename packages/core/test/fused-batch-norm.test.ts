import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { createRng, FusedBatchNormalization, fusedBatchNormalization } from '../src/index.js';
import { useBackend } from '../src/node.js';
import { maxError, randomArray } from './compare.js';

/** One training call: the output, the gradients of a fixed projection of it (x, then the trainable weights), then every weight after. */
function trainingCall(layer: tf.layers.Layer, x: tf.Tensor) {
  return tf.tidy(() => {
    const y = layer.apply(x, { training: true }) as tf.Tensor;
    const weights = layer.trainableWeights.map((w) => w.read() as tf.Variable);
    const projection = tf.sin(tf.range(0, y.size).reshape(y.shape).mul(0.61));
    const f = (input: tf.Tensor, ..._ws: tf.Tensor[]) =>
      tf.sum(tf.mul(layer.apply(input, { training: true }) as tf.Tensor, projection)) as tf.Scalar;
    const grads = tf.grads(f)([x, ...weights]);
    return [y, ...grads, ...layer.getWeights()].map((t) => Array.from(t.dataSync()));
  });
}

describe('FusedBatchNormalization on wasm, against tfjs’s BatchNormalization on the CPU backend', () => {
  beforeAll(async () => {
    await useBackend('wasm', { log: false });
  });

  const cases: { shape: number[]; options: Record<string, unknown> }[] = [
    { shape: [4, 5, 6, 3], options: {} },
    { shape: [7, 10], options: { momentum: 0.9, epsilon: 1e-3 } },
    { shape: [2, 3, 3, 2], options: { axis: 3, momentum: 0.5 } },
  ];
  for (const c of cases) {
    it(`[${c.shape}] ${JSON.stringify(c.options)}: output, gradients and moving averages to 1e-5`, async () => {
      const values = randomArray(tf.util.sizeFromShape(c.shape), 3, 2, 0.7);
      const run = async (backend: 'cpu' | 'wasm') => {
        await tf.setBackend(backend);
        const before = tf.memory().numTensors;
        const layer = backend === 'cpu' ? tf.layers.batchNormalization(c.options) : fusedBatchNormalization(c.options);
        const input = tf.input({ shape: c.shape.slice(1) });
        const model = tf.model({ inputs: input, outputs: layer.apply(input) as tf.SymbolicTensor });
        const x = tf.tensor(values, c.shape);
        const weights = layer
          .getWeights()
          .map((w, i) => tf.tensor(randomArray(w.size, 10 + i, 0.5, i >= 2 ? 1 : 0), w.shape));
        layer.setWeights(weights);
        tf.dispose(weights);
        const result = trainingCall(layer, x);
        const profile = await tf.profile(() => tf.tidy(() => layer.apply(x, { training: true }) as tf.Tensor));
        (profile.result as tf.Tensor).dispose();
        expect(profile.kernelNames.includes('NeuronaBatchNormTraining')).toBe(backend === 'wasm');
        const inference = layer.apply(x) as tf.Tensor;
        result.push(Array.from(inference.dataSync()));
        tf.dispose([x, inference]);
        model.dispose();
        expect(tf.memory().numTensors).toBe(before);
        return result;
      };
      const expected = await run('cpu');
      const actual = await run('wasm');
      expect(actual.map((a) => a.length)).toEqual(expected.map((e) => e.length));
      for (let i = 0; i < expected.length; i++)
        expect(maxError(actual[i] as number[], expected[i] as number[])).toBeLessThan(1e-5);
    });
  }

  it('is a plain BatchNormalization in a saved model, and trains a seeded CNN with the CPU’s losses', async () => {
    const losses = async (backend: 'cpu' | 'wasm') => {
      await tf.setBackend(backend);
      const rng = createRng(8);
      const init = () => tf.initializers.glorotUniform({ seed: rng.nextSeed() });
      const bn = backend === 'wasm' ? fusedBatchNormalization() : tf.layers.batchNormalization();
      const model = tf.sequential({
        layers: [
          tf.layers.conv2d({
            inputShape: [8, 8, 1],
            filters: 4,
            kernelSize: 3,
            padding: 'same',
            kernelInitializer: init(),
          }),
          bn,
          tf.layers.activation({ activation: 'relu' }),
          tf.layers.flatten(),
          tf.layers.dense({ units: 3, activation: 'softmax', kernelInitializer: init() }),
        ],
      });
      model.compile({ optimizer: tf.train.adam(0.01), loss: 'categoricalCrossentropy' });
      const data = createRng(2);
      const x = tf.tensor4d(
        Array.from({ length: 16 * 64 }, () => data.next()),
        [16, 8, 8, 1],
      );
      const y = tf.oneHot(
        tf.tensor1d(
          Array.from({ length: 16 }, () => data.int(3)),
          'int32',
        ),
        3,
      );
      const out: number[] = [];
      for (let step = 0; step < 20; step++) out.push((await model.trainOnBatch(x, y)) as number);
      const topology = model.toJSON(null, false) as { config: { layers: { class_name: string }[] } };
      if (backend === 'wasm') {
        expect(model.layers[1]).toBeInstanceOf(FusedBatchNormalization);
        expect(topology.config.layers.map((l) => l.class_name)).toContain('BatchNormalization');
      }
      tf.dispose([x, y]);
      model.dispose();
      return out;
    };
    const reference = await losses('cpu');
    const fused = await losses('wasm');
    expect(maxError(fused, reference)).toBeLessThan(1e-3);
    expect(fused[19] as number).toBeLessThan((fused[0] as number) - 0.2);
  });
});
