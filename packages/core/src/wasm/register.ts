import * as tf from '@tensorflow/tfjs-core';
import { batchMatMulConfig, fusedMatMulConfig } from './batch-mat-mul.js';
import {
  batchNormTrainingConfig,
  batchNormTrainingGradConfig,
  batchNormTrainingGradient,
} from './batch-norm-training.js';
import { conv2dBackpropFilterConfig } from './conv2d-backprop-filter.js';
import { conv2dBackpropInputConfig } from './conv2d-backprop-input.js';
import { depthwiseGradientConfigs } from './cpu-fallback.js';
import { gruSequenceConfig, gruSequenceGradConfig, gruSequenceGradient } from './gru-sequence.js';
import { keepTfjsKernel } from './kernel-context.js';
import { lstmSequenceConfig, lstmSequenceGradConfig, lstmSequenceGradient } from './lstm-sequence.js';
import { maxPoolGradConfig } from './max-pool-grad.js';
import { meanConfig, sumConfig } from './reduce-leading.js';
import { sliceConfig, splitVConfig, unpackConfig } from './slice.js';
import { tileConfig } from './tile.js';
import { unsortedSegmentSumConfig } from './unsorted-segment-sum.js';

/**
 * Kernels tfjs's WASM backend lacks, which every CNN (filter gradient), the Embedding layer
 * and fine-tuning a MobileNet (depthwise gradients, borrowed from the CPU backend) need, and the
 * kernels of the fused layers: whole recurrent sequences (`FusedLSTM`, `FusedGRU`) and
 * BatchNormalization in training (`FusedBatchNormalization`).
 */
export const addedWasmKernels: readonly tf.KernelConfig[] = [
  conv2dBackpropFilterConfig,
  unsortedSegmentSumConfig,
  ...depthwiseGradientConfigs,
  lstmSequenceConfig,
  lstmSequenceGradConfig,
  gruSequenceConfig,
  gruSequenceGradConfig,
  batchNormTrainingConfig,
  batchNormTrainingGradConfig,
];

/** The tape's gradients of our fused layers' kernels (`FusedLSTM`, `FusedGRU`, `FusedBatchNormalization`). */
const addedGradients: readonly tf.GradConfig[] = [lstmSequenceGradient, gruSequenceGradient, batchNormTrainingGradient];

/**
 * Kernels tfjs's WASM backend has, replaced by faster ones: its convolution input
 * gradient, max-pool gradient and Tile are scalar loops that dominated a training step,
 * its matrix products are ten times slower with a transposed operand, which every
 * backward pass has, and its slices copy the whole input out of the heap first, which a
 * recurrent layer does at every step; and its sums and means over leading axes (every
 * BatchNormalization and bias gradient) transpose the whole input first (`bench/profile.mjs`).
 */
export const fasterWasmKernels: readonly tf.KernelConfig[] = [
  conv2dBackpropInputConfig,
  maxPoolGradConfig,
  tileConfig,
  batchMatMulConfig,
  fusedMatMulConfig,
  sliceConfig,
  unpackConfig,
  splitVConfig,
  sumConfig,
  meanConfig,
];

/** Every WASM kernel Neurona registers: those tfjs's WASM backend lacks, then faster ones for those it has. */
export const wasmTrainingKernels: readonly tf.KernelConfig[] = [...addedWasmKernels, ...fasterWasmKernels];

/**
 * Registers Neurona's kernels for the `wasm` backend: the missing ones where tfjs has
 * none, and the faster ones in place of tfjs's. Returns the names of the kernels that
 * are now ours. Safe to call more than once.
 */
export function registerWasmTrainingKernels(): string[] {
  const ours: string[] = [];
  for (const gradient of addedGradients) if (!tf.getGradient(gradient.kernelName)) tf.registerGradient(gradient);
  for (const config of addedWasmKernels) {
    const existing = tf.getKernel(config.kernelName, 'wasm');
    if (!existing) tf.registerKernel(config);
    if (!existing || existing === config) ours.push(config.kernelName);
  }
  for (const config of fasterWasmKernels) {
    if (tf.getKernel(config.kernelName, 'wasm') !== config) {
      keepTfjsKernel(config.kernelName, config);
      tf.unregisterKernel(config.kernelName, 'wasm');
      tf.registerKernel(config);
    }
    ours.push(config.kernelName);
  }
  return ours;
}
