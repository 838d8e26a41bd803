import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createRng,
  FusedGRU,
  FusedLSTM,
  fusedGru,
  fusedLstm,
  onRecurrentFallback,
  registerFusedRecurrentLayers,
} from '../src/index.js';
import { useBackend } from '../src/node.js';
import { sigmoid, tanh } from '../src/wasm/recurrent-steps.js';
import { maxError, randomArray } from './compare.js';

type Cell = 'lstm' | 'gru';

interface Case {
  cell: Cell;
  options: Record<string, unknown>;
  shape: [number, number, number];
}

/** A one-layer model of `layer` on `[time, features]` input, with seeded random weights. */
function modelOf(layer: tf.layers.Layer, time: number, features: number, seed: number) {
  const input = tf.input({ shape: [time, features] });
  const model = tf.model({ inputs: input, outputs: layer.apply(input) as tf.SymbolicTensor });
  const weights = model.getWeights().map((w, i) => tf.tensor(randomArray(w.size, seed + i, 0.5), w.shape));
  model.setWeights(weights);
  tf.dispose(weights);
  return model;
}

/** Outputs, and the gradients of a fixed projection of them with respect to input and every weight. */
function outputsAndGradients(model: tf.LayersModel, x: tf.Tensor) {
  return tf.tidy(() => {
    const outputs = [model.apply(x, { training: true })].flat() as tf.Tensor[];
    const weights = model.trainableWeights.map((w) => w.read() as tf.Variable);
    const loss = (input: tf.Tensor, ...ws: tf.Tensor[]) => {
      void ws;
      const ys = [model.apply(input, { training: true })].flat() as tf.Tensor[];
      return tf.addN(
        ys.map((y, i) =>
          tf.sum(
            tf.mul(
              y,
              tf.sin(
                tf
                  .range(0, y.size)
                  .reshape(y.shape)
                  .mul(0.37 + i),
              ),
            ),
          ),
        ),
      ) as tf.Scalar;
    };
    const grads = tf.grads(loss)([x, ...weights]);
    return [...outputs, ...grads].map((t) => ({ shape: t.shape, values: t.dataSync() as Float32Array }));
  });
}

const cases: Case[] = [
  { cell: 'lstm', options: { units: 7, returnSequences: true, recurrentActivation: 'sigmoid' }, shape: [3, 6, 5] },
  { cell: 'lstm', options: { units: 5, returnState: true }, shape: [2, 4, 3] },
  { cell: 'lstm', options: { units: 6, goBackwards: true, returnSequences: true }, shape: [3, 5, 4] },
  {
    cell: 'lstm',
    options: { units: 4, useBias: false, returnSequences: true, recurrentActivation: 'sigmoid' },
    shape: [2, 3, 2],
  },
  { cell: 'gru', options: { units: 7, returnSequences: true, recurrentActivation: 'sigmoid' }, shape: [3, 6, 5] },
  { cell: 'gru', options: { units: 5, returnState: true }, shape: [2, 4, 3] },
  { cell: 'gru', options: { units: 6, goBackwards: true, returnSequences: true }, shape: [3, 5, 4] },
];

describe('the gate functions of the fused kernels', () => {
  it('tanh and σ are within 1e-7 of Math.tanh and 1/(1 + e^−x) from −20 to 20, and saturate', () => {
    let worst = 0;
    for (let v = -20; v <= 20; v += 0.001) {
      worst = Math.max(worst, Math.abs(tanh(v) - Math.tanh(v)), Math.abs(sigmoid(v) - 1 / (1 + Math.exp(-v))));
    }
    expect(worst).toBeLessThan(1e-7);
    expect([tanh(0), tanh(1e6), tanh(-1e6), sigmoid(0)]).toEqual([0, expect.closeTo(1, 7), expect.closeTo(-1, 7), 0.5]);
  });
});

