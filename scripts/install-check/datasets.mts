// README example of @neurona/datasets: the bundled Fashion-MNIST sample, no TensorFlow.js needed.
import { fashionMnistClassNames } from '@neurona/datasets';
import { loadFashionMnistSample } from '@neurona/datasets/node';

const { train, test } = await loadFashionMnistSample();
const first = fashionMnistClassNames[train.labels[0] ?? -1];
if (train.count !== 8000 || test.count !== 2000 || first !== 'Ankle boot') {
  throw new Error(`expected 8000 2000 Ankle boot, got ${train.count} ${test.count} ${first}`);
}
console.log('datasets:', train.count, test.count, first);
