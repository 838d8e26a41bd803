import { NeuronaError } from '@neurona/errors';
import * as tf from '@tensorflow/tfjs-core';
import type { BackendCandidate, BackendReport, SelectOptions } from '../backend/select.js';
import { selectBackend, selectNamedBackend } from '../backend/select.js';
import { registerWasmTrainingKernels } from '../wasm/register.js';
import { webGpuCandidate } from './webgpu.js';

/** Node's backends, fastest first. */
export const nodeBackendNames = ['tfjs-node-gpu', 'tfjs-node', 'webgpu', 'wasm', 'cpu'] as const;
/** A Node backend's name: `tfjs-node-gpu`, `tfjs-node`, `webgpu`, `wasm` or `cpu`. */
export type NodeBackendName = (typeof nodeBackendNames)[number];

// A specifier held in a variable keeps bundlers and tsc from resolving optional peers
// that most installs do not have.
const importOptional = (specifier: string) => import(specifier);

/** Node's backend candidates, fastest first, each with its loader: what `useBestBackend` tries. */
export const nodeBackends: readonly BackendCandidate[] = [
  {
    name: 'tfjs-node-gpu',
    tfName: 'tensorflow',
    packageName: '@tensorflow/tfjs-node-gpu',
    load: () => importOptional('@tensorflow/tfjs-node-gpu'),
  },
  {
    name: 'tfjs-node',
    tfName: 'tensorflow',
    packageName: '@tensorflow/tfjs-node',
    load: () => importOptional('@tensorflow/tfjs-node'),
  },
  webGpuCandidate,
  {
    name: 'wasm',
    tfName: 'wasm',
    packageName: '@tensorflow/tfjs-backend-wasm',
    load: () => importOptional('@tensorflow/tfjs-backend-wasm'),
    afterSelect: registerWasmTrainingKernels,
  },
  {
    name: 'cpu',
    tfName: 'cpu',
    // tfjs's own "install tfjs-node" banner would repeat, less precisely, what our report says.
    afterSelect: () => {
      (tf.backend() as { firstUse?: boolean }).firstUse = false;
      return [];
    },
  },
];

/**
 * Picks the fastest backend Node can load: tfjs-node-gpu, then tfjs-node, WebGPU on Dawn
 * (a hardware adapter only), WASM, CPU.
 * Prints once which one it chose and why each faster one was passed over.
 *
 * @example
 * ```ts
 * import { useBestBackend } from '@neurona/core/node';
 *
 * const report = await useBestBackend(); // prints "neurona: using the wasm backend" and why faster ones were passed over
 * console.log(report.backend, report.attempts);
 * ```
 */
export async function useBestBackend(options: SelectOptions & { candidates?: readonly BackendCandidate[] } = {}) {
  await loadTfjsForNode();
  return selectBackend(options.candidates ?? nodeBackends, options);
}

/** Makes one named Node backend active, or throws why it cannot (listing valid names). */
export async function useBackend(
  name: string,
  options: SelectOptions & { candidates?: readonly BackendCandidate[] } = {},
): Promise<BackendReport> {
  await loadTfjsForNode();
  return selectNamedBackend(name, options.candidates ?? nodeBackends, options);
}

/**
 * In Node, TensorFlow.js's gradients, tensor methods and CPU backend come with the
 * `@tensorflow/tfjs` package (tfjs-core's Node build has none of them, and its ES-module files
 * cannot be imported one by one under Node): the packages' peers are tfjs-core and tfjs-layers, so
 * the Node entry loads it here, before a backend is chosen, where the app has not already.
 */
export async function loadTfjsForNode(): Promise<void> {
  if (tf.getGradient('Add') && tf.findBackendFactory('cpu')) return;
  await importOptional('@tensorflow/tfjs').catch((error: Error) => {
    throw new NeuronaError(
      `training in Node needs the '@tensorflow/tfjs' package, which registers TensorFlow.js's gradients and CPU backend (npm install @tensorflow/tfjs): ${error.message.split('\n')[0]}`,
      { cause: error },
    );
  });
}
