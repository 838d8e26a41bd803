// The browser half of bench:backends: the same models and the same timing loop, run in
// the page on WebGPU, WebGL, WASM (with Neurona's kernels) or CPU.
import { useBrowserBackend } from '@neurona/core';
import * as tf from '@tensorflow/tfjs';
import wasmPlain from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url';
import wasmSimd from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url';
import wasmThreadedSimd from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm?url';
import { measure } from '../measure.mjs';

/** The backend options; `threads` (a number) sets the WASM backend's thread count, `auto` leaves core's default. */
const backendOptions = (threads) => ({
  ...(threads === 'auto' ? {} : { wasmThreads: Number(threads) }),
  loaders: {
    webgpu: () => import('@tensorflow/tfjs-backend-webgpu'),
    wasm: () => import('@tensorflow/tfjs-backend-wasm'),
  },
  beforeWasm: (module) =>
    module.setWasmPaths({
      'tfjs-backend-wasm.wasm': wasmPlain,
      'tfjs-backend-wasm-simd.wasm': wasmSimd,
      'tfjs-backend-wasm-threaded-simd.wasm': wasmThreadedSimd,
    }),
  log: false,
});

window.neuronaBench = {
  /** Makes `backend` active; returns its report (with the WASM thread count), or throws why it cannot run here. */
  async use(backend, threads = 'auto') {
    const report = await useBrowserBackend(backend, backendOptions(threads));
    const detail = report.attempts.find((a) => a.outcome === 'chosen')?.detail;
    return { backend: report.backend, ownKernels: report.ownKernels, detail, isolated: crossOriginIsolated };
  },
  measure: (model, seconds) => measure(model, seconds, tf),
};
document.body.dataset.state = 'ready';
