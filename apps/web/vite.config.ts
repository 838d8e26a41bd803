import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

export default defineConfig({
  // The bundled Fashion-MNIST sample is served as static files, straight from the
  // datasets package: /fashion-mnist-sample/*.gz
  publicDir: fileURLToPath(new URL('../../packages/datasets/data', import.meta.url)),
  // Preact's JSX, without a plugin: esbuild compiles it.
  esbuild: { jsx: 'automatic', jsxImportSource: 'preact' },
  // The Playground trains in a module worker (`new Worker(new URL(...), { type: 'module' })`).
  worker: { format: 'es' },
  build: { target: 'es2022', chunkSizeWarningLimit: 4096 },
});
