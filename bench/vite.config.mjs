import { defineConfig } from 'vite';

// The benchmark page for `backends.mjs --runtime chromium`.
// Served cross-origin isolated, as the app is, so the WASM backend may run its threaded build.
const crossOriginIsolation = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

export default defineConfig({
  server: { headers: crossOriginIsolation },
  preview: { headers: crossOriginIsolation },
  root: new URL('./browser', import.meta.url).pathname,
  logLevel: 'warn',
  build: {
    target: 'es2022',
    outDir: new URL('./dist', import.meta.url).pathname,
    emptyOutDir: true,
    chunkSizeWarningLimit: 8192,
  },
});
