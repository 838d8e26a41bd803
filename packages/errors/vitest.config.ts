import { neuronaVitest } from '@neurona/tooling/vitest';

export default neuronaVitest({ name: 'errors' });
