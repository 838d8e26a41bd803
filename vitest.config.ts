import { defineConfig } from 'vitest/config';

// One run over every package and app, so CI gets one count. Each project keeps its
// own vitest.config.ts (tooling/config/vitest.js).
export default defineConfig({
  test: {
    projects: ['packages/*', 'apps/*'],
  },
});
