import { neuronaTsup } from '@neurona/tooling/tsup';

export default neuronaTsup({ entry: { index: 'src/index.ts' } });
