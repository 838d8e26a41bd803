import { mkdtemp, readdir, readFile, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  captureNetworksState,
  createRng,
  disposeTrainingState,
  EarlyStopping,
  type FitOptions,
  fit,
  type HistoryRecord,
  type Rng,
  restoreNetworksState,
  TrainingInterruptedError,
  type TrainingState,
} from '../src/index.js';
import { listCheckpoints, loadCheckpoint, saveCheckpoint, useBackend } from '../src/node.js';

/** Three noisy classes in 4-D, one-hot; seeded. */
function data(n: number, seed: number) {
  const rng = createRng(seed);
  const xs: number[] = [];
  const ys: number[] = [];
  for (let i = 0; i < n; i++) {
    const c = i % 3;
    for (let d = 0; d < 4; d++) xs.push((d === c ? 1.5 : 0) + rng.next() - 0.5);
    ys.push(...[0, 1, 2].map((k) => (k === c ? 1 : 0)));
  }
  return { x: tf.tensor2d(xs, [n, 4]), y: tf.tensor2d(ys, [n, 3]) };
}

/** Dense → BatchNorm → Dense with Adam: weights, moving statistics and optimizer slots all matter. */
function network(seed: number) {
  const rng = createRng(seed);
  const m = tf.sequential({
    layers: [
      tf.layers.dense({
        inputShape: [4],
        units: 8,
        activation: 'relu',
        kernelInitializer: tf.initializers.glorotUniform({ seed: rng.nextSeed() }),
      }),
      tf.layers.batchNormalization(),
      tf.layers.dense({
        units: 3,
        activation: 'softmax',
        kernelInitializer: tf.initializers.glorotUniform({ seed: rng.nextSeed() }),
      }),
    ],
  });
  m.compile({ optimizer: tf.train.adam(0.02), loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
  return m;
}

const weightsOf = (m: tf.LayersModel) => m.getWeights().map((w) => Array.from(w.dataSync()));
/** tfjs's model.dispose() leaves the optimizer it was compiled with. */
const free = (m: tf.LayersModel) => {
  m.optimizer.dispose();
  m.dispose();
};

/** Aborts training after `batches` batches and keeps a copy of the checkpoint it saves (its tensors are freed after save, as a file would keep them). */
function interruptAfter(batches: number) {
  const controller = new AbortController();
  let state: TrainingState | undefined;
  let seen = 0;
  const stopper = {
    onBatchEnd: () => {
      seen += 1;
      if (seen === batches) controller.abort();
    },
  };
  const keep = async (s: TrainingState) => {
    state = {
      ...structuredClone({ ...s, tensors: [] }),
      tensors: s.tensors.map((t) => ({ name: t.name, tensor: t.tensor.clone() })),
    };
  };
  return { controller, stopper, keep, saved: () => state };
}

describe('checkpoints and resume', () => {
  beforeAll(async () => {
    await useBackend('cpu');
  });

  async function run(
    epochs: number,
    extra: Partial<FitOptions> & { rng?: Rng } = {},
  ): Promise<{ model: tf.LayersModel; history: HistoryRecord; states: string[] }> {
    const { x, y } = data(90, 1);
    const rng = extra.rng ?? createRng(5);
    const model = network(3);
    const states: string[] = [];
    try {
      const history = await fit(model, x, y, {
        epochs,
        batchSize: 16,
        rng,
        validationData: [x, y],
        // Augmentation draws from the same stream: a resume must give it the same numbers.
        transformBatch: (xb) => tf.add(xb, tf.scalar((rng.next() - 0.5) * 0.1)),
        callbacks: [new EarlyStopping({ monitor: 'val_loss', patience: 50, restoreBestWeights: true })],
        ...extra,
      });
      return { model, history: history.toJSON(), states };
    } finally {
      tf.dispose([x, y]);
    }
  }

  it('2 epochs, then 2 more from the checkpoint on disk, equal 4 straight: weights and history', async () => {
    const before = tf.memory().numTensors;
    const straight = await run(4);
    const dir = await mkdtemp(join(tmpdir(), 'neurona-ckpt-'));
    const first = await run(2, { checkpoint: { save: async (s) => void (await saveCheckpoint(dir, s)) } });
    free(first.model);
    const loaded = await loadCheckpoint(dir);
    expect(loaded.epoch).toBe(2);
    expect(loaded.state.history.epoch).toEqual([0, 1]);
    const resumed = await run(4, { resumeFrom: loaded.state });
    loaded.dispose();
    expect(resumed.history.epoch).toEqual([0, 1, 2, 3]);
    for (const key of Object.keys(straight.history.history)) {
      expect(resumed.history.history[key], key).toEqual(straight.history.history[key]);
    }
    expect(weightsOf(resumed.model)).toEqual(weightsOf(straight.model));
    free(resumed.model);
    free(straight.model);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('an interrupt mid-epoch saves that moment; resuming from it ends like the uninterrupted run', async () => {
    const straight = await run(3);
    // Epoch 2 (of 6 batches each), after its 3rd batch.
    const { controller, stopper, keep, saved } = interruptAfter(9);
    const error = await run(3, {
      signal: controller.signal,
      checkpoint: { save: keep },
      callbacks: [new EarlyStopping({ monitor: 'val_loss', patience: 50, restoreBestWeights: true }), stopper],
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TrainingInterruptedError);
    expect((error as TrainingInterruptedError).checkpointSaved).toBe(true);
    const state = saved() as TrainingState;
    expect([state.epoch, state.batch, state.step]).toEqual([1, 3, 9]);
    const resumed = await run(3, {
      resumeFrom: state,
      callbacks: [new EarlyStopping({ monitor: 'val_loss', patience: 50, restoreBestWeights: true }), {}],
    });
    tf.dispose(state.tensors.map((t) => t.tensor));
    expect(resumed.history).toEqual(straight.history);
    expect(weightsOf(resumed.model)).toEqual(weightsOf(straight.model));
    free(resumed.model);
    free(straight.model);
  });

  it("Adam's running powers β^t come back as they were: a resume after 100 steps is still bit for bit", async () => {
    // tfjs's Adam.setWeights recomputes β^t with pow, while training multiplies it step by step;
    // the two round differently after some tens of steps (seen as a 1e-8 drift in a chapter-13 resume).
    const straight = await run(17, { batchSize: 8, callbacks: [] });
    const { controller, stopper, keep, saved } = interruptAfter(100);
    await expect(
      run(17, { batchSize: 8, signal: controller.signal, checkpoint: { save: keep }, callbacks: [stopper] }),
    ).rejects.toBeInstanceOf(TrainingInterruptedError);
    const state = saved() as TrainingState;
    expect(state.step).toBe(100);
    expect(state.tensors.map((t) => t.name)).toContain('optimizer-power/accBeta2');
    const resumed = await run(17, { batchSize: 8, resumeFrom: state, callbacks: [{}] });
    tf.dispose(state.tensors.map((t) => t.tensor));
    expect(resumed.history).toEqual(straight.history);
    expect(weightsOf(resumed.model)).toEqual(weightsOf(straight.model));
    free(resumed.model);
    free(straight.model);
  });

  it('refuses a checkpoint of another architecture before changing anything', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'neurona-ckpt-'));
    const first = await run(1, { checkpoint: { save: async (s) => void (await saveCheckpoint(dir, s)) } });
    free(first.model);
    const loaded = await loadCheckpoint(dir);
    const other = tf.sequential({ layers: [tf.layers.dense({ inputShape: [4], units: 3 })] });
    other.compile({ optimizer: 'adam', loss: 'meanSquaredError' });
    const { x, y } = data(9, 2);
    await expect(
      fit(other, x, y, { epochs: 2, batchSize: 3, rng: createRng(1), resumeFrom: loaded.state }),
    ).rejects.toThrow(/the checkpoint holds \d+ weights, the model 2: it was saved from another architecture/);
    loaded.dispose();
    other.dispose();
    tf.dispose([x, y]);
  });

  it('keeps one complete checkpoint, and names a truncated or missing one', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'neurona-ckpt-'));
    const first = await run(3, { checkpoint: { save: async (s) => void (await saveCheckpoint(dir, s)) } });
    free(first.model);
    const all = await listCheckpoints(dir);
    expect(all.map((c) => c.epoch)).toEqual([3]);
    expect((await readdir(dir)).filter((n) => n.startsWith('.'))).toEqual([]);
    const tensors = join(all[0]?.path as string, 'tensors.bin');
    const size = (await readFile(tensors)).byteLength;
    await truncate(tensors, 100);
    await expect(loadCheckpoint(dir)).rejects.toThrow(
      new RegExp(`tensors.bin: holds 100 bytes; .*state.json expects ${size}: the file is truncated`),
    );
    await writeFile(join(all[0]?.path as string, 'state.json'), '{');
    await expect(loadCheckpoint(dir)).rejects.toThrow(/state.json: cannot be read: /);
    await expect(loadCheckpoint(join(dir, 'none'))).rejects.toThrow(/no checkpoint in .*none/);
  });
});

