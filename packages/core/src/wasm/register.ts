import * as tf from '@tensorflow/tfjs';
import { conv2dBackpropFilterConfig } from './conv2d-backprop-filter.js';
import { unsortedSegmentSumConfig } from './unsorted-segment-sum.js';

/** The kernels Neurona adds to tfjs's WASM backend so that the book's models train on it. */
export const wasmTrainingKernels: readonly tf.KernelConfig[] = [conv2dBackpropFilterConfig, unsortedSegmentSumConfig];

/**
 * Registers each of our WASM kernels that tfjs does not provide itself, and returns the
 * names of those that are ours. Safe to call more than once.
 */
export function registerWasmTrainingKernels(): string[] {
  const ours: string[] = [];
  for (const config of wasmTrainingKernels) {
    const existing = tf.getKernel(config.kernelName, 'wasm');
    if (!existing) tf.registerKernel(config);
    if (!existing || existing === config) ours.push(config.kernelName);
  }
  return ours;
}
