// TensorFlow.js itself, once for the app: the CPU and WebGL backends, the gradients and the tensor
// methods (the libraries' peers are tfjs-core and tfjs-layers; this package brings them).
import '@tensorflow/tfjs';
import type { BackendReport, BrowserBackendName } from '@neurona/core';
import { browserBackendNames, useBestBrowserBackend, useBrowserBackend } from '@neurona/core';
import wasmPlain from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url';
import wasmSimd from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url';
import wasmThreadedSimd from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm?url';

/** How the app loads the optional backends: on demand, with the WASM files where Vite put them. */
export const backendOptions = {
  loaders: {
    webgpu: () => import('@tensorflow/tfjs-backend-webgpu'),
    wasm: () => import('@tensorflow/tfjs-backend-wasm'),
  },
  // Vite fingerprints the .wasm files; tell the WASM backend where they went.
  beforeWasm: (module: unknown) =>
    (module as typeof import('@tensorflow/tfjs-backend-wasm')).setWasmPaths({
      'tfjs-backend-wasm.wasm': wasmPlain,
      'tfjs-backend-wasm-simd.wasm': wasmSimd,
      'tfjs-backend-wasm-threaded-simd.wasm': wasmThreadedSimd,
    }),
  log: (line: string) => console.info(line),
};

/** A backend a page may ask for: one of the browser's, or `auto` for the fastest (core's order). */
export type BackendChoice = BrowserBackendName | 'auto';
export const backendChoices: readonly BackendChoice[] = ['auto', ...browserBackendNames];

/** Whether a URL value names a backend choice. */
export function isBackendChoice(value: string | null): value is BackendChoice {
  return value !== null && (backendChoices as readonly string[]).includes(value);
}

/**
 * Makes `choice` the active backend (the fastest that works for `auto`): core's report of what it
 * chose and why. `wasmThreads`: the WASM backend's threads (core's default: every logical core,
 * where the page is cross-origin isolated).
 */
export function chooseBackend(choice: BackendChoice, settings: { wasmThreads?: number } = {}): Promise<BackendReport> {
  const options = { ...backendOptions, ...settings };
  return choice === 'auto' ? useBestBrowserBackend(options) : useBrowserBackend(choice, options);
}
