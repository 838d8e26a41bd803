import { neuronaVitest } from '@neurona/tooling/vitest';

// The end-to-end test builds the page with Vite and drives it in Debian's Chromium.
export default neuronaVitest({ name: 'web', testTimeout: 300_000 });