describe('FusedLSTM and FusedGRU on wasm, against tfjs’s own layers on the CPU backend', () => {
  const lines: string[] = [];
  beforeAll(async () => {
    await useBackend('wasm', { log: false });
    onRecurrentFallback((line) => lines.push(line));
  });
  afterAll(() => onRecurrentFallback((line) => console.warn(line)));

  for (const c of cases) {
    it(`${c.cell} ${JSON.stringify(c.options)} on [${c.shape}]: outputs and gradients to 1e-5`, async () => {
      const [batch, time, features] = c.shape;
      const xValues = randomArray(batch * time * features, 7);
      const make = (fused: boolean) =>
        c.cell === 'lstm'
          ? fused
            ? fusedLstm({ ...c.options } as never)
            : tf.layers.lstm({ ...c.options } as never)
          : fused
            ? fusedGru({ ...c.options } as never)
            : tf.layers.gru({ ...c.options } as never);

      await tf.setBackend('cpu');
      const reference = modelOf(make(false), time, features, 11);
      const x1 = tf.tensor3d(xValues, c.shape);
      const expected = outputsAndGradients(reference, x1);
      tf.dispose([x1]);
      reference.dispose();

      await tf.setBackend('wasm');
      lines.length = 0;
      const before = tf.memory().numTensors;
      const fused = modelOf(make(true), time, features, 11);
      const weightsCount = tf.memory().numTensors;
      const x2 = tf.tensor3d(xValues, c.shape);
      const actual = outputsAndGradients(fused, x2);
      x2.dispose();
      expect(tf.memory().numTensors).toBe(weightsCount);
      fused.dispose();
      expect(tf.memory().numTensors).toBe(before);
      expect(lines).toEqual([]);

      expect(actual.map((a) => a.shape)).toEqual(expected.map((e) => e.shape));
      for (let i = 0; i < expected.length; i++) {
        expect(maxError(actual[i]?.values as Float32Array, expected[i]?.values as Float32Array)).toBeLessThan(1e-5);
      }
    });
  }

  it('starts from given initial states, and passes their gradients back', async () => {
    const [batch, time, features, units] = [2, 4, 3, 5];
    const run = async (backend: 'cpu' | 'wasm', cell: Cell) => {
      await tf.setBackend(backend);
      const args = { units, returnSequences: true, recurrentActivation: 'sigmoid' as const };
      const layer =
        backend === 'cpu'
          ? cell === 'lstm'
            ? tf.layers.lstm(args)
            : tf.layers.gru(args)
          : cell === 'lstm'
            ? fusedLstm(args)
            : fusedGru(args);
      const x = tf.tensor3d(randomArray(batch * time * features, 1), [batch, time, features]);
      const states = [
        tf.tensor2d(randomArray(batch * units, 2), [batch, units]),
        tf.tensor2d(randomArray(batch * units, 3), [batch, units]),
      ].slice(0, cell === 'lstm' ? 2 : 1);
      layer.apply(x, { initialState: states });
      const weights = layer.getWeights().map((w, i) => tf.tensor(randomArray(w.size, 30 + i, 0.5), w.shape));
      layer.setWeights(weights);
      const f = (...s: tf.Tensor[]) =>
        tf.sum(
          tf.mul(
            layer.apply(x, { initialState: s }) as tf.Tensor,
            tf.linspace(-1, 1, batch * time * units).reshape([batch, time, units]),
          ),
        ) as tf.Scalar;
      const { value, grads } = tf.valueAndGrads(f)(states);
      const result = [value.dataSync()[0] as number, ...grads.flatMap((g) => Array.from(g.dataSync()))];
      tf.dispose([x, value, ...grads, ...states, ...weights]);
      layer.dispose();
      return result;
    };
    for (const cell of ['lstm', 'gru'] as Cell[]) {
      const expected = await run('cpu', cell);
      lines.length = 0;
      expect(maxError(await run('wasm', cell), expected)).toBeLessThan(1e-5);
      expect(lines).toEqual([]);
    }
  });

  it('a GRU with resetAfter computes Keras’s reset-after cell, fused and by ops, with a [2, 3u] bias', async () => {
    const [batch, time, features, units] = [3, 5, 4, 6];
    const xValues = randomArray(batch * time * features, 3);
    const run = async (backend: 'cpu' | 'wasm') => {
      await tf.setBackend(backend);
      const model = modelOf(
        fusedGru({ units, resetAfter: true, returnSequences: true, recurrentActivation: 'sigmoid' }),
        time,
        features,
        5,
      );
      expect(model.getWeights().map((w) => w.shape)).toEqual([
        [features, 3 * units],
        [units, 3 * units],
        [2, 3 * units],
      ]);
      const x = tf.tensor3d(xValues, [batch, time, features]);
      const result = outputsAndGradients(model, x);
      x.dispose();
      model.dispose();
      return result;
    };
    const byOps = await run('cpu');
    const fused = await run('wasm');
    for (let i = 0; i < byOps.length; i++)
      expect(maxError(fused[i]?.values as Float32Array, byOps[i]?.values as Float32Array)).toBeLessThan(1e-5);

    // Keras's maths, by hand, for the first step of the first sample: h1 = (1 − z)·n from h0 = 0.
    await tf.setBackend('wasm');
    const model = modelOf(
      fusedGru({ units, resetAfter: true, returnSequences: true, recurrentActivation: 'sigmoid' }),
      time,
      features,
      5,
    );
    const [W, , b] = model.getWeights().map((w) => w.arraySync() as number[][]);
    const x0 = Array.from(xValues.subarray(0, features));
    const pre = (col: number) => x0.reduce((s, v, k) => s + v * (W?.[k]?.[col] as number), b?.[0]?.[col] as number);
    const sigmoid = (v: number) => 1 / (1 + Math.exp(-v));
    const h1 = Array.from({ length: units }, (_, j) => {
      const z = sigmoid(pre(j) + (b?.[1]?.[j] as number));
      const r = sigmoid(pre(units + j) + (b?.[1]?.[units + j] as number));
      const n = Math.tanh(pre(2 * units + j) + r * (b?.[1]?.[2 * units + j] as number));
      return (1 - z) * n;
    });
    const x = tf.tensor3d(xValues, [batch, time, features]);
    const y = model.predict(x) as tf.Tensor;
    expect(maxError(Array.from(y.dataSync().subarray(0, units)), h1)).toBeLessThan(1e-5);
    tf.dispose([x, y]);
    model.dispose();
  });

  it('saved with the fused layers, a model loads in plain tfjs; saved by plain tfjs, it loads fused', async () => {
    await tf.setBackend('wasm');
    const build = (fused: boolean) => {
      const rng = createRng(4);
      const init = () => tf.initializers.glorotUniform({ seed: rng.nextSeed() });
      const lstm = { units: 8, returnSequences: true, kernelInitializer: init(), recurrentInitializer: init() };
      const gru = { units: 6, kernelInitializer: init(), recurrentInitializer: init() };
      return tf.sequential({
        layers: [
          tf.layers.embedding({ inputDim: 10, outputDim: 4, inputLength: 7, embeddingsInitializer: init() }),
          fused ? fusedLstm(lstm) : tf.layers.lstm(lstm),
          fused ? fusedGru(gru) : tf.layers.gru(gru),
          tf.layers.dense({ units: 3, kernelInitializer: init() }),
        ],
      });
    };
    const x = tf.tensor2d(
      Array.from({ length: 14 }, (_, i) => (i * 7) % 10),
      [2, 7],
    );
    const save = async (model: tf.LayersModel) => {
      let artifacts: tf.io.ModelArtifacts | undefined;
      await model.save(
        tf.io.withSaveHandler(async (a) => {
          artifacts = a;
          return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
        }),
      );
      return tf.io.fromMemory(artifacts as tf.io.ModelArtifacts);
    };

    const fusedModel = build(true);
    const fusedOut = fusedModel.predict(x) as tf.Tensor;
    const plainLoaded = await tf.loadLayersModel(await save(fusedModel));
    expect(plainLoaded.layers[1]).not.toBeInstanceOf(FusedLSTM);
    expect(plainLoaded.layers[1]?.getClassName()).toBe('LSTM');
    const plainOut = plainLoaded.predict(x) as tf.Tensor;
    expect(maxError(plainOut.dataSync(), fusedOut.dataSync())).toBeLessThan(1e-5);

    const plainModel = build(false);
    const undo = registerFusedRecurrentLayers();
    try {
      const fusedLoaded = await tf.loadLayersModel(await save(plainModel));
      expect(fusedLoaded.layers[1]).toBeInstanceOf(FusedLSTM);
      expect(fusedLoaded.layers[2]).toBeInstanceOf(FusedGRU);
      const a = plainModel.predict(x) as tf.Tensor;
      const b = fusedLoaded.predict(x) as tf.Tensor;
      expect(maxError(b.dataSync(), a.dataSync())).toBeLessThan(1e-5);
      tf.dispose([a, b]);
      fusedLoaded.dispose();
    } finally {
      undo();
    }
    const after = await tf.loadLayersModel(await save(plainModel));
    expect(after.layers[1]).not.toBeInstanceOf(FusedLSTM);
    tf.dispose([x, fusedOut, plainOut]);
    for (const m of [fusedModel, plainLoaded, plainModel, after]) m.dispose();
  });

  it('says once, in one line, why a layer runs tfjs’s own path, and still computes tfjs’s result', async () => {
    await tf.setBackend('wasm');
    lines.length = 0;
    const layer = fusedLstm({ units: 3, activation: 'relu', name: 'relu_lstm' });
    const plain = tf.layers.lstm({ units: 3, activation: 'relu' });
    const x = tf.tensor3d(randomArray(2 * 4 * 2, 9), [2, 4, 2]);
    const y1 = layer.apply(x) as tf.Tensor;
    plain.apply(x);
    plain.setWeights(layer.getWeights());
    const y2 = plain.apply(x) as tf.Tensor;
    const y3 = layer.apply(x) as tf.Tensor;
    expect(maxError(y1.dataSync(), y2.dataSync())).toBe(0);
    expect(lines).toEqual(["neurona: LSTM 'relu_lstm' runs tfjs's own layer: activation 'relu' (fused: tanh)"]);
    const unrolled = fusedGru({ units: 2, unroll: true, name: 'unrolled' });
    tf.dispose(unrolled.apply(x) as tf.Tensor);
    expect(lines[1]).toBe("neurona: GRU 'unrolled' runs tfjs's own layer: unroll: true");
    // Off wasm the layer is tfjs's own, which is the fast path there: nothing to report.
    await tf.setBackend('cpu');
    const onCpu = fusedLstm({ units: 3, activation: 'relu', name: 'cpu_lstm' });
    const xCpu = tf.tensor3d(randomArray(2 * 4 * 2, 9), [2, 4, 2]);
    tf.dispose([onCpu.apply(xCpu) as tf.Tensor, xCpu]);
    expect(lines).toHaveLength(2);
    await tf.setBackend('wasm');
    tf.dispose([x, y1, y2, y3]);
  });

  it('trains a seeded char model for 20 steps with the losses of tfjs’s own LSTM and GRU on the CPU', async () => {
    const losses = async (backend: 'cpu' | 'wasm', cell: Cell, fused: boolean) => {
      await tf.setBackend(backend);
      const rng = createRng(21);
      const init = () => tf.initializers.glorotUniform({ seed: rng.nextSeed() });
      const args = {
        units: 16,
        returnSequences: true,
        recurrentActivation: 'sigmoid' as const,
        kernelInitializer: init(),
        recurrentInitializer: init(),
      };
      const recurrent =
        cell === 'lstm'
          ? fused
            ? fusedLstm(args)
            : tf.layers.lstm(args)
          : fused
            ? fusedGru(args)
            : tf.layers.gru(args);
      const model = tf.sequential({
        layers: [
          tf.layers.embedding({ inputDim: 12, outputDim: 8, inputLength: 10, embeddingsInitializer: init() }),
          recurrent,
          tf.layers.dense({ units: 12, activation: 'softmax', kernelInitializer: init() }),
        ],
      });
      model.compile({ optimizer: tf.train.adam(0.01), loss: 'sparseCategoricalCrossentropy' });
      const data = createRng(5);
      const x = tf.tensor2d(
        Array.from({ length: 80 }, () => data.int(12)),
        [8, 10],
      );
      const y = tf.tensor3d(
        Array.from({ length: 80 }, () => data.int(12)),
        [8, 10, 1],
      );
      const out: number[] = [];
      for (let step = 0; step < 20; step++) out.push((await model.trainOnBatch(x, y)) as number);
      tf.dispose([x, y]);
      model.dispose();
      return out;
    };
    for (const cell of ['lstm', 'gru'] as Cell[]) {
      const reference = await losses('cpu', cell, false);
      const fused = await losses('wasm', cell, true);
      expect(maxError(fused, reference)).toBeLessThan(1e-3);
      expect(fused[19] as number).toBeLessThan((fused[0] as number) - 0.1);
    }
  });
});
