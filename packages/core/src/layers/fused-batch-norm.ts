import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { BATCH_NORM_TRAINING } from '../wasm/batch-norm-training.js';
import type { LayerClass } from './tfjs-class.js';
import { tfjsClass } from './tfjs-class.js';

/** Options of `tf.layers.batchNormalization`. */
export type BatchNormalizationLayerArgs = Parameters<typeof tfl.layers.batchNormalization>[0];
type BatchNormalization = ReturnType<typeof tfl.layers.batchNormalization>;

/** The fields of tfjs's BatchNormalization the fused path reads (private in its types, plain in JS). */
interface Internals {
  axis: number;
  momentum: number;
  epsilon: number;
  gamma: tfl.LayerVariable | null;
  beta: tfl.LayerVariable | null;
  movingMean: tfl.LayerVariable;
  movingVariance: tfl.LayerVariable;
}

const TfjsBatchNormalization: LayerClass<BatchNormalizationLayerArgs, BatchNormalization> =
  tfjsClass('BatchNormalization');

/**
 * tfjs's `BatchNormalization`, whose training step on the `wasm` backend is one kernel each way
 * (`NeuronaBatchNormTraining`: the batch's mean and variance and the normalised output in three
 * passes over the heap; the gradient in closed form in two), where tfjs's layer composes some
 * forty calls. Same options, weights, moving averages and class name as
 * `tf.layers.batchNormalization`, so saved models are plain tfjs (and Keras) models. Inference,
 * another backend, or an axis other than the last: tfjs's own layer, which is the same maths.
 *
 * @example
 * ```ts
 * tf.sequential({ layers: [tf.layers.conv2d({ inputShape: [28, 28, 1], filters: 32, kernelSize: 3 }),
 *   fusedBatchNormalization(), tf.layers.flatten(), tf.layers.dense({ units: 10 })] });
 * ```
 */
export class FusedBatchNormalization extends TfjsBatchNormalization {
  static override className = 'BatchNormalization';

  override call(inputs: tf.Tensor | tf.Tensor[], kwargs: tf.serialization.ConfigDict): tf.Tensor | tf.Tensor[] {
    const self = this as unknown as Internals;
    const x = (Array.isArray(inputs) ? inputs[0] : inputs) as tf.Tensor;
    const rank = x.shape.length;
    const lastAxis = self.axis === -1 || self.axis === rank - 1;
    if (!kwargs?.training || !lastAxis || x.dtype !== 'float32' || !tf.getKernel(BATCH_NORM_TRAINING, tf.getBackend()))
      return super.call(inputs, kwargs);
    return tf.tidy(() => {
      const channels = x.shape[rank - 1] as number;
      const gamma = self.gamma ? self.gamma.read() : tf.ones([channels]);
      const beta = self.beta ? self.beta.read() : tf.zeros([channels]);
      const [y, mean, variance] = tf
        .engine()
        .runKernel(BATCH_NORM_TRAINING, { x, gamma, beta }, { epsilon: self.epsilon }) as tf.Tensor[];
      // Keras's moving averages, as tfjs's layer keeps them: m ← m − (m − batch)·(1 − momentum).
      for (const [variable, value] of [
        [self.movingMean, mean],
        [self.movingVariance, variance],
      ] as const) {
        tf.tidy(() => {
          const before = variable.read();
          variable.write(tf.sub(before, tf.mul(tf.sub(before, value as tf.Tensor), 1 - self.momentum)));
        });
      }
      return y as tf.Tensor;
    });
  }
}

/** `tf.layers.batchNormalization`'s drop-in whose training step is one WASM kernel each way. */
export const fusedBatchNormalization = (args?: BatchNormalizationLayerArgs): FusedBatchNormalization =>
  new FusedBatchNormalization(args);
