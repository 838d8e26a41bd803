const { fashionMnistClassNames } = require('@neurona/datasets');
const { loadFashionMnistSample } = require('@neurona/datasets/node');
require('@neurona/datasets/image-folder');
if (fashionMnistClassNames.length !== 10) throw new Error('ten class names expected');
loadFashionMnistSample().then(({ train }) => {
  if (train.count !== 8000) throw new Error(`sample: ${train.count} training images`);
  console.log('datasets (require): the sample loads,', train.count, 'training images');
});
