import * as tf from '@tensorflow/tfjs-core';
import type { WasmBackend } from './kernel-context.js';
import { UnsupportedKernelConfigError } from './kernel-context.js';
import type { Named } from './recurrent-steps.js';
import { heap } from './recurrent-steps.js';

/** Kernel name of BatchNormalization in training (forward). */
export const BATCH_NORM_TRAINING = 'NeuronaBatchNormTraining';
/** Kernel name of its backward pass. */
export const BATCH_NORM_TRAINING_GRAD = 'NeuronaBatchNormTrainingGrad';

export interface BatchNormTrainingAttrs {
  epsilon: number;
}

/** Rows (every leading position) and channels (the last axis) of `x`. */
function rowsAndChannels(kernel: string, x: tf.TensorInfo, gamma: tf.TensorInfo) {
  const channels = x.shape[x.shape.length - 1] as number;
  if (x.dtype !== 'float32' || x.shape.length < 2 || gamma.shape.join() !== `${channels}`)
    throw new UnsupportedKernelConfigError(
      kernel,
      `x [${x.shape}] (${x.dtype}) must be float32 of rank >= 2 with gamma, beta [${channels}] over its last axis`,
    );
  return { rows: tf.util.sizeFromShape(x.shape) / channels, channels };
}

/**
 * BatchNormalization in training, over every axis but the last (channels), for the WASM backend,
 * as Keras's layer computes it with the batch's own statistics:
 *
 *   μ_c = mean_n x_nc,   σ²_c = mean_n (x_nc − μ_c)²,   y_nc = γ_c·(x_nc − μ_c)/√(σ²_c + ε) + β_c
 *
 * in three passes over the heap, the sums in float64. tfjs's layer composes it from `moments`
 * and `batchNorm`, whose gradient is some forty calls (Sub, Square, Mean, Tile, Multiply, Sum…):
 * with the optimizer, the engine's work for those calls was a third of a Fashion-CNN step
 * (`bench/profile.mjs fashion-cnn`). Outputs y, μ and σ² (the layer's moving averages read them).
 */
function batchNormTraining(args: {
  inputs: Record<string, tf.TensorInfo>;
  backend: WasmBackend;
  attrs: BatchNormTrainingAttrs;
}): tf.TensorInfo[] {
  const { inputs, backend, attrs } = args;
  const { x, gamma, beta } = inputs as Named<'x' | 'gamma' | 'beta'>;
  const { rows, channels } = rowsAndChannels(BATCH_NORM_TRAINING, x, gamma);
  const y = backend.makeOutput(x.shape, 'float32');
  const mean = backend.makeOutput([channels], 'float32');
  const variance = backend.makeOutput([channels], 'float32');
  const xs = heap(backend, x);
  const sums = new Float64Array(channels);
  for (let r = 0; r < rows; r++) {
    const row = r * channels;
    for (let c = 0; c < channels; c++) sums[c] = (sums[c] as number) + (xs[row + c] as number);
  }
  const mu = sums.map((s) => s / rows);
  const squares = new Float64Array(channels);
  for (let r = 0; r < rows; r++) {
    const row = r * channels;
    for (let c = 0; c < channels; c++) {
      const d = (xs[row + c] as number) - (mu[c] as number);
      squares[c] = (squares[c] as number) + d * d;
    }
  }
  const sigma2 = squares.map((s) => s / rows);
  const g = heap(backend, gamma);
  const b = heap(backend, beta);
  const scale = Float64Array.from(sigma2, (v, c) => (g[c] as number) / Math.sqrt(v + attrs.epsilon));
  const ys = heap(backend, y);
  for (let r = 0; r < rows; r++) {
    const row = r * channels;
    for (let c = 0; c < channels; c++)
      ys[row + c] = ((xs[row + c] as number) - (mu[c] as number)) * (scale[c] as number) + (b[c] as number);
  }
  heap(backend, mean).set(mu);
  heap(backend, variance).set(sigma2);
  return [y, mean, variance];
}

/**
 * The backward pass of `batchNormTraining`, in closed form, with `x̂ = (x − μ)/√(σ² + ε)` and `N` rows:
 *
 *   dβ = Σ_n dy,   dγ = Σ_n dy·x̂,   dx = γ/√(σ² + ε) · (dy − dβ/N − x̂·dγ/N)
 *
 * in two passes over the heap. Outputs dx, dγ, dβ.
 */
