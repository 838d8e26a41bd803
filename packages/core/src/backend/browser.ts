import { InvalidOptionError } from '@neurona/errors';
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
  /**
   * Threads for the WASM backend, from 1 to 8, where the page (or worker) is cross-origin isolated
   * and so may run the threaded build. Default: every logical core (`navigator.hardwareConcurrency`,
   * at most 8); tfjs alone takes half of them, one thread on a 2-core machine. More than the
   * machine has is cut to its cores, and the report says so. Without isolation: one thread,
   * and the report says why.
   */
  wasmThreads?: number;
}

/**
 * The browser's backend candidates, fastest first (WebGPU, WebGL, WASM, CPU), with the loaders and
 * checks `options` give.
 */
export function browserBackends(options: BrowserBackendOptions = {}): BackendCandidate[] {
  const { loaders = {}, beforeWasm, allowSoftwareGpu = false } = options;
  const wasmLoader = loaders.wasm;
  const threads = wasmThreadPlan(options.wasmThreads);
  let wasmModule: WasmModule | undefined;
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
      describe: () => describeWasmThreads(wasmModule, threads),
      aroundInit: (init) => withThreadCap(threads.count, init),
      ...(wasmLoader
        ? {
            load: async () => {
              const module = await wasmLoader();
              wasmModule = module as WasmModule;
              wasmModule.setThreadsCount?.(threads.count);
              await beforeWasm?.(module);
              return module;
            },
          }
        : {}),
    },
    { name: 'cpu', tfName: 'cpu' },
  ];
}

/** What of `@tensorflow/tfjs-backend-wasm` the backend choice uses. */
interface WasmModule {
  getThreadsCount?: () => number;
  setThreadsCount?: (threads: number) => void;
}

/** tfjs's threaded build starts 8 workers for its pool: no more threads than that. */
const MAX_WASM_THREADS = 8;

interface ThreadPlan {
  /** The threads asked of tfjs. */
  count: number;
  /** Why fewer than asked, where the option asked for more than the machine has. */
  cut?: string;
}

function logicalCores(): number | undefined {
  return (globalThis as { navigator?: { hardwareConcurrency?: number } }).navigator?.hardwareConcurrency;
}

function wasmThreadPlan(asked: number | undefined): ThreadPlan {
  if (asked !== undefined && !(Number.isInteger(asked) && asked >= 1 && asked <= MAX_WASM_THREADS))
    throw new InvalidOptionError(
      'useBrowserBackend',
      'wasmThreads',
      asked,
      `an integer from 1 to ${MAX_WASM_THREADS} (tfjs's pool)`,
    );
  const cores = Math.min(logicalCores() ?? 1, MAX_WASM_THREADS);
  if (asked === undefined) return { count: cores };
  if (asked > cores) return { count: cores, cut: `asked for ${asked}; the machine has ${cores} logical cores` };
  return { count: asked };
}

/**
 * tfjs 4.22's threaded WASM build caps its pool at half of `navigator.hardwareConcurrency` (it counts
 * two logical cores a physical one), read once when the module starts: a 2-core machine gets one
 * thread whatever `setThreadsCount` asks. For that moment only, the navigator reports twice the
 * threads wanted; it is put back as it was, whether the backend starts or not.
 */
async function withThreadCap<T>(threads: number, init: () => Promise<T>): Promise<T> {
  const navigator = (globalThis as { navigator?: object }).navigator;
  if (!navigator || threads <= 1) return init();
  const own = Object.getOwnPropertyDescriptor(navigator, 'hardwareConcurrency');
  Object.defineProperty(navigator, 'hardwareConcurrency', { configurable: true, get: () => threads * 2 });
  try {
    return await init();
  } finally {
    if (own) Object.defineProperty(navigator, 'hardwareConcurrency', own);
    else delete (navigator as { hardwareConcurrency?: number }).hardwareConcurrency;
  }
}

/**
 * How many threads the WASM backend runs on, and why only one where the page could have more:
 * the threaded build needs `SharedArrayBuffer`, which a browser gives only to a page (or worker)
 * that is cross-origin isolated (served with COOP `same-origin` and COEP `require-corp`).
 */
function describeWasmThreads(module: WasmModule | undefined, plan: ThreadPlan): string | undefined {
  const threads = module?.getThreadsCount?.();
  if (threads === undefined) return undefined;
  const isolated = (globalThis as { crossOriginIsolated?: boolean }).crossOriginIsolated === true;
  const label = `${threads} thread${threads === 1 ? '' : 's'}`;
  if (threads === 1 && !isolated)
    return `${label}: the page is not cross-origin isolated (COOP/COEP headers), so it has no SharedArrayBuffer for more`;
  return plan.cut ? `${label}: ${plan.cut}` : label;
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
