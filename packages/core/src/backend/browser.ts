import { registerWasmTrainingKernels } from '../wasm/register.js';
import type { BackendCandidate, BackendReport, SelectOptions } from './select.js';
import { selectBackend, selectNamedBackend } from './select.js';
import { softwareWebGlRenderer, webGpuAdapterProblem } from './software-gpu.js';

/** The browser's backends, fastest first. */
export const browserBackendNames = ['webgpu', 'webgl', 'wasm', 'cpu'] as const;
/** A browser backend's name: `webgpu`, `webgl`, `wasm` or `cpu`. */
export type BrowserBackendName = (typeof browserBackendNames)[number];

/** How `useBestBrowserBackend` and `useBrowserBackend` load and judge the browser's backends. */
export interface BrowserBackendOptions extends SelectOptions {
  /**
   * Imports of the optional backend packages, written by the app so that its bundler
   * can split them out: `{ webgpu: () => import('@tensorflow/tfjs-backend-webgpu') }`.
   * A backend without a loader is used only if the app registered it already.
   */
  loaders?: Partial<Record<'webgpu' | 'wasm', () => Promise<unknown>>>;
  /** Called after the WASM package loads and before it starts, e.g. to `setWasmPaths`. */
  beforeWasm?: (wasmModule: unknown) => void | Promise<void>;
  /**
   * Use WebGPU or WebGL on a software renderer (SwiftShader, llvmpipe). Default false:
   * such a GPU backend is passed over for WASM, which is much faster there.
   */
  allowSoftwareGpu?: boolean;
}

/**
 * The browser's backend candidates, fastest first (WebGPU, WebGL, WASM, CPU), with the loaders and
 * checks `options` give.
 */
export function browserBackends(options: BrowserBackendOptions = {}): BackendCandidate[] {
  const { loaders = {}, beforeWasm, allowSoftwareGpu = false } = options;
  const wasmLoader = loaders.wasm;
  return [
    {
      name: 'webgpu',
      tfName: 'webgpu',
      packageName: '@tensorflow/tfjs-backend-webgpu',
      ...(loaders.webgpu ? { load: loaders.webgpu } : {}),
      unavailable: async () => {
        const problem = await webGpuAdapterProblem();
        return problem?.startsWith('software') && allowSoftwareGpu ? undefined : problem;
      },
    },
    {
      name: 'webgl',
      tfName: 'webgl',
      unavailable: () => {
        // A worker has no document; tfjs draws WebGL there on an OffscreenCanvas, where the browser has one.
        if (typeof document === 'undefined' && typeof OffscreenCanvas === 'undefined')
          return 'no canvas (neither a page nor a worker with OffscreenCanvas)';
        const software = allowSoftwareGpu ? undefined : softwareWebGlRenderer();
        return software ? `software renderer (${software}), slower than WASM` : undefined;
      },
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
export function useBestBrowserBackend(options: BrowserBackendOptions = {}): Promise<BackendReport> {
  return selectBackend(browserBackends(options), options);
}

/**
 * Makes one named browser backend active, or throws why it cannot. A backend asked for
 * by name is used on a software renderer too, unless `allowSoftwareGpu: false`.
 */
export function useBrowserBackend(name: string, options: BrowserBackendOptions = {}): Promise<BackendReport> {
  const candidates = browserBackends({ ...options, allowSoftwareGpu: options.allowSoftwareGpu ?? true });
  return selectNamedBackend(name, candidates, options);
}
