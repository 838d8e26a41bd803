import { neuronaTsup } from '@neurona/tooling/tsup';

export default neuronaTsup({ entry: { cli: 'src/cli.ts' }, platform: 'node', banner: '#!/usr/bin/env node' });
