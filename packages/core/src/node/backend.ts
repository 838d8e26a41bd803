import { NeuronaError } from '@neurona/errors';
import * as tf from '@tensorflow/tfjs-core';
import type { BackendCandidate, BackendReport, SelectOptions } from '../backend/select.js';
import { selectBackend, selectNamedBackend } from '../backend/select.js';
import { registerWasmTrainingKernels } from '../wasm/register.js';
import { NodeWasmThreads, threadsFromEnvironment } from './wasm-threads.js';
import { webGpuCandidate } from './webgpu.js';

/** Node's backends, fastest first. */
export const nodeBackendNames = ['tfjs-node-gpu', 'tfjs-node', 'webgpu', 'wasm', 'cpu'] as const;
/** A Node backend's name: `tfjs-node-gpu`, `tfjs-node`, `webgpu`, `wasm` or `cpu`. */
export type NodeBackendName = (typeof nodeBackendNames)[number];

// A specifier held in a variable keeps bundlers and tsc from resolving optional peers
// that most installs do not have.
const importOptional = (specifier: string) => import(specifier);

/** Options of Node's backend choice. */
export interface NodeBackendOptions extends SelectOptions {
  /**
   * Threads for the WASM backend, from 1 to 8. Default: the `NEURONA_WASM_THREADS` environment
   * variable where it is set, else every logical core (at most 8). tfjs turns
   * threads off under Node; Neurona's loader starts its threaded build in `worker_threads`
   * (nothing in `node_modules` changes). More than the machine has is cut to its cores, and
   * where the threaded build cannot run the backend runs one thread; the report says which.
   */
  wasmThreads?: number;
}

/** The WASM candidate, its threads planned from `wasmThreads`. */
function wasmCandidate(wasmThreads: number | undefined): BackendCandidate {
  const threads = new NodeWasmThreads(wasmThreads);
  return {
    name: 'wasm',
    tfName: 'wasm',
    packageName: '@tensorflow/tfjs-backend-wasm',
    load: async () => {
      const module = await importOptional('@tensorflow/tfjs-backend-wasm');
      threads.prepare(module);
      return module;
    },
    aroundInit: (init) => threads.around(init),
    describe: () => threads.describe(),
    afterSelect: registerWasmTrainingKernels,
  };
}

/**
 * Node's backend candidates, fastest first, each with its loader: what `useBestBackend` tries.
 * `wasmThreads` sets the WASM backend's threads (see `NodeBackendOptions`).
 */
export function nodeBackendCandidates(options: { wasmThreads?: number } = {}): BackendCandidate[] {
  return [
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
    wasmCandidate(options.wasmThreads),
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
}

/** Node's backend candidates with the default settings (WASM on every logical core). */
export const nodeBackends: readonly BackendCandidate[] = nodeBackendCandidates();

/** The options with `wasmThreads` from `NEURONA_WASM_THREADS` where they give none (read at each choice). */
function withThreads(options: NodeBackendOptions): { wasmThreads?: number } {
  const wasmThreads = options.wasmThreads ?? threadsFromEnvironment();
  return wasmThreads === undefined ? {} : { wasmThreads };
}

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
export async function useBestBackend(options: NodeBackendOptions & { candidates?: readonly BackendCandidate[] } = {}) {
  await loadTfjsForNode();
  return selectBackend(options.candidates ?? nodeBackendCandidates(withThreads(options)), options);
}

/** Makes one named Node backend active, or throws why it cannot (listing valid names). */
export async function useBackend(
  name: string,
  options: NodeBackendOptions & { candidates?: readonly BackendCandidate[] } = {},
): Promise<BackendReport> {
  await loadTfjsForNode();
  return selectNamedBackend(name, options.candidates ?? nodeBackendCandidates(withThreads(options)), options);
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
