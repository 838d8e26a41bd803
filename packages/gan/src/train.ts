import type { Logs, TrainingState } from '@neurona/core';
import {
  captureNetworksState,
  createRng,
  disposeTrainingState,
  eventLoopYielder,
  History,
  InvalidOptionError,
  NeuronaError,
  restoreNetworksState,
  TrainingInterruptedError,
} from '@neurona/core';
import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { discriminatorLoss, generatorLoss } from './models.js';

/** What a GAN run reports after each epoch (and each batch, the running means so far). */
export interface GanLogs extends Logs {
  /** The discriminator's loss, mean over the epoch's batches. */
  d_loss: number;
  /** The generator's loss. */
  g_loss: number;
  /** How often the discriminator was right: real judged real and generated judged generated. */
  d_accuracy: number;
}

/** Hooks a GAN run calls; async ones are awaited. */
export interface GanCallbacks {
  onBatchEnd?(batch: number, logs: GanLogs): void | Promise<void>;
  /** After each epoch: the generator is the trained one (render a grid from fixed noise here). */
  onEpochEnd?(epoch: number, logs: GanLogs): void | Promise<void>;
}

/**
 * Options of `trainGan`: both networks, epochs, batch, Adam's settings, seed, per-epoch scores,
 * callbacks, checkpoints and resume.
 */
export interface TrainGanOptions {
  generator: tfl.LayersModel;
  discriminator: tfl.LayersModel;
  epochs: number;
  /** Images per step; default 256, as the book. */
  batchSize?: number;
  /** Adam's learning rate for both networks; default 1e-4, as the book. */
  learningRate?: number;
  /** Adam's first-moment decay; default 0.9 (Keras's, the book's). The DCGAN paper uses 0.5. */
  beta1?: number;
  /**
   * Figures measured after each epoch on the trained generator (sample scores), added to that
   * epoch's logs before the history, the callbacks and the checkpoint see them.
   */
  measureEpoch?: (epoch: number) => Record<string, number> | Promise<Record<string, number>>;
  /** Seeds the shuffles and the noise: the same seed, the same run. */
  seed: number;
  callbacks?: GanCallbacks;
  /** A checkpoint of a run with the same networks, data and settings: restored before the first step. */
  resumeFrom?: TrainingState;
  /** Where checkpoints go: `save` is awaited with the state (its tensors are freed after). */
  checkpoint?: { save(state: TrainingState): Promise<void>; everyEpochs?: number; extra?: Record<string, unknown> };
  /**
   * Aborting it stops after the current step, saving that moment; the run rejects with
   * `TrainingInterruptedError`.
   */
  signal?: AbortSignal;
}

/** What `trainGan` gives back: the history, steps, timing and both optimisers. */
export interface GanRun {
  history: ReturnType<History['toJSON']>;
  epochsRun: number;
  steps: number;
  /** Seconds spent in training steps, and images per second through the full step. */
  timing: { seconds: number; imagesPerSecond: number };
  /** The two optimisers (one per variable list: one shared optimizer breaks, its slots go by position). */
  optimizers: { generator: tf.Optimizer; discriminator: tf.Optimizer };
  /** Frees the optimisers; the networks stay the caller's. */
  dispose(): void;
}

const FIGURES = ['d_loss', 'g_loss', 'd_accuracy'] as const;

/** Images must be scaled to the generator's tanh range before training: checked from their values. */
function checkRange(images: tf.Tensor) {
  const [min, max] = tf.tidy(() => [tf.min(images).dataSync()[0], tf.max(images).dataSync()[0]]) as [number, number];
  if (min < -1.0001 || max > 1.0001) {
    throw new InvalidOptionError(
      'trainGan',
      'images',
      `values from ${min} to ${max}`,
      'values in [−1, 1], the range of the generator’s tanh: scale pixels with x / 127.5 − 1',
    );
  }
}

/**
 * The book's hand-written GAN loop (14.3) on tfjs's low-level API. Each step draws a batch of
 * real images and of noise, runs the generator once, and takes both gradients from that one
 * pass — the generator's (its images judged by the discriminator, non-saturating loss) and
 * the discriminator's (real → 1, generated → 0) — with `tf.variableGrads` over each network's
 * own variables, then applies them with one Adam each. Nothing is left behind a step
 * (`tf.memory().numTensors` is flat), and `LayersModel.predict` is never called in the loop.
 * Checkpoints go through core's `captureNetworksState`, so `resumeFrom` ends a run exactly
 * where an uninterrupted one with the same seed would.
 *
 * @example
 * ```ts
 * const rng = createRng(1);
 * const generator = dcganGenerator({ rng });
 * const discriminator = dcganDiscriminator({ rng });
 * const run = await trainGan(images, { generator, discriminator, epochs: 10, seed: 1 });
 * ```
 */
