import { neuronaVitest } from '@neurona/tooling/vitest';

// The end-to-end tests drive the built app in Debian's Chromium; test/serve.ts builds and serves it
// once for all of them.
export default neuronaVitest({ name: 'web', testTimeout: 300_000, globalSetup: './test/serve.ts' });
