import { mkdtemp, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  createRng,
  EarlyStopping,
  evaluate,
  exponentialDecay,
  fit,
  getLearningRate,
  inverseTimeDecay,
  LearningRateScheduler,
  ModelCheckpoint,
  stepDecay,
  type TrainingCallback,
  type TrainingContext,
} from '../src/index.js';
import { registerFileSystem, TerminalProgress, useBackend } from '../src/node.js';

/** Two Gaussian blobs in 2-D, labelled one-hot; seeded. */
function blobs(n: number, seed: number) {
  const rng = createRng(seed);
  const xs: number[] = [];
  const ys: number[] = [];
  for (let i = 0; i < n; i++) {
    const c = i % 2;
    const gauss = () => Math.sqrt(-2 * Math.log(1 - rng.next())) * Math.cos(2 * Math.PI * rng.next());
    xs.push((c ? 1.5 : -1.5) + gauss(), (c ? 1 : -1) + gauss());
    ys.push(c ? 0 : 1, c ? 1 : 0);
  }
  return { x: tf.tensor2d(xs, [n, 2]), y: tf.tensor2d(ys, [n, 2]) };
}

function model(seed: number, learningRate = 0.1) {
  const rng = createRng(seed);
  const m = tf.sequential({
    layers: [
      tf.layers.dense({
        inputShape: [2],
        units: 8,
        activation: 'relu',
        kernelInitializer: tf.initializers.glorotUniform({ seed: rng.nextSeed() }),
      }),
      tf.layers.dense({
        units: 2,
        activation: 'softmax',
        kernelInitializer: tf.initializers.glorotUniform({ seed: rng.nextSeed() }),
      }),
    ],
  });
  m.compile({ optimizer: tf.train.sgd(learningRate), loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
  return m;
}

class TensorCounter implements TrainingCallback {
  counts: number[] = [];
  onEpochEnd() {
    this.counts.push(tf.memory().numTensors);
  }
}

describe('fit', () => {
  beforeAll(async () => {
    await useBackend('cpu', { log: false });
    registerFileSystem();
  });

  it('learns a separable problem: loss falls, accuracy clears 0.9, Keras names in the logs', async () => {
    const { x, y } = blobs(400, 3);
    const val = blobs(100, 4);
    const m = model(5);
    const history = await fit(m, x, y, { epochs: 8, batchSize: 32, rng: createRng(6), validationData: [val.x, val.y] });
    const h = history.history;
    expect(Object.keys(h).sort()).toEqual(['accuracy', 'loss', 'val_accuracy', 'val_loss']);
    expect(history.epoch).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    expect(h.loss?.[7]).toBeLessThan((h.loss?.[0] as number) * 0.8);
    expect(h.val_accuracy?.[7]).toBeGreaterThan(0.9);
    tf.dispose([x, y, val.x, val.y]);
    m.dispose();
  });

  it('repeats exactly with the same seed and leaks no tensor across epochs', async () => {
    const run = async () => {
      const { x, y } = blobs(200, 3);
      const m = model(5);
      const counter = new TensorCounter();
      const before = tf.memory().numTensors;
      const history = await fit(m, x, y, { epochs: 4, batchSize: 16, rng: createRng(11), callbacks: [counter] });
      expect(tf.memory().numTensors).toBe(before);
      expect(new Set(counter.counts).size).toBe(1);
      tf.dispose([x, y]);
      m.dispose();
      return history.history.loss;
    };
    const first = await run();
    expect(await run()).toEqual(first);
  });

  it('lets timers run while it trains, as a page or a worker needs', async () => {
    const { x, y } = blobs(4000, 2);
    const m = model(3);
    let fired = 0;
    const timer = setInterval(() => {
      fired += 1;
    }, 10);
    const started = performance.now();
    await fit(m, x, y, { epochs: 3, batchSize: 8, rng: createRng(1) });
    const seconds = (performance.now() - started) / 1000;
    clearInterval(timer);
    // At least one timer turn for every 100 ms of training (a yield every 50 ms).
    expect(fired).toBeGreaterThanOrEqual(Math.floor(seconds * 10));
    expect(fired).toBeGreaterThan(0);
    tf.dispose([x, y]);
    m.dispose();
  });

  it('evaluates a batch at a time to the same means as one pass, leaking nothing', async () => {
    const { x, y } = blobs(103, 8);
    const m = model(2);
    const whole = (m.evaluate(x, y, { batchSize: 103 }) as tf.Scalar[]).map((t) => {
      const v = t.dataSync()[0] as number;
      t.dispose();
      return v;
    });
    const before = tf.memory().numTensors;
    const logs = await evaluate(m, x, y, { batchSize: 10 });
    expect(logs.loss).toBeCloseTo(whole[0] as number, 5);
    expect(logs.accuracy).toBeCloseTo(whole[1] as number, 6);
    expect(tf.memory().numTensors).toBe(before);
    await expect(evaluate(m, x, y.slice(0, 5))).rejects.toThrow('evaluate: x has 103 rows but y has 5');
    tf.dispose([x, y]);
    m.dispose();
  });

  it('passes every training batch, and only those, through transformBatch, without leaking', async () => {
    const { x, y } = blobs(100, 3);
    const val = blobs(20, 4);
    const m = model(5);
    const seen: number[][] = [];
    const before = tf.memory().numTensors;
    // Flipping the sign of x makes the blobs swap sides: a model trained only on flipped
    // batches must do badly on unflipped validation data.
    const history = await fit(m, x, y, {
      epochs: 6,
      batchSize: 32,
      rng: createRng(6),
      validationData: [val.x, val.y],
      transformBatch: (xb) => {
        seen.push(xb.shape);
        return tf.neg(xb);
      },
    });
    expect(seen.slice(0, 4)).toEqual([
      [32, 2],
      [32, 2],
      [32, 2],
      [4, 2],
    ]);
    expect(seen).toHaveLength(6 * 4);
    expect(history.history.accuracy?.[5]).toBeGreaterThan(0.9);
    expect(history.history.val_accuracy?.[5]).toBeLessThan(0.1);
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([x, y, val.x, val.y]);
    m.dispose();
  });
  it('rejects options that make no training run', async () => {
    const { x, y } = blobs(10, 1);
    const m = model(1);
    await expect(fit(m, x, y, { epochs: 0, batchSize: 4, rng: createRng(1) })).rejects.toThrow(
      "fit: option 'epochs' is 0; allowed: an integer > 0",
    );
    await expect(fit(m, x, y.slice(0, 5), { epochs: 1, batchSize: 4, rng: createRng(1) })).rejects.toThrow(
      'fit: x has 10 rows but y has 5',
    );
    tf.dispose([x, y]);
    m.dispose();
  });
});

function fakeContext(m: tf.LayersModel): TrainingContext & { stopped: boolean } {
  const ctx = {
    model: m,
    epochs: 100,
    stepsPerEpoch: 1,
    step: 0,
    stopped: false,
    stopTraining() {
      ctx.stopped = true;
    },
  };
  return ctx;
}

describe('EarlyStopping', () => {
  it('stops after `patience` epochs without improvement, as Keras does', () => {
    const m = model(1);
    const ctx = fakeContext(m);
    const es = new EarlyStopping({ monitor: 'val_loss', patience: 2 });
    es.onTrainBegin();
    const losses = [1.0, 0.8, 0.7, 0.75, 0.71, 0.9];
    let epoch = 0;
    for (const v of losses) {
      es.onEpochEnd(epoch, { val_loss: v }, ctx);
      if (ctx.stopped) break;
      epoch++;
    }
    expect(es.stoppedEpoch).toBe(4);
    expect(es.bestEpoch).toBe(2);
    m.dispose();
  });

  it('restores the best weights and frees its copies', () => {
    const m = model(1);
    const ctx = fakeContext(m);
    const start = tf.memory().numTensors;
    const es = new EarlyStopping({ monitor: 'val_accuracy', patience: 1, restoreBestWeights: true });
    es.onTrainBegin();
    es.onEpochEnd(0, { val_accuracy: 0.5 }, ctx);
    const best = m.getWeights().map((w) => w.arraySync());
    m.setWeights(m.getWeights().map((w) => tf.tidy(() => w.add(1))));
    es.onEpochEnd(1, { val_accuracy: 0.4 }, ctx);
    expect(ctx.stopped).toBe(true);
    expect(m.getWeights().map((w) => w.arraySync())).toEqual(best);
    es.onTrainEnd();
    // setWeights copies values into the model's variables; the temporary tensors above are gone too
    expect(tf.memory().numTensors).toBeLessThanOrEqual(start + m.getWeights().length);
    m.dispose();
  });

  it('names the missing figure and bad options', () => {
    const m = model(1);
    const es = new EarlyStopping({ monitor: 'val_mae' });
    es.onTrainBegin();
    expect(() => es.onEpochEnd(0, { loss: 1 }, fakeContext(m))).toThrow(
      "EarlyStopping: option 'monitor' is 'val_mae'; allowed: a figure in the epoch logs (available: loss)",
    );
    expect(() => new EarlyStopping({ patience: -1 })).toThrow("option 'patience' is -1");
    expect(() => new EarlyStopping({ mode: 'up' as 'min' })).toThrow(
      "option 'mode' is 'up'; allowed: 'min', 'max', 'auto'",
    );
    m.dispose();
  });
});

describe('learning-rate schedules', () => {
  it('match the Keras formulas', () => {
    const exp = exponentialDecay({ initialLearningRate: 0.1, decaySteps: 10, decayRate: 0.5 });
    expect(exp(0)).toBeCloseTo(0.1, 12);
    expect(exp(10)).toBeCloseTo(0.05, 12);
    expect(exp(5)).toBeCloseTo(0.1 * 0.5 ** 0.5, 12);
    const stair = exponentialDecay({ initialLearningRate: 0.1, decaySteps: 10, decayRate: 0.5, staircase: true });
    expect(stair(19)).toBeCloseTo(0.05, 12);
    const inv = inverseTimeDecay({ initialLearningRate: 0.1, decaySteps: 1, decayRate: 1e-3 });
    expect(inv(500)).toBeCloseTo(0.1 / 1.5, 12);
    const step = stepDecay({ initialLearningRate: 1, stepSize: 3, factor: 0.1 });
    expect([0, 2, 3, 6].map(step)).toEqual([1, 1, 0.1, 0.1 ** 2]);
    expect(() => exponentialDecay({ initialLearningRate: 0.1, decaySteps: 0, decayRate: 0.5 })).toThrow(
      "exponentialDecay: option 'decaySteps' is 0; allowed: a number > 0",
    );
  });

  it('drive the optimizer during fit, per batch', async () => {
    const { x, y } = blobs(64, 2);
    const m = model(2, 0.1);
    const scheduler = new LearningRateScheduler(
      inverseTimeDecay({ initialLearningRate: 0.1, decaySteps: 1, decayRate: 0.5 }),
    );
    await fit(m, x, y, { epochs: 2, batchSize: 16, rng: createRng(1), callbacks: [scheduler] });
    // 8 steps: the last batch ran with step index 7.
    expect(scheduler.current).toBeCloseTo(0.1 / (1 + 0.5 * 7), 12);
    expect(getLearningRate(m.optimizer)).toBeCloseTo(0.1 / 4.5, 6);
    tf.dispose([x, y]);
    m.dispose();
  });
});

describe('ModelCheckpoint', () => {
  it('saves only when the monitored figure improves', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'neurona-ckpt-'));
    const m = model(1);
    const ckpt = new ModelCheckpoint({ destination: `file://${dir}/best`, monitor: 'val_loss' });
    const ctx = fakeContext(m);
    await ckpt.onEpochEnd(0, { val_loss: 0.5 }, ctx);
    await ckpt.onEpochEnd(1, { val_loss: 0.6 }, ctx);
    expect(ckpt.savedEpoch).toBe(0);
    await ckpt.onEpochEnd(2, { val_loss: 0.4 }, ctx);
    expect(ckpt.savedEpoch).toBe(2);
    expect((await readdir(join(dir, 'best'))).sort()).toEqual(['model.json', 'weights.bin']);
    m.dispose();
  });
});