function batchNormTrainingGrad(args: {
  inputs: Record<string, tf.TensorInfo>;
  backend: WasmBackend;
  attrs: BatchNormTrainingAttrs;
}): tf.TensorInfo[] {
  const { inputs, backend, attrs } = args;
  const { dy, x, gamma, mean, variance } = inputs as Named<'dy' | 'x' | 'gamma' | 'mean' | 'variance'>;
  const { rows, channels } = rowsAndChannels(BATCH_NORM_TRAINING_GRAD, x, gamma);
  const dx = backend.makeOutput(x.shape, 'float32');
  const dGamma = backend.makeOutput([channels], 'float32');
  const dBeta = backend.makeOutput([channels], 'float32');
  const xs = heap(backend, x);
  const dys = heap(backend, dy);
  const mu = Float64Array.from(heap(backend, mean));
  const inverse = Float64Array.from(heap(backend, variance), (v) => 1 / Math.sqrt(v + attrs.epsilon));
  const g = heap(backend, gamma);
  const sumDy = new Float64Array(channels);
  const sumDyXhat = new Float64Array(channels);
  for (let r = 0; r < rows; r++) {
    const row = r * channels;
    for (let c = 0; c < channels; c++) {
      const d = dys[row + c] as number;
      sumDy[c] = (sumDy[c] as number) + d;
      sumDyXhat[c] =
        (sumDyXhat[c] as number) + d * ((xs[row + c] as number) - (mu[c] as number)) * (inverse[c] as number);
    }
  }
  const meanDy = sumDy.map((s) => s / rows);
  const meanDyXhat = sumDyXhat.map((s) => s / rows);
  const scale = Float64Array.from(inverse, (v, c) => v * (g[c] as number));
  const dxs = heap(backend, dx);
  for (let r = 0; r < rows; r++) {
    const row = r * channels;
    for (let c = 0; c < channels; c++) {
      const xHat = ((xs[row + c] as number) - (mu[c] as number)) * (inverse[c] as number);
      dxs[row + c] =
        (scale[c] as number) * ((dys[row + c] as number) - (meanDy[c] as number) - xHat * (meanDyXhat[c] as number));
    }
  }
  heap(backend, dGamma).set(sumDyXhat);
  heap(backend, dBeta).set(sumDy);
  return [dx, dGamma, dBeta];
}

export const batchNormTrainingConfig: tf.KernelConfig = {
  kernelName: BATCH_NORM_TRAINING,
  backendName: 'wasm',
  kernelFunc: batchNormTraining as unknown as tf.KernelFunc,
};

export const batchNormTrainingGradConfig: tf.KernelConfig = {
  kernelName: BATCH_NORM_TRAINING_GRAD,
  backendName: 'wasm',
  kernelFunc: batchNormTrainingGrad as unknown as tf.KernelFunc,
};

/**
 * The tape's gradient of `NeuronaBatchNormTraining`: its backward kernel for y's gradient; where
 * the batch's μ or σ² themselves reach the loss (not in Keras's layer, whose moving averages are
 * no part of it), their terms `dμ/N` and `dσ²·2(x − μ)/N` are added with tfjs ops.
 */
export const batchNormTrainingGradient: tf.GradConfig = {
  kernelName: BATCH_NORM_TRAINING,
  inputsToSave: ['x', 'gamma'],
  outputsToSave: [false, true, true],
  gradFunc: (dys, saved, attrs) => {
    const [x, gamma, mean, variance] = saved as tf.Tensor[];
    const [dy, dMean, dVariance] = dys as (tf.Tensor | null)[];
    const [dx, dGamma, dBeta] = tf
      .engine()
      .runKernel(
        BATCH_NORM_TRAINING_GRAD,
        { dy: dy ?? tf.zerosLike(x as tf.Tensor), x, gamma, mean, variance } as tf.NamedTensorMap,
        attrs as unknown as tf.NamedAttrMap,
      ) as tf.Tensor[];
    const rows = (x as tf.Tensor).size / ((gamma as tf.Tensor).size || 1);
    let dxTotal = dx as tf.Tensor;
    if (dMean) dxTotal = tf.add(dxTotal, tf.div(dMean, rows));
    if (dVariance)
      dxTotal = tf.add(dxTotal, tf.mul(tf.mul(dVariance, 2 / rows), tf.sub(x as tf.Tensor, mean as tf.Tensor)));
    return { x: () => dxTotal, gamma: () => dGamma as tf.Tensor, beta: () => dBeta as tf.Tensor };
  },
};
