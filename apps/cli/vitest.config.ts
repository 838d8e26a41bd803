import { neuronaVitest } from '@neurona/tooling/vitest';

// These tests run the built CLI (dist/cli.js), as a user does: build first.
export default neuronaVitest({ name: 'cli', testTimeout: 180_000 });
