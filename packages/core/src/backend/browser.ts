import { registerWasmTrainingKernels } from '../wasm/register.js';
import type { BackendCandidate, BackendReport, SelectOptions } from './select.js';
import { selectBackend, selectNamedBackend } from './select.js';

/** The browser's backends, fastest first. */
export const browserBackendNames = ['webgpu', 'webgl', 'wasm', 'cpu'] as const;
export type BrowserBackendName = (typeof browserBackendNames)[number];

export interface BrowserBackendOptions extends SelectOptions {
  /**
   * Imports of the optional backend packages, written by the app so that its bundler
   * can split them out: `{ webgpu: () => import('@tensorflow/tfjs-backend-webgpu') }`.
   * A backend without a loader is used only if the app registered it already.
   */
  loaders?: Partial<Record<'webgpu' | 'wasm', () => Promise<unknown>>>;
  /** Called after the WASM package loads and before it starts, e.g. to `setWasmPaths`. */
  beforeWasm?: (wasmModule: unknown) => void | Promise<void>;
}

export function browserBackends(options: BrowserBackendOptions = {}): BackendCandidate[] {
  const { loaders = {}, beforeWasm } = options;
  const wasmLoader = loaders.wasm;
  return [
    {
      name: 'webgpu',
      tfName: 'webgpu',
      packageName: '@tensorflow/tfjs-backend-webgpu',
      ...(loaders.webgpu ? { load: loaders.webgpu } : {}),
      unavailable: () =>
        typeof navigator === 'undefined' || !('gpu' in navigator) ? 'no adapter (navigator.gpu is absent)' : undefined,
    },
    {
      name: 'webgl',
      tfName: 'webgl',
      unavailable: () => (typeof document === 'undefined' ? 'no adapter (not a browser page)' : undefined),
    },
    {
      name: 'wasm',
      tfName: 'wasm',
      packageName: '@tensorflow/tfjs-backend-wasm',
      afterSelect: registerWasmTrainingKernels,
      ...(wasmLoader
        ? {
            load: async () => {
              const module = await wasmLoader();
              await beforeWasm?.(module);
              return module;
            },
          }
        : {}),
    },
    { name: 'cpu', tfName: 'cpu' },
  ];
}

/** Picks the fastest backend the browser offers: WebGPU, then WebGL, WASM, CPU. */
export function useBestBackend(options: BrowserBackendOptions = {}): Promise<BackendReport> {
  return selectBackend(browserBackends(options), options);
}

/** Makes one named browser backend active, or throws why it cannot. */
export function useBackend(name: string, options: BrowserBackendOptions = {}): Promise<BackendReport> {
  return selectNamedBackend(name, browserBackends(options), options);
}