export async function trainGan(images: tf.Tensor4D, options: TrainGanOptions): Promise<GanRun> {
  const { generator, discriminator, epochs, seed, callbacks = {}, resumeFrom, checkpoint, signal } = options;
  const batchSize = options.batchSize ?? 256;
  const learningRate = options.learningRate ?? 1e-4;
  const beta1 = options.beta1 ?? 0.9;
  const where = 'trainGan';
  const n = images.shape[0];
  for (const [name, value] of [
    ['epochs', epochs],
    ['seed', seed],
  ] as const) {
    if (!(Number.isInteger(value) && value >= (name === 'seed' ? 0 : 1))) {
      throw new InvalidOptionError(where, name, value, name === 'seed' ? 'an integer >= 0' : 'an integer >= 1');
    }
  }
  if (!(Number.isInteger(batchSize) && batchSize >= 1 && batchSize <= n)) {
    throw new InvalidOptionError(where, 'batchSize', batchSize, `an integer from 1 to ${n}, the number of images`);
  }
  if (!(learningRate > 0)) throw new InvalidOptionError(where, 'learningRate', learningRate, 'a number > 0');
  if (!(beta1 >= 0 && beta1 < 1)) throw new InvalidOptionError(where, 'beta1', beta1, 'a number in [0, 1)');
  const imageShape = discriminator.inputs[0]?.shape.slice(1) ?? [];
  const madeShape = generator.outputs[0]?.shape.slice(1) ?? [];
  if (imageShape.join() !== images.shape.slice(1).join() || madeShape.join() !== imageShape.join()) {
    throw new NeuronaError(
      `trainGan: the images are [${images.shape.slice(1)}], the generator makes [${madeShape}] and the discriminator judges [${imageShape}]: they must agree`,
    );
  }
  checkRange(images);

  const latentDim = generator.inputs[0]?.shape[1] as number;
  const rng = createRng(seed);
  const optimizers = {
    generator: tf.train.adam(learningRate, beta1),
    discriminator: tf.train.adam(learningRate, beta1),
  };
  const networks = {
    generator: { model: generator, optimizer: optimizers.generator },
    discriminator: { model: discriminator, optimizer: optimizers.discriminator },
  };
  const history = new History();
  const stepsPerEpoch = Math.ceil(n / batchSize);
  const yieldNow = eventLoopYielder();
  let step = 0;
  let startEpoch = 0;
  let resumeBatch = 0;
  let resumeSums: number[] | undefined;
  let resumeSeen = 0;
  try {
    if (resumeFrom) {
      if (resumeFrom.epoch > epochs) {
        throw new InvalidOptionError(where, 'epochs', epochs, `>= ${resumeFrom.epoch}, the checkpoint's epoch`);
      }
      await restoreNetworksState(networks, resumeFrom);
      history.restore(resumeFrom.history);
      startEpoch = resumeFrom.epoch;
      step = resumeFrom.step;
      resumeBatch = resumeFrom.batch;
      resumeSums = resumeFrom.batch > 0 ? [...resumeFrom.sums] : undefined;
      resumeSeen = resumeFrom.seen;
      rng.setState(resumeFrom.epochRng);
    }
    let epochRng = rng.state();
    const save = async (position: { epoch: number; batch: number; sums: number[]; seen: number }) => {
      if (!checkpoint) return;
      const state = await captureNetworksState(networks, {
        ...position,
        step,
        stopped: false,
        rng: rng.state(),
        epochRng,
        history: history.toJSON(),
        extra: checkpoint.extra ?? {},
      });
      try {
        await checkpoint.save(state);
      } finally {
        disposeTrainingState(state);
      }
    };
    const gVars = () => generator.trainableWeights.map((w) => w.read() as tf.Variable);
    const dVars = () => discriminator.trainableWeights.map((w) => w.read() as tf.Variable);
    const named = (grads: tf.NamedTensorMap) => Object.entries(grads).map(([name, tensor]) => ({ name, tensor }));
    let seconds = 0;
    let imagesSeen = 0;
    for (let epoch = startEpoch; epoch < epochs; epoch++) {
      epochRng = rng.state();
      const order = rng.permutation(n);
      const resuming = epoch === startEpoch && resumeSums !== undefined;
      if (resuming && resumeFrom) rng.setState(resumeFrom.rng);
      const sums = resuming ? (resumeSums as number[]) : [0, 0, 0];
      let seen = resuming ? resumeSeen : 0;
      for (let batch = resuming ? resumeBatch : 0; batch < stepsPerEpoch; batch++) {
        if (signal?.aborted) {
          await save({ epoch, batch, sums, seen });
          throw new TrainingInterruptedError(epoch, batch, Boolean(checkpoint));
        }
        const rows = order.subarray(batch * batchSize, Math.min(n, (batch + 1) * batchSize));
        // tfjs treats a seed of 0 as no seed: the noise's seed is never 0.
        const noiseSeed = rng.nextSeed() || 1;
        const started = performance.now();
        // The generator's images and the discriminator's score outlive the first gradient pass.
        const kept: tf.Tensor[] = [];
        let figures: tf.Tensor1D;
        try {
          figures = tf.tidy(() => {
            const real = tf.gather(images, tf.tensor1d(rows, 'int32'));
            const noise = tf.randomNormal([rows.length, latentDim], 0, 1, 'float32', noiseSeed);
            const g = tf.variableGrads(() => {
              const fake = tf.keep(generator.apply(noise, { training: true }) as tf.Tensor);
              kept.push(fake);
              return generatorLoss(discriminator.apply(fake, { training: true }) as tf.Tensor);
            }, gVars());
            const d = tf.variableGrads(() => {
              const realLogits = discriminator.apply(real, { training: true }) as tf.Tensor;
              const fakeLogits = discriminator.apply(kept[0] as tf.Tensor, { training: true }) as tf.Tensor;
              const right = tf.add(
                tf.sum(tf.cast(tf.greater(realLogits, 0), 'float32')),
                tf.sum(tf.cast(tf.lessEqual(fakeLogits, 0), 'float32')),
              );
              kept.push(tf.keep(right));
              return discriminatorLoss(realLogits, fakeLogits);
            }, dVars());
            // Both gradients come from the same generator pass before either network changes, as the book's step.
            optimizers.generator.applyGradients(named(g.grads));
            optimizers.discriminator.applyGradients(named(d.grads));
            return tf.stack([d.value, g.value, tf.div(kept[1] as tf.Tensor, 2 * rows.length)]) as tf.Tensor1D;
          });
        } finally {
          tf.dispose(kept);
        }
        const [dLoss, gLoss, accuracy] = Array.from(await figures.data());
        figures.dispose();
        seconds += (performance.now() - started) / 1000;
        imagesSeen += rows.length;
        step += 1;
        seen += rows.length;
        [dLoss, gLoss, accuracy].forEach((v, i) => {
          sums[i] = (sums[i] as number) + (v as number) * rows.length;
        });
        const logs = Object.fromEntries(FIGURES.map((f, i) => [f, (sums[i] as number) / seen])) as GanLogs;
        await callbacks.onBatchEnd?.(batch, logs);
        await yieldNow();
      }
      const logs = {
        ...Object.fromEntries(FIGURES.map((f, i) => [f, (sums[i] as number) / seen])),
        ...(await options.measureEpoch?.(epoch)),
      } as GanLogs;
      history.onEpochEnd(epoch, logs);
      await callbacks.onEpochEnd?.(epoch, logs);
      const done = epoch + 1;
      if (done % (checkpoint?.everyEpochs ?? 1) === 0 || done === epochs) {
        epochRng = rng.state();
        await save({ epoch: done, batch: 0, sums: [], seen: 0 });
      }
      resumeSums = undefined;
    }
    return {
      history: history.toJSON(),
      epochsRun: history.epoch.length,
      steps: step,
      timing: { seconds, imagesPerSecond: imagesSeen / seconds },
      optimizers,
      dispose: () => {
        optimizers.generator.dispose();
        optimizers.discriminator.dispose();
      },
    };
  } catch (error) {
    optimizers.generator.dispose();
    optimizers.discriminator.dispose();
    throw error;
  }
}

/**
 * Images from the generator for `noise` (or `count` seeded draws), in [−1, 1], inference mode
 * (BatchNorm's moving statistics). The caller owns the result.
 */
export function generateImages(generator: tfl.LayersModel, noise: tf.Tensor2D): tf.Tensor4D {
  return tf.tidy(() => generator.apply(noise, { training: false }) as tf.Tensor4D);
}

/** Seeded noise for the generator, `[count, latentDim]`: a fixed batch to watch the same faces improve. */
export function latentNoise(count: number, latentDim: number, seed: number): tf.Tensor2D {
  return tf.randomNormal([count, latentDim], 0, 1, 'float32', seed === 0 ? 1 : seed) as tf.Tensor2D;
}