/** A stream that keeps what is written to it, as a terminal's would be read. */
function textStream() {
  let text = '';
  const stream = new Writable({
    write(chunk, _enc, done) {
      text += String(chunk);
      done();
    },
  }) as unknown as NodeJS.WriteStream;
  return { stream, text: () => text };
}

describe('TerminalProgress', () => {
  it('prints one Keras-style line per epoch when not a TTY', async () => {
    const { stream, text } = textStream();
    const { x, y } = blobs(64, 2);
    const m = model(2);
    await fit(m, x, y, { epochs: 2, batchSize: 16, rng: createRng(1), callbacks: [new TerminalProgress({ stream })] });
    const lines = text().trim().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^Epoch 1\/2 - 4\/4 - \d+m?s \d+(ms|us)\/step - loss: \d\.\d{4} - accuracy: \d\.\d{4}$/);
    expect(lines[1]).toMatch(/^Epoch 2\/2 - 4\/4 - /);
    tf.dispose([x, y]);
    m.dispose();
  });

  it('draws a live bar per epoch with cli-progress when asked', async () => {
    const { stream, text } = textStream();
    const { x, y } = blobs(64, 2);
    const m = model(2);
    const progress = new TerminalProgress({ stream, live: true });
    await fit(m, x, y, { epochs: 1, batchSize: 16, rng: createRng(1), callbacks: [progress] });
    expect(text()).toContain('Epoch 1/1\n');
    expect(text()).toMatch(/4\/4 \[={30}\]/);
    tf.dispose([x, y]);
    m.dispose();
  });
});
