import { defineConfig } from 'vite';

// The benchmark page for `backends.mjs --runtime chromium`.
export default defineConfig({
  root: new URL('./browser', import.meta.url).pathname,
  logLevel: 'warn',
  build: {
    target: 'es2022',
    outDir: new URL('./dist', import.meta.url).pathname,
    emptyOutDir: true,
    chunkSizeWarningLimit: 8192,
  },
});
