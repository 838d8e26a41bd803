import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

/**
 * Cross-origin isolation: with these two headers the browser gives the page (and its workers)
 * `SharedArrayBuffer`, which the WASM backend's threaded build needs to run on more than one
 * core. Everything the app loads is its own origin, so `require-corp` blocks nothing. A server
 * of the built app must send the same two headers (README: "Serving the built app").
 */
export const crossOriginIsolation = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

export default defineConfig({
  server: { headers: crossOriginIsolation },
  preview: { headers: crossOriginIsolation },
  // The bundled Fashion-MNIST sample is served as static files, straight from the
  // datasets package: /fashion-mnist-sample/*.gz
  publicDir: fileURLToPath(new URL('../../packages/datasets/data', import.meta.url)),
  // Preact's JSX, without a plugin: esbuild compiles it.
  esbuild: { jsx: 'automatic', jsxImportSource: 'preact' },
  // The Playground trains in a module worker (`new Worker(new URL(...), { type: 'module' })`).
  worker: { format: 'es' },
  build: { target: 'es2022', chunkSizeWarningLimit: 4096 },
});