describe('checkpoints of runs with several networks (a GAN)', () => {
  beforeAll(async () => {
    await useBackend('cpu', { log: false });
  });

  /** Two small networks, each with its own Adam, trained by a loop of our own on fixed data. */
  function pair(seed: number) {
    const rng = createRng(seed);
    const dense = (units: number, inputShape?: number[]) =>
      tf.layers.dense({
        units,
        ...(inputShape ? { inputShape } : {}),
        kernelInitializer: tf.initializers.glorotUniform({ seed: rng.nextSeed() }),
      });
    const a = tf.sequential({ layers: [dense(6, [3]), dense(2)] });
    const b = tf.sequential({ layers: [dense(4, [2]), dense(1)] });
    return { a: { model: a, optimizer: tf.train.adam(0.05) }, b: { model: b, optimizer: tf.train.adam(0.02) } };
  }

  async function steps(networks: ReturnType<typeof pair>, from: number, to: number) {
    for (let s = from; s < to; s++) {
      tf.tidy(() => {
        // Seed s + 1: tfjs treats a seed of 0 as no seed.
        const x = tf.randomNormal([8, 3], 0, 1, 'float32', s + 1);
        const aVars = networks.a.model.trainableWeights.map((w) => w.read() as tf.Variable);
        const bVars = networks.b.model.trainableWeights.map((w) => w.read() as tf.Variable);
        const loss = () =>
          tf.mean(tf.square(networks.b.model.apply(networks.a.model.apply(x)) as tf.Tensor)) as tf.Scalar;
        const named = (grads: tf.NamedTensorMap) => Object.entries(grads).map(([name, tensor]) => ({ name, tensor }));
        networks.a.optimizer.applyGradients(named(tf.variableGrads(loss, aVars).grads));
        networks.b.optimizer.applyGradients(named(tf.variableGrads(loss, bVars).grads));
      });
    }
  }

  const position = (step: number) => ({
    epoch: 0,
    batch: step,
    step,
    stopped: false,
    rng: createRng(1).state(),
    epochRng: createRng(1).state(),
    sums: [],
    seen: 0,
    history: { epoch: [], history: {} },
    extra: {},
  });

  it('40 steps, a checkpoint on disk, 40 more equal 80 straight; another architecture is refused', async () => {
    const before = tf.memory().numTensors;
    const straight = pair(3);
    await steps(straight, 0, 80);
    const first = pair(3);
    await steps(first, 0, 40);
    const dir = await mkdtemp(join(tmpdir(), 'neurona-networks-'));
    const state = await captureNetworksState(first, position(40));
    expect(state.tensors.map((t) => t.name)).toContain('b/optimizer-power/accBeta1');
    await saveCheckpoint(dir, state);
    disposeTrainingState(state);
    const loaded = await loadCheckpoint(dir);
    const resumed = pair(99); // other starting weights: the checkpoint must replace them all
    await restoreNetworksState(resumed, loaded.state);
    await steps(resumed, 40, 80);
    for (const name of ['a', 'b'] as const) {
      expect(weightsOf(resumed[name].model)).toEqual(weightsOf(straight[name].model));
    }
    const spare = pair(1);
    const other = {
      a: spare.a,
      b: {
        model: tf.sequential({ layers: [tf.layers.dense({ units: 3, inputShape: [2] })] }),
        optimizer: tf.train.adam(),
      },
    };
    const weightsBefore = weightsOf(other.a.model);
    await expect(restoreNetworksState(other, loaded.state)).rejects.toThrow(
      /the checkpoint holds 4 weights for b, the model 2: it was saved from another architecture/,
    );
    expect(weightsOf(other.a.model)).toEqual(weightsBefore);
    loaded.dispose();
    for (const n of [straight, first, resumed, other]) {
      for (const net of [n.a, n.b]) {
        net.optimizer.dispose();
        net.model.dispose();
      }
    }
    spare.b.optimizer.dispose();
    spare.b.model.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});
